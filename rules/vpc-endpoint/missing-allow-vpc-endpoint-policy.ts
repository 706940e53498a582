// Rule: the request went through a VPC endpoint whose policy does not allow it.
import { authOf, fixes, layerRule } from '../../src/engine/rule-kit.js';

/** Rule `vpc-endpoint/missing-allow-vpc-endpoint-policy`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'vpc-endpoint/missing-allow-vpc-endpoint-policy',
  title: 'The VPC endpoint policy does not allow the request',
  code: 'missing-allow-vpc-endpoint-policy',
  docs: [
    'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html',
  ],
  messages: {
    missing:
      'The policy of VPC endpoint {{policyId}} does not allow {{action}} on {{resource}}, and every request through the endpoint needs its Allow.',
    nearMiss:
      'The policy of VPC endpoint {{policyId}} does not allow {{action}} on {{resource}}: statement {{statement}} names the action but fails on {{failedOn}} (often a list of allowed buckets without this one).',
    enhanced: 'AWS reported that no VPC endpoint policy allows {{action}} on {{resource}}.',
  },
  suggest(f, ctx) {
    const auth = authOf(f, ctx);
    const ctxVpce = auth?.context['aws:SourceVpce'];
    const vpce = f.policy?.id ?? (typeof ctxVpce === 'string' ? ctxVpce : undefined);
    if (!ctx.evidence || !auth || !vpce) return [];
    return [fixes.vpcEndpointPolicyAllow(ctx.evidence, vpce, auth.principal, [auth.action], [auth.resource])];
  },
});
