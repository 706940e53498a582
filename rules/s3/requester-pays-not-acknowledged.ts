// Rule: a Requester Pays bucket was called from another account without x-amz-request-payer.
import { accountOf, defineRule, fixes } from '../../src/engine/rule-kit.js';

/** Rule `s3/requester-pays-not-acknowledged`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 's3/requester-pays-not-acknowledged',
  title: 'Requester Pays was not acknowledged',
  code: 'requester-pays-not-acknowledged',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/ObjectsinRequesterPaysBuckets.html',
  ],
  messages: {
    notSent:
      'Bucket {{bucket}} is a Requester Pays bucket of account {{bucketAccount}}, and the request from {{principal}} did not send x-amz-request-payer: requester, so S3 refused it.',
    maybeNotSent:
      'Bucket {{bucket}} is a Requester Pays bucket of account {{bucketAccount}}; the input does not show whether the request sent x-amz-request-payer: requester.',
  },
  match(ctx) {
    const bucket = ctx.request.s3.bucket;
    const b = bucket ? ctx.evidence?.buckets[bucket] : undefined;
    const hit = ctx.blockingLayers('requester-pays')[0];
    if (!b || b.requestPayer !== 'Requester') return [];
    const caller = accountOf(ctx.request.principal);
    if (!hit && (caller === b.accountId || ctx.request.s3.requestPayerSent === true)) return [];
    const data = { bucket, bucketAccount: b.accountId ?? '?', principal: ctx.principalLabel() };
    const sent = ctx.request.s3.requestPayerSent;
    const confidence = hit ? hit.confidence : sent === false ? 'likely' : 'possible';
    const known = sent === false || hit?.layer.outcome === 'block';
    return [
      {
        confidence,
        messageId: known ? 'notSent' : 'maybeNotSent',
        data,
        layer: 'requester-pays',
        action: ctx.primary()?.action,
        resource: ctx.primary()?.resource,
      },
    ];
  },
  suggest(_f, ctx) {
    return [fixes.sendRequestPayer(ctx.request)];
  },
});
