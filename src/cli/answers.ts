// The assistant's questions as data and which unknowns each one settles (how an answer changes the request: src/api/answers.ts).

import type { AnswerOptions } from '../api/answers.js';
import type { Result } from '../model/index.js';

/** The questions the assistant may ask. */
export type QuestionId = 'https' | 'via-vpce' | 'request-payer' | 'session-policy';

/** One question: its wording, why it matters, its flag, and which unknown paths it settles. */
export interface QuestionSpec {
  id: QuestionId;
  text: string;
  why: string;
  flag: string;
  settles: RegExp;
}

/** Every question, in the order asked. */
export const QUESTIONS: readonly QuestionSpec[] = [
  {
    id: 'https',
    text: 'Was the request made over HTTPS?',
    why: 'a policy condition on aws:SecureTransport decides this request, and the input does not show the protocol',
    flag: '--https yes|no|unknown',
    settles: /aws:SecureTransport/,
  },
  {
    id: 'via-vpce',
    text: 'Did it come through a VPC endpoint?',
    why: 'a policy condition on aws:SourceVpce (or a VPC endpoint policy) decides this request, and the input does not show the network path',
    flag: '--via-vpce vpce-ID|no|unknown',
    settles: /aws:SourceVpce|aws:SourceVpc\b|vpcEndpoints|vpc-endpoint/,
  },
  {
    id: 'request-payer',
    text: 'Did the client send x-amz-request-payer?',
    why: 'the bucket has Requester Pays on, and the input does not show whether the client acknowledged the charge',
    flag: '--request-payer yes|no|unknown',
    settles: /^(s3\.requestPayerSent|context\..*request-?payer.*)$/i,
  },
  {
    id: 'session-policy',
    text: 'Was a session policy passed when the role session was created (AssumeRole Policy or PolicyArns)?',
    why: 'the session policy could decide this request, and AWS has no API that returns it',
    flag: '--session-policy none|FILE|unknown',
    settles: /^sessions\..*\.sessionPolicy$/,
  },
];

/**
 * The questions whose answer could change this result's verdict: those that settle one of its
 * unknowns (the engine lists an unknown only when it could explain the denial), minus those
 * already answered by a flag.
 */
export function questionsFor(result: Result, answered: AnswerOptions = {}): QuestionSpec[] {
  return QUESTIONS.filter((q) => {
    if (q.id === 'https' && answered.https && answered.https !== 'unknown') return false;
    if (q.id === 'via-vpce' && answered.viaVpce && answered.viaVpce.kind !== 'unknown') return false;
    if (q.id === 'request-payer' && answered.requestPayer && answered.requestPayer !== 'unknown')
      return false;
    if (q.id === 'session-policy' && answered.sessionPolicy && answered.sessionPolicy.kind !== 'unknown')
      return false;
    return result.unknowns.some((u) => q.settles.test(u.path));
  });
}
