// Detects the format of one input from its first (decompressed) bytes.

import { csvParseSync } from './csv-lib.js';
import { looksLikeAccessLogLine } from './access-log.js';
import { normalizeName } from './hive-struct.js';

/** How many decompressed bytes the detector looks at. */
export const SNIFF_BYTES = 64 * 1024;

/** The CSV exports s3doctor reads. */
export type CsvKind = 'cloudtrail-console-csv' | 'cloudtrail-athena-csv' | 'access-log-athena-csv';

/** Outcome of sniffing one input. */
export type Detected =
  | { kind: 'empty' }
  | { kind: 'binary'; reason: string }
  | { kind: 'access-log' }
  | { kind: 'json' }
  | { kind: 'csv'; csv: CsvKind }
  | { kind: 'text' };

/** True when the bytes are not text: NUL bytes or many control characters. */
export function looksBinary(b: Buffer): string | undefined {
  const n = Math.min(b.length, SNIFF_BYTES);
  if (n === 0) return undefined;
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip data inside gzip data';
  let ctrl = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i] as number;
    if (c === 0) return 'binary data (NUL bytes), not a text log';
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) ctrl++;
  }
  if (ctrl / n > 0.02) return 'binary data (control characters), not a text log';
  // Invalid UTF-8 in most of the sample: binary.
  const text = b.subarray(0, n).toString('utf8');
  let bad = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) bad++;
  if (bad / Math.max(1, text.length) > 0.1) return 'binary data (not UTF-8 text), not a text log';
  return undefined;
}

/** Column names (normalised) that identify each CSV kind. */
const ACCESS_LOG_COLUMNS = ['bucketowner', 'requestdatetime', 'remoteip', 'operation', 'httpstatus'];
const CT_ATHENA_COLUMNS = [
  'eventtime',
  'eventsource',
  'eventname',
  'useridentity',
  'requestparameters',
  'errorcode',
];
const CT_CONSOLE_COLUMNS = ['eventid', 'eventtime', 'eventname', 'username', 'resourcetype', 'awsaccesskey'];

/** The CSV kind a header row names, or undefined. */
export function csvKindOfHeader(header: readonly string[]): CsvKind | undefined {
  const names = new Set(header.map(normalizeName));
  const count = (cols: string[]): number => cols.filter((c) => names.has(c)).length;
  if (count(ACCESS_LOG_COLUMNS) >= 3 || (names.has('bucketowner') && names.has('requesturi'))) {
    return 'access-log-athena-csv';
  }
  const hasSpaces = header.some((h) => /\s/.test(h.trim()));
  const consoleScore = count(CT_CONSOLE_COLUMNS);
  const athenaScore = count(CT_ATHENA_COLUMNS);
  if (consoleScore < 2 && athenaScore < 2) return undefined;
  if (!names.has('eventname') && !names.has('eventid')) return undefined;
  if (hasSpaces || names.has('username') || names.has('awsaccesskey') || names.has('resourcetype')) {
    return 'cloudtrail-console-csv';
  }
  return 'cloudtrail-athena-csv';
}

/** Parses a CSV header line; undefined when it is not CSV with at least 3 columns. */
export function parseCsvHeader(line: string): string[] | undefined {
  if (!line.includes(',')) return undefined;
  try {
    const rows = csvParseSync()(line, {
      bom: true,
      relax_quotes: true,
      relax_column_count: true,
    }) as string[][];
    const h = rows[0];
    return h && h.length >= 3 ? h : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Detects the format from the first bytes of an input (`complete` when they are all of it):
 * empty, binary, S3 access log (any of the first 20 non-empty lines has the shape), JSON
 * (CloudTrail shapes are told apart while streaming), a known CSV header, or text (searched
 * for error messages and mixed content).
 */
export function detect(sniff: Buffer): Detected {
  const bin = looksBinary(sniff);
  if (bin) return { kind: 'binary', reason: bin };
  let text = sniff.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  if (trimmed === '') return { kind: 'empty' };
  // `aws sts get-caller-identity` output first: the text after it holds the error (read as text).
  const identityFirst = /^\{\s*"(?:UserId|Account|Arn)"\s*:/.test(trimmed);
  if (!identityFirst && (/^\{\s*("|\})/.test(trimmed) || /^\[\s*(\{|\[|"|\])/.test(trimmed)))
    return { kind: 'json' };
  const lines = text.split('\n');
  // The last line may be cut by the sniff window: only whole lines count.
  const whole = lines.length > 1 ? lines.slice(0, -1) : lines;
  let seen = 0;
  for (const raw of whole) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    // An access-log line is never a CSV header: test it first, so an access log does not load csv-parse.
    if (looksLikeAccessLogLine(line)) return { kind: 'access-log' };
    if (seen === 0) {
      const header = parseCsvHeader(line);
      const kind = header ? csvKindOfHeader(header) : undefined;
      if (kind) return { kind: 'csv', csv: kind };
    }
    if (++seen >= 20) break;
  }
  return { kind: 'text' };
}
