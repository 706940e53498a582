// `s3doctor diagnose [INPUT...]`: explain each denied request in the inputs, with optional evidence and fixes.

import type { ExitCode } from '../program.js';
import type { Report } from '../../model/index.js';
import { UsageError } from '../errors.js';
import { gatherEvidence, type EvidenceSource } from '../evidence-source.js';
import { reportFailOnExit, type FailOn } from '../fail-on.js';
import { renderReport } from '../format/index.js';
import type { DiagnoseOptions } from '../options.js';
import { emitReport, notice } from '../output.js';
import { patchFixes, savePatches } from '../patches.js';
import {
  describedRecord,
  diagnoseRecords,
  readRecords,
  toReport,
  toRequests,
  type ReadResult,
} from '../pipeline.js';
import { sarifOptions } from '../sarif-rules.js';
import { canPrompt, processTerminal, stdoutColour } from '../tty.js';

/** Exit code of a report (CONTRACT): 0 when every request is explained, 1 otherwise; `--fail-on` changes which outcomes count. */
export function reportExitCode(report: Report, failOn?: FailOn[]): ExitCode {
  return reportFailOnExit(report, failOn);
}

/**
 * A described request must name a real S3 operation and a possible bucket name, else the report
 * would be a long "not explained": reject it with the nearest valid operation name.
 * Bucket names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (legacy
 * names may hold capitals and underscores; an access point ARN or alias is accepted too).
 */
async function validateDescribed(operation: string, bucket: string): Promise<void> {
  const { listOperations, nearestName } = await import('../../s3/index.js');
  const names = new Set<string>();
  for (const o of listOperations())
    for (const n of [o.apiName, o.eventName, ...(o.aliases ?? [])]) names.add(n);
  const lower = new Map([...names].map((n) => [n.toLowerCase(), n]));
  if (!lower.has(operation.toLowerCase()) && !lower.has(operation.replace(/Command$/, '').toLowerCase())) {
    const near = nearestName(operation, names);
    throw new UsageError(
      `--operation ${operation} is not an S3 API operation${near ? `: did you mean ${near}?` : ''} (names as in the S3 API reference: GetObject, PutObject, ListObjectsV2, ...).`,
    );
  }
  if (!bucket.startsWith('arn:') && !/^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/.test(bucket))
    throw new UsageError(
      `--bucket ${JSON.stringify(bucket)} is not a bucket name (3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit), nor an access point ARN.`,
    );
}

function described(opts: DiagnoseOptions): boolean {
  return Boolean(opts.principal || opts.operation || opts.bucket || opts.key);
}

async function readAll(inputs: string[], opts: DiagnoseOptions): Promise<ReadResult> {
  if (described(opts)) {
    if (!opts.operation || !opts.bucket) {
      throw new UsageError(
        'to describe a request give at least --operation (e.g. GetObject) and --bucket (and --principal, --key).',
      );
    }
    await validateDescribed(opts.operation, opts.bucket);
    const fromInputs = inputs.length ? await readRecords(inputs) : { records: [], malformed: [] };
    return { records: [...fromInputs.records, describedRecord(opts)], malformed: fromInputs.malformed };
  }
  return readRecords(inputs);
}

/** Runs `diagnose`. */
export async function runDiagnose(inputs: string[], opts: DiagnoseOptions): Promise<ExitCode> {
  const t = processTerminal();
  const interactive = canPrompt(t, opts.interactive !== false);
  if (inputs.length === 0 && !described(opts)) {
    if (interactive) {
      const { runAssistant } = await import('./assistant.js');
      return runAssistant({ preset: opts });
    }
    if (t.stdin.isTTY) {
      throw new UsageError(
        'give an input: a log file, a folder, or - for stdin (or run s3doctor alone on a terminal for the assistant).',
      );
    }
    inputs = ['-'];
  }
  const read = await readAll(inputs, opts);
  let ev: EvidenceSource = await gatherEvidence({ ...opts, live: false }, () => []);
  if (opts.live && read.records.length) {
    // Live collection needs the requests first; snapshots (if any) hint at canonical ids and owners.
    const requests = await toRequests(read.records, ev.evidence);
    ev = await gatherEvidence(opts, () => requests);
  }
  const results = await diagnoseRecords(read.records, ev, opts, read.sessionGrants);
  const report = toReport(results, read.malformed);
  const format = opts.format ?? 'text';
  const sarif = format === 'sarif' ? await sarifOptions(opts.ruleDocsUrl) : undefined;
  await emitReport(
    renderReport(report, format, {
      colour: !opts.out && stdoutColour(t),
      ...(ev.evidence ? { evidence: ev.evidence } : {}),
      ...(sarif ? { sarif } : {}),
    }),
    opts,
  );

  if (opts.savePatch) {
    const items = patchFixes(results);
    if (items.length === 0) notice('No patch to save: no fix changes a policy or configuration.');
    else {
      const written = await savePatches(
        items,
        typeof opts.savePatch === 'string'
          ? { file: opts.savePatch, force: opts.force ?? false }
          : { force: opts.force ?? false },
      );
      for (const w of written) notice(`Patch saved to ${w}`);
    }
  }
  if (opts.apply) {
    const { applyFromFlags } = await import('../apply.js');
    const applied = await applyFromFlags(results, ev, opts, read.records);
    if (applied !== undefined) return applied;
  }
  return reportExitCode(report, opts.failOn);
}
