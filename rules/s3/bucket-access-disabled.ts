// Rule: AWS disabled access to the bucket or account (AllAccessDisabled, AccountProblem, ...): no policy helps.
import { defineRule, fixes } from '../../src/engine/rule-kit.js';

/** Error codes meaning the account or bucket is disabled (S3 error responses). */
const DISABLED = ['AllAccessDisabled', 'AccountProblem', 'InvalidPayer', 'NotSignedUp'];

/** Rule `s3/bucket-access-disabled`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 's3/bucket-access-disabled',
  title: 'Access to the bucket or account is disabled',
  code: 'bucket-access-disabled',
  docs: ['https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html'],
  messages: {
    disabled:
      'S3 answered {{errorCode}}: all access to this resource has been disabled by AWS, whatever the policies say.',
  },
  match(ctx) {
    const code = ctx.errorCode();
    return code && DISABLED.includes(code)
      ? [{ confidence: 'certain', messageId: 'disabled', data: { errorCode: code } }]
      : [];
  },
  suggest(_f, ctx) {
    return [fixes.contactSupport(ctx.errorCode())];
  },
});
