// Groups denied records for triage (pure, no I/O): by principal, action, bucket, key prefix and error code.

import type { InputSource, LogRecord, TriageGroup } from '../model/index.js';

/** What identifies a group. */
export interface GroupKey {
  principal: string;
  action: string;
  bucket: string;
  keyPrefix: string;
  errorCode: string;
}

/** A group being built: the key, counts, time span, the first record seen as its sample. */
export interface GroupAccumulator extends GroupKey {
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  sample: InputSource;
  /** The first record of the group, kept so the group can be diagnosed once. */
  sampleRecord: LogRecord;
}

/** How to name a record's action: an injected lookup (operation table), falling back to the raw names. */
export type ActionOf = (r: LogRecord) => string;

/** The first path segment of a key plus `/` (`finance/2026/q3.csv` -> `finance/`); `` for top-level keys or none. */
export function keyPrefix(key: string | undefined): string {
  if (!key) return '';
  const i = key.indexOf('/');
  return i < 0 ? '' : key.slice(0, i + 1);
}

/** The principal as a group shows it: the ARN (or enhanced message's ARN), `anonymous`, or the raw requester. */
export function principalOf(r: LogRecord): string {
  if (r.enhanced?.principalArn) return r.enhanced.principalArn;
  const q = r.requester?.trim();
  if (!q || q === '-') return 'anonymous';
  return q;
}

/** Fallback action naming when no operation table is injected. */
export function rawActionOf(r: LogRecord): string {
  if (r.enhanced?.action) return r.enhanced.action;
  if (r.apiName) return `s3:${r.apiName}`;
  return r.logOperation ?? 'unknown';
}

/** The group key of one record. */
export function groupKeyOf(r: LogRecord, actionOf: ActionOf = rawActionOf): GroupKey {
  return {
    principal: principalOf(r),
    action: actionOf(r),
    bucket: r.bucket ?? '-',
    keyPrefix: keyPrefix(r.key),
    errorCode: r.errorCode ?? (r.httpStatus !== undefined ? String(r.httpStatus) : 'AccessDenied'),
  };
}

/** Accumulates records into groups; streaming-friendly (memory grows with groups, not records). */
export class TriageGrouper {
  private readonly groups = new Map<string, GroupAccumulator>();
  private readonly actionCache = new Map<string, string>();
  /** Records added so far. */
  total = 0;

  constructor(private readonly actionOf: ActionOf = rawActionOf) {}

  private action(r: LogRecord): string {
    const k = `${r.logOperation ?? ''}\u0000${r.apiName ?? ''}\u0000${r.enhanced?.action ?? ''}\u0000${r.key ? 'k' : ''}\u0000${r.versionId ? 'v' : ''}`;
    let a = this.actionCache.get(k);
    if (a === undefined) {
      a = this.actionOf(r);
      this.actionCache.set(k, a);
    }
    return a;
  }

  /** Adds one denied record. */
  add(r: LogRecord): void {
    this.total += 1;
    const key: GroupKey = { ...groupKeyOf(r, () => this.action(r)) };
    const id = `${key.principal}\u0000${key.action}\u0000${key.bucket}\u0000${key.keyPrefix}\u0000${key.errorCode}`;
    const g = this.groups.get(id);
    if (!g) {
      this.groups.set(id, {
        ...key,
        count: 1,
        ...(r.time ? { firstSeen: r.time, lastSeen: r.time } : {}),
        sample: r.input,
        sampleRecord: r,
      });
      return;
    }
    g.count += 1;
    if (r.time) {
      if (g.firstSeen === undefined || r.time < g.firstSeen) g.firstSeen = r.time;
      if (g.lastSeen === undefined || r.time > g.lastSeen) g.lastSeen = r.time;
    }
  }

  /** The groups, most frequent first (ties: earliest first seen, then key order). */
  ranked(): GroupAccumulator[] {
    return [...this.groups.values()].sort(
      (a, b) =>
        b.count - a.count ||
        (a.firstSeen ?? '').localeCompare(b.firstSeen ?? '') ||
        `${a.principal}${a.action}${a.bucket}${a.keyPrefix}`.localeCompare(
          `${b.principal}${b.action}${b.bucket}${b.keyPrefix}`,
        ),
    );
  }
}

/** A finished group in the contract's shape (without the kept record). */
export function toTriageGroup(g: GroupAccumulator): TriageGroup {
  const { sampleRecord: _r, ...rest } = g;
  return {
    count: rest.count,
    principal: rest.principal,
    action: rest.action,
    bucket: rest.bucket,
    keyPrefix: rest.keyPrefix,
    errorCode: rest.errorCode,
    ...(rest.firstSeen ? { firstSeen: rest.firstSeen } : {}),
    ...(rest.lastSeen ? { lastSeen: rest.lastSeen } : {}),
    sample: rest.sample,
  };
}
