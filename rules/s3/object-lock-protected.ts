// Rule: Object Lock retention or a legal hold protects the object version the request tried to delete or change.
import { clientFix, defineRule, fixes } from '../../src/engine/rule-kit.js';
import type { Finding } from '../../src/engine/rule-kit.js';

type Id = 'lockMessage' | 'retention' | 'legalHold' | 'fixLegalHold';

/** Rule `s3/object-lock-protected`: its .md beside this file says what it means and how it decides. */
export default defineRule<Id>({
  id: 's3/object-lock-protected',
  title: 'Object Lock protects the object version',
  code: 'object-lock-protected',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html',
  ],
  messages: {
    lockMessage:
      'S3 answered "Access Denied because object protected by object lock": the version is under retention or a legal hold.',
    retention:
      'Object {{object}} is under {{mode}} retention until {{until}}; deleting the version or shortening retention is refused until then.',
    legalHold:
      'Object {{object}} has a legal hold (ON), which blocks deleting the version until the hold is removed.',
    fixLegalHold:
      'If authorised, remove the legal hold first (s3:PutObjectLegalHold, status OFF), then retry.',
  },
  match(ctx) {
    const { bucket, key } = ctx.request.s3;
    const obj = bucket && key ? ctx.evidence?.buckets[bucket]?.objects?.[key] : undefined;
    const hit = ctx.blockingLayers('object-lock')[0];
    const object = `${bucket ?? '?'}/${key ?? '?'}`;
    const out: Finding<Id>[] = [];
    const base = {
      layer: 'object-lock' as const,
      action: hit?.auth.request.action ?? ctx.primary()?.action,
      resource: hit?.auth.request.resource ?? ctx.primary()?.resource,
    };
    const byMessage = /protected by object lock/i.test(ctx.errorMessage() ?? '');
    if (obj?.retention && (hit || byMessage)) {
      out.push({
        ...base,
        confidence: hit?.confidence ?? 'certain',
        messageId: 'retention',
        data: { object, mode: obj.retention.Mode, until: obj.retention.RetainUntilDate },
      });
    }
    if (obj?.legalHold === 'ON' && (hit || byMessage)) {
      out.push({
        ...base,
        confidence: hit?.confidence ?? 'certain',
        messageId: 'legalHold',
        data: { object },
      });
    }
    if (out.length === 0 && (byMessage || hit))
      out.push({
        ...base,
        confidence: hit?.confidence ?? 'certain',
        messageId: 'lockMessage',
        data: { object },
      });
    return out;
  },
  suggest(f, ctx, msg) {
    if (f.messageId === 'legalHold') return [clientFix(msg('fixLegalHold'))];
    const until = typeof f.data?.['until'] === 'string' ? f.data['until'] : undefined;
    if (f.messageId === 'retention' && f.data?.['mode'] === 'GOVERNANCE' && until)
      return [fixes.bypassGovernance(ctx.request), fixes.waitForRetention(ctx.request, until)];
    if (until) return [fixes.waitForRetention(ctx.request, until)];
    return [];
  },
});
