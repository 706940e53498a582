// Rule: the session token had expired (or was invalid) when the request was signed.
import { defineRule, fixes } from '../../src/engine/rule-kit.js';

/** Error codes that prove expiry, and the one that only suggests it. */
const EXPIRED = ['ExpiredToken', 'TokenRefreshRequired'];

/** Rule `credentials/expired-credentials`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 'credentials/expired-credentials',
  title: 'Temporary credentials had expired',
  code: 'expired-credentials',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_use-resources.html',
  ],
  messages: {
    expired:
      'S3 answered {{errorCode}}: the session token used to sign the request had expired, so no policy was evaluated.',
    invalidToken:
      'S3 answered InvalidToken: the session token was malformed or not valid here (most often an expired or truncated token, or one from another partition).',
  },
  match(ctx) {
    const code = ctx.errorCode();
    if (code && EXPIRED.includes(code))
      return [{ confidence: 'certain', messageId: 'expired', data: { errorCode: code } }];
    if (code === 'InvalidToken') return [{ confidence: 'likely', messageId: 'invalidToken' }];
    return [];
  },
  suggest(_f, ctx) {
    return [fixes.refreshCredentials(ctx.request.principal)];
  },
});
