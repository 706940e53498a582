// Rule: a cross-account or anonymous request needs a bucket-policy (or ACL) grant, and there is none.
import { accountOf, authOf, bucketOf, fixes, layerRule } from '../../src/engine/rule-kit.js';
import type { AuthzRequest, RuleContext } from '../../src/engine/rule-kit.js';

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
    missingAnonymous:
      'The bucket policy on {{bucket}} does not allow anonymous requests to perform {{action}} on {{resource}}; an anonymous caller needs a grant there.',
    missingUnknownCaller:
      'The bucket policy on {{bucket}} does not allow {{principal}} to perform {{action}} on {{resource}}; {{callerAccount}}.',
    nearMiss:
      'The bucket policy on {{bucket}} does not allow {{principal}} to perform {{action}} on {{resource}}: statement {{statement}} names the action but does not match (it fails on {{failedOn}}).',
    enhanced: 'AWS reported that no resource-based policy allows {{action}} on {{resource}}.',
  },
  create(ctx, found) {
    return found.map((f) => ({
      ...f,
      // The sentence says only what the request shows of the caller's account.
      messageId: f.messageId === 'missing' ? missingFor(ctx, authOf(f, ctx)) : f.messageId,
      // Through an access point the bucket policy is evaluated against the bucket's own ARN; for
      // CopyObject the source read names the source bucket.
      data: {
        ...f.data,
        bucket: bucketOf(ctx, authOf(f, ctx)) ?? '?',
        resource: authOf(f, ctx)?.underlyingResource ?? f.resource,
        callerAccount: callerAccountNote(ctx, authOf(f, ctx)),
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

/** The bucket owner's account: the authorization's resource account, else the bucket's in the evidence. */
function ownerOf(ctx: RuleContext, auth: AuthzRequest | undefined): string | undefined {
  const bucket = bucketOf(ctx, auth);
  return auth?.resourceAccount ?? (bucket ? ctx.evidence?.buckets[bucket]?.accountId : undefined);
}

/** The caller's account relative to the bucket owner's: `cross`, `same`, or `unknown`. */
function relation(
  ctx: RuleContext,
  auth: AuthzRequest | undefined,
): 'anonymous' | 'cross' | 'same' | 'unknown' {
  const p = auth?.principal ?? ctx.request.principal;
  if (p.kind === 'anonymous') return 'anonymous';
  const caller = accountOf(p);
  const owner = ownerOf(ctx, auth);
  if (caller === undefined || owner === undefined) return 'unknown';
  return caller === owner ? 'same' : 'cross';
}

/** Which `missing` sentence fits the caller: another account, anonymous, or neither known to be. */
function missingFor(
  ctx: RuleContext,
  auth: AuthzRequest | undefined,
): 'missing' | 'missingAnonymous' | 'missingUnknownCaller' {
  const r = relation(ctx, auth);
  return r === 'cross' ? 'missing' : r === 'anonymous' ? 'missingAnonymous' : 'missingUnknownCaller';
}

/** What the request shows of the caller's account, for `missingUnknownCaller`. */
function callerAccountNote(ctx: RuleContext, auth: AuthzRequest | undefined): string | undefined {
  const r = relation(ctx, auth);
  if (r === 'same') return `the caller is in the bucket owner account ${ownerOf(ctx, auth) ?? ''}`;
  if (r === 'unknown')
    return 'the input does not show which account the caller is in (a caller from outside the bucket owner account needs a grant there)';
  return undefined;
}
