// Rule: the key does not exist, and without s3:ListBucket S3 answers 403 instead of 404.
import { defineRule, fixes } from '../../src/engine/rule-kit.js';

/** Operations that answer 403 instead of 404 for a missing key when the caller may not list. */
const READS = ['GetObject', 'HeadObject', 'GetObjectAcl', 'GetObjectTagging', 'GetObjectAttributes'];

/** Rule `s3/object-not-found-without-list`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 's3/object-not-found-without-list',
  title: 'The object does not exist (403 because the caller may not list the bucket)',
  code: 'object-not-found-without-list',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html',
  ],
  messages: {
    missingKey:
      'The key {{key}} does not exist in bucket {{bucket}}; S3 answers 403 AccessDenied instead of 404 NoSuchKey when the caller lacks s3:ListBucket on the bucket.',
  },
  match(ctx) {
    const { bucket, key, operation } = ctx.request.s3;
    if (!bucket || !key || !READS.includes(operation)) return [];
    const obj = ctx.evidence?.buckets[bucket]?.objects?.[key];
    if (obj?.exists !== false) return [];
    const hit = ctx.blockingLayers('object-state')[0];
    const status = ctx.record?.httpStatus ?? ctx.request.httpStatus;
    const confidence = hit ? hit.confidence : status === 404 ? 'possible' : 'likely';
    return [
      {
        confidence,
        messageId: 'missingKey',
        data: { bucket, key },
        layer: 'object-state',
        resource: ctx.primary()?.resource,
      },
    ];
  },
  suggest(_f, ctx) {
    return [fixes.checkObjectKey(ctx.request)];
  },
});
