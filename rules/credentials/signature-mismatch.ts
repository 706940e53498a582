// Rule: the request signature did not match (wrong secret, region, or a proxy changed the request).
import { defineRule, fixes } from '../../src/engine/rule-kit.js';

/** Rule `credentials/signature-mismatch`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 'credentials/signature-mismatch',
  title: 'The request signature does not match',
  code: 'signature-mismatch',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html',
  ],
  messages: {
    mismatch:
      'S3 answered SignatureDoesNotMatch: the signature S3 computed differs from the one sent, so no policy was evaluated.',
    badRegion:
      'S3 answered AuthorizationHeaderMalformed: the credential scope names the wrong region or the Authorization header is malformed.',
  },
  match(ctx) {
    const code = ctx.errorCode();
    if (code === 'SignatureDoesNotMatch') return [{ confidence: 'certain', messageId: 'mismatch' }];
    if (code === 'AuthorizationHeaderMalformed') return [{ confidence: 'likely', messageId: 'badRegion' }];
    return [];
  },
  suggest(_f, ctx) {
    return [fixes.checkSignature({ region: ctx.request.s3.region })];
  },
});
