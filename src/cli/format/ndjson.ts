// NDJSON output for log platforms (Splunk, Elastic, CloudWatch Logs): one JSON object per line, stable field names.

import type { TriageReport } from '../../model/index.js';
import type { TriageGroupsSource } from './json.js';

/**
 * One NDJSON line: `value` as compact JSON plus `\n`. JSON.stringify escapes every control character in
 * strings, so a line never breaks inside a value; U+2028/U+2029 are escaped too for line-splitting readers.
 */
export function ndjsonLine(value: unknown): string {
  return (
    JSON.stringify(value)
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029') + '\n'
  );
}

/** Many NDJSON lines. */
export function renderNdjson(values: Iterable<unknown>): string {
  let out = '';
  for (const v of values) out += ndjsonLine(v);
  return out;
}

/** The `scan` line: the counts, and how counts may be off when the groups are not all exact. */
function scanLine(t: Omit<TriageReport, 'groups'>): Record<string, unknown> {
  return {
    record: 'scan',
    schemaVersion: 1,
    scanned: t.scanned,
    malformed: t.malformed.length,
    ...(t.approximate ? { approximate: t.approximate } : {}),
  };
}

/**
 * `triage --format ndjson`: one `{"record":"scan",...}` line with the scan counts (and
 * `approximate` when the groups are not all exact), one
 * `{"record":"group",...}` line per group (most frequent first, as in the JSON report) and one
 * `{"record":"finding",...}` line per security finding. `record` names the line's kind; every other
 * field is the JSON report's own field of the same name (schemaVersion 1).
 */
export function renderTriageNdjson(t: TriageReport): string {
  const lines: unknown[] = [scanLine(t)];
  for (const g of t.groups) lines.push({ record: 'group', schemaVersion: 1, ...g });
  for (const f of t.findings ?? []) lines.push({ record: 'finding', schemaVersion: 1, ...f });
  return renderNdjson(lines);
}

/** `triage --format ndjson` written a group at a time: the same lines as {@link renderTriageNdjson}. */
export async function writeTriageNdjson(
  doc: TriageGroupsSource,
  write: (chunk: string) => void | Promise<void>,
): Promise<void> {
  const t = doc.head;
  let piece = ndjsonLine(scanLine(t));
  for (let k = 0; k < doc.size; k++) {
    piece += ndjsonLine({ record: 'group', schemaVersion: 1, ...doc.group(k) });
    if (piece.length >= 64 * 1024) {
      await write(piece);
      piece = '';
    }
  }
  for (const f of t.findings ?? []) piece += ndjsonLine({ record: 'finding', schemaVersion: 1, ...f });
  await write(piece);
}
