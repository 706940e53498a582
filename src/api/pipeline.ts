// The diagnosis core the library API and the CLI share: read records, settle session policies, diagnose each
// record (answers, merged fixes, IaC diffs), evaluate one request, triage a scan. Nothing prints or exits here.

import type {
  Evaluation,
  Evidence,
  LogRecord,
  MalformedRecord,
  PolicyDocument,
  Report,
  Result,
  S3Request,
  SessionGrant,
  TriageReport,
} from '../model/index.js';
import type { ScanOutcome, TriageDocument } from '../triage/index.js';
import { answersToChange, hasAnswers, type AnswerOptions, type SessionPolicyAnswer } from './answers.js';
import type { IacIndex } from '../iac/index.js';
import { UserError } from '../model/user-error.js';

/** The evidence a diagnosis works with, and where it came from. */
export interface EvidenceSource {
  /** Absent: no evidence at all (a logs-only diagnosis). */
  evidence?: Evidence;
  kind: 'none' | 'snapshot' | 'live';
}

/** Request-reading hints the evidence provides (canonical ids and bucket owners). */
export function hintsFrom(evidence: Evidence | undefined): {
  canonicalIds?: Record<string, string>;
  bucketAccounts?: Record<string, string>;
} {
  if (!evidence) return {};
  const bucketAccounts: Record<string, string> = {};
  for (const [name, b] of Object.entries(evidence.buckets))
    if (b.accountId) bucketAccounts[name] = b.accountId;
  return { canonicalIds: evidence.canonicalIds, bucketAccounts };
}

/** A session policy (`--session-policy FILE`, or a document given to the API) that cannot be read or is not a policy. */
export class SessionPolicyError extends UserError {}

/** Records read from the inputs, and what was skipped. */
export interface ReadResult {
  records: LogRecord[];
  malformed: MalformedRecord[];
  /** Sessions created by STS AssumeRole* events found in the inputs (their session policies). */
  sessionGrants?: SessionGrant[];
}

/** Reads every denied record from the inputs (files, folders, .gz, `-` for `stdin`, default the process's). */
export async function readRecords(inputs: string[], stdin?: NodeJS.ReadableStream): Promise<ReadResult> {
  const { readInputs } = await import('../logs/index.js');
  const records: LogRecord[] = [];
  const malformed: MalformedRecord[] = [];
  const sessionGrants: SessionGrant[] = [];
  const onSessionGrant = (g: SessionGrant) => void sessionGrants.push(g);
  for await (const item of readInputs(inputs, {
    ...(stdin ? { stdin } : {}),
    deniedOnly: true,
    onSessionGrant,
  })) {
    if (item.kind === 'record') records.push(item.record);
    else malformed.push(item.malformed);
  }
  return { records, malformed, ...(sessionGrants.length ? { sessionGrants } : {}) };
}

/** Reads records from pasted text (a log line, an event, an error message). */
export async function readPasted(text: string, source = '(pasted)'): Promise<ReadResult> {
  const { readText } = await import('../logs/index.js');
  const records: LogRecord[] = [];
  const malformed: MalformedRecord[] = [];
  for (const item of readText(text, source)) {
    if (item.kind === 'record') records.push(item.record);
    else malformed.push(item.malformed);
  }
  return { records, malformed };
}

/** The S3 requests behind records (for live collection). */
export async function toRequests(records: LogRecord[], evidence?: Evidence): Promise<S3Request[]> {
  const { toS3Request } = await import('../request/index.js');
  const hints = hintsFrom(evidence);
  return records.map((r) => toS3Request(r, hints));
}

/**
 * The function that diagnoses one record for this run (`records`: those whose role sessions the
 * session-policy answer or `sessionGrants` settle; every record of the run when either is given). With answers (`--https`, `--via-vpce`,
 * `--request-payer` or the assistant's), the request is changed accordingly before evaluation;
 * "I don't know" leaves it as is. Each distinct request is diagnosed once (engine/memo.ts).
 * `mergeFixes`: fixes that change a document an earlier result's fix changes carry both (fix/merge.ts),
 * so that following the printed commands in order leaves every request allowed.
 */
export async function recordDiagnoser(
  source: EvidenceSource,
  answers: AnswerOptions = {},
  sessionGrants: readonly SessionGrant[] = [],
  records: readonly LogRecord[] = [],
  extra: { iac?: IacIndex; mergeFixes?: boolean } = {},
): Promise<(record: LogRecord) => Result> {
  source = await settleSessionPolicies(records, source, answers.sessionPolicy, sessionGrants);
  const engine = await import('../engine/index.js');
  const hints = hintsFrom(source.evidence);
  const evidenceKind = source.kind === 'none' ? undefined : source.kind;
  const opts = { ...(evidenceKind ? { evidenceKind } : {}), hints };
  const evidence = source.evidence;
  const iac = extra.iac && evidence ? { index: extra.iac, lib: await import('../iac/index.js') } : undefined;
  const ledger =
    extra.mergeFixes && evidence ? new (await import('../fix/merge.js')).PatchLedger(evidence) : undefined;
  if (!hasAnswers(answers) && !iac && !ledger)
    return engine.memoDiagnose((r) => engine.diagnose(r, source.evidence, opts), source.evidence);
  const { toS3Request } = await import('../request/index.js');
  const { applyRequestChange } = await import('../fix/index.js');
  const change = hasAnswers(answers)
    ? answersToChange(answers, (id) => source.evidence?.vpcEndpoints[id]?.vpcId)
    : undefined;
  const requestOf = (r: LogRecord): S3Request => {
    const base = toS3Request(r, hints);
    return change ? applyRequestChange(base, change) : base;
  };
  const diagnose = engine.memoDiagnose(
    // The record still names the input and feeds the record-based rules; the request carries the answers.
    (r) => engine.diagnose(r, source.evidence, change ? { ...opts, request: requestOf(r) } : opts),
    source.evidence,
  );
  return (r) => {
    let result = diagnose(r);
    if (ledger) result = ledger.merge(result, () => requestOf(r));
    // --iac: each verified policy fix also as a diff of the source that defines the policy.
    return iac && evidence ? iac.lib.withIac(result, requestOf(r), evidence, iac.index) : result;
  };
}

/** Diagnoses each record (see {@link recordDiagnoser}). */
export async function diagnoseRecords(
  records: LogRecord[],
  source: EvidenceSource,
  answers: AnswerOptions = {},
  sessionGrants: readonly SessionGrant[] = [],
  extra: { iac?: IacIndex; mergeFixes?: boolean } = {},
): Promise<Result[]> {
  const diagnose = await recordDiagnoser(source, answers, sessionGrants, records, extra);
  return records.map((r) => diagnose(r));
}

/** A policy document from a file (`--session-policy FILE`), validated and normalised as a snapshot's documents are. */
export async function loadSessionPolicy(path: string): Promise<PolicyDocument> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new SessionPolicyError(
      `cannot read the session policy file ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)}): --session-policy takes none or a policy JSON file.`,
    );
  }
  return checkedPolicy(text, path);
}

async function checkedPolicy(doc: unknown, label: string): Promise<PolicyDocument> {
  const { parseSnapshot } = await import('../evidence/index.js');
  const key = 'arn:aws:sts::000000000000:assumed-role/r/s';
  const { evidence, problems } = parseSnapshot(
    { schemaVersion: 1, sessions: { [key]: { sessionPolicy: doc } } },
    label,
  );
  const policy = evidence?.sessions[key]?.sessionPolicy;
  if (!policy || problems.length > 0)
    throw new SessionPolicyError(
      `${label} is not a valid policy document: ${problems.map((p) => p.message).join('; ') || 'empty'}`,
    );
  return policy;
}

/**
 * The evidence with the session policies of the input's role sessions settled: by the user's answer
 * (`--session-policy none|FILE`, which wins), else by the AssumeRole* events read with the requests (only where the
 * evidence leaves the session policy unknown). Without evidence there is nothing to settle.
 */
export async function settleSessionPolicies(
  records: readonly LogRecord[],
  source: EvidenceSource,
  answer: SessionPolicyAnswer | undefined,
  grants: readonly SessionGrant[] = [],
): Promise<EvidenceSource> {
  if (!source.evidence || records.length === 0) return source;
  const known = answer && answer.kind !== 'unknown';
  if (!known && grants.length === 0) return source;
  const { toS3Request } = await import('../request/index.js');
  const sp = await import('../evidence/session-policy.js');
  const hints = hintsFrom(source.evidence);
  const uses = records.flatMap((r) => {
    const p = toS3Request(r, hints).principal;
    if (p.kind !== 'role-session' && p.kind !== 'federated-user') return [];
    return [
      {
        sessionArn: p.arn,
        ...(r.identity?.accessKeyIdHash ? { accessKeyIdHash: r.identity.accessKeyIdHash } : {}),
        ...(r.time ? { time: r.time } : {}),
      },
    ];
  });
  if (uses.length === 0) return source;
  if (known) {
    const doc =
      answer.kind === 'none'
        ? null
        : answer.kind === 'policy'
          ? answer.document
          : await loadSessionPolicy(answer.path);
    const policies = new Map(uses.map((u) => [u.sessionArn, doc] as const));
    return { ...source, evidence: sp.withSessionPolicies(source.evidence, policies) };
  }
  // Policies passed to AssumeRole are checked like any snapshot document; one that does not validate stays unknown.
  const checked: SessionGrant[] = [];
  for (const g of grants) {
    if (!g.policy || typeof g.policy === 'string') checked.push(g);
    else {
      try {
        checked.push({ ...g, policy: await checkedPolicy(g.policy, "the AssumeRole event's policy") });
      } catch {
        checked.push({ ...g, policy: JSON.stringify(g.policy) });
      }
    }
  }
  return { ...source, evidence: sp.fillFromGrants(source.evidence, uses, checked) };
}

/** A Report from results and skipped entries. */
export function toReport(results: Result[], malformed: MalformedRecord[]): Report {
  return { schemaVersion: 1, results, ...(malformed.length ? { malformed } : {}) };
}

/**
 * Evaluates one request against the source's evidence (none: empty evidence, every gap unknown). A known
 * session-policy answer settles the policy of the request's role session. Each unknown says why it is missing.
 */
export async function evaluateWith(
  req: S3Request,
  source: EvidenceSource,
  sessionPolicy?: SessionPolicyAnswer,
): Promise<Evaluation> {
  const { evaluateRequest } = await import('../authz/index.js');
  const { emptyEvidence } = await import('../evidence/index.js');
  let evidence = source.evidence ?? emptyEvidence();
  const p = req.principal;
  if (
    sessionPolicy &&
    sessionPolicy.kind !== 'unknown' &&
    (p.kind === 'role-session' || p.kind === 'federated-user')
  ) {
    const { withSessionPolicies } = await import('../evidence/session-policy.js');
    const doc =
      sessionPolicy.kind === 'none'
        ? null
        : sessionPolicy.kind === 'policy'
          ? sessionPolicy.document
          : await loadSessionPolicy(sessionPolicy.path);
    evidence = withSessionPolicies(evidence, new Map([[p.arn, doc]]));
  }
  const evaluated = evaluateRequest(req, evidence);
  const { withMissingReasons } = await import('../evidence/missing-reason.js');
  return { ...evaluated, unknowns: withMissingReasons(evaluated.unknowns, source.evidence, source.kind) };
}

/**
 * The triage document of a finished scan (groups built one at a time as they are written): groups ranked and, with evidence, one diagnosis per group
 * (answers and IaC diffs as {@link recordDiagnoser} applies them).
 */
export async function triageScanDocument(
  scan: ScanOutcome,
  source: EvidenceSource,
  answers: AnswerOptions = {},
  extra: { iac?: IacIndex } = {},
): Promise<TriageDocument> {
  const { buildTriageDocument } = await import('../triage/index.js');
  if (source.kind === 'none' || !source.evidence) return buildTriageDocument(scan);
  return buildTriageDocument(scan, {
    diagnose: (records) => diagnoseRecords(records, source, answers, [], { mergeFixes: true, ...extra }),
  });
}

/** The whole triage report of a scan (`triageScanDocument` with every group built). */
export async function triageScanReport(
  scan: ScanOutcome,
  source: EvidenceSource,
  answers: AnswerOptions = {},
  extra: { iac?: IacIndex } = {},
): Promise<TriageReport> {
  const { documentReport } = await import('../triage/index.js');
  return documentReport(await triageScanDocument(scan, source, answers, extra));
}
