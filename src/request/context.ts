// A request-context builder that keeps three states per key (present with a value, known absent,
// unknown), plus small decoders for the log fields that feed context keys.

import type { ContextValue } from '../model/request.js';

/**
 * Collects what the input says about each condition key. Keys never set are unknown when they
 * are among the candidates; `absent` records that the input proves the key is not in the request.
 */
export class ContextBuilder {
  readonly present: Record<string, ContextValue> = {};
  private readonly absentKeys = new Set<string>();

  /** The key is in the request with this value (`undefined` leaves the key untouched). */
  set(key: string, value: ContextValue | undefined): void {
    if (value === undefined) return;
    this.present[key] = value;
    this.absentKeys.delete(key);
  }

  /** The input proves the key is not in the request. */
  absent(...keys: string[]): void {
    for (const k of keys) if (!(k in this.present)) this.absentKeys.add(k);
  }

  /** Whether the key has been decided (present or absent). */
  known(key: string): boolean {
    return key in this.present || this.absentKeys.has(key);
  }

  /** A copy, for per-authorization additions. */
  clone(): ContextBuilder {
    const c = new ContextBuilder();
    Object.assign(c.present, this.present);
    for (const k of this.absentKeys) c.absentKeys.add(k);
    return c;
  }

  /** Candidates (sorted, unique) that are neither present nor absent: the unknown keys, in order. */
  unknownAmong(candidates: readonly string[]): string[] {
    const out: string[] = [];
    for (const k of candidates) if (!(k in this.present) && !this.absentKeys.has(k)) out.push(k);
    return out;
  }
}

/** `TLSv1.2` -> `1.2`, `TLSv1` -> `1.0` (case-insensitive, as the access-log docs' own example writes `TLSV1.2`). */
export function tlsVersionNumber(tls: string | undefined): string | undefined {
  if (!tls) return undefined;
  const m = /^TLSv?(\d+)(?:\.(\d+))?$/i.exec(tls.trim());
  if (!m) return undefined;
  return `${m[1]}.${m[2] ?? '0'}`;
}

/** `SigV4` -> `AWS4-HMAC-SHA256`, `SigV2` -> `AWS` (s3:signatureversion). */
export function signatureVersionKey(sig: string | undefined): string | undefined {
  if (!sig) return undefined;
  const s = sig.trim().toLowerCase();
  if (s === 'sigv4' || s === 'aws4-hmac-sha256') return 'AWS4-HMAC-SHA256';
  if (s === 'sigv2' || s === 'aws') return 'AWS';
  return undefined;
}

/** `AuthHeader` -> `REST-HEADER`, `QueryString` -> `REST-QUERY-STRING` (s3:authType). */
export function authTypeKey(auth: string | undefined): string | undefined {
  if (!auth) return undefined;
  const s = auth.trim().toLowerCase();
  if (s === 'authheader' || s === 'rest-header') return 'REST-HEADER';
  if (s === 'querystring' || s === 'rest-query-string') return 'REST-QUERY-STRING';
  if (s === 'post') return 'POST';
  return undefined;
}

/** Whether a string is an IPv4 or IPv6 address. */
export function isIpAddress(s: string): boolean {
  return parseIpv4(s) !== undefined || (/^[0-9a-f:]+(?:%\w+)?$/i.test(s) && s.includes(':'));
}

function parseIpv4(s: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? parts : undefined;
}

/**
 * RFC 1918 private IPv4 ranges (10/8, 172.16/12, 192.168/16): S3 sees such a source address only
 * for traffic through a VPC endpoint (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html). https://www.rfc-editor.org/rfc/rfc1918
 */
export function isPrivateIpv4(s: string): boolean {
  const p = parseIpv4(s);
  if (!p) return false;
  const [a, b] = p as [number, number, number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** `20261124T100000Z` -> ISO 8601, or `undefined`. */
export function amzDateToIso(d: string | undefined): string | undefined {
  if (!d) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(d.trim());
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** Milliseconds since epoch of an ISO time, or `undefined`. */
export function timeMs(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** ISO 8601 without milliseconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Decode an `x-amz-tagging` value (`k1=v1&k2=v2`, URL-encoded) into a tag map. */
export function parseTagging(v: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of v.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const k = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    if (k === '') continue;
    tags[k] = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
  }
  return tags;
}

/** `decodeURIComponent` that treats `+` as a space and never throws. */
export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
