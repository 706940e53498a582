// Rule: the access point policy denies the request, or the access point's VPC network origin refuses it.
import { clientFix, denyFixes, layerRule } from '../../src/engine/rule-kit.js';
import type { Finding } from '../../src/engine/rule-kit.js';

type Id = 'deny' | 'denyCondition' | 'denyUnknown' | 'networkOrigin' | 'enhanced' | 'fixVpc';

/** Rule `access-point/explicit-deny-access-point-policy`: its .md beside this file says what it means and how it decides. */
export default layerRule<Id>({
  id: 'access-point/explicit-deny-access-point-policy',
  title: 'The access point policy (or its network origin) denies the request',
  code: 'explicit-deny-access-point-policy',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-vpc.html',
  ],
  messages: {
    deny: 'Statement {{statement}} of the policy of access point {{policyId}} denies {{action}} on {{resource}}.',
    denyCondition:
      'Statement {{statement}} of the policy of access point {{policyId}} denies {{action}} on {{resource}}: its condition {{operator}} {{key}} = {{policyValues}} matched the request value {{requestValue}}.',
    denyUnknown:
      'Statement {{statement}} of the policy of access point {{policyId}} denies {{action}} on {{resource}} if {{operator}} {{key}} = {{policyValues}} matches, and the input does not show {{key}}.',
    networkOrigin:
      'Access point {{accessPoint}} only accepts requests from VPC {{vpcId}}, and this request did not come through an endpoint in that VPC; S3 reports this as an explicit deny.',
    fixVpc:
      'Send the request from inside VPC {{vpcId}} (through its S3 gateway or interface endpoint), or use an access point with Internet origin.',
    enhanced:
      'AWS reported an explicit deny in a resource-based policy for {{action}} on access point {{resource}}.',
  },
  // The S3 steps the table reports under this code: a VPC-only access point refusing the network origin.
  create(ctx, found, steps) {
    const out: Finding<Id>[] = [...found];
    for (const hit of steps) {
      const ap = ctx.request.s3.accessPointArn ?? hit.auth.request.resource;
      const facts = hit.layer.layer === 'access-point-network-origin' ? hit.layer.facts : undefined;
      const vpcId = (ctx.evidence?.accessPoints[ap]?.vpcId ?? String(facts?.['vpcId'] ?? '?')) || '?';
      out.push({
        confidence: hit.confidence,
        messageId: 'networkOrigin',
        data: { accessPoint: ap, vpcId },
        action: hit.auth.request.action,
        resource: hit.auth.request.resource,
        layer: hit.layer.layer,
        authorizationIndex: hit.index,
      });
    }
    return out;
  },
  suggest(f, ctx, msg) {
    if (f.messageId === 'networkOrigin') return [clientFix(msg('fixVpc', f.data))];
    return denyFixes(f, ctx);
  },
});
