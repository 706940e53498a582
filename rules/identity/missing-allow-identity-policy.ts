// Rule: no identity policy of the principal allows the action, and the request needs one.
import { accountOf, authOf, bucketOf, fixes, layerRule } from '../../src/engine/rule-kit.js';

/** Rule `identity/missing-allow-identity-policy`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'identity/missing-allow-identity-policy',
  title: 'No identity policy allows the action',
  code: 'missing-allow-identity-policy',
  docs: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-policies-s3.html',
  ],
  messages: {
    missing:
      'No identity policy of {{principal}} allows {{action}} on {{resource}}, and nothing else grants it (an Allow is needed on the identity side).',
    nearMiss:
      'No identity policy of {{principal}} allows {{action}} on {{resource}}: statement {{statement}} of {{policyName}} names the action but does not match (it fails on {{failedOn}}).',
    enhanced:
      'AWS reported that no identity-based policy of {{principal}} allows {{action}} on {{resource}}.',
  },
  suggest(f, ctx) {
    const auth = authOf(f, ctx);
    if (!ctx.evidence || !auth) return [];
    const prefix = auth.context['s3:prefix'];
    const conditions =
      auth.action === 's3:ListBucket' && typeof prefix === 'string' && prefix !== ''
        ? { StringLike: { 's3:prefix': `${prefix}*` } }
        : undefined;
    const out = [
      fixes.addIdentityStatement(ctx.evidence, auth.principal, [auth.action], [auth.resource], {
        conditions,
      }),
    ];
    // Within one account a bucket-policy grant naming the caller also allows (an alternative, never
    // the cause): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
    const bucket = bucketOf(ctx, auth);
    const account = accountOf(auth.principal);
    if (
      bucket &&
      !ctx.request.s3.accessPointArn &&
      auth.action.toLowerCase().startsWith('s3:') &&
      account !== undefined &&
      account === auth.resourceAccount &&
      ctx.evidence.buckets[bucket]?.policy !== undefined
    ) {
      try {
        out.push({
          ...fixes.addResourceStatement(
            ctx.evidence,
            bucket,
            auth.principal,
            [auth.action],
            [auth.resource],
            {
              conditions,
            },
          ),
          alternative: true,
        });
      } catch (e) {
        // A bucket-policy grant is only an alternative: when it cannot be built safely, the
        // identity-policy fix stands alone.
        if (!(e instanceof fixes.FixError || e instanceof fixes.LeastPrivilegeError)) throw e;
      }
    }
    return out;
  },
});
