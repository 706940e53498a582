// Rule (specialised explicit-deny-bucket-policy): the bucket policy denies requests not made over HTTPS.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
import { defineRule, explicitDenyFindings, fixes } from '../../src/engine/rule-kit.js';

/** Rule `bucket-policy/deny-insecure-transport`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 'bucket-policy/deny-insecure-transport',
  title: 'The bucket policy denies requests over plain HTTP',
  code: 'explicit-deny-bucket-policy',
  priority: 10,
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport',
  ],
  messages: {
    http: 'Statement {{statement}} of the bucket policy on {{policyId}} denies every request that is not sent over HTTPS (aws:SecureTransport is {{requestValue}} for this request).',
    maybeHttp:
      'Statement {{statement}} of the bucket policy on {{policyId}} denies requests not sent over HTTPS, and the input does not show whether this one used TLS.',
  },
  match(ctx) {
    return explicitDenyFindings(
      ctx,
      'bucket-policy',
      { plain: 'http', condition: 'http', unknown: 'maybeHttp' },
      (_hit, stmt) =>
        !!stmt?.conditions.some((c) => c.key.toLowerCase() === 'aws:securetransport' && c.result !== 'false'),
    ).map((f) => ({ ...f, condition: f.condition ?? undefined }));
  },
  suggest(_f, ctx) {
    return [fixes.useHttps(ctx.request)];
  },
});
