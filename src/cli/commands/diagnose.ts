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
