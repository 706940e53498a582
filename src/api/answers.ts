// What a user can say about a request that its input does not show (HTTPS, VPC endpoint, requester pays, session policy), and the request change it implies.

import type { PolicyDocument, RequestChange } from '../model/index.js';

/** A yes/no answer that may stay unknown ("I don't know"). */
export type TriAnswer = 'yes' | 'no' | 'unknown';

/** Whether the request came through a VPC endpoint: its id, `no`, or unknown. */
export type VpceAnswer = { kind: 'vpce'; id: string } | { kind: 'no' } | { kind: 'unknown' };

/**
 * The session policy of the role sessions in the input. `none`: no session policy was passed
 * (known: null); `file`: the policy document in that JSON file; `policy`: that document;
 * `unknown`: left as the evidence has it.
 */
export type SessionPolicyAnswer =
  | { kind: 'none' }
  | { kind: 'unknown' }
  | { kind: 'file'; path: string }
  | { kind: 'policy'; document: PolicyDocument; source: string };

/** Answers about the requests (CLI: `--session-policy`, `--https`, `--via-vpce`, `--request-payer`, or the assistant's). */
export interface AnswerOptions {
  /** The session policy of the role sessions in the input. */
  sessionPolicy?: SessionPolicyAnswer;
  /** Whether the request was made over HTTPS (sets `aws:SecureTransport`). */
  https?: TriAnswer;
  /** Whether it came through a VPC endpoint (sets `aws:SourceVpce`, and `aws:SourceVpc` when the evidence knows it). */
  viaVpce?: VpceAnswer;
  /** Whether the client sent `x-amz-request-payer`. */
  requestPayer?: TriAnswer;
}

/** Whether any request answer is known (not absent, not "I don't know"); the session policy is settled apart. */
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
