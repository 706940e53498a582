// Builds the triage report from a scan: ranked groups, one diagnosis per group, rankings and security findings.

import type { LogRecord, Result, TriageGroup, TriageReport } from '../model/index.js';
import { rankTriage, type DiagnoseMany } from './rank.js';
import type { ScanOutcome } from './scan.js';
import { toTriageGroup, type GroupAccumulator } from './groups.js';

/** Options of {@link buildTriageReport}. */
export interface BuildTriageOptions {
  /** Diagnoses one sample record per group (absent: no evidence, groups stay undiagnosed). */
  diagnose?: DiagnoseMany;
  /** Ranking list length. */
  top?: number;
}

/**
 * A triage report whose groups are made one at a time, in rank order, from the scan's group table:
 * `head` is the report without its groups; JSON and NDJSON write the groups as they are made, so
 * 200,000 groups never stand as objects at once.
 */
export interface TriageDocument {
  head: Omit<TriageReport, 'groups'>;
  /** Number of groups. */
  size: number;
  /** The `k`-th group (most frequent first), with its diagnosis. */
  group(k: number): TriageGroup;
  /** The diagnosis of each group, in rank order (absent: no evidence). */
  diagnoses?: readonly (Result | undefined)[];
}

/** The report of a scan, groups made on demand; the group counts add up to `scanned.denied`. */
export async function buildTriageDocument(
  scan: ScanOutcome,
  opts: BuildTriageOptions = {},
): Promise<TriageDocument> {
  const table = scan.grouper;
  const rows = table.rankedRows();
  let diagnoses: Result[] | undefined;
  // One diagnosis per group, with its sample record (one call, so 100,000 denials in 200 groups cost 200 evaluations).
  if (opts.diagnose && rows.length > 0) {
    const ranked = Array.from(rows, (i) => table.group(i));
    diagnoses = await opts.diagnose(scanSamples(scan, ranked));
  }
  const withDiagnosis = (k: number, g: TriageGroup): TriageGroup => {
    const d = diagnoses?.[k];
    if (d) g.diagnosis = d;
    return g;
  };
  const group = (k: number): TriageGroup => withDiagnosis(k, toTriageGroup(table.group(rows[k]!)));
  function* forRanking(): Generator<TriageGroup> {
    // Rankings read counts, names and times: no timeline needed.
    for (let k = 0; k < rows.length; k++) {
      const g = table.group(rows[k]!, false);
      yield withDiagnosis(k, g as unknown as TriageGroup);
    }
  }
  const bounds = table.bounds();
  return {
    head: {
      schemaVersion: 1,
      // The groups hold every denied entry the scan yielded, so their counts add up to `denied`.
      scanned: { ...scan.stats, denied: table.total },
      malformed: scan.malformed,
      rankings: rankTriage(forRanking(), opts.top ?? 10),
      findings: scan.auditor.findings(),
      ...(bounds.evictions > 0 || bounds.undercountMax > 0
        ? { approximate: { method: 'space-saving' as const, ...bounds } }
        : {}),
    },
    size: rows.length,
    group,
    ...(diagnoses ? { diagnoses } : {}),
  };
}

/** Every group of a {@link TriageDocument}, in order. */
function* documentGroups(doc: TriageDocument): Generator<TriageGroup> {
  for (let k = 0; k < doc.size; k++) yield doc.group(k);
}

/** The whole report of a document (every group made). */
export function documentReport(doc: TriageDocument): TriageReport {
  const { schemaVersion, scanned, malformed, ...rest } = doc.head;
  return { schemaVersion, scanned, malformed, groups: [...documentGroups(doc)], ...rest };
}

/** The report of a scan; the group counts add up to `scanned.denied`. */
export async function buildTriageReport(
  scan: ScanOutcome,
  opts: BuildTriageOptions = {},
): Promise<TriageReport> {
  return documentReport(await buildTriageDocument(scan, opts));
}

/** The full sample records of `groups` of a scan (read on demand when the scan kept only their place). */
export function scanSamples(scan: ScanOutcome, groups: readonly GroupAccumulator[]): LogRecord[] {
  return scan.samples ? scan.samples(groups) : groups.map((g) => g.sampleRecord);
}
