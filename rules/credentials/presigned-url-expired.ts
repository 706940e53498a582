// Rule: a presigned URL was used after its expiry (X-Amz-Date + X-Amz-Expires, or SigV2 Expires).
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
import { defineRule, fixes } from '../../src/engine/rule-kit.js';
import type { LogRecord } from '../../src/engine/rule-kit.js';

/** Query parameters of the record (parsed query, else the request URI). */
function queryOf(r: LogRecord | undefined): Record<string, string> {
  if (!r) return {};
  if (r.query && Object.keys(r.query).length > 0) return r.query;
  const uri = r.requestUri?.split(' ')[1] ?? r.requestUri ?? '';
  const q = uri.indexOf('?');
  if (q < 0) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(uri.slice(q + 1))) out[k] = v;
  return out;
}

/** `20261124T100000Z` -> epoch ms. */
function amzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return undefined;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** When the URL expired (epoch ms), if the query says. */
function expiryOf(q: Record<string, string>): number | undefined {
  const date = q['X-Amz-Date'];
  const expires = q['X-Amz-Expires'];
  if (date && expires && /^\d+$/.test(expires)) {
    const start = amzDate(date);
    return start === undefined ? undefined : start + Number(expires) * 1000;
  }
  const v2 = q['Expires'];
  if (v2 && /^\d+$/.test(v2) && q['Signature']) return Number(v2) * 1000;
  return undefined;
}

/** Rule `credentials/presigned-url-expired`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 'credentials/presigned-url-expired',
  title: 'The presigned URL had expired',
  code: 'presigned-url-expired',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html',
  ],
  messages: {
    expiredMessage: 'S3 answered "Request has expired": the presigned URL was used after its expiry time.',
    expiredAt:
      'The presigned URL expired at {{expiredAt}} but was used at {{time}} ({{late}} seconds late), so S3 refused it before evaluating any policy.',
  },
  match(ctx) {
    const r = ctx.record;
    const pre = ctx.request.s3.presigned;
    const fromFacts = pre?.expiredAtRequestTime && pre.expiresAt ? Date.parse(pre.expiresAt) : undefined;
    const exp = fromFacts ?? expiryOf(queryOf(r));
    const time = r?.time ?? ctx.request.time;
    const denied = (ctx.errorCode() ?? 'AccessDenied') === 'AccessDenied';
    if (exp !== undefined && time && denied) {
      const at = Date.parse(time);
      if (Number.isFinite(at) && at > exp) {
        const data = {
          expiredAt: new Date(exp).toISOString(),
          time: new Date(at).toISOString(),
          late: Math.round((at - exp) / 1000),
        };
        return [{ confidence: 'certain', messageId: 'expiredAt', data }];
      }
    }
    if (/request has expired/i.test(ctx.errorMessage() ?? ''))
      return [{ confidence: 'certain', messageId: 'expiredMessage' }];
    return [];
  },
  suggest(_f, ctx) {
    return [fixes.newPresignedUrl(ctx.request)];
  },
});
