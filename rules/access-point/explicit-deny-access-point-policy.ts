// Rule: the access point policy denies the request, or the access point's VPC network origin refuses it.
import {
  clientFix,
  defineRule,
  denyFixes,
  explicitDenyFindings,
  traceOrMessage,
} from '../../src/engine/rule-kit.js';
import type { Finding } from '../../src/engine/rule-kit.js';
import { stepsWithCause } from '../../src/fix/index.js';

/** The S3 steps reported under this code (the VPC network origin), from the one layer-to-code table. */
const DENYING_STEPS = stepsWithCause('explicit-deny-access-point-policy');

type Id = 'deny' | 'denyCondition' | 'denyUnknown' | 'networkOrigin' | 'enhanced' | 'fixVpc';

/** Rule `access-point/explicit-deny-access-point-policy`: its .md beside this file says what it means and how it decides. */
export default defineRule<Id>({
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
  match(ctx) {
    const found: Finding<Id>[] = explicitDenyFindings<Id>(ctx, 'access-point-policy', {
      plain: 'deny',
      condition: 'denyCondition',
      unknown: 'denyUnknown',
    });
    for (const hit of DENYING_STEPS.flatMap((step) => ctx.blockingLayers(step, 'block'))) {
      const ap = ctx.request.s3.accessPointArn ?? hit.auth.request.resource;
      const vpcId =
        (ctx.evidence?.accessPoints[ap]?.vpcId ?? String(hit.layer.facts?.['vpcId'] ?? '?')) || '?';
      found.push({
        confidence: hit.confidence,
        messageId: 'networkOrigin',
        data: { accessPoint: ap, vpcId },
        action: hit.auth.request.action,
        resource: hit.auth.request.resource,
        layer: hit.layer.layer,
        authorizationIndex: hit.index,
      });
    }
    return traceOrMessage(ctx, 'explicit-deny-access-point-policy', found, 'enhanced');
  },
  suggest(f, ctx, msg) {
    if (f.messageId === 'networkOrigin') return [clientFix(msg('fixVpc', f.data))];
    return denyFixes(f, ctx);
  },
});
