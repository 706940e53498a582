// Rule: the object is in an archive storage class (Glacier Flexible Retrieval, Deep Archive) and not restored.
import { ARCHIVE_CLASSES, defineRule, fixes } from '../../src/engine/rule-kit.js';

/** Rule `s3/archived-object`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 's3/archived-object',
  title: 'The object is archived and must be restored first',
  code: 'archived-object',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html',
  ],
  messages: {
    invalidState:
      'S3 answered InvalidObjectState: the object is in an archive storage class and has not been restored, so it cannot be read.',
    archived:
      'Object {{object}} is in storage class {{storageClass}} and is not restored ({{restore}}), so GetObject is refused.',
  },
  match(ctx) {
    const { bucket, key } = ctx.request.s3;
    const obj = bucket && key ? ctx.evidence?.buckets[bucket]?.objects?.[key] : undefined;
    const hit = ctx.blockingLayers('object-state')[0];
    if (
      obj?.storageClass &&
      ARCHIVE_CLASSES.includes(obj.storageClass) &&
      obj.restoreStatus !== 'restored' &&
      (hit || ctx.errorCode() === 'InvalidObjectState')
    )
      return [
        {
          confidence: hit?.confidence ?? 'certain',
          messageId: 'archived',
          data: {
            object: `${bucket}/${key}`,
            storageClass: obj.storageClass,
            restore: obj.restoreStatus ?? 'no restore requested',
          },
          layer: 'object-state',
          resource: ctx.primary()?.resource,
        },
      ];
    if (ctx.errorCode() === 'InvalidObjectState')
      return [{ confidence: 'certain', messageId: 'invalidState' }];
    return [];
  },
  suggest(_f, ctx) {
    return [fixes.restoreObject(ctx.request)];
  },
});
