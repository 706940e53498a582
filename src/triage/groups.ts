// Groups denied records for triage (pure, no I/O): by principal, action, bucket, key prefix and error code, with timelines.

import type { InputSource, LogRecord, TriageGroup, TriageTimeline } from '../model/index.js';
import { detach, sampleRef } from './light-record.js';

/** What identifies a group. */
export interface GroupKey {
  principal: string;
  action: string;
  bucket: string;
  keyPrefix: string;
  errorCode: string;
}

/** A group being built: the key, counts, time span, timeline and the first record seen as its sample. */
export interface GroupAccumulator extends GroupKey {
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  sample: InputSource;
  /** The first record of the group, kept so the group can be diagnosed once (a range scan keeps only where its line is; see `ScanOutcome.samples`). */
  sampleRecord: LogRecord;
  /** Denials per time bucket: key = hours, days or months since 1970, UTC (see {@link bucketOf}). */
  timeline: Map<number, number>;
  /** Resolution of the timeline keys. */
  resolution: TimelineResolution;
}

/** Time bucket size of a group timeline. */
export type TimelineResolution = 'hour' | 'day' | 'month';

/** Limits that keep the group table bounded whatever the input size. */
export const GROUP_LIMITS = {
  /**
   * Most distinct groups kept, each with its exact count; later new keys are counted in one overflow
   * group. A kept group costs some 1 KB (key, counts, timeline, where its sample line is) and as much
   * again in the report: 50,000 keeps `triage` within 250 MB peak RSS (measured 249 MB at 49,991 groups).
   */
  maxGroups: 50_000,
  /**
   * Most distinct groups a scan unit (one byte range or file set, merged later) keeps: more than
   * {@link maxGroups}, because a key the merged table keeps may come late in a unit that already
   * saw many others; while no unit overflows its own table, the merged table equals one pass's.
   */
  maxUnitGroups: 100_000,
  /**
   * Timelines are hourly while a table's denials span at most this many hours, then daily while
   * they span at most {@link GROUP_LIMITS.maxDaySpan} days, then monthly: a group's timeline stays
   * short whatever the input (a sparkline has some 48 columns).
   */
  maxHourSpan: 7 * 24,
  maxDaySpan: 400,
} as const;

/** The key of the overflow group that counts denials once {@link GROUP_LIMITS.maxGroups} is reached. */
export const OVERFLOW_KEY: GroupKey = {
  principal: '(other principals)',
  action: '(other)',
  bucket: '(other)',
  keyPrefix: '',
  errorCode: '(other)',
};

/** How to name a record's action: an injected lookup (operation table), falling back to the raw names. */
export type ActionOf = (r: LogRecord) => string;

/** The first path segment of a key plus `/` (`finance/2026/q3.csv` -> `finance/`); `` for top-level keys or none. */
export function keyPrefix(key: string | undefined): string {
  if (!key) return '';
  const i = key.indexOf('/');
  return i < 0 ? '' : key.slice(0, i + 1);
}

const SESSION_ARN = /^(arn:[\w-]+:sts::\d{12}:assumed-role\/[^/]+\/).+$/;

/**
 * The principal as a group shows it: the ARN (or enhanced message's ARN), `anonymous`, or the raw
 * requester. Assumed-role sessions group by role (`.../assumed-role/app/*`): every session of one
 * role meets the same policies, so their denials are one problem; the sample keeps the session.
 */
export function principalOf(r: LogRecord): string {
  const q = r.enhanced?.principalArn ?? r.requester?.trim();
  if (!q || q === '-') return r.identity?.type ? identityName(r.identity) : 'anonymous';
  if (!q.startsWith('arn:')) return q;
  let p = principals.get(q);
  if (p === undefined) {
    const m = SESSION_ARN.exec(q);
    p = detach(m ? `${m[1]}*` : q);
    if (principals.size >= 10_000) principals.clear();
    principals.set(detach(q), p);
  }
  return p;
}
/**
 * A CloudTrail caller without an ARN, named as CloudTrail names it (userIdentity.type): another
 * account's caller by its account (`AWSAccount`, or `anonymous` for an unsigned request), a service
 * by `invokedBy` (`AWSService`), others by type and user name, principal id or account. The words
 * match the diagnosis (s3/principal.ts principalLabel).
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
function identityName(id: NonNullable<LogRecord['identity']>): string {
  if (id.type === 'AWSAccount')
    return id.accountId && id.accountId !== 'anonymous'
      ? `a principal of account ${id.accountId}`
      : 'anonymous';
  if (id.type === 'AWSService') return id.invokedBy ? `service:${id.invokedBy}` : 'service';
  const who = id.userName ?? id.principalId ?? id.accountId;
  return who ? `${id.type}:${who}` : (id.type ?? 'anonymous');
}

/** ARN -> principal as groups show it (every record asks, grouping and auditing; few distinct). */
const principals = new Map<string, string>();

/** Fallback action naming when no operation table is injected. */
export function rawActionOf(r: LogRecord): string {
  if (r.enhanced?.action) return r.enhanced.action;
  if (r.apiName) return `s3:${r.apiName}`;
  return r.logOperation ?? 'unknown';
}

/** The error code a group shows: the S3 error code, else the HTTP status, else AccessDenied. */
export function errorCodeOf(r: LogRecord): string {
  return r.errorCode ?? (r.httpStatus !== undefined ? String(r.httpStatus) : 'AccessDenied');
}

/** The group key of one record. */
export function groupKeyOf(r: LogRecord, actionOf: ActionOf = rawActionOf): GroupKey {
  return {
    principal: principalOf(r),
    action: actionOf(r),
    bucket: r.bucket ?? '-',
    keyPrefix: keyPrefix(r.key),
    errorCode: errorCodeOf(r),
  };
}

const HOUR_MS = 3_600_000;

/** Hours since 1970 (UTC) of an ISO time, or `undefined` for a missing or odd time. */
export function hourOf(time: string | undefined): number | undefined {
  if (!time || time.length < 13 || time[4] !== '-' || time[7] !== '-' || time[10] !== 'T') return undefined;
  const n = (from: number, to: number): number => {
    let v = 0;
    for (let i = from; i < to; i++) {
      const c = time.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      v = v * 10 + c;
    }
    return v;
  };
  const hour = Date.UTC(n(0, 4), n(5, 7) - 1, n(8, 10), n(11, 13)) / HOUR_MS;
  return Number.isFinite(hour) ? hour : undefined;
}

/** The timeline bucket of hour `h` (see {@link hourOf}): hours, days or months since 1970, UTC. */
export function bucketOf(h: number, res: TimelineResolution): number {
  if (res === 'hour') return h;
  if (res === 'day') return Math.floor(h / 24);
  const d = new Date(h * HOUR_MS);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

/** The first hour of a bucket. */
function bucketHour(b: number, res: TimelineResolution): number {
  if (res === 'hour') return b;
  if (res === 'day') return b * 24;
  return Date.UTC(1970 + Math.floor(b / 12), b % 12, 1) / HOUR_MS;
}

/** The report's key of a timeline bucket: `2026-11-01T13` (hour), `2026-11-01` (day) or `2026-11` (month). */
export function bucketKey(b: number, res: TimelineResolution): string {
  const iso = new Date(bucketHour(b, res) * HOUR_MS).toISOString();
  return iso.slice(0, res === 'hour' ? 13 : res === 'day' ? 10 : 7);
}

const LEVEL: Readonly<Record<TimelineResolution, number>> = { hour: 0, day: 1, month: 2 };

/** The resolution of timelines over a span of `hours`. */
function resolutionFor(hours: number): TimelineResolution {
  if (hours <= GROUP_LIMITS.maxHourSpan) return 'hour';
  return hours <= GROUP_LIMITS.maxDaySpan * 24 ? 'day' : 'month';
}

/** Re-keys a timeline to a coarser resolution. */
function coarsen(
  t: Map<number, number>,
  from: TimelineResolution,
  to: TimelineResolution,
): Map<number, number> {
  const out = new Map<number, number>();
  for (const [k, v] of t) {
    const b = bucketOf(bucketHour(k, from), to);
    out.set(b, (out.get(b) ?? 0) + v);
  }
  return out;
}

function idOf(k: GroupKey): string {
  return `${k.principal}\u0000${k.action}\u0000${k.bucket}\u0000${k.keyPrefix}\u0000${k.errorCode}`;
}

/** A group table in a form that can cross a worker boundary (structured clone) and be merged. */
export interface GroupTableState {
  total: number;
  groups: GroupAccumulator[];
  /** First and last hour (see {@link hourOf}) of the table's denials, which set its resolution. */
  hours?: [number, number];
}

/** Accumulates records into groups; streaming-friendly (memory grows with groups, not records, and is capped). */
export class TriageGrouper {
  private readonly groups = new Map<string, GroupAccumulator>();
  private readonly actionCache = new Map<string, string>();
  /** Denials added so far (with weights). */
  total = 0;
  /** First and last hour of the denials, and the timelines' resolution for that span. */
  private minHour = Infinity;
  private maxHour = -Infinity;
  private resolution: TimelineResolution = 'hour';

  /** Widens the table's span to `from..to` (hours); a span past a limit coarsens every timeline. */
  private widen(from: number, to: number): void {
    if (from < this.minHour) this.minHour = from;
    if (to > this.maxHour) this.maxHour = to;
    const want = resolutionFor(this.maxHour - this.minHour);
    if (LEVEL[want] <= LEVEL[this.resolution]) return;
    this.resolution = want;
    for (const g of this.groups.values()) this.fit(g);
  }

  /** Brings a group's timeline to the table's resolution (a coarser group coarsens the table). */
  private fit(g: GroupAccumulator): void {
    if (g.resolution === this.resolution) return;
    if (LEVEL[g.resolution] > LEVEL[this.resolution]) {
      this.resolution = g.resolution;
      for (const x of this.groups.values()) if (x !== g) this.fit(x);
      return;
    }
    g.timeline = coarsen(g.timeline, g.resolution, this.resolution);
    g.resolution = this.resolution;
  }

  /** @param actionOf names a record's action (called once per distinct operation shape) */
  constructor(
    private readonly actionOf: ActionOf = rawActionOf,
    /** Most distinct groups kept before new keys go to the overflow group. */
    private readonly maxGroups: number = GROUP_LIMITS.maxGroups,
  ) {}

  private action(r: LogRecord): string {
    const k = `${r.logOperation ?? ''}\u0000${r.apiName ?? ''}\u0000${r.httpMethod ?? ''}\u0000${r.enhanced?.action ?? ''}\u0000${r.key !== undefined ? 'k' : ''}\u0000${r.versionId ? 'v' : ''}\u0000${r.query ? Object.keys(r.query).sort().join('&') : ''}`;
    let a = this.actionCache.get(k);
    if (a === undefined) {
      a = this.actionOf(r);
      if (this.actionCache.size < 10000) this.actionCache.set(k, a);
    }
    return a;
  }

  /**
   * Adds one denied record. `weight` counts it several times (an Athena result row that stands for a
   * group); `firstSeen`/`lastSeen` widen the span beyond the record's own time.
   */
  add(r: LogRecord, weight = 1, span?: { firstSeen?: string; lastSeen?: string }): void {
    this.total += weight;
    let key = groupKeyOf(r, (x) => this.action(x));
    let id = idOf(key);
    let g = this.groups.get(id);
    if (!g && this.groups.size >= this.maxGroups) {
      key = OVERFLOW_KEY;
      id = idOf(key);
      g = this.groups.get(id);
    }
    if (!g) {
      // Explicit properties, not a spread: an object spread here cost ~5 us per new group.
      // Detached: the record's fields are views of its line, which a kept group must not hold.
      g = {
        principal: key.principal,
        action: key.action,
        bucket: detach(key.bucket),
        keyPrefix: detach(key.keyPrefix),
        errorCode: detach(key.errorCode),
        count: 0,
        sample: r.input,
        // Where its line is when the record knows (a few numbers), else the record.
        sampleRecord: sampleRef(r),
        timeline: new Map(),
        resolution: this.resolution,
      };
      this.groups.set(id, g);
    }
    g.count += weight;
    const first = span?.firstSeen ?? r.time;
    const last = span?.lastSeen ?? r.time;
    if (first && (g.firstSeen === undefined || first < g.firstSeen)) g.firstSeen = first;
    if (last && (g.lastSeen === undefined || last > g.lastSeen)) g.lastSeen = last;
    const h = hourOf(r.time ?? first);
    if (h !== undefined) {
      if (h < this.minHour || h > this.maxHour) this.widen(h, h);
      const b = bucketOf(h, this.resolution);
      g.timeline.set(b, (g.timeline.get(b) ?? 0) + weight);
    }
  }

  /**
   * Replaces each group's sample by `f(sample)`: a range scan keeps light records and sends back
   * only where each sample's line is; the scan reads and parses the lines of the groups it keeps.
   */
  mapSamples(f: (r: LogRecord) => LogRecord): void {
    for (const g of this.groups.values()) g.sampleRecord = f(g.sampleRecord);
  }

  /** Number of groups held. */
  get size(): number {
    return this.groups.size;
  }

  /** The table for sending to another thread. */
  state(): GroupTableState {
    const hours: [number, number] | undefined =
      this.minHour <= this.maxHour ? [this.minHour, this.maxHour] : undefined;
    return { total: this.total, groups: [...this.groups.values()], ...(hours ? { hours } : {}) };
  }

  /**
   * Merges a table built elsewhere (another worker, a later byte range), taking over its group
   * objects: the table's grouper must not be used afterwards. Samples keep the one merged first
   * (callers merge in input order, so the earliest record stays the sample).
   */
  merge(s: GroupTableState): void {
    this.total += s.total;
    if (s.hours) this.widen(s.hours[0], s.hours[1]);
    for (const o of s.groups) {
      let id = idOf(o);
      let g = this.groups.get(id);
      if (!g && this.groups.size >= this.maxGroups) {
        id = idOf(OVERFLOW_KEY);
        g = this.groups.get(id);
        if (!g) {
          g = { ...o, ...OVERFLOW_KEY, count: 0, timeline: new Map(), resolution: this.resolution };
          delete g.firstSeen;
          delete g.lastSeen;
          this.groups.set(id, g);
        }
      }
      if (!g) {
        this.fit(o);
        this.groups.set(id, o); // taken over, not copied (a copy of each new group was ~40 ms per 10k)
        continue;
      }
      g.count += o.count;
      if (o.firstSeen && (g.firstSeen === undefined || o.firstSeen < g.firstSeen)) g.firstSeen = o.firstSeen;
      if (o.lastSeen && (g.lastSeen === undefined || o.lastSeen > g.lastSeen)) g.lastSeen = o.lastSeen;
      this.fit(o);
      for (const [k, v] of o.timeline) g.timeline.set(k, (g.timeline.get(k) ?? 0) + v);
    }
  }

  /** The groups, most frequent first (ties: earliest first seen, then key order; code-unit order, no locale). */
  ranked(): GroupAccumulator[] {
    const rows = [...this.groups].map(([id, g]) => ({ id, g, first: g.firstSeen ?? '' }));
    rows.sort((a, b) => b.g.count - a.g.count || cmp(a.first, b.first) || cmp(a.id, b.id));
    return rows.map((r) => r.g);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Adds `offset` to a line-based input source (byte ranges of one file are numbered from 1 each). */
export function shiftSource(s: InputSource, offset: number): InputSource {
  return offset === 0 || s.line === undefined ? s : { ...s, line: s.line + offset };
}

/** Shifts every line number of a group table by `offset`. */
export function shiftGroupLines(s: GroupTableState, offset: number): void {
  if (offset === 0) return;
  for (const g of s.groups) {
    g.sample = shiftSource(g.sample, offset);
    g.sampleRecord = { ...g.sampleRecord, input: shiftSource(g.sampleRecord.input, offset) };
  }
}

/** A group timeline in the report's shape (buckets sorted by time). */
export function toTimeline(g: GroupAccumulator): TriageTimeline {
  const keys = [...g.timeline.keys()].sort((a, b) => a - b);
  return {
    resolution: g.resolution,
    buckets: keys.map((k) => [bucketKey(k, g.resolution), g.timeline.get(k) ?? 0]),
  };
}

/** A finished group in the contract's shape (without the kept record). */
export function toTriageGroup(g: GroupAccumulator): TriageGroup {
  return {
    count: g.count,
    principal: g.principal,
    action: g.action,
    bucket: g.bucket,
    keyPrefix: g.keyPrefix,
    errorCode: g.errorCode,
    ...(g.firstSeen ? { firstSeen: g.firstSeen } : {}),
    ...(g.lastSeen ? { lastSeen: g.lastSeen } : {}),
    sample: g.sample,
    ...(g.timeline.size ? { timeline: toTimeline(g) } : {}),
  };
}
