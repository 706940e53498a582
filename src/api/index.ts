// The library API (`import { diagnose } from 's3doctor'`): read inputs, load or collect evidence,
// diagnose, simulate and triage, returning the same documents the CLI prints as JSON (the CLI is a client
// of this folder: src/api/pipeline.ts is the core both use). Nothing here prints, prompts or exits;
// failures are thrown as the error classes exported below.

import type { Evaluation, Evidence, Report, S3Request, TriageReport } from '../model/index.js';
import type { LiveOptions } from '../evidence/live/index.js';
import type { WorkersOption } from '../triage/index.js';
import { SCHEMA_IDS } from '../model/schema-ids.js';
import type { AnswerOptions, SessionPolicyAnswer } from './answers.js';
import type { EvidenceSource, ReadResult } from './pipeline.js';

export type * from '../model/index.js';
export type { LiveOptions, LiveCall } from '../evidence/live/index.js';
export { SnapshotError, type SnapshotProblem } from '../evidence/index.js';
export { LiveCollectError, LiveCredentialsError } from '../evidence/live/index.js';
export { SimulateRequestError } from '../authz/index.js';
export { InputError } from '../logs/index.js';
export { SCHEMA_IDS } from '../model/schema-ids.js';
export { SessionPolicyError } from './pipeline.js';
export { loadSnapshot, type LoadSnapshotOptions } from './snapshot.js';
export type { AnswerOptions, SessionPolicyAnswer, TriAnswer, VpceAnswer } from './answers.js';

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

/**
 * Options of {@link diagnose}. The answers (`sessionPolicy`, `https`, `viaVpce`, `requestPayer`) settle what
 * the inputs do not show, as the CLI's flags of the same names do; AssumeRole* events among the inputs settle
 * the session policies of the sessions they created where the evidence leaves them unknown.
 */
export interface DiagnoseOptions extends AnswerOptions {
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
  /**
   * With `iac`: read, live and read-only, the CloudFormation stacks the templates are deployed as (as
   * `diagnose --iac DIR --live` does): `stacks` names them (else cdk.out's manifest, else the stacks owning
   * the evidence's roles, buckets and keys); `onNote` is told what could not be read.
   */
  iacLive?: { stacks?: string[]; live?: CollectOptions; onNote?(note: string): void };
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

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** The session policy of the request's role session (a known answer settles it). */
  sessionPolicy?: SessionPolicyAnswer;
  /** Says where the evidence came from in the unknowns' reasons (default `snapshot` when evidence is given). */
  evidenceKind?: 'snapshot' | 'live';
}

function inputList(inputs: string | string[]): string[] {
  return typeof inputs === 'string' ? [inputs] : inputs;
}

function sourceOf(evidence: Evidence | undefined, kind: 'snapshot' | 'live' | undefined): EvidenceSource {
  return evidence ? { evidence, kind: kind ?? 'snapshot' } : { kind: 'none' };
}

/** The denied records of the inputs (files, folders, .gz; `-` reads the process's stdin) or of pasted text. */
async function readDenied(inputs: Inputs): Promise<ReadResult> {
  const { readPasted, readRecords } = await import('./pipeline.js');
  return typeof inputs === 'object' && !Array.isArray(inputs)
    ? readPasted(inputs.text, inputs.source ?? '(text)')
    : readRecords(inputList(inputs));
}

/** With `opts.iac` and evidence: the sources read, for each verified policy fix's diff of its source. */
async function iacOf(opts: DiagnoseOptions) {
  if (!opts.iac || !opts.evidence) return {};
  const { loadIac, addLiveStacks } = await import('../iac/index.js');
  const iac = await loadIac(opts.iac, opts.iacState ? { stateFiles: opts.iacState } : {});
  if (opts.iacLive) {
    const { stacks, live, onNote } = opts.iacLive;
    const notes = await addLiveStacks(iac, opts.evidence, {
      ...(stacks ? { stacks } : {}),
      ...(live ? { live } : {}),
    });
    for (const n of notes) onNote?.(n);
  }
  return { iac };
}

/**
 * Explains each denied request found in the inputs: the result document `s3doctor diagnose --format json`
 * prints (`results[]`, one per denied record; `malformed` lists what could not be read).
 */
export async function diagnose(inputs: Inputs, opts: DiagnoseOptions = {}): Promise<Report> {
  const { records, malformed, sessionGrants } = await readDenied(inputs);
  const { diagnoseRecords } = await import('./pipeline.js');
  const source = sourceOf(opts.evidence, opts.evidenceKind);
  const extra = { mergeFixes: true, ...(await iacOf(opts)) };
  const results = await diagnoseRecords(records, source, opts, sessionGrants, extra);
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
export async function simulate(
  request: unknown,
  evidence?: Evidence,
  opts: SimulateOptions = {},
): Promise<Evaluation> {
  const { parseSimulateRequest } = await import('../authz/index.js');
  const { evaluateWith } = await import('./pipeline.js');
  const req = parseSimulateRequest(request);
  return evaluateWith(req, sourceOf(evidence, opts.evidenceKind), opts.sessionPolicy);
}

/**
 * Collects live evidence (read-only AWS calls) for the requests behind the inputs' denied records, for
 * requests given directly, or for named buckets and principals (what `collect --bucket/--principal` reads).
 * Serialise it with {@link toSnapshotJson} to save a snapshot.
 */
export async function collect(
  inputs: Inputs | { requests: S3Request[] } | { buckets?: string[]; principals?: string[] },
  opts: CollectOptions = {},
): Promise<Evidence> {
  const live = await import('../evidence/live/index.js');
  if (typeof inputs === 'object' && !Array.isArray(inputs) && !('text' in inputs)) {
    if ('requests' in inputs) return live.collectEvidence(inputs.requests, opts);
    return live.collectFor(
      {
        ...(inputs.buckets?.length ? { buckets: inputs.buckets } : {}),
        ...(inputs.principals?.length ? { principals: inputs.principals } : {}),
      },
      opts,
    );
  }
  const { records } = await readDenied(inputs);
  const { toRequests } = await import('./pipeline.js');
  return live.collectEvidence(await toRequests(records), opts);
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
  const { scanInputs } = await import('../triage/index.js');
  const { triageScanReport } = await import('./pipeline.js');
  const scan = await scanInputs(inputList(inputs), {
    workers: opts.workers ?? 'auto',
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const source = sourceOf(opts.evidence, opts.evidenceKind);
  const report = await triageScanReport(scan, source, opts, await iacOf(opts));
  return { $schema: SCHEMA_IDS.triage, ...report };
}
