// `s3doctor triage INPUT...`: scan many logs (worker threads), group the denials, diagnose each group once, rank, audit, draw.

import type { ExitCode } from '../program.js';
import type { LogRecord, TriageReport } from '../../model/index.js';
import { gatherEvidence } from '../evidence-source.js';
import { triageFailOnExit } from '../fail-on-exit.js';
import { renderTriage } from '../format/index.js';
import { writeTriageJson } from '../format/json.js';
import { renderTriageNdjson, writeTriageNdjson } from '../format/ndjson.js';
import { safeDeep } from '../format/safe.js';
import type { TriageOptions } from '../options.js';
import { emitReport, openReportOutput } from '../output.js';
import { startProgressBar } from '../progress.js';
import { toRequests, triageScanDocument, type EvidenceSource } from '../../api/pipeline.js';
import { sarifOptions } from '../sarif-rules.js';
import { announceStdin, processTerminal, stdoutColour } from '../tty.js';
import type { ScanOutcome, TriageDocument, WorkersOption } from '../../triage/index.js';

/** `triage`'s flags, with the triage-at-scale additions. */
export interface TriageRunOptions extends Omit<TriageOptions, 'format'> {
  format?: 'text' | 'json' | 'markdown' | 'html' | 'sarif' | 'github' | 'ndjson';
  /** `--workers N|auto` (default auto). */
  workers?: WorkersOption;
}

/** The evidence of the run: snapshots, and with --live what the groups' samples need. */
async function triageEvidence(opts: TriageRunOptions, samples: () => LogRecord[]): Promise<EvidenceSource> {
  let ev: EvidenceSource = await gatherEvidence({ ...opts, format: undefined, live: false }, () => []);
  const live = opts.live ? samples() : [];
  if (live.length) {
    const requests = await toRequests(live, ev.evidence);
    ev = await gatherEvidence({ ...opts, format: undefined }, () => requests);
  }
  return ev;
}

/** Renders and emits a finished triage report; returns the exit code. */
export async function emitTriage(report: TriageReport, opts: TriageRunOptions): Promise<ExitCode> {
  const { renderTriageExtrasMarkdown, renderTriageExtrasText, renderTriageHtml } =
    await import('../../triage/index.js');
  const format = opts.format ?? 'text';
  const t = processTerminal();
  let text: string;
  if (format === 'html') text = renderTriageHtml(report, opts.top ?? 50);
  else if (format === 'json') text = renderTriage(report, 'json', { colour: false });
  else if (format === 'ndjson') text = renderTriageNdjson(report);
  else if (format === 'github') text = renderTriage(report, 'github', { colour: false });
  else if (format === 'sarif')
    text = renderTriage(report, 'sarif', { colour: false, sarif: await sarifOptions(opts.ruleDocsUrl) });
  else {
    const safe = safeDeep(report);
    const shown = opts.top ? { ...safe, groups: safe.groups.slice(0, opts.top) } : safe;
    text =
      format === 'markdown'
        ? renderTriage(shown, 'markdown', { colour: false }) +
          renderTriageExtrasMarkdown(safe, opts.top ?? 10)
        : renderTriage(shown, 'text', { colour: !opts.out && stdoutColour(t) }) +
          renderTriageExtrasText(safe, opts.top ?? 10);
  }
  await emitReport(text, opts);
  return triageFailOnExit(report, opts.failOn);
}

/** Triage of a finished scan: evidence, one diagnosis per group, report. */
export async function triageScan(scan: ScanOutcome, opts: TriageRunOptions): Promise<ExitCode> {
  const { documentReport, scanSamples } = await import('../../triage/index.js');
  const source = await triageEvidence(opts, () => scanSamples(scan, scan.grouper.ranked()));
  const answers = opts.sessionPolicy ? { sessionPolicy: opts.sessionPolicy } : {};
  const doc = await triageScanDocument(scan, source, answers);
  if (opts.format === 'json' || opts.format === 'ndjson') return emitTriageStream(doc, opts);
  return emitTriage(documentReport(doc), opts);
}

/**
 * JSON and NDJSON written a group at a time (the same text as the whole report rendered at once),
 * so memory holds the group table, not every group object and the whole text.
 */
async function emitTriageStream(doc: TriageDocument, opts: TriageRunOptions): Promise<ExitCode> {
  const out = await openReportOutput(opts);
  try {
    const write = (chunk: string): void | Promise<void> => out.write(chunk);
    if (opts.format === 'ndjson') await writeTriageNdjson(doc, write);
    else await writeTriageJson(doc, write);
  } catch (e) {
    await out.abort();
    throw e;
  }
  await out.close();
  // The exit code reads the scan counts, the findings and each group's diagnosis.
  const groups = (doc.diagnoses ?? []).map((diagnosis) => ({ diagnosis }) as TriageReport['groups'][number]);
  return triageFailOnExit({ ...doc.head, groups }, opts.failOn);
}

/** Runs `triage`. */
export async function runTriage(inputs: string[], opts: TriageRunOptions): Promise<ExitCode> {
  const { scanInputs } = await import('../../triage/index.js');
  announceStdin(inputs);
  const bar = await startProgressBar(0, 'Scanning');
  const started = Date.now();
  let scan: ScanOutcome;
  try {
    let lastTotal = -1;
    scan = await scanInputs(inputs, {
      workers: opts.workers ?? 'auto',
      stdin: process.stdin,
      onProgress: (done, total) => {
        if (total !== lastTotal) {
          bar.setTotal(total);
          lastTotal = total;
        }
        const secs = Math.max(0.001, (Date.now() - started) / 1000);
        const rate = done / secs;
        const eta = total > done && rate > 0 ? (total - done) / rate : 0;
        bar.update(
          done,
          `${(done / 1048576).toFixed(0)}/${(total / 1048576).toFixed(0)} MiB, ${(rate / 1048576).toFixed(0)} MiB/s, ETA ${eta.toFixed(0)}s`,
        );
      },
    });
  } finally {
    bar.stop();
  }
  return triageScan(scan, opts);
}
