// Finds AWS error messages in free text (CLI, SDKs, raw S3 XML bodies, enhanced AccessDenied text) and turns each into a LogRecord.

import type { LogRecord } from '../model/input.js';
import { codeForMessage, KNOWN_CODES, PSEUDO_CODES, REASON_STATUS } from './codes.js';
import { collapseWhitespace, ENHANCED_RE_GLOBAL, parseEnhancedMessage } from './enhanced.js';
import { maskAccessKeyId, REDACTED, redactSecrets } from './redact.js';
import { urlDecode } from './url.js';

/*
 * Client output formats: the AWS CLI and SDK error output as printed (confirmed from public SDK/CLI issue threads) and
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html (XML body, error codes).
 */

/** What one client message tells about a failed call. */
interface ErrFields {
  errorCode?: string;
  httpStatus?: number;
  apiName?: string;
  message?: string;
  requestId?: string;
  hostId?: string;
  bucket?: string;
  key?: string;
  requester?: string;
  copySource?: string;
  details?: Record<string, string>;
}

/** A place in the text where one error message starts. */
interface Anchor {
  start: number;
  end: number;
  /** Whether extraction may look at the lines that follow (stack traces, printed objects). */
  window: boolean;
  fields: ErrFields;
  /** The client format's name (`xml`, `aws-cli`, ...). */
  kind: string;
}

type Extract = (m: RegExpExecArray) => ErrFields;

/** One client format: a pattern that starts an error message and how to read its groups. */
interface Pattern {
  name: string;
  re: RegExp;
  extract: Extract;
  /** Lines after the match belong to the same error (stack trace, printed object). */
  window?: boolean;
  /** Reject a match (e.g. a `Code: message` line whose code is not an AWS code). */
  accept?: (m: RegExpExecArray, text: string) => boolean;
}

/** Turns a code as a client printed it into code and/or status (numeric and reason-phrase codes mean "no body"). */
function codeOrStatus(code: string | undefined): Pick<ErrFields, 'errorCode' | 'httpStatus'> {
  if (!code) return {};
  const c = code.trim();
  if (/^\d{3}$/.test(c)) return { httpStatus: Number(c) };
  const m = /^(\d{3}) [A-Za-z ]+$/.exec(c); // Java v1 HEAD: `Error Code: 403 Forbidden`
  if (m) return { httpStatus: Number(m[1]) };
  if (c in PSEUDO_CODES) {
    const s = PSEUDO_CODES[c];
    return s === undefined ? {} : { httpStatus: s };
  }
  return { errorCode: c };
}

function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t === undefined || t === '' || t === 'null' || t === 'undefined' || t === 'None' ? undefined : t;
}

/** Client formats, most specific first. */
const PATTERNS: readonly Pattern[] = [
  {
    // AWS CLI v1/v2, botocore, boto3 ClientError.
    name: 'aws-cli',
    re: /An error occurred \(([^()\n]{1,256})\) when calling the (\w{1,128}) operation(?: \(reached max retries: \d+\))?: ?([^\n]*)/g,
    extract: (m) => ({ ...codeOrStatus(m[1]), apiName: m[2], message: nonEmpty(m[3]) }),
  },
  {
    // Very old AWS CLI.
    name: 'aws-cli-old',
    re: /A client error \(([^()\n]{1,256})\) occurred when calling the (\w{1,128}) operation: ?([^\n]*)/g,
    extract: (m) => ({ ...codeOrStatus(m[1]), apiName: m[2], message: nonEmpty(m[3]) }),
  },
  {
    // AWS SDK for Java v1.
    name: 'java-v1',
    re: /(?<!\S)(\S{0,256}Exception): ((?:(?!Exception: )[^\n]){0,2048}?) ?\(Service: ([^;()\n]{1,256}); Status Code: (\d{1,3}); Error Code: ([^;()\n]{1,256}); Request ID: (?=([^;)\n]{1,256}))\6(?:; (?:S3 )?Extended Request ID: (?=([^;)\n]{1,256}))\7)?(?=([^)\n]{0,1024}))\8\)/g,
    extract: (m) => {
      const code = codeOrStatus(m[5]);
      return {
        ...code,
        httpStatus: Number(m[4]),
        message: nonEmpty(m[2]),
        requestId: nonEmpty(m[6]),
        hostId: nonEmpty(m[7]),
      };
    },
    window: true,
  },
  {
    // AWS SDK for Java v2 (no error code printed: named from the message when it is a fixed one).
    name: 'java-v2',
    re: /(?<!\S)(\S{0,256}Exception): ((?:(?!Exception: )[^\n]){0,2048}?) ?\(Service: ([^,()\n]{1,256}), Status Code: (\d{1,3}), Request ID: (?=([^,)\n]{1,256}))\5(?:, Extended Request ID: (?=([^,)\n]{1,256}))\6)?(?=([^)\n]{0,1024}))\7\)/g,
    extract: (m) => ({
      httpStatus: Number(m[4]),
      message: nonEmpty(m[2]),
      requestId: nonEmpty(m[5]),
      hostId: nonEmpty(m[6]),
    }),
    window: true,
  },
  {
    // AWS SDK for Go v2.
    name: 'go-v2',
    re: /operation error ([\w .-]{1,128}?): (\w{1,128}), (?:exceeded maximum number of attempts, \d{1,6}, )?https response error StatusCode: (\d{1,3}), RequestID: ([^,\n]{0,256}), HostID: ([^,\n]{0,256}), (?:api error )?([\w.]{1,256}): ?([^\n]*)/g,
    extract: (m) => ({
      ...codeOrStatus(m[6]),
      httpStatus: Number(m[3]),
      apiName: m[2],
      requestId: nonEmpty(m[4]),
      hostId: nonEmpty(m[5]),
      message: nonEmpty(m[7]),
    }),
  },
  {
    // AWS SDK for Go v1: `Code: message` then a tab-indented `status code: N, request id: X, host id: Y`.
    name: 'go-v1',
    re: /^[ \t]*([A-Za-z][\w.]{0,255}): ([^\n]*)\r?\n[ \t]*status code: (\d{1,3}), request id: ([^,\n]{0,256})(?:, host id: ([^\n]*))?/gm,
    extract: (m) => ({
      ...codeOrStatus(m[1]),
      httpStatus: Number(m[3]),
      message: nonEmpty(m[2]),
      requestId: nonEmpty(m[4]),
      hostId: nonEmpty(m[5]),
    }),
  },
  {
    // AWS SDK for .NET, a response without a body (HEAD).
    name: 'dotnet-head',
    re: /Error making request with Error Code (\w{1,128}) and Http Status Code (\w{1,128})\. No further error information was returned by the service\.?/g,
    extract: (m) => ({
      ...codeOrStatus(m[1]),
      httpStatus: REASON_STATUS[m[2] ?? ''] ?? (/^\d{3}$/.test(m[2] ?? '') ? Number(m[2]) : undefined),
    }),
    window: true,
  },
  {
    // AWS SDK for .NET: `Amazon.S3.AmazonS3Exception: Access Denied`.
    name: 'dotnet',
    re: /^(?![ \t]*--->)[^\n]*?\bAmazon(?:\.[A-Za-z0-9]{1,64}){1,8}\.(\w{0,128}Exception): ?([^\n]*)/gm,
    extract: (m) => ({ message: nonEmpty(m[2]) }),
    window: true,
  },
  {
    // Raw S3 XML error body.
    name: 'xml',
    // The body stops at the next `<Error>` too, so a run of unclosed tags is read once, not once per tag.
    re: /<Error>((?:(?!<\/?Error>)[\s\S])*)<\/Error>/g,
    extract: (m) => fromXml(m[1] ?? ''),
  },
  {
    // SDK for JavaScript v3/v2 (and Node's printing of it): `AccessDenied: Access Denied` then a stack / object.
    name: 'js',
    re: /^[ \t]*(?:Uncaught )?(?:\w{1,128} \[)?([A-Za-z][\w.]{0,255}|\d{3})\]?(?: \[\w{1,128}\])?: ([^\n]*)$/gm,
    extract: (m) => ({ ...codeOrStatus(m[1]), message: nonEmpty(m[2]) }),
    window: true,
    accept: (m, text) => {
      const code = m[1] ?? '';
      if (KNOWN_CODES.has(code)) return true;
      if (!(code in PSEUDO_CODES) && !/^\d{3}$/.test(code)) return false;
      // A status or reason phrase as the name: only with SDK context right after it.
      const after = text.slice(m.index, m.index + 4000);
      if (/\$metadata|httpStatusCode|statusCode/.test(after)) return true;
      // A stack frame `at <token>` naming the SDK (each token read once: no rescans of long runs).
      for (const f of after.matchAll(/at (\S+)/g))
        if (/de_|deserializeAws|Request\.extractError|smithy|aws-sdk/.test(f[1] ?? '')) return true;
      return false;
    },
  },
  {
    // A printed or JSON-serialised SDK for JavaScript v3 error object without its first line.
    name: 'js-metadata',
    re: /["']?\$metadata["']?\s*:/g,
    extract: () => ({}),
    window: true,
  },
  {
    // Hadoop S3A (EMR, Glue, Databricks) when no SDK message on the line was recognised: S3A raises
    // AccessDeniedException for a 403 (hadoop-aws troubleshooting_s3a.md).
    name: 's3a',
    re: /\bjava\.nio\.file\.AccessDeniedException: s3[an]?:\/\//g,
    extract: () => ({ httpStatus: 403 }),
    window: true,
    // The SDK exception on the same line is the error (its anchor may start later on the line).
    accept: (m, text) => {
      const nl = text.indexOf('\n', m.index);
      const line = text.slice(m.index, Math.min(nl < 0 ? text.length : nl, m.index + 16384));
      return !line.includes('(Service: ') && !line.includes('operation error ');
    },
  },
  {
    // boto3 `e.response` printed as a dict or JSON.
    name: 'boto3-response',
    re: /["']Error["']\s*:\s*\{\s*["'](?:Code|Message)["']\s*:/g,
    extract: () => ({}),
    window: true,
  },
];

/** Reads the child elements of an S3 XML `<Error>` body; secret-bearing children are redacted. */
function fromXml(body: string): ErrFields {
  const tags: Record<string, string> = {};
  for (const t of body.matchAll(/<([A-Za-z][\w-]*)>([^<]*)<\/\1>/g)) {
    const name = t[1] ?? '';
    if (!(name in tags)) tags[name] = xmlUnescape(t[2] ?? '');
  }
  const f: ErrFields = { ...codeOrStatus(tags.Code) };
  f.message = nonEmpty(tags.Message);
  f.requestId = nonEmpty(tags.RequestId);
  f.hostId = nonEmpty(tags.HostId);
  f.bucket = nonEmpty(tags.BucketName);
  f.key = nonEmpty(tags.Key);
  const details: Record<string, string> = {};
  for (const [k, val] of Object.entries(tags)) {
    if (['Code', 'Message', 'RequestId', 'HostId'].includes(k)) continue;
    details[k] = redactDetail(k, val);
  }
  if (Object.keys(details).length > 0) f.details = details;
  return f;
}

/** XML error-body children that carry secrets or signing material. */
function redactDetail(name: string, value: string): string {
  if (
    /^(SignatureProvided|StringToSignBytes|CanonicalRequestBytes|SecretAccessKey|SessionToken)$/i.test(name)
  ) {
    return REDACTED;
  }
  if (/^AWSAccessKeyId$/i.test(name)) return maskAccessKeyId(value);
  return redactSecrets(value);
}

function xmlUnescape(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Fills fields the anchor did not give from the text of its window (printed objects, headers, stacks). */
function fromWindow(w: string, f: ErrFields): void {
  const kv = /["']?(\$?(?<![\w-])[A-Za-z][\w-]{0,255})["']?\s*[:=]\s*(?:"([^"\n]*)"|'([^'\n]*)'|(\d{3})\b)/g;
  const seen: Record<string, string> = {};
  for (const m of w.matchAll(kv)) {
    const k = (m[1] ?? '').toLowerCase();
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    if (!(k in seen)) seen[k] = value;
  }
  const code = seen.code ?? seen.errorcode ?? (KNOWN_CODES.has(seen.name ?? '') ? seen.name : undefined);
  if (code && f.errorCode === undefined) {
    const cs = codeOrStatus(code);
    if (cs.errorCode) f.errorCode = cs.errorCode;
    if (cs.httpStatus !== undefined && f.httpStatus === undefined) f.httpStatus = cs.httpStatus;
  }
  const status = seen.httpstatuscode ?? seen.statuscode;
  if (status && /^\d{3}$/.test(status) && f.httpStatus === undefined) f.httpStatus = Number(status);
  f.message ??= nonEmpty(seen.message ?? seen.errormessage);
  f.requestId ??= nonEmpty(seen.requestid ?? seen['x-amz-request-id']);
  f.hostId ??= nonEmpty(seen.extendedrequestid ?? seen.hostid ?? seen['x-amz-id-2']);
  f.bucket ??= nonEmpty(seen.bucketname ?? seen.bucket);
  // Headers printed without quotes (`x-amz-request-id: ABC`).
  if (!f.requestId) f.requestId = /x-amz-request-id["']?\s*[:=]\s*["']?([A-Z0-9]{8,})/i.exec(w)?.[1];
  if (!f.hostId) f.hostId = /x-amz-id-2["']?\s*[:=]\s*["']?([A-Za-z0-9+/=]{8,})/i.exec(w)?.[1];
  if (!f.requestId)
    f.requestId = /(?:Request ?ID|RequestId)["']?\s*[:=]\s*["']?([A-Z0-9]{16})\b/i.exec(w)?.[1];
  // .NET: `ErrorCode: AccessDenied`, `StatusCode: Forbidden` as plain text.
  if (f.errorCode === undefined) {
    const ec = /\bError ?Code["']?\s*[:=]\s*["']?([A-Za-z][\w.]+)/.exec(w)?.[1];
    if (ec) {
      const cs = codeOrStatus(ec);
      if (cs.errorCode) f.errorCode = cs.errorCode;
      if (cs.httpStatus !== undefined) f.httpStatus ??= cs.httpStatus;
    }
  }
  if (f.httpStatus === undefined) {
    const sc = /\bStatus ?Code["']?\s*[:=]\s*["']?([A-Za-z]+)\b/.exec(w)?.[1];
    if (sc && REASON_STATUS[sc]) f.httpStatus = REASON_STATUS[sc];
  }
  // Operation from a JS SDK v3 stack (`de_GetObjectCommand`, `deserializeAws_restXmlGetObjectCommandError`) or command name.
  if (!f.apiName) {
    f.apiName =
      /\bde_([A-Z]\w{0,127}?)Command\b/.exec(w)?.[1] ??
      /deserializeAws_(?:restXml|restJson1|json1_1|query|ec2)([A-Z]\w{0,127}?)Command(?:Error)?\b/.exec(
        w,
      )?.[1] ??
      /\b([A-Z][A-Za-z0-9]{1,127}?)Command\b/.exec(w)?.[1] ??
      /when calling the (\w+) operation/.exec(w)?.[1];
  }
}

/** Bucket and key from `s3://bucket/key`. */
function s3Url(u: string): { bucket: string; key?: string } | undefined {
  const m = /^s3:\/\/([^/\s]+)(?:\/(\S*))?$/.exec(u);
  if (!m) return undefined;
  const key = m[2];
  return key ? { bucket: m[1] ?? '', key } : { bucket: m[1] ?? '' };
}

/** `aws s3 cp/sync/mv/rm` prefixes on the line of the error: they name the bucket and key. */
function fromCliPrefix(lineText: string, f: ErrFields): void {
  const m =
    /\b(upload|download|copy|move|delete) failed: (.{0,4096}?)(?: An error occurred| A client error|$)/.exec(
      lineText,
    );
  if (!m) return;
  // Local paths may hold spaces; the S3 URLs are taken as the space-free tokens starting with s3://.
  const rest = m[2] ?? '';
  const urls = [...rest.matchAll(/s3:\/\/\S+/g)].map((u) => s3Url(u[0]));
  const s = rest.startsWith('s3://') ? urls[0] : undefined;
  const d = rest.startsWith('s3://') ? urls[1] : urls[0];
  const target = m[1] === 'upload' ? d : m[1] === 'download' || m[1] === 'delete' ? s : (d ?? s);
  if (target) {
    f.bucket ??= target.bucket;
    if (target.key !== undefined) f.key ??= target.key;
  }
  if ((m[1] === 'copy' || m[1] === 'move') && s && d && s.key) f.copySource = `${s.bucket}/${s.key}`;
}

/** Offsets where each line starts, for line numbers. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Longest stretch after an anchor that may still belong to its error (a JS stack plus the printed object). */
const WINDOW_CHARS = 6000;

/** Options for {@link parseErrorText}. */
export interface ErrorTextOptions {
  /** Line number of the text's first line within its source (default 1). */
  firstLine?: number;
  /** Fallback: a bare known message (`Access Denied`) with no client wrapper still makes a record (default true). */
  bareMessages?: boolean;
}

/**
 * Finds every AWS error message in `text` and returns one record per error (format
 * `error-message`): error code, HTTP status, API name, message (whitespace-collapsed, secrets
 * redacted), enhanced-message facts, request and host ids, bucket/key when the text names them.
 * Several errors in one paste give several records. Never throws.
 */
export function parseErrorText(text: string, source: string, opts: ErrorTextOptions = {}): LogRecord[] {
  try {
    return parseErrorTextUnsafe(text, source, opts);
  } catch {
    return [];
  }
}

function parseErrorTextUnsafe(text: string, source: string, opts: ErrorTextOptions): LogRecord[] {
  // Spans already taken, sorted by start and non-overlapping. Each pattern's matches come in order,
  // so one walk checks them and one merge adds them: linear in the number of errors.
  let taken: Anchor[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    const added: Anchor[] = [];
    let j = 0;
    for (const m of text.matchAll(p.re)) {
      const start = m.index;
      const end = start + m[0].length;
      while (j < taken.length && (taken[j] as Anchor).end <= start) j++;
      const t = taken[j];
      if (t !== undefined && t.start < end) continue;
      if (p.accept && !p.accept(m, text)) continue;
      added.push({ start, end, window: p.window === true, fields: p.extract(m), kind: p.name });
    }
    if (added.length > 0) taken = mergeByStart(taken, added);
  }
  const anchors = taken;
  anchors.sort((a, b) => a.start - b.start);
  // Secondary anchors (bare $metadata objects, boto3 dicts) inside an earlier anchor's window are part of it.
  const merged: Anchor[] = [];
  let prevEnd = -1; // the last merged anchor's window end, computed once (not once per anchor inside it)
  for (const a of anchors) {
    const prev = merged[merged.length - 1];
    const isBare = Object.keys(a.fields).length === 0;
    if (prev && isBare && prev.window) {
      if (prevEnd < 0) prevEnd = windowEndOf(text, prev, text.length);
      if (a.start < prevEnd) continue;
    }
    merged.push(a);
    prevEnd = -1;
  }
  // Enhanced messages not inside any anchor's own text or window are errors of their own.
  const bounds = (i: number): [number, number] => {
    const a = merged[i] as Anchor;
    const next = merged[i + 1]?.start ?? text.length;
    return [
      a.start,
      a.window ? windowEndOf(text, a, next) : Math.max(a.end, lineEndWithin(text, a.start, next)),
    ];
  };
  const covered = merged.map((_a, i) => bounds(i));
  ENHANCED_RE_GLOBAL.lastIndex = 0;
  for (const m of text.matchAll(ENHANCED_RE_GLOBAL)) {
    if (isCovered(covered, m.index)) continue;
    merged.push({
      start: m.index,
      end: m.index + m[0].length,
      window: false,
      fields: { errorCode: 'AccessDenied', message: m[0] },
      kind: 'enhanced',
    });
  }
  merged.sort((a, b) => a.start - b.start);

  const starts = lineStarts(text);
  const first = opts.firstLine ?? 1;
  const records: LogRecord[] = [];
  const kinds: string[] = [];
  for (let i = 0; i < merged.length; i++) {
    const a = merged[i] as Anchor;
    const f: ErrFields = { ...a.fields };
    const next = merged[i + 1]?.start ?? text.length;
    const lineStart = starts[lineOf(starts, a.start) - 1] ?? 0;
    const windowEnd = a.window ? windowEndOf(text, a, next) : lineEndWithin(text, a.end, next);
    const w = text.slice(a.start, Math.max(windowEnd, a.end));
    // The CLI prefix sits on the anchor's line; read at most CLI_PREFIX_CHARS either side (lines may be megabytes).
    fromCliPrefix(
      text.slice(
        Math.max(lineStart, a.start - CLI_PREFIX_CHARS),
        lineEndWithin(text, a.start, a.start + CLI_PREFIX_CHARS),
      ),
      f,
    );
    fromWindow(w, f);
    const enhanced = parseEnhancedMessage(f.message) ?? parseEnhancedMessage(w);
    records.push(toRecord(f, enhanced, source, first + lineOf(starts, a.start) - 1));
    kinds.push(a.kind);
  }
  if (records.length === 0 && opts.bareMessages !== false) {
    const bare = bareMessage(text);
    if (bare) records.push(toRecord(bare.fields, undefined, source, first + lineOf(starts, bare.index) - 1));
  }
  return dedupe(records, kinds);
}

/** A windowed anchor's text ends at the next anchor, a blank line, or {@link WINDOW_CHARS}. */
function windowEndOf(text: string, a: Anchor, next: number): number {
  const limit = Math.min(next, a.start + WINDOW_CHARS, text.length);
  // Bounded scans: indexOf would run on to the end of a one-line file for every anchor.
  for (let nl = lineEndWithin(text, a.end, limit); nl < limit; nl = lineEndWithin(text, nl + 1, limit)) {
    let j = nl + 1;
    while (j < limit && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 13))
      j++;
    if (j < text.length && text.charCodeAt(j) === 10) return nl;
  }
  return limit;
}

/** Merges two lists sorted by start. */
function mergeByStart(a: Anchor[], b: Anchor[]): Anchor[] {
  const out: Anchor[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.start <= y.start)) {
      out.push(x as Anchor);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}

/** Whether `pos` lies in one of the spans (sorted by start; spans may overlap). */
function isCovered(spans: readonly [number, number][], pos: number): boolean {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[mid] as [number, number])[0] <= pos) lo = mid + 1;
    else hi = mid;
  }
  // Spans starting at or before pos: the window of one of the last few may reach it.
  for (let i = lo - 1; i >= 0 && i >= lo - 4; i--) {
    const [s, e] = spans[i] as [number, number];
    if (pos >= s && pos < e) return true;
  }
  return false;
}

/** The end of the line at `pos`, looking no further than `limit` (so k anchors on one long line cost k short scans). */
function lineEndWithin(text: string, pos: number, limit: number): number {
  const end = Math.min(limit, text.length);
  for (let i = pos; i < end; i++) if (text.charCodeAt(i) === 10) return i;
  return Math.max(pos, end);
}

/** How far around an anchor the `aws s3 cp ... failed:` prefix is looked for. */
const CLI_PREFIX_CHARS = 8192;

/** A bare fixed message (`Access Denied`, `The provided token has expired.`, `403 Forbidden`) with no client wrapper. */
function bareMessage(text: string): { index: number; fields: ErrFields } | undefined {
  const m =
    /\b(Access Denied(?: because object protected by object lock)?|Request has expired|The provided token has expired|The provided token is malformed or otherwise invalid|The AWS Access Key Id you provided does not exist in our records|The request signature we calculated does not match the signature you provided|The difference between the request time and the current time is too large|The bucket does not allow ACLs|All access to this Amazon S3 resource has been disabled)\.?/.exec(
      text,
    );
  if (m) {
    const code =
      codeForMessage(m[1]) ??
      (/signature we calculated/.test(m[1] ?? '') ? 'SignatureDoesNotMatch' : undefined);
    return { index: m.index, fields: { errorCode: code, message: m[0] } };
  }
  const f = /\b403 Forbidden\b/.exec(text);
  if (f) return { index: f.index, fields: { httpStatus: 403, message: 'Forbidden' } };
  return undefined;
}

function toRecord(
  f: ErrFields,
  enhanced: LogRecord['enhanced'] | undefined,
  source: string,
  line: number,
): LogRecord {
  const r: LogRecord = { input: { source, line }, format: 'error-message' };
  const message = f.message === undefined ? undefined : redactSecrets(collapseWhitespace(f.message));
  const code = f.errorCode ?? codeForMessage(message);
  if (code) r.errorCode = code;
  if (f.httpStatus !== undefined && Number.isFinite(f.httpStatus)) r.httpStatus = f.httpStatus;
  if (f.apiName) r.apiName = f.apiName;
  if (message) r.errorMessage = message;
  if (f.requestId) r.requestId = redactSecrets(f.requestId);
  if (f.hostId) r.hostId = redactSecrets(f.hostId);
  if (enhanced) {
    r.enhanced = enhanced;
    r.requester ??= enhanced.principalArn;
    const res = /^arn:aws[\w-]*:s3:::([^/]+)(?:\/(.+))?$/s.exec(enhanced.resource);
    if (res) {
      f.bucket ??= res[1];
      if (res[2] !== undefined) f.key ??= res[2];
    }
  }
  if (f.bucket) r.bucket = f.bucket;
  if (f.key !== undefined) r.key = f.key.includes('%') ? urlDecode(f.key, false) : f.key;
  if (f.copySource) r.headers = { 'x-amz-copy-source': f.copySource };
  if (f.details) r.errorDetails = f.details;
  return r;
}

/** Merges records that are the same error printed twice (same request id), e.g. a CLI `--debug` XML body and its summary line. */
function dedupe(records: LogRecord[], kinds: readonly string[]): LogRecord[] {
  const out: LogRecord[] = [];
  const byId = new Map<string, LogRecord>();
  let lastXml: LogRecord | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as LogRecord;
    let prev = r.requestId === undefined ? undefined : byId.get(r.requestId);
    // `aws --debug` / boto3 debug output: the XML body first, the client's one-line summary later.
    if (
      !prev &&
      lastXml &&
      kinds[i] !== 'xml' &&
      r.requestId === undefined &&
      r.errorCode !== undefined &&
      r.errorCode === lastXml.errorCode &&
      (r.input.line ?? 0) - (lastXml.input.line ?? 0) <= 200
    ) {
      prev = lastXml;
      lastXml = undefined;
    }
    if (!prev) {
      out.push(r);
      if (r.requestId !== undefined) byId.set(r.requestId, r);
      if (kinds[i] === 'xml') lastXml = r;
      continue;
    }
    // The client's summary names the operation and the line users look at; the XML body adds ids and details.
    for (const [k, val] of Object.entries(r) as [keyof LogRecord, unknown][]) {
      if (prev[k] === undefined || k === 'apiName') (prev as unknown as Record<string, unknown>)[k] = val;
    }
  }
  return out;
}

/** Quick test whether text may hold an AWS error (for format detection). */
export function mayHoldAwsError(text: string): boolean {
  return /An error occurred \(|A client error \(|\(Service: |operation error |status code: \d{3}|<Error>|is not authorized to perform|Exception: |\$metadata|Access Denied|AccessDenied|ExpiredToken|InvalidAccessKeyId|SignatureDoesNotMatch|RequestTimeTooSkewed|403 Forbidden|Error making request with Error Code/.test(
    text,
  );
}
