// Rule: the access key id in the signature is not known to AWS.
import { defineRule, fixes } from '../../src/engine/rule-kit.js';

/** Rule `credentials/invalid-access-key`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 'credentials/invalid-access-key',
  title: 'The access key id does not exist',
  code: 'invalid-access-key',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
  ],
  messages: {
    invalidKey:
      'S3 answered InvalidAccessKeyId: the access key id that signed the request does not exist in AWS (deleted, deactivated, mistyped, or from another partition), so no policy was evaluated.',
  },
  match(ctx) {
    return ctx.errorCode() === 'InvalidAccessKeyId'
      ? [{ confidence: 'certain', messageId: 'invalidKey' }]
      : [];
  },
  suggest() {
    return [fixes.checkAccessKey()];
  },
});
