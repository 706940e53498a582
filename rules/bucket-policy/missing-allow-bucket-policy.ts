// Rule: a cross-account or anonymous request needs a bucket-policy (or ACL) grant, and there is none.
import { authOf, bucketOf, fixes, layerRule } from '../../src/engine/rule-kit.js';

/** Rule `bucket-policy/missing-allow-bucket-policy`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'bucket-policy/missing-allow-bucket-policy',
  title: 'The bucket policy does not grant a cross-account or anonymous caller',
  code: 'missing-allow-bucket-policy',
  docs: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html',
  ],
  messages: {
    missing:
      'The bucket policy on {{bucket}} does not allow {{principal}} to perform {{action}} on {{resource}}; a caller from outside the bucket owner account needs a grant there.',
    nearMiss:
      'The bucket policy on {{bucket}} does not allow {{principal}} to perform {{action}} on {{resource}}: statement {{statement}} names the action but does not match (it fails on {{failedOn}}).',
    enhanced: 'AWS reported that no resource-based policy allows {{action}} on {{resource}}.',
  },
  create(ctx, found) {
    return found.map((f) => ({
      ...f,
      // Through an access point the bucket policy is evaluated against the bucket's own ARN; for
      // CopyObject the source read names the source bucket.
      data: {
        ...f.data,
        bucket: bucketOf(ctx, authOf(f, ctx)) ?? '?',
        resource: authOf(f, ctx)?.underlyingResource ?? f.resource,
      },
    }));
  },
  suggest(f, ctx) {
    const auth = authOf(f, ctx);
    const ap = ctx.request.s3.accessPointArn;
    const bucket = bucketOf(ctx, auth);
    if (!ctx.evidence || !auth || !bucket || ctx.request.principal.kind === 'anonymous') return [];
    const resource = auth.underlyingResource ?? auth.resource;
    const conditions = ap ? { StringEquals: { 's3:DataAccessPointArn': ap } } : undefined;
    return [
      fixes.addResourceStatement(ctx.evidence, bucket, auth.principal, [auth.action], [resource], {
        conditions,
      }),
    ];
  },
});
