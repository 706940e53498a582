// `s3doctor triage INPUT...`: scan many logs for denied entries, group them, diagnose each group once, rank.

import type { ExitCode } from '../program.js';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogRecord, MalformedRecord, ScanStats, TriageGroup, TriageReport } from '../../model/index.js';
import { gatherEvidence, type EvidenceSource } from '../evidence-source.js';
import { isExplained } from '../format/common.js';
import { renderTriage } from '../format/index.js';
import type { TriageOptions } from '../options.js';
import { emitReport } from '../output.js';
import { startProgressBar } from '../progress.js';
import { diagnoseRecords, toRequests } from '../pipeline.js';
import { processTerminal, stdoutColour } from '../tty.js';
import { TriageGrouper, toTriageGroup } from '../triage-groups.js';

/** The malformed entries kept in the report (CONTRACT: the first 100). */
export const MAX_MALFORMED = 100;

/** Bytes on disk of the inputs (for the progress bar; stdin counts 0). */
async function totalBytes(inputs: string[]): Promise<number> {
  let total = 0;
  for (const i of inputs) {
    if (i === '-') continue;
    try {
      const st = await stat(i);
      if (st.isFile()) total += st.size;
      else if (st.isDirectory()) {
        for (const e of await readdir(i, { recursive: true, withFileTypes: true })) {
          if (e.isFile()) total += (await stat(join(e.parentPath ?? i, e.name))).size;
        }
      }
    } catch {
      // The reader reports unreadable inputs.
    }
  }
  return total;
}

/** Runs `triage`. */
export async function runTriage(inputs: string[], opts: TriageOptions): Promise<ExitCode> {
  const t = processTerminal();
  const { scanDenied, newStats } = await import('../../logs/index.js');
  const { lookupOperation } = await import('../../s3/index.js');
  const grouper = new TriageGrouper((r: LogRecord) => {
    const op = lookupOperation({
      ...(r.logOperation ? { logOperation: r.logOperation } : {}),
      ...(r.apiName ? { apiName: r.apiName } : {}),
      ...(r.httpMethod ? { method: r.httpMethod } : {}),
      ...(r.query ? { query: r.query } : {}),
      hasKey: r.key !== undefined,
      ...(r.enhanced?.action ? { iamAction: r.enhanced.action } : {}),
    });
    const actions = r.versionId && op?.versionActions?.length ? op.versionActions : op?.actions;
    return (
      actions?.[0] ?? r.enhanced?.action ?? (r.apiName ? `s3:${r.apiName}` : (r.logOperation ?? 'unknown'))
    );
  });
  const malformed: MalformedRecord[] = [];
  let malformedCount = 0;
  const stats = newStats();
  const bar = await startProgressBar(await totalBytes(inputs), 'Scanning');
  try {
    const gen = scanDenied(inputs, {
      stdin: process.stdin,
      stats,
      onProgress: (s) => bar.update(s.bytes, `${s.denied} denied in ${s.lines} lines`),
    });
    for await (const item of gen) {
      if (item.kind === 'record') grouper.add(item.record);
      else {
        malformedCount += 1;
        if (malformed.length < MAX_MALFORMED) malformed.push(item.malformed);
      }
    }
  } finally {
    bar.stop();
  }
  const ranked = grouper.ranked();
  const scanned: ScanStats = {
    files: stats.files,
    bytes: stats.bytes,
    lines: stats.lines,
    // The groups hold every denied entry the scan yielded, so their counts add up to this.
    denied: grouper.total,
    malformed: Math.max(stats.malformed, malformedCount),
  };
  const groups: TriageGroup[] = ranked.map(toTriageGroup);

  let ev: EvidenceSource = await gatherEvidence({ ...opts, live: false }, () => []);
  if (opts.live && ranked.length) {
    const requests = await toRequests(
      ranked.map((g) => g.sampleRecord),
      ev.evidence,
    );
    ev = await gatherEvidence(opts, () => requests);
  }
  let exit: ExitCode = 0;
  if (ev.kind !== 'none' && ranked.length) {
    const results = await diagnoseRecords(
      ranked.map((g) => g.sampleRecord),
      ev,
    );
    results.forEach((r, i) => {
      groups[i]!.diagnosis = r;
      if (!isExplained(r)) exit = 1;
    });
  }
  const report: TriageReport = { schemaVersion: 1, scanned, malformed, groups };
  const format = opts.format ?? 'text';
  const shown = format === 'text' && opts.top ? { ...report, groups: groups.slice(0, opts.top) } : report;
  await emitReport(renderTriage(shown, format, { colour: !opts.out && stdoutColour(t) }), opts);
  return exit;
}
