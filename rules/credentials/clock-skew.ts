// Rule: the client clock was more than 15 minutes away from S3's.
import { defineRule, fixes } from '../../src/engine/rule-kit.js';

/** Rule `credentials/clock-skew`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 'credentials/clock-skew',
  title: 'The client clock is skewed',
  code: 'clock-skew',
  docs: ['https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html'],
  messages: {
    skewed:
      'S3 answered RequestTimeTooSkewed: the time in the signature was more than 15 minutes away from S3 time, so no policy was evaluated.',
  },
  match(ctx) {
    return ctx.errorCode() === 'RequestTimeTooSkewed' ? [{ confidence: 'certain', messageId: 'skewed' }] : [];
  },
  suggest() {
    return [fixes.syncClock()];
  },
});
