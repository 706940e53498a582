// URL decoding that never throws, request-URI splitting and query-string parsing for log records.

import { redactQueryValue, redactUri } from './redact.js';

/**
 * Decodes `%XX` escapes (as UTF-8) and, when `plusIsSpace`, `+` as a space. Invalid escapes are
 * kept literally; never throws. S3 access logs write spaces in keys as `+` or `%20`
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html).
 */
export function urlDecode(s: string, plusIsSpace = true): string {
  const hasPct = s.includes('%');
  if (!hasPct && !(plusIsSpace && s.includes('+'))) return s;
  const t = plusIsSpace ? s.replace(/\+/g, ' ') : s;
  if (!hasPct) return t;
  try {
    return decodeURIComponent(t);
  } catch {
    return decodeLenient(t);
  }
}

/** Byte-wise decoder for strings with some invalid `%` escapes. */
function decodeLenient(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length + 0 && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const cp = s.codePointAt(i) ?? c;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
      if (cp > 0xffff) i++;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Parses a query string (without `?`) into decoded name/value pairs, with secrets redacted
 * (signatures, tokens; the key id in `X-Amz-Credential` is masked). A name without `=` maps to
 * `''` (sub-resources such as `acl`, `policy`). The first occurrence of a repeated name wins.
 */
export function parseQuery(qs: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (qs === '') return out;
  for (const part of qs.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = urlDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : urlDecode(part.slice(eq + 1));
    if (name in out) continue;
    out[name] = redactQueryValue(name, value);
  }
  return out;
}

/** A request line split into its parts; the URI is redacted. */
export interface RequestLine {
  method?: string;
  /** Path and query as logged (still URL-encoded), secrets redacted. */
  uri?: string;
  /** Decoded path (`+` kept literally in paths is decoded as a space, as S3 logs it). */
  path?: string;
  query?: Record<string, string>;
  protocol?: string;
}

/**
 * Splits `GET /bucket/key?x=1 HTTP/1.1` into method, URI, decoded path, query and protocol.
 * Accepts a URI alone (`/key?x=1`) or an absolute URL (`https://host/key`).
 */
export function splitRequestLine(line: string): RequestLine {
  const out: RequestLine = {};
  let rest = line.trim();
  if (rest === '' || rest === '-') return out;
  const m = /^([A-Z]+) (.*)$/.exec(rest);
  if (m) {
    out.method = m[1];
    rest = m[2] ?? '';
  }
  const p = / (HTTP\/[\d.]+)$/.exec(rest);
  if (p) {
    out.protocol = p[1];
    rest = rest.slice(0, p.index);
  }
  const abs = /^https?:\/\/[^/]+/i.exec(rest);
  const target = abs ? rest.slice(abs[0].length) || '/' : rest;
  out.uri = redactUri(rest);
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  out.path = urlDecode(rawPath);
  if (q >= 0) out.query = parseQuery(target.slice(q + 1));
  return out;
}
