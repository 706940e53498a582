// Builds the triage report from a scan: ranked groups, one diagnosis per group, rankings and security findings.

import type { LogRecord, TriageReport } from '../model/index.js';
import { diagnoseGroups, rankTriage, type DiagnoseMany } from './rank.js';
import type { ScanOutcome } from './scan.js';
import { toTriageGroup, type GroupAccumulator } from './groups.js';

/** Options of {@link buildTriageReport}. */
export interface BuildTriageOptions {
  /** Diagnoses one sample record per group (absent: no evidence, groups stay undiagnosed). */
  diagnose?: DiagnoseMany;
  /** Ranking list length. */
  top?: number;
}

/** The report of a scan; the group counts add up to `scanned.denied`. */
export async function buildTriageReport(
  scan: ScanOutcome,
  opts: BuildTriageOptions = {},
): Promise<TriageReport> {
  const ranked = scan.grouper.ranked();
  const groups = ranked.map(toTriageGroup);
  if (opts.diagnose) await diagnoseGroups(groups, scanSamples(scan, ranked), opts.diagnose);
  return {
    schemaVersion: 1,
    // The groups hold every denied entry the scan yielded, so their counts add up to `denied`.
    scanned: { ...scan.stats, denied: scan.grouper.total },
    malformed: scan.malformed,
    groups,
    rankings: rankTriage(groups, opts.top ?? 10),
    findings: scan.auditor.findings(),
  };
}

/** The full sample records of `groups` of a scan (read on demand when the scan kept only their place). */
export function scanSamples(scan: ScanOutcome, groups: readonly GroupAccumulator[]): LogRecord[] {
  return scan.samples ? scan.samples(groups) : groups.map((g) => g.sampleRecord);
}
