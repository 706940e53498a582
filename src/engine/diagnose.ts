// diagnose(): one denied record (and optional evidence) -> the CONTRACT result: the request as
// understood, the decision, whether the evidence reproduces it, ranked causes with verified fixes,
// and the evidence still unknown.

import type { Cause } from '../model/cause.js';
import type { Decision, Evaluation, Unknown } from '../model/evaluation.js';
import type { Evidence } from '../model/evidence.js';
import type { InputSource, LogRecord } from '../model/input.js';
import type { Result, ResultRequest } from '../model/report.js';
import type { S3Request } from '../model/request.js';
import { evaluateRequest } from '../authz/index.js';
import { withMissingReasons } from '../evidence/missing-reason.js';
import { certainlyAllowed } from '../fix/verify.js';
import { toS3Request } from '../request/index.js';
import type { RequestHints } from '../request/index.js';
import { principalLabel } from '../s3/index.js';
import { enhancedCauseCode } from './enhanced-message.js';
import { logsOnlyUnknowns } from './logs-only.js';
import { notReproducedReasons } from './not-reproduced.js';
import { AUTH_CODES } from './ranking.js';
import { allRules } from './registry.js';
import { makeContext } from './rule-kit.js';
import type { Rule } from './rule-kit.js';
import { runRules } from './runner.js';
import type { RunOptions } from './runner.js';

/** Options of `diagnose` / `diagnoseRequest`. */
export interface DiagnoseOptions extends RunOptions {
  /** Where the evidence came from (for the report); default `snapshot` when evidence is given. */
  evidenceKind?: 'snapshot' | 'live';
  /** Extra hints for turning the record into a request (merged over what the evidence knows). */
  hints?: RequestHints;
  /** The rules to run (default: every registered rule). */
  rules?: readonly Rule[];
  /** For `diagnoseRequest`: the input to name in the result. */
  input?: InputSource;
  /**
   * For `diagnose`: the request to evaluate instead of the one built from the record (e.g. the
   * record's request changed by the user's answers); the record still names the input and feeds
   * the record-based rules (error codes, enhanced messages).
   */
  request?: S3Request;
}

/** Hints the evidence gives the request builder: canonical ids and bucket owners. */
function hintsFrom(evidence: Evidence | undefined, extra: RequestHints | undefined): RequestHints {
  const bucketAccounts: Record<string, string> = {};
  for (const [name, b] of Object.entries(evidence?.buckets ?? {}))
    if (b.accountId) bucketAccounts[name] = b.accountId;
  return {
    canonicalIds: { ...(evidence?.canonicalIds ?? {}), ...(extra?.canonicalIds ?? {}) },
    bucketAccounts: { ...bucketAccounts, ...(extra?.bucketAccounts ?? {}) },
  };
}

/**
 * Diagnoses one denied record. Without evidence (`undefined`), only what the record proves:
 * credential and signing errors (`certain`), the layer an enhanced AccessDenied message names
 * (`likely`), S3 errors that name their cause; plus the evidence paths that would decide.
 */
export function diagnose(
  record: LogRecord,
  evidence: Evidence | undefined,
  opts: DiagnoseOptions = {},
): Result {
  const request = opts.request ?? toS3Request(record, hintsFrom(evidence, opts.hints));
  return build(record, request, evidence, opts);
}

/** Diagnoses a request given directly (simulate-like use; no log record). */
export function diagnoseRequest(req: S3Request, evidence?: Evidence, opts: DiagnoseOptions = {}): Result {
  return build(undefined, req, evidence, opts);
}

function build(
  record: LogRecord | undefined,
  request: S3Request,
  evidence: Evidence | undefined,
  opts: DiagnoseOptions,
): Result {
  const evaluation: Evaluation | undefined = evidence ? evaluateRequest(request, evidence) : undefined;
  const ctx = makeContext({
    record,
    request,
    evidence,
    evaluation,
    principalLabel: principalLabel(request.principal),
  });
  const said = record?.enhanced?.kind;
  const causes = ruledOutByMessage(
    onlyExplanation(runRules(ctx, opts.rules ?? allRules(), opts), evaluation, record),
    said,
  );
  const named = record ? enhancedCauseCode(record) : undefined;
  const inputDenied = deniedByInput(record, request);
  const decision = decide(causes, evaluation, record, inputDenied);
  const authFailed = causes.some((c) => AUTH_CODES.includes(c.code) && c.confidence === 'certain');
  const unknowns: Unknown[] = authFailed
    ? []
    : evaluation
      ? unknownsAfterMessage(evaluation.unknowns, said)
      : logsOnlyUnknowns(request, named);
  const provedByError = causes.some((c) => c.confidence === 'certain' && !c.policy);
  const reproduced = evaluation
    ? decision !== 'Allowed' || provedByError
    : causes.some((c) => c.confidence !== 'possible');
  const possible =
    evaluation && !authFailed ? possibleDecisions(evaluation, decision, said, inputDenied) : [decision];
  const result: Result = {
    input: record?.input ?? opts.input ?? { source: 'request' },
    request: resultRequest(request, record),
    decision,
    ...(possible.length > 1 ? { possibleDecisions: possible } : {}),
    reproduced,
    causes,
    // Each with why it is missing (the collector's note, or the kind of gap).
    unknowns: withMissingReasons(unknowns, evidence, evidence ? (opts.evidenceKind ?? 'snapshot') : 'none'),
    evidence: evidence ? (opts.evidenceKind ?? 'snapshot') : 'none',
  };
  // The denial is the input's; the evidence alone could still allow: say so, with what would settle it.
  if (
    evaluation &&
    decision !== 'Allowed' &&
    evaluation.possibleDecisions.includes('Allowed') &&
    !causes.some((c) => c.confidence === 'certain')
  )
    result.decisionOpen = openUnknowns(evaluation);
  if (!reproduced)
    result.notReproducedBecause = notReproducedReasons({ record, request, evidence, evaluation, named });
  return result;
}

/** Whether the input itself shows the request was refused (a log line with an error, a pasted error). */
function deniedByInput(record: LogRecord | undefined, request: S3Request): boolean {
  if (record) return (record.httpStatus ?? 403) >= 400 || record.errorCode !== undefined;
  return request.errorCode !== undefined;
}

/**
 * S3's enhanced AccessDenied message "because no <policy type> allows" says that no Deny statement
 * matched: S3 reports a matching Deny ("with an explicit deny in ...") before a missing Allow. Such
 * a message rules out every explicit deny the evidence only leaves possible.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
 */
function ruledOutByMessage(causes: Cause[], said: 'explicit-deny' | 'missing-allow' | undefined): Cause[] {
  if (said !== 'missing-allow') return causes;
  const kept = causes.filter((c) => !(c.code.startsWith('explicit-deny-') && c.confidence === 'possible'));
  return kept.length > 0 ? kept : causes;
}

/** The unknowns, without the explicit denies an enhanced "no ... policy allows" message rules out (and without the unknowns left with nothing to explain). */
function unknownsAfterMessage(
  unknowns: Unknown[],
  said: 'explicit-deny' | 'missing-allow' | undefined,
): Unknown[] {
  if (said !== 'missing-allow') return unknowns;
  // An unknown that could only have explained a Deny the message rules out can change nothing: left out.
  return unknowns.flatMap((u) => {
    const couldExplain = u.couldExplain.filter((c) => !c.startsWith('explicit-deny-'));
    return couldExplain.length === 0 && u.couldExplain.length > 0 ? [] : [{ path: u.path, couldExplain }];
  });
}

/**
 * The decisions still possible given the evidence and the input: the evaluation's, less `Allowed`
 * when the input shows a refusal (unless the evidence proves the request allowed now), less what an
 * enhanced message rules out (an explicit deny it reports fixes the kind; "no ... policy allows"
 * rules out a matching Deny).
 */
function possibleDecisions(
  evaluation: Evaluation,
  decision: Decision,
  said: 'explicit-deny' | 'missing-allow' | undefined,
  inputDenied: boolean,
): Decision[] {
  // Allowed on the known evidence (no refusal in the input): an unknown layer may still deny.
  if (decision === 'Allowed')
    return certainlyAllowed(evaluation)
      ? ['Allowed']
      : ['Allowed', ...evaluation.possibleDecisions.filter((d) => d !== 'Allowed')];
  let out = evaluation.possibleDecisions.filter((d) => !(inputDenied && d === 'Allowed'));
  if (said === 'explicit-deny') out = out.filter((d) => d === 'ExplicitDeny');
  if (said === 'missing-allow') out = out.filter((d) => d !== 'ExplicitDeny');
  if (!out.includes(decision)) out = [decision, ...out];
  // The decision first, then the others in the evaluation's order.
  return [decision, ...out.filter((d) => d !== decision)];
}

/**
 * The request was denied (the log says so). When the evidence leaves exactly one cause code
 * possible, and nothing else unknown could explain the denial, that code is the likely cause.
 */
function onlyExplanation(
  causes: Cause[],
  evaluation: Evaluation | undefined,
  record: LogRecord | undefined,
): Cause[] {
  if (!record || !evaluation || causes.length === 0) return causes;
  const denied = (record.httpStatus ?? 403) >= 400 || record.errorCode !== undefined;
  if (!denied || causes.some((c) => c.confidence !== 'possible')) return causes;
  const codes = new Set(causes.map((c) => c.code));
  if (codes.size !== 1) return causes;
  const others = evaluation.unknowns.flatMap((u) => u.couldExplain).filter((c) => !codes.has(c));
  if (others.length > 0) return causes;
  return causes.map((c) => ({ ...c, confidence: 'likely' }));
}

/**
 * The contract decision: what the evidence proves, never more.
 * - `ExplicitDeny` only when a Deny statement in the evidence matched, when the input's own message
 *   reports an explicit deny, or when the input shows a refusal and an explicit deny is the only
 *   refusal the evidence leaves possible.
 * - `ImplicitDeny` when the known evidence proves that nothing allows the request, even if an
 *   unknown layer could also hold a Deny (`possibleDecisions` then lists both); also when the input
 *   shows a refusal the evidence leaves open and nothing says a Deny matched.
 * - `Allowed` when the evidence proves the request allowed (the configuration changed since).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
function decide(
  causes: Cause[],
  evaluation: Evaluation | undefined,
  record: LogRecord | undefined,
  inputDenied: boolean,
): Decision {
  const top = causes.find((c) => c.confidence !== 'possible');
  if (top && AUTH_CODES.includes(top.code)) return 'NotAuthenticated';
  const said = record?.enhanced?.kind;
  if (evaluation) {
    if (evaluation.decision === 'NotAuthenticated') return evaluation.decision;
    if (certainlyAllowed(evaluation)) {
      // The evidence allows, but the error itself proves the refusal (object lock, archive, disabled...).
      const proved = causes.find((c) => c.confidence === 'certain');
      if (proved) return proved.code.startsWith('explicit-deny-') ? 'ExplicitDeny' : 'ImplicitDeny';
      return 'Allowed';
    }
    // A Deny statement of the evidence matched a required authorization.
    if (evaluation.certain && evaluation.decision === 'ExplicitDeny') return 'ExplicitDeny';
    const possible = evaluation.possibleDecisions;
    if (!inputDenied) return evaluation.decision;
    if (said === 'explicit-deny') return 'ExplicitDeny';
    if (said === 'missing-allow') return 'ImplicitDeny';
    const refusals = possible.filter((d) => d === 'ExplicitDeny' || d === 'ImplicitDeny');
    // The input proves a refusal; when the evidence leaves only one kind, that kind is proved.
    if (refusals.length === 1) return refusals[0] as Decision;
    return 'ImplicitDeny';
  }
  if (said === 'explicit-deny') return 'ExplicitDeny';
  if (causes.some((c) => c.code.startsWith('explicit-deny-') && c.confidence !== 'possible'))
    return 'ExplicitDeny';
  return 'ImplicitDeny';
}

/** The unknowns that keep an open evaluation open: evidence paths that could explain a cause, else all. */
function openUnknowns(evaluation: Evaluation): string[] {
  const relevant = evaluation.unknowns.filter((u) => u.couldExplain.length > 0);
  return (relevant.length > 0 ? relevant : evaluation.unknowns).map((u) => u.path);
}

/** The request block of the result. */
function resultRequest(req: S3Request, record: LogRecord | undefined): ResultRequest {
  const primary = req.authorizations.find((a) => a.need === 'required') ?? req.authorizations[0];
  const bucketArn = req.s3.bucket ? `arn:aws:s3:::${req.s3.bucket}` : '';
  const out: ResultRequest = {
    principal: principalLabel(req.principal),
    action: primary?.action ?? record?.enhanced?.action ?? '',
    resource: primary?.resource ?? record?.enhanced?.resource ?? bucketArn,
    context: { ...(primary?.context ?? {}) },
  };
  const operation = req.s3.logOperation ?? record?.logOperation ?? req.s3.operation;
  if (operation) out.operation = operation;
  const time = req.time ?? record?.time;
  if (time) out.time = time;
  const errorCode = req.errorCode ?? record?.errorCode;
  if (errorCode) out.errorCode = errorCode;
  if (req.authorizations.length > 1)
    out.actions = req.authorizations.map((a) => ({ action: a.action, resource: a.resource, need: a.need }));
  if (req.unknownKeys.length > 0) out.unknownKeys = [...req.unknownKeys];
  if (req.provedAbsent?.length) out.provedAbsent = req.provedAbsent.map((p) => ({ ...p }));
  return out;
}

/**
 * Whether a result counts as explained for the exit code (CONTRACT): a cause with confidence
 * `certain` or `likely`, or the request is allowed with nothing left open (no possible cause, no
 * unknown evidence that could explain a denial).
 */
export function explains(result: Result): boolean {
  if (result.causes.some((c) => c.confidence === 'certain' || c.confidence === 'likely')) return true;
  return (
    result.decision === 'Allowed' &&
    !result.causes.some((c) => c.confidence === 'possible') &&
    result.unknowns.every((u) => u.couldExplain.length === 0)
  );
}
