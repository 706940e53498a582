// Parses S3 server access log lines (every documented field, older shorter and newer longer lines) into LogRecords.

import type { InputFormat, LogRecord, ReadItem } from '../model/input.js';
import { redactSecrets } from './redact.js';
import { splitRequestLine, urlDecode } from './url.js';

/*
 * Field layout: https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html.
 * Fields are separated by spaces; bracketed `[...]` (time) and double-quoted `"..."` fields hold
 * spaces; `-` means absent. AWS appends fields at the end over time and tells parsers to ignore
 * trailing fields they do not know; older archives end after field 18, 24, 25 or 26.
 */

/** Field count of the current documented format (through aclRequired). */
export const ACCESS_LOG_FIELDS = 26;
/** Fewest fields a line may have (older logs end after the version id, field 18). */
export const ACCESS_LOG_MIN_FIELDS = 18;

/** Cheap shape test: owner, bucket, `[dd/Mon/yyyy:HH:MM:SS +zzzz]`. */
const LINE_SHAPE = /^\S+ \S+ \[\d{1,2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] /;

/** True when the line has the access-log shape (used for format detection). */
export function looksLikeAccessLogLine(line: string): boolean {
  return LINE_SHAPE.test(line);
}

/**
 * What follows a quoted field when it really ended, by 0-based field index. A `"` inside a
 * user-agent or referer is not escaped by S3, so a quoted field ends at the first `" ` whose
 * remainder has the expected shape (else at the first `" `).
 */
const AFTER_QUOTED: Readonly<Record<number, RegExp>> = {
  8: /(?:\d{3}|-)(?: |$)/y, // request-URI -> HTTP status
  15: /"/y, // referer -> user-agent (quoted)
  16: /\S+(?:$| \S+ (?:SigV2|SigV4|-)(?: |$)| \S+$)/y, // user-agent -> version id, host id, signature version
};

/** Result of tokenising one line. */
export type Tokens = { ok: true; fields: string[] } | { ok: false; reason: string };

/** Splits one access-log line into its fields (brackets and quotes removed). Never throws. */
export function tokenizeAccessLogLine(line: string): Tokens {
  const fields: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 91) {
      // [ ... ]
      const j = line.indexOf(']', i + 1);
      if (j < 0) return { ok: false, reason: `unterminated [bracketed] field ${fields.length + 1}` };
      fields.push(line.slice(i + 1, j));
      i = j + 1;
      continue;
    }
    if (c === 34) {
      const end = quotedEnd(line, i + 1, fields.length);
      if (end < 0) return { ok: false, reason: `unterminated quoted field ${fields.length + 1}` };
      fields.push(line.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let j = line.indexOf(' ', i);
    if (j < 0) j = n;
    fields.push(line.slice(i, j));
    i = j;
  }
  return { ok: true, fields };
}

/**
 * Index of the `"` closing a quoted field that starts at `from`, or -1. S3 does not escape a `"`
 * inside a user agent, so the field ends at the first `" ` whose remainder has the shape the next
 * field needs (else at the first `" `). `fieldIndex` is the 0-based index of the quoted field.
 */
function quotedEnd(line: string, from: number, fieldIndex: number): number {
  const after = AFTER_QUOTED[fieldIndex];
  let first = -1;
  let k = line.indexOf('"', from);
  while (k >= 0) {
    const next = line.charCodeAt(k + 1);
    if (k + 1 >= line.length || next === 32) {
      if (first < 0) first = k;
      if (!after) return k;
      if (k + 1 >= line.length) return first === k ? k : first;
      after.lastIndex = k + 2;
      if (after.test(line)) return k;
    }
    k = line.indexOf('"', k + 1);
  }
  return first;
}

/** English month abbreviations of the access-log time field -> two-digit month. */
export const MONTHS: Readonly<Record<string, string>> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

/** `06/Feb/2019:00:00:38 +0000` -> `2019-02-06T00:00:38Z` (other offsets converted to UTC); undefined if not that shape. */
export function parseAccessLogTime(s: string): string | undefined {
  const m = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const month = MONTHS[(m[2] ?? '').charAt(0).toUpperCase() + (m[2] ?? '').slice(1).toLowerCase()];
  if (!month) return undefined;
  const day = (m[1] ?? '').padStart(2, '0');
  const local = `${m[3]}-${month}-${day}T${m[4]}:${m[5]}:${m[6]}`;
  if (m[8] === '00' && m[9] === '00') return `${local}Z`;
  const t = Date.parse(`${local}${m[7]}${m[8]}:${m[9]}`);
  if (Number.isNaN(t)) return undefined;
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

/** `-` (and empty) means absent. */
function v(s: string | undefined): string | undefined {
  return s === undefined || s === '-' || s === '' ? undefined : s;
}

function num(s: string | undefined): number | undefined {
  if (s === undefined || s.length === 0 || s.length > 15) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(s);
}

/** Result of mapping fields to a record. */
export type FieldsResult = { ok: true; record: LogRecord } | { ok: false; reason: string };

/**
 * Maps positional access-log fields (1-based numbering as in the docs, array 0-based) to a
 * LogRecord. Shared by the line parser and the Athena CSV reader. Validates the shape enough to
 * catch a shifted line (time, HTTP status).
 */
export function accessLogFieldsToRecord(
  f: readonly string[],
  input: LogRecord['input'],
  format: InputFormat = 's3-access-log',
): FieldsResult {
  if (f.length < ACCESS_LOG_MIN_FIELDS) {
    return {
      ok: false,
      reason: `only ${f.length} fields; an S3 access log line has at least ${ACCESS_LOG_MIN_FIELDS}`,
    };
  }
  const time = parseAccessLogTime(f[2] ?? '');
  if (!time)
    return { ok: false, reason: `field 3 (time) "${clip(f[2])}" is not [dd/Mon/yyyy:HH:MM:SS +0000]` };
  const statusRaw = f[9] ?? '-';
  if (statusRaw !== '-' && !/^\d{3}$/.test(statusRaw)) {
    return {
      ok: false,
      reason: `field 10 (HTTP status) "${clip(statusRaw)}" is not a status code (a quoted field may hold a stray quote)`,
    };
  }
  const r: LogRecord = { input, format, time };
  // Plain property stores (not a generic setter): this runs for every candidate line of a triage scan.
  let x: string | undefined;
  let n: number | undefined;
  if ((x = v(f[0])) !== undefined) r.bucketOwnerCanonicalId = x;
  if ((x = v(f[1])) !== undefined) r.bucket = x;
  if ((x = v(f[3])) !== undefined) r.sourceIp = x;
  if ((x = v(f[4])) !== undefined) r.requester = x;
  if ((x = v(f[5])) !== undefined) r.requestId = x;
  if ((x = v(f[6])) !== undefined) r.logOperation = x;
  if ((x = v(f[7])) !== undefined) r.key = urlDecode(x);
  if ((n = num(statusRaw)) !== undefined) r.httpStatus = n;
  if ((x = v(f[10])) !== undefined) r.errorCode = x;
  if ((n = num(f[11])) !== undefined) r.bytesSent = n;
  if ((n = num(f[12])) !== undefined) r.objectSize = n;
  if ((n = num(f[13])) !== undefined) r.totalTimeMs = n;
  if ((n = num(f[14])) !== undefined) r.turnAroundTimeMs = n;
  if ((x = v(f[15])) !== undefined) r.referer = redactSecrets(x);
  if ((x = v(f[16])) !== undefined) r.userAgent = x;
  if ((x = v(f[17])) !== undefined) r.versionId = x;
  if ((x = v(f[18])) !== undefined) r.hostId = x;
  if ((x = v(f[19])) !== undefined) r.signatureVersion = x;
  if ((x = v(f[20])) !== undefined) r.cipherSuite = x;
  if ((x = v(f[21])) !== undefined) r.authType = x;
  if ((x = v(f[22])) !== undefined) r.hostHeader = x;
  if ((x = v(f[23])) !== undefined) r.tlsVersion = x;
  if ((x = v(f[24])) !== undefined) r.accessPointArn = x;
  if (f.length >= 26) r.aclRequired = f[25] === 'Yes';
  if (f.length > ACCESS_LOG_FIELDS) r.extra = f.slice(ACCESS_LOG_FIELDS);

  const uriField = v(f[8]);
  if (uriField !== undefined) {
    const rl = splitRequestLine(uriField);
    if (rl.method !== undefined) r.httpMethod = rl.method;
    if (rl.uri !== undefined) r.requestUri = rl.uri;
    if (rl.query && Object.keys(rl.query).length > 0) r.query = rl.query;
    // The key field (8) is what S3 documents as the object key; the Request-URI only fills a key the field lacks (`-`).
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html
    if (r.key === undefined) {
      const fromUri = keyFromPath(rl.path, r.bucket, r.hostHeader);
      if (fromUri !== undefined && fromUri !== '') r.key = fromUri;
    }
    if (r.versionId === undefined && rl.query?.versionId) r.versionId = rl.query.versionId;
  }
  return { ok: true, record: r };
}

/** The object key a request path names: path-style `/<bucket>/<key>`, virtual-hosted or access point `/<key>`. */
function keyFromPath(
  path: string | undefined,
  bucket: string | undefined,
  host: string | undefined,
): string | undefined {
  if (path === undefined || !path.startsWith('/')) return undefined;
  const virtualHosted =
    host !== undefined && bucket !== undefined && host.toLowerCase().startsWith(`${bucket.toLowerCase()}.`);
  if (!virtualHosted && bucket !== undefined) {
    if (path === `/${bucket}` || path === `/${bucket}/`) return '';
    if (path.startsWith(`/${bucket}/`)) return path.slice(bucket.length + 2);
    if (host === undefined) return undefined;
  }
  return path.slice(1);
}

function clip(s: string | undefined, n = 40): string {
  const t = s ?? '';
  return t.length > n ? `${t.slice(0, n)}...` : t;
}

/**
 * Checks a line the way {@link parseAccessLogLine} does (tokens, field count, time, HTTP status)
 * without building a record: the reason it is malformed, or undefined. For lines that are
 * counted but not needed (allowed requests when only denied ones are wanted).
 */
export function checkAccessLogLine(line: string): string | undefined {
  let text = line;
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const t = tokenizeAccessLogLine(text);
  if (!t.ok) return t.reason;
  const f = t.fields;
  if (f.length < ACCESS_LOG_MIN_FIELDS) {
    return `only ${f.length} fields; an S3 access log line has at least ${ACCESS_LOG_MIN_FIELDS}`;
  }
  if (!parseAccessLogTime(f[2] ?? '')) {
    return `field 3 (time) "${clip(f[2])}" is not [dd/Mon/yyyy:HH:MM:SS +0000]`;
  }
  const status = f[9] ?? '-';
  if (status !== '-' && !/^\d{3}$/.test(status)) {
    return `field 10 (HTTP status) "${clip(status)}" is not a status code (a quoted field may hold a stray quote)`;
  }
  return undefined;
}

/**
 * Parses one access-log line (without its newline; a trailing CR is ignored) into a record, or a
 * malformed entry with the reason. Never throws.
 */
export function parseAccessLogLine(line: string, source: string, lineNo?: number): ReadItem {
  const input: LogRecord['input'] = lineNo === undefined ? { source } : { source, line: lineNo };
  const malformed = (reason: string): ReadItem => ({
    kind: 'malformed',
    malformed: lineNo === undefined ? { source, reason } : { source, line: lineNo, reason },
  });
  try {
    let text = line;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const t = tokenizeAccessLogLine(text);
    if (!t.ok) return malformed(t.reason);
    const res = accessLogFieldsToRecord(t.fields, input);
    if (!res.ok) return malformed(res.reason);
    return { kind: 'record', record: res.record };
  } catch (e) {
    return malformed(`could not parse line: ${(e as Error).message}`);
  }
}
