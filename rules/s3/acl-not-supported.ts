// Rule: the request set an ACL on a bucket whose Object Ownership is BucketOwnerEnforced (ACLs disabled).
import { defineRule, fixes } from '../../src/engine/rule-kit.js';

/** Rule `s3/acl-not-supported`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 's3/acl-not-supported',
  title: 'The bucket has ACLs disabled and the request set one',
  code: 'acl-not-supported',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/ensure-object-ownership.html',
  ],
  messages: {
    errorCode:
      'S3 answered AccessControlListNotSupported: the bucket {{bucket}} has Object Ownership set to BucketOwnerEnforced, so ACLs are disabled and a request that sets one fails.',
    errorCodeNoBucket:
      'S3 answered AccessControlListNotSupported: the bucket has Object Ownership set to BucketOwnerEnforced, so ACLs are disabled and a request that sets one fails (the input does not name the bucket).',
    enforced:
      'Bucket {{bucket}} has Object Ownership BucketOwnerEnforced (ACLs disabled), and the request sent the ACL {{acl}}.',
  },
  match(ctx) {
    const bucket = ctx.request.s3.bucket;
    if (ctx.errorCode() === 'AccessControlListNotSupported')
      return [
        bucket === undefined
          ? { confidence: 'certain', messageId: 'errorCodeNoBucket' }
          : { confidence: 'certain', messageId: 'errorCode', data: { bucket } },
      ];
    if (bucket === undefined) return [];
    const ownership = ctx.evidence?.buckets[bucket]?.objectOwnership;
    const acl = ctx.request.s3.aclHeader;
    if (ownership === 'BucketOwnerEnforced' && acl && acl !== 'bucket-owner-full-control') {
      const hit = ctx.blockingLayers('object-ownership')[0];
      return [
        {
          confidence: hit ? hit.confidence : 'likely',
          messageId: 'enforced',
          data: { bucket, acl },
          layer: 'object-ownership',
        },
      ];
    }
    return [];
  },
  suggest(_f, ctx) {
    return [fixes.removeAclHeader(ctx.request), fixes.useBucketOwnerFullControl(ctx.request)];
  },
});
