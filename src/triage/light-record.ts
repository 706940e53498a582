// Fast path of the triage range scan: reads only the access-log fields grouping and auditing need, the full parser does the rest.

import type { LogRecord, ReadItem } from '../model/index.js';
import { MONTHS, parseAccessLogLine, tokenizeAccessLogLine } from '../logs/index.js';

/*
 * Field layout: https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html. This reader
 * gives the same values as the logs parser for the fields triage reads (time, bucket, source IP,
 * requester, operation, key, method, query names, HTTP status, error code, version id), for the
 * common line: ASCII, no `%`/`+` escapes in the key or URI, quoted fields ending at their first
 * quote, UTC time. Any other line goes through the full parser, so results never differ.
 */

/**
 * A record holding only what triage groups on, and the line itself: {@link fullRecord} parses it
 * on demand (samples, action lookups). Plain data, so it crosses a worker boundary as it is.
 */
export interface LightRecord extends LogRecord {
  /** The access-log line (without its newline). */
  lineText: string;
  /** Where the line is in its file (set by the range scan). */
  lineAt?: LineAt;
}

/** Where a line is in its file: the byte offset of its first byte, and its length in bytes. */
export interface LineAt {
  offset: number;
  bytes: number;
}

/** A sample as a scan unit sends it back: only where its line is, read and parsed once its group is kept. */
export interface LineRef extends LogRecord {
  lineAt: LineAt;
}

function v(s: string | undefined): string | undefined {
  return s === undefined || s === '-' || s === '' ? undefined : s;
}

/** `01/Nov/2026:00:00:00 +0000` -> ISO, only for the exact UTC shape. */
function utcTime(s: string): string | undefined {
  if (s.length !== 26 || !s.endsWith(' +0000') || s[2] !== '/' || s[6] !== '/' || s[11] !== ':')
    return undefined;
  const month = MONTHS[s.slice(3, 6)];
  if (!month) return undefined;
  for (const i of DIGITS) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  if (s[14] !== ':' || s[17] !== ':') return undefined;
  // One flat string (a template would make a rope that every comparison of times flattens again).
  const c = (i: number): number => s.charCodeAt(i);
  // prettier-ignore
  return String.fromCharCode(
    c(7), c(8), c(9), c(10), 45, month.charCodeAt(0), month.charCodeAt(1), 45, c(0), c(1), 84,
    c(12), c(13), 58, c(15), c(16), 58, c(18), c(19), 90,
  );
}
/** Positions of the digits in `01/Nov/2026:00:00:00 +0000`. */
const DIGITS = [0, 1, 7, 8, 9, 10, 12, 13, 15, 16, 18, 19];

/** Whether every character is printable ASCII without `%` or `+` (so no decoding can change it). */
function plain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || c === 37 || c === 43) return false;
  }
  return true;
}

/** Whether every character is printable ASCII. */
function ascii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126) return false;
  }
  return true;
}

/** The key a request path names (path-style, virtual-hosted or access point), as the logs parser finds it. */
function keyFromPath(path: string, bucket: string | undefined, host: string | undefined): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const virtualHosted =
    host !== undefined && bucket !== undefined && host.toLowerCase().startsWith(`${bucket.toLowerCase()}.`);
  if (!virtualHosted && bucket !== undefined) {
    if (path === `/${bucket}` || path === `/${bucket}/`) return '';
    if (path.startsWith(`/${bucket}/`)) return path.slice(bucket.length + 2);
    if (host === undefined) return undefined;
  }
  return path.slice(1);
}

const STATUS = /^\d{3}$/;

/**
 * Reads one access-log line (without its newline) for triage: a {@link LightRecord} for the common
 * line, else exactly what the logs parser returns (record or malformed entry).
 */
export function readTriageLine(line: string, source: string, lineNo: number): ReadItem {
  const slow = (): ReadItem => parseAccessLogLine(line, source, lineNo);
  const c0 = line.charCodeAt(0);
  if (c0 === 0xfeff || line.charCodeAt(line.length - 1) === 13) return slow();
  const tokens = tokenizeAccessLogLine(line);
  if (!tokens.ok || tokens.fields.length < 18) return slow();
  const f = tokens.fields;
  const time = utcTime(f[2] ?? '');
  const statusRaw = f[9] ?? '-';
  if (time === undefined || (statusRaw !== '-' && !STATUS.test(statusRaw))) return slow();
  const keyRaw = v(f[7]);
  if (keyRaw !== undefined && !plain(keyRaw)) return slow();
  const uriField = v(f[8]);
  let method: string | undefined;
  let query: Record<string, string> | undefined;
  let path: string | undefined;
  let queryVersion = false;
  let seenVersion = false;
  if (uriField !== undefined) {
    if (!ascii(uriField)) return slow();
    let rest = uriField.trim();
    const m = /^([A-Z]+) (.*)$/.exec(rest);
    if (m) {
      method = m[1];
      rest = m[2] ?? '';
    }
    const p = / (HTTP\/[\d.]+)$/.exec(rest);
    if (p) rest = rest.slice(0, p.index);
    const abs = /^https?:\/\/[^/]+/i.exec(rest);
    const target = abs ? rest.slice(abs[0].length) || '/' : rest;
    const q = target.indexOf('?');
    path = q < 0 ? target : target.slice(0, q);
    if (!plain(path)) return slow();
    if (q >= 0) {
      // Names only (values are not decoded here; the action lookup reads the full record).
      for (const part of target.slice(q + 1).split('&')) {
        if (part === '') continue;
        const eq = part.indexOf('=');
        const name = eq < 0 ? part : part.slice(0, eq);
        if (!plain(name) || name in Object.prototype) return slow(); // decoded or skipped by the logs parser
        (query ??= {})[name] = '';
        if (name === 'versionId' && !seenVersion) {
          // The first occurrence wins, as in the logs parser.
          seenVersion = true;
          queryVersion = eq >= 0 && eq < part.length - 1;
        }
      }
    }
  }
  const r: LightRecord = { input: { source, line: lineNo }, format: 's3-access-log', time, lineText: line };
  const bucket = v(f[1]);
  if (bucket !== undefined) r.bucket = bucket;
  let x: string | undefined;
  if ((x = v(f[3])) !== undefined) r.sourceIp = x;
  if ((x = v(f[4])) !== undefined) r.requester = x;
  if ((x = v(f[6])) !== undefined) r.logOperation = x;
  if (keyRaw !== undefined) r.key = keyRaw;
  if (statusRaw !== '-') r.httpStatus = Number(statusRaw);
  if ((x = v(f[10])) !== undefined) r.errorCode = x;
  if ((x = v(f[17])) !== undefined) r.versionId = x;
  if (method !== undefined) r.httpMethod = method;
  if (query !== undefined) r.query = query;
  // The key field wins; the Request-URI only fills a key the field lacks (as the logs parser does).
  if (path !== undefined && r.key === undefined) {
    const fromUri = keyFromPath(path, bucket, v(f[22]));
    if (fromUri !== undefined && fromUri !== '') r.key = fromUri;
  }
  // Only whether a version id is present matters to grouping; the full record has its value.
  if (r.versionId === undefined && queryVersion) r.versionId = 'query';
  return { kind: 'record', record: r };
}

const parsed = new WeakMap<LightRecord, LogRecord>();

/**
 * The full record behind a record the range scan produced (itself when it is already full),
 * parsed once per record object. The line number is the record's own (a byte range's records are
 * shifted by the lines of the ranges before it).
 */
export function fullRecord(r: LogRecord): LogRecord {
  const light = r as Partial<LightRecord>;
  if (typeof light.lineText !== 'string') return r;
  let full = parsed.get(light as LightRecord);
  if (full === undefined) {
    const item = parseAccessLogLine(light.lineText, r.input.source, r.input.line ?? 0);
    if (item.kind === 'record') full = item.record;
    else {
      // Never for a line this reader accepted; keep the fields read, without the line.
      const copy: Partial<LightRecord> = { ...light };
      delete copy.lineText;
      full = copy as LogRecord;
    }
    parsed.set(light as LightRecord, full);
  }
  return full;
}

/**
 * What a scan unit keeps of a sample: a light record with a known place in its file becomes a
 * {@link LineRef} (a few numbers instead of the line and its fields); any other record stays.
 */
export function sampleRef(r: LogRecord): LogRecord {
  const at = (r as Partial<LightRecord>).lineAt;
  if (at === undefined || typeof (r as Partial<LightRecord>).lineText !== 'string') return r;
  const ref: LineRef = { input: r.input, format: r.format, lineAt: at };
  return ref;
}

/** Whether a sample is a {@link LineRef} (its line still to be read). */
export function isLineRef(r: LogRecord): r is LineRef {
  const at = (r as Partial<LineRef>).lineAt;
  return at !== undefined && typeof (r as Partial<LightRecord>).lineText !== 'string';
}

/**
 * A copy of `s` that does not keep alive the line it was cut from: V8 keeps a slice of 13 or more
 * characters as a view of its parent, so one kept field would hold its whole line. For values a
 * scan keeps to the end (group keys, audit evidence), not for the records that pass through.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
