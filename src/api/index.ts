// The library API (`import { diagnose } from 's3doctor'`): read inputs, load or collect evidence,
// diagnose, simulate and triage, returning the same documents the CLI prints as JSON. Nothing here
// prints, prompts or exits; failures are thrown as the error classes exported below.

import type {
  Evaluation,
  Evidence,
  LogRecord,
  MalformedRecord,
  Report,
  Result,
  S3Request,
  TriageReport,
} from '../model/index.js';
import type { LiveOptions } from '../evidence/live/index.js';
import type { WorkersOption } from '../triage/index.js';
import { SCHEMA_IDS } from '../model/schema-ids.js';

export type * from '../model/index.js';
export type { LiveOptions, LiveCall } from '../evidence/live/index.js';
export { SnapshotError, type SnapshotProblem } from '../evidence/index.js';
export { LiveCollectError, LiveCredentialsError } from '../evidence/live/index.js';
export { SimulateRequestError } from '../authz/index.js';
export { InputError } from '../logs/index.js';
export { SCHEMA_IDS } from '../model/schema-ids.js';

/** Where a diagnosis or triage reads its denied requests from. */
export type Inputs =
  | string
  | string[]
  | {
      /** Pasted text: a log line, a CloudTrail event, the error message an SDK printed. */
      text: string;
      /** The name the results give the text as their `input.source` (default `(text)`). */
      source?: string;
    };

/** Options of {@link diagnose}. */
export interface DiagnoseOptions {
  /** Evidence to evaluate against (from {@link loadSnapshot} or {@link collect}); absent: the inputs alone. */
  evidence?: Evidence;
  /** Says where the evidence came from in the results (default `snapshot` when evidence is given). */
  evidenceKind?: 'snapshot' | 'live';
  /**
   * A folder of Terraform / CloudFormation / CDK sources: each verified policy fix also gets `iac`,
   * the diff of the source that defines the policy, parsed back and re-evaluated.
   */
  iac?: string;
  /** With `iac`: Terraform state or CloudFormation stack documents (files) that settle open values. */
  iacState?: string[];
}

/** Options of {@link triage}. */
export interface TriageOptions extends DiagnoseOptions {
  /** Worker threads for the scan (default `auto`). */
  workers?: WorkersOption;
  /** Bytes scanned so far and the total (0 when unknown). */
  onProgress?(done: number, total: number): void;
}

/** Options of {@link collect}: live, read-only AWS calls with the standard credential chain. */
export type CollectOptions = LiveOptions;

function inputList(inputs: string | string[]): string[] {
  return typeof inputs === 'string' ? [inputs] : inputs;
}

/** The denied records of the inputs (files, folders, .gz; `-` is not read: pass `{ text }` instead). */
async function readDenied(inputs: Inputs): Promise<{ records: LogRecord[]; malformed: MalformedRecord[] }> {
  const records: LogRecord[] = [];
  const malformed: MalformedRecord[] = [];
  const { readInputs, readText } = await import('../logs/index.js');
  const items =
    typeof inputs === 'object' && !Array.isArray(inputs)
      ? readText(inputs.text, inputs.source ?? '(text)')
      : readInputs(inputList(inputs), { deniedOnly: true });
  for await (const item of items) {
    if (item.kind === 'record') records.push(item.record);
    else malformed.push(item.malformed);
  }
  return { records, malformed };
}

function hintsOf(evidence: Evidence | undefined) {
  const bucketAccounts: Record<string, string> = {};
  for (const [name, b] of Object.entries(evidence?.buckets ?? {}))
    if (b.accountId) bucketAccounts[name] = b.accountId;
  return { canonicalIds: { ...(evidence?.canonicalIds ?? {}) }, bucketAccounts };
}

/**
 * Diagnoses the records in order; with evidence, a fix that changes a document an earlier result's fix
 * changes carries both (fix/merge.ts), as the CLI's diagnose and triage do, so that following every
 * printed fix in order leaves every request allowed.
 */
async function diagnoseMerged(
  records: LogRecord[],
  evidence: Evidence | undefined,
  kind: DiagnoseOptions['evidenceKind'],
): Promise<Result[]> {
  const engine = await import('../engine/index.js');
  const o = { ...(kind ? { evidenceKind: kind } : {}), hints: hintsOf(evidence) };
  if (!evidence) return records.map((r) => engine.diagnose(r, evidence, o));
  const [{ PatchLedger }, { toS3Request }] = await Promise.all([
    import('../fix/merge.js'),
    import('../request/index.js'),
  ]);
  const ledger = new PatchLedger(evidence);
  return records.map((r) => ledger.merge(engine.diagnose(r, evidence, o), () => toS3Request(r, o.hints)));
}

/**
 * Loads evidence snapshots (CONTRACT.md's snapshot, schema `schemas/snapshot.schema.json`): one file,
 * several (merged), or a snapshot document already parsed. Throws {@link SnapshotError} listing every problem.
 */
export async function loadSnapshot(source: string | string[] | object): Promise<Evidence> {
  const ev = await import('../evidence/index.js');
  if (typeof source === 'string' || Array.isArray(source)) return ev.loadSnapshots(inputList(source));
  const r = ev.parseSnapshot(source, '(snapshot)');
  if (!r.evidence) throw new ev.SnapshotError(r.problems.map((x) => ({ ...x, source: '(snapshot)' })));
  return r.evidence;
}

/**
 * With `opts.iac` and evidence: adds to each result's verified policy fixes the diffs of the sources
 * (the folder read once, on first use); otherwise results pass as they are.
 */
function iacAdder(opts: DiagnoseOptions): (records: LogRecord[], results: Result[]) => Promise<Result[]> {
  const { iac: dir, iacState, evidence } = opts;
  if (!dir || !evidence) return async (_records, results) => results;
  const ready = (async () => {
    const iac = await import('../iac/index.js');
    const { toS3Request } = await import('../request/index.js');
    const index = await iac.loadIac(dir, iacState ? { stateFiles: iacState } : {});
    return { iac, toS3Request, index };
  })();
  const hints = hintsOf(evidence);
  return async (records, results) => {
    const { iac, toS3Request, index } = await ready;
    return results.map((res, i) => iac.withIac(res, toS3Request(records[i]!, hints), evidence, index));
  };
}

/**
 * Explains each denied request found in the inputs: the result document `s3doctor diagnose --format json`
 * prints (`results[]`, one per denied record; `malformed` lists what could not be read).
 */
export async function diagnose(inputs: Inputs, opts: DiagnoseOptions = {}): Promise<Report> {
  const { records, malformed } = await readDenied(inputs);
  const kind = opts.evidenceKind ?? (opts.evidence ? 'snapshot' : undefined);
  const results = await iacAdder(opts)(records, await diagnoseMerged(records, opts.evidence, kind));
  return {
    $schema: SCHEMA_IDS.result,
    schemaVersion: 1,
    results,
    ...(malformed.length ? { malformed } : {}),
  };
}

/**
 * Evaluates one request (CONTRACT.md's simulate request: `principal`, `action`, `resource`, `context`)
 * against the evidence: the `evaluation` `s3doctor simulate --format json` prints. Unknown evidence
 * leaves `certain` false. Throws {@link SimulateRequestError} for a malformed request.
 */
export async function simulate(request: unknown, evidence?: Evidence): Promise<Evaluation> {
  const { parseSimulateRequest, evaluateRequest } = await import('../authz/index.js');
  const { emptyEvidence } = await import('../evidence/index.js');
  const { withMissingReasons } = await import('../evidence/missing-reason.js');
  const evaluated = evaluateRequest(parseSimulateRequest(request), evidence ?? emptyEvidence());
  // Each unknown says why it is missing, as `simulate --format json` does.
  return {
    ...evaluated,
    unknowns: withMissingReasons(evaluated.unknowns, evidence, evidence ? 'snapshot' : 'none'),
  };
}

/**
 * Collects live evidence (read-only AWS calls) for the requests behind the inputs' denied records,
 * or for requests given directly. Serialise it with {@link toSnapshotJson} to save a snapshot.
 */
export async function collect(
  inputs: Inputs | { requests: S3Request[] },
  opts: CollectOptions = {},
): Promise<Evidence> {
  const { collectEvidence } = await import('../evidence/live/index.js');
  let requests: S3Request[];
  if (typeof inputs === 'object' && !Array.isArray(inputs) && 'requests' in inputs)
    requests = inputs.requests;
  else {
    const { records } = await readDenied(inputs);
    const { toS3Request } = await import('../request/index.js');
    requests = records.map((r) => toS3Request(r));
  }
  return collectEvidence(requests, opts);
}

/** A snapshot document (JSON text) of collected evidence, as `s3doctor collect --out` writes it. */
export async function toSnapshotJson(evidence: Evidence): Promise<string> {
  const live = await import('../evidence/live/index.js');
  return live.toSnapshotJson(evidence);
}

/**
 * Scans many logs, groups identical denials, ranks them and, with evidence, diagnoses one sample
 * per group: the triage document `s3doctor triage --format json` prints.
 */
export async function triage(inputs: string | string[], opts: TriageOptions = {}): Promise<TriageReport> {
  const { scanInputs, buildTriageReport } = await import('../triage/index.js');
  const scan = await scanInputs(inputList(inputs), {
    workers: opts.workers ?? 'auto',
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  if (!opts.evidence) return { $schema: SCHEMA_IDS.triage, ...(await buildTriageReport(scan)) };
  const kind = opts.evidenceKind ?? 'snapshot';
  const evidence = opts.evidence;
  const addIac = iacAdder(opts);
  const report = await buildTriageReport(scan, {
    diagnose: async (records) => addIac(records, await diagnoseMerged(records, evidence, kind)),
  });
  return { $schema: SCHEMA_IDS.triage, ...report };
}
