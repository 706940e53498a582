// Plain sentences for `notReproducedBecause`: what may have changed between the request and the
// evidence when the evidence, as given, would allow the request.

import type { CauseCode } from '../model/cause.js';
import type { Evaluation } from '../model/evaluation.js';
import type { Evidence } from '../model/evidence.js';
import type { LogRecord } from '../model/input.js';
import type { S3Request } from '../model/request.js';

/** What the reasons are built from. */
export interface NotReproducedInput {
  record?: LogRecord;
  request: S3Request;
  evidence?: Evidence;
  evaluation?: Evaluation;
  /** The cause an enhanced AccessDenied message named. */
  named?: CauseCode;
}

/** The reasons, most specific first. */
export function notReproducedReasons(i: NotReproducedInput): string[] {
  const out: string[] = [];
  if (!i.evidence) {
    out.push(
      'No evidence was given: the policies and settings that decide this request are unknown (see unknowns).',
    );
    return out;
  }
  const at = i.evidence.collectedAt;
  const when = i.request.time ?? i.record?.time;
  if (i.named && i.record?.enhanced)
    out.push(
      `At request time AWS reported the ${i.record.enhanced.policyType} as the reason; that policy may have been edited since.`,
    );
  if (at && when && Date.parse(at) > Date.parse(when))
    out.push(
      `The evidence was collected at ${at}, after the request (${when}): a policy or setting may have been changed since.`,
    );
  else
    out.push(
      'A policy or setting may have been changed since the request: the evidence shows its state when collected.',
    );
  const p = i.request.principal;
  if (p.kind === 'role-session' || p.kind === 'federated-user')
    out.push(
      'The credentials may have been refreshed since: the failing session may have had another session policy or tags.',
    );
  const missing = i.evaluation?.unknowns.map((u) => u.path) ?? [];
  const noted = i.evidence.notes.map((n) => n.path);
  const paths = [...new Set([...missing, ...noted])];
  if (paths.length > 0)
    out.push(
      `Some evidence is missing (${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', ...' : ''}): it may hold the deny.`,
    );
  if (i.request.unknownKeys.length > 0)
    out.push(
      `The request may have carried context the input cannot show (${i.request.unknownKeys.slice(0, 6).join(', ')}${i.request.unknownKeys.length > 6 ? ', ...' : ''}).`,
    );
  return out;
}
