// The assistant's questions as data, which unknowns each one settles, and how an answer changes the request.

import type { AnswerOptions, TriAnswer, VpceAnswer } from './options.js';
import type { RequestChange, Result } from '../model/index.js';

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

/** Whether any answer is known (not absent, not "I don't know"). */
export function hasAnswers(a: AnswerOptions): boolean {
  return (
    (a.https !== undefined && a.https !== 'unknown') ||
    (a.viaVpce !== undefined && a.viaVpce.kind !== 'unknown') ||
    (a.requestPayer !== undefined && a.requestPayer !== 'unknown')
  );
}

function triToBool(a: TriAnswer | undefined): boolean | undefined {
  return a === 'yes' ? true : a === 'no' ? false : undefined;
}

/**
 * The request change the answers imply: HTTPS sets aws:SecureTransport; a VPC endpoint sets
 * aws:SourceVpce (and "no" makes it known absent); the request-payer answer sets the S3 fact.
 * "I don't know" changes nothing: the key stays unknown.
 */
export function answersToChange(
  a: AnswerOptions,
  vpcIdOf?: (vpce: string) => string | undefined,
): RequestChange | undefined {
  const change: RequestChange = {};
  const context: Record<string, string> = {};
  const remove: string[] = [];
  const https = triToBool(a.https);
  if (https !== undefined) context['aws:SecureTransport'] = https ? 'true' : 'false';
  const v: VpceAnswer | undefined = a.viaVpce;
  if (v?.kind === 'vpce') {
    context['aws:SourceVpce'] = v.id;
    const vpc = vpcIdOf?.(v.id);
    if (vpc) context['aws:SourceVpc'] = vpc;
  } else if (v?.kind === 'no') {
    remove.push('aws:SourceVpce', 'aws:SourceVpc');
  }
  const payer = triToBool(a.requestPayer);
  if (payer !== undefined) change.s3 = { requestPayerSent: payer };
  if (Object.keys(context).length) change.context = context;
  if (remove.length) change.removeContextKeys = remove;
  return Object.keys(change).length ? change : undefined;
}
