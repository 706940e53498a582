// The JSON formatter: CONTRACT.md's Report and TriageReport documents, schemaVersion 1, as they are.

import type { Evaluation, Report, TriageReport } from '../../model/index.js';
import { SCHEMA_IDS } from '../../model/schema-ids.js';

/** `diagnose --format json`: the Report document. */
export function renderReportJson(report: Report): string {
  return JSON.stringify({ $schema: SCHEMA_IDS.result, ...report, schemaVersion: 1 }, null, 2) + '\n';
}

/** `triage --format json`: the TriageReport document. */
export function renderTriageJson(t: TriageReport): string {
  return JSON.stringify({ $schema: SCHEMA_IDS.triage, ...t, schemaVersion: 1 }, null, 2) + '\n';
}

/** `simulate --format json`: the evaluation with its full trace. */
export function renderEvaluationJson(e: Evaluation): string {
  return JSON.stringify({ $schema: SCHEMA_IDS.simulate, schemaVersion: 1, evaluation: e }, null, 2) + '\n';
}

/** Any other value (rules list) as pretty JSON. */
export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** A triage report whose groups come one at a time (src/triage/report.ts TriageDocument). */
export interface TriageGroupsSource {
  head: Omit<TriageReport, 'groups'>;
  size: number;
  group(k: number): TriageReport['groups'][number];
}

/** Pieces of about this many characters are written at a time. */
const PIECE = 64 * 1024;

/**
 * `triage --format json` written a group at a time to `write`: the same text as
 * {@link renderTriageJson} gives for the whole report, with one group in memory at a time.
 */
export async function writeTriageJson(
  doc: TriageGroupsSource,
  write: (chunk: string) => void | Promise<void>,
): Promise<void> {
  // The document around the groups, from JSON.stringify itself: the groups' place holds a marker
  // (JSON strings never hold a raw line break, so the marker's line is found only there).
  const marker = '\u0000s3doctor-groups';
  const { schemaVersion, scanned, malformed, ...rest } = doc.head;
  const outer = renderTriageJson({ schemaVersion, scanned, malformed, groups: marker as never, ...rest });
  const at = `\n  "groups": ${JSON.stringify(marker)}`;
  const cut = outer.indexOf(at);
  if (cut < 0) throw new Error('internal: the groups marker is missing from the triage JSON');
  let piece = outer.slice(0, cut) + '\n  "groups": [';
  for (let k = 0; k < doc.size; k++) {
    piece +=
      (k === 0 ? '\n    ' : ',\n    ') + JSON.stringify(doc.group(k), null, 2).replace(/\n/g, '\n    ');
    if (piece.length >= PIECE) {
      await write(piece);
      piece = '';
    }
  }
  piece += (doc.size > 0 ? '\n  ]' : ']') + outer.slice(cut + at.length);
  await write(piece);
}
