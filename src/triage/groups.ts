// Groups denied records for triage (pure, no I/O): by principal, action, bucket, key prefix and error code, with timelines.

import type { InputSource, LogRecord, TriageGroup, TriageTimeline } from '../model/index.js';
import { detach, sampleRef, type LightRecord, type LineRef } from './light-record.js';

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
  /**
   * How much `count` may be too high (0: exact). Past {@link GROUP_LIMITS.maxGroups} the table is a
   * Space-Saving summary: a new group takes the row of the group with fewest denials and starts
   * from its count, which becomes this bound; first/last seen and the timeline then cover only the
   * denials since the group got its row.
   */
  countError: number;
}

/** How a group table past its limit departs from exact counts (see {@link TriageGrouper.bounds}). */
export interface GroupBounds {
  /** Most groups the table keeps. */
  maxGroups: number;
  /** Groups that gave up their row to a new group (0: no group was dropped). */
  evictions: number;
  /** A group not in the table had at most this many denials (0: every group is in it). */
  unlistedMax: number;
  /** A count may be too low by at most this (merged tables that had themselves dropped groups; mostly 0). */
  undercountMax: number;
}

/** Time bucket size of a group timeline. */
export type TimelineResolution = 'hour' | 'day' | 'month';

/** Limits that keep the group table bounded whatever the input size. */
export const GROUP_LIMITS = {
  /**
   * Most distinct groups kept, each with its exact count (S3DOCTOR_TRIAGE_MAX_GROUPS overrides, for
   * tests). Past it the table is a Space-Saving summary (Metwally, Agrawal, El Abbadi 2005): a new
   * key takes the row of the key with fewest denials, starting from that count, which is kept as the
   * row's possible overcount; the sum of counts stays the number of denials, every key with more
   * denials than the smallest count keeps a row, and no count is ever too low. A kept group is one row of some 300 bytes (one id string, numbers in typed arrays, a flat
   * timeline, where its sample line is) and JSON is written a group at a time: 200,000 groups took
   * 201 MB peak RSS (`triage --format json`, one thread; 922 MB with a group object each).
   */
  maxGroups: Number(process.env.S3DOCTOR_TRIAGE_MAX_GROUPS) || 250_000,
  /**
   * Most distinct groups a scan unit (one byte range or file set, merged later) keeps: more than
   * {@link maxGroups}, because a key the merged table keeps may come late in a unit that already
   * saw many others; while no unit overflows its own table, the merged table equals one pass's.
   */
  maxUnitGroups: 2 * (Number(process.env.S3DOCTOR_TRIAGE_MAX_GROUPS) || 250_000),
  /**
   * Timelines are hourly while a table's denials span at most this many hours, then daily while
   * they span at most {@link GROUP_LIMITS.maxDaySpan} days, then monthly: a group's timeline stays
   * short whatever the input (a sparkline has some 48 columns).
   */
  maxHourSpan: 7 * 24,
  maxDaySpan: 400,
} as const;

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

/**
 * A group's id: its key's five fields joined by NUL, as one flat string (the group table keeps one
 * string per group, not five). A field holding NUL or U+0001 is escaped (`\u0001\u0001`,
 * `\u0001\u0002`), so two keys never share an id; {@link keyOfId} reads the fields back.
 */
function idOfParts(p: string, a: string, b: string, k: string, e: string): string {
  const id = `${p}\u0000${a}\u0000${b}\u0000${k}\u0000${e}`;
  if (id.indexOf('\u0001') < 0) {
    let nul = 0;
    for (let i = id.indexOf('\u0000'); i >= 0; i = id.indexOf('\u0000', i + 1)) nul++;
    if (nul === 4) return id;
  }
  return [p, a, b, k, e]
    .map((s) => s.replaceAll('\u0001', '\u0001\u0002').replaceAll('\u0000', '\u0001\u0001'))
    .join('\u0000');
}

/** A field of an escaped id as it was (`\u0001\u0001` -> NUL, `\u0001\u0002` -> U+0001). */
function unescapeField(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === 1 && i + 1 < s.length) {
      out += s.charCodeAt(i + 1) === 1 ? '\u0000' : '\u0001';
      i++;
    } else out += s[i];
  }
  return out;
}

/** The key fields of a group id (see {@link idOfParts}). */
function keyOfId(id: string): GroupKey {
  const f = id.split('\u0000');
  const un = id.indexOf('\u0001') < 0 ? (s: string): string => s : unescapeField;
  return {
    principal: un(f[0]!),
    action: un(f[1]!),
    bucket: un(f[2]!),
    keyPrefix: un(f[3]!),
    errorCode: un(f[4]!),
  };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digitsAt(t: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Seconds since 1970 of a time written exactly as `2026-11-01T13:05:09Z` (a real date, years
 * 1000-9999), else NaN. Such times compare as numbers the way they compare as strings, so a group
 * keeps them as 8-byte numbers; any other spelling is kept as written.
 */
function canonicalSeconds(t: string): number {
  if (
    t.length !== 20 ||
    t.charCodeAt(19) !== 90 ||
    t[4] !== '-' ||
    t[7] !== '-' ||
    t[10] !== 'T' ||
    t[13] !== ':' ||
    t[16] !== ':'
  )
    return NaN;
  const y = digitsAt(t, 0, 4);
  const mo = digitsAt(t, 5, 7);
  const d = digitsAt(t, 8, 10);
  const h = digitsAt(t, 11, 13);
  const mi = digitsAt(t, 14, 16);
  const s = digitsAt(t, 17, 19);
  if (Number.isNaN(y + mo + d + h + mi + s) || y < 1000 || mo < 1 || mo > 12 || d < 1) return NaN;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 1 : 0;
  if (d > DAYS_IN_MONTH[mo - 1]! + leap || h > 23 || mi > 59 || s > 59) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
}

/** The time {@link canonicalSeconds} read (`2026-11-01T13:05:09Z`). */
function secondsText(s: number): string {
  return new Date(s * 1000).toISOString().slice(0, 19) + 'Z';
}

/** A timeline as kept per group: `[bucket, count, bucket, count, ...]`, unsorted (see {@link bucketOf}). */
type FlatTimeline = number[];

function coarsenFlat(t: FlatTimeline, from: TimelineResolution, to: TimelineResolution): FlatTimeline {
  const m = new Map<number, number>();
  for (let j = 0; j < t.length; j += 2) {
    const b = bucketOf(bucketHour(t[j]!, from), to);
    m.set(b, (m.get(b) ?? 0) + t[j + 1]!);
  }
  const out: FlatTimeline = [];
  for (const [b, c] of m) out.push(b, c);
  return out;
}

/** Adds `n` denials in bucket `b` to a timeline (new buckets: a new array of the exact size). */
function addToFlat(t: FlatTimeline | undefined, b: number, n: number): FlatTimeline {
  if (t === undefined) return [b, n];
  // Records come roughly in time order: the latest bucket is the likely one.
  for (let j = t.length - 2; j >= 0; j -= 2)
    if (t[j] === b) {
      t[j + 1]! += n;
      return t;
    }
  return t.concat(b, n);
}

/** A sample kept as an object (records that are not a line of a plain access log at a known place). */
interface SampleObject {
  sample: InputSource;
  record: LogRecord;
}

/**
 * A group table in a form that can cross a worker boundary (structured clone) and be merged: one
 * row per group, in columns (see {@link TriageGrouper}).
 */
export interface GroupTableState {
  total: number;
  /** First and last hour (see {@link hourOf}) of the table's denials, which set its resolution. */
  hours?: [number, number];
  resolution: TimelineResolution;
  ids: string[];
  counts: Float64Array;
  /** Seconds of the first and last time (NaN: none), unless the row's times are in `oddTimes`. */
  first: Float64Array;
  last: Float64Array;
  oddTimes: Map<number, { first?: string; last?: string }>;
  sources: string[];
  /** Index in `sources` of the sample's file (-1: the sample is in `sampleObjects`). */
  sampleSource: Int32Array;
  sampleLine: Float64Array;
  sampleOffset: Float64Array;
  sampleBytes: Float64Array;
  sampleObjects: Map<number, SampleObject>;
  timelines: (FlatTimeline | undefined)[];
  /** Each row's possible overcount (see {@link GroupAccumulator.countError}). */
  errors: Float64Array;
  /** Rows given to a new key, and the bounds of the table (see {@link GroupBounds}). */
  evictions: number;
  unlistedMax: number;
  undercountMax: number;
}

/** An empty group table state. */
export function emptyGroupState(): GroupTableState {
  return new TriageGrouper().state();
}

/**
 * Accumulates records into groups; streaming-friendly (memory grows with groups, not records, and is
 * capped). A group is one row: its id (one string), its count and first/last seconds in typed
 * arrays, its timeline as a flat array, and its sample as where its line is (file, line, byte offset
 * and length); some 300 bytes, where a group of objects cost about 900.
 */
export class TriageGrouper {
  private readonly ids = new Map<string, number>();
  private keys: string[] = [];
  private counts = new Float64Array(0);
  private first = new Float64Array(0);
  private last = new Float64Array(0);
  private odd = new Uint8Array(0);
  private oddTimes = new Map<number, { first?: string; last?: string }>();
  private sources: string[] = [];
  private readonly sourceIds = new Map<string, number>();
  private sampleSource = new Int32Array(0);
  private sampleLine = new Float64Array(0);
  private sampleOffset = new Float64Array(0);
  private sampleBytes = new Float64Array(0);
  private sampleObjects = new Map<number, SampleObject>();
  private timelines: (FlatTimeline | undefined)[] = [];
  private errors = new Float64Array(0);
  /**
   * Once the table is full: its rows as a min-heap by count (`heap[0]` has fewest denials) and each
   * row's place in it, so a new key finds the row to take in O(log n). Absent while rows are free.
   */
  private heap?: Int32Array;
  private heapAt?: Int32Array;
  private evictions = 0;
  /** How much a count may be too low: the unlisted bounds of merged tables that had dropped keys. */
  private undercount = 0;
  private readonly actionCache = new Map<string, string>();
  private readonly actionFn = (x: LogRecord): string => this.action(x);
  /** Denials added so far (with weights). */
  total = 0;
  /** First and last hour of the denials, and the timelines' resolution for that span. */
  private minHour = Infinity;
  private maxHour = -Infinity;
  private resolution: TimelineResolution = 'hour';

  /** @param actionOf names a record's action (called once per distinct operation shape) */
  constructor(
    private readonly actionOf: ActionOf = rawActionOf,
    /** Most distinct groups kept before new keys go to the overflow group. */
    private readonly maxGroups: number = GROUP_LIMITS.maxGroups,
  ) {}

  /** Widens the table's span to `from..to` (hours); a span past a limit coarsens every timeline. */
  private widen(from: number, to: number): void {
    if (from < this.minHour) this.minHour = from;
    if (to > this.maxHour) this.maxHour = to;
    const want = resolutionFor(this.maxHour - this.minHour);
    if (LEVEL[want] <= LEVEL[this.resolution]) return;
    const was = this.resolution;
    this.resolution = want;
    for (let i = 0; i < this.keys.length; i++) {
      const t = this.timelines[i];
      if (t) this.timelines[i] = coarsenFlat(t, was, want);
    }
  }

  private action(r: LogRecord): string {
    const k = `${r.logOperation ?? ''}\u0000${r.apiName ?? ''}\u0000${r.httpMethod ?? ''}\u0000${r.enhanced?.action ?? ''}\u0000${r.key !== undefined ? 'k' : ''}\u0000${r.versionId ? 'v' : ''}\u0000${r.query ? Object.keys(r.query).sort().join('&') : ''}`;
    let a = this.actionCache.get(k);
    if (a === undefined) {
      a = this.actionOf(r);
      if (this.actionCache.size < 10000) this.actionCache.set(k, a);
    }
    return a;
  }

  /** Room for row `i` in every column (capacity doubles). */
  private grow(i: number): void {
    if (i < this.counts.length) return;
    const cap = Math.max(1024, this.counts.length * 2);
    const f64 = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.counts = f64(this.counts);
    this.first = f64(this.first);
    this.last = f64(this.last);
    this.sampleLine = f64(this.sampleLine);
    this.sampleOffset = f64(this.sampleOffset);
    this.sampleBytes = f64(this.sampleBytes);
    this.errors = f64(this.errors);
    const odd = new Uint8Array(cap);
    odd.set(this.odd);
    this.odd = odd;
    const src = new Int32Array(cap);
    src.set(this.sampleSource);
    this.sampleSource = src;
  }

  /** A new row for `id` (no denials yet). */
  private newRow(id: string): number {
    const i = this.keys.length;
    this.grow(i);
    // A flat copy: the id was joined from views of the record's line.
    const kept = detach(id);
    this.ids.set(kept, i);
    this.keys.push(kept);
    this.counts[i] = 0;
    this.errors[i] = 0;
    this.first[i] = NaN;
    this.last[i] = NaN;
    this.odd[i] = 0;
    this.timelines.push(undefined);
    return i;
  }

  private sourceId(source: string): number {
    let s = this.sourceIds.get(source);
    if (s === undefined) {
      s = this.sources.length;
      this.sources.push(source);
      this.sourceIds.set(source, s);
    }
    return s;
  }

  /** Keeps `r` as row `i`'s sample: where its line is, when the record knows, else the record. */
  private setSample(i: number, r: LogRecord): void {
    const at = (r as Partial<LightRecord>).lineAt;
    const input = r.input;
    if (
      at !== undefined &&
      r.format === 's3-access-log' &&
      input.eventId === undefined &&
      input.index === undefined
    ) {
      this.sampleSource[i] = this.sourceId(input.source);
      this.sampleLine[i] = input.line ?? NaN;
      this.sampleOffset[i] = at.offset;
      this.sampleBytes[i] = at.bytes;
      return;
    }
    this.sampleSource[i] = -1;
    this.sampleObjects.set(i, { sample: input, record: sampleRef(r) });
  }

  /** Widens row `i`'s first/last seen by `first`/`last` (empty or absent: nothing). */
  private note(i: number, first: string | undefined, last: string | undefined): void {
    if (!first && !last) return;
    if (this.odd[i] === 0) {
      const fs = first ? canonicalSeconds(first) : undefined;
      const ls = last === first ? fs : last ? canonicalSeconds(last) : undefined;
      if (!Number.isNaN(fs) && !Number.isNaN(ls)) {
        // NaN (none yet) never compares true: the first time is always taken.
        if (fs !== undefined && !(this.first[i]! <= fs)) this.first[i] = fs;
        if (ls !== undefined && !(this.last[i]! >= ls)) this.last[i] = ls;
        return;
      }
      this.toOdd(i);
    }
    const o = this.oddTimes.get(i)!;
    if (first && (o.first === undefined || first < o.first)) o.first = detach(first);
    if (last && (o.last === undefined || last > o.last)) o.last = detach(last);
  }

  /** Row `i`'s times from now on kept as strings (a time not in the canonical form came). */
  private toOdd(i: number): void {
    const o: { first?: string; last?: string } = {};
    if (!Number.isNaN(this.first[i])) o.first = secondsText(this.first[i]!);
    if (!Number.isNaN(this.last[i])) o.last = secondsText(this.last[i]!);
    this.oddTimes.set(i, o);
    this.odd[i] = 1;
  }

  private firstSeenOf(i: number): string | undefined {
    if (this.odd[i] === 1) return this.oddTimes.get(i)!.first;
    return Number.isNaN(this.first[i]) ? undefined : secondsText(this.first[i]!);
  }

  private lastSeenOf(i: number): string | undefined {
    if (this.odd[i] === 1) return this.oddTimes.get(i)!.last;
    return Number.isNaN(this.last[i]) ? undefined : secondsText(this.last[i]!);
  }

  /**
   * The row of `id`; a new key gets a new row (and `sample`), or once the table is full the row of
   * the key with fewest denials, keeping that count, which becomes the row's possible overcount.
   * The caller adds the denials, then calls {@link raised}.
   */
  private rowOf(id: string, sample: (i: number) => void): number {
    let i = this.ids.get(id);
    if (i !== undefined) return i;
    if (this.keys.length < this.maxGroups) i = this.newRow(id);
    else {
      const heap = this.heap ?? this.buildHeap();
      i = heap[0]!;
      this.ids.delete(this.keys[i]!);
      const kept = detach(id);
      this.ids.set(kept, i);
      this.keys[i] = kept;
      this.errors[i] = this.counts[i]!;
      this.first[i] = NaN;
      this.last[i] = NaN;
      if (this.odd[i] === 1) {
        this.odd[i] = 0;
        this.oddTimes.delete(i);
      }
      this.sampleObjects.delete(i);
      this.timelines[i] = undefined;
      this.evictions++;
    }
    sample(i);
    return i;
  }

  /** The rows as a min-heap by count (made when the table first fills up). */
  private buildHeap(): Int32Array {
    const n = this.keys.length;
    const heap = new Int32Array(n);
    const at = new Int32Array(n);
    for (let k = 0; k < n; k++) heap[k] = at[k] = k;
    this.heap = heap;
    this.heapAt = at;
    for (let k = (n >> 1) - 1; k >= 0; k--) this.siftDown(k);
    return heap;
  }

  /** Row `i`'s count went up: its place in the heap moves down (nothing while there is no heap). */
  private raised(i: number): void {
    if (this.heapAt) this.siftDown(this.heapAt[i]!);
  }

  private siftDown(k: number): void {
    const heap = this.heap!;
    const at = this.heapAt!;
    const counts = this.counts;
    const n = heap.length;
    const row = heap[k]!;
    const c = counts[row]!;
    for (;;) {
      let child = 2 * k + 1;
      if (child >= n) break;
      if (child + 1 < n && counts[heap[child + 1]!]! < counts[heap[child]!]!) child++;
      const other = heap[child]!;
      if (counts[other]! >= c) break;
      heap[k] = other;
      at[other] = k;
      k = child;
    }
    heap[k] = row;
    at[row] = k;
  }

  /** How the table departs from exact counts (all zero while it holds every key it was given). */
  bounds(): GroupBounds {
    const smallest = this.evictions > 0 && this.heap ? this.counts[this.heap[0]!]! : 0;
    return {
      maxGroups: this.maxGroups,
      evictions: this.evictions,
      unlistedMax: smallest + this.undercount,
      undercountMax: this.undercount,
    };
  }

  /**
   * Adds one denied record. `weight` counts it several times (an Athena result row that stands for a
   * group); `firstSeen`/`lastSeen` widen the span beyond the record's own time.
   */
  add(r: LogRecord, weight = 1, span?: { firstSeen?: string; lastSeen?: string }): void {
    this.total += weight;
    const id = idOfParts(principalOf(r), this.action(r), r.bucket ?? '-', keyPrefix(r.key), errorCodeOf(r));
    const i = this.rowOf(id, (row) => this.setSample(row, r));
    this.counts[i]! += weight;
    this.raised(i);
    const first = span?.firstSeen ?? r.time;
    const last = span?.lastSeen ?? r.time;
    this.note(i, first, last);
    const h = hourOf(r.time ?? first);
    if (h !== undefined) {
      if (h < this.minHour || h > this.maxHour) this.widen(h, h);
      this.timelines[i] = addToFlat(this.timelines[i], bucketOf(h, this.resolution), weight);
    }
  }

  /**
   * Replaces each group's sample record by `f(record)` where the group keeps a record (a range scan
   * keeps only where each sample's line is; the scan reads and parses the lines of the groups it keeps).
   */
  mapSamples(f: (r: LogRecord) => LogRecord): void {
    for (const o of this.sampleObjects.values()) o.record = f(o.record);
  }

  /** Number of groups held. */
  get size(): number {
    return this.keys.length;
  }

  /** The table for sending to another thread. */
  state(): GroupTableState {
    const n = this.keys.length;
    const hours: [number, number] | undefined =
      this.minHour <= this.maxHour ? [this.minHour, this.maxHour] : undefined;
    return {
      total: this.total,
      ...(hours ? { hours } : {}),
      resolution: this.resolution,
      ids: this.keys,
      counts: this.counts.slice(0, n),
      first: this.first.slice(0, n),
      last: this.last.slice(0, n),
      oddTimes: this.oddTimes,
      sources: this.sources,
      sampleSource: this.sampleSource.slice(0, n),
      sampleLine: this.sampleLine.slice(0, n),
      sampleOffset: this.sampleOffset.slice(0, n),
      sampleBytes: this.sampleBytes.slice(0, n),
      sampleObjects: this.sampleObjects,
      timelines: this.timelines,
      errors: this.errors.slice(0, n),
      ...this.bounds(),
    };
  }

  /**
   * Merges a table built elsewhere (another worker, a later byte range); the table's grouper must
   * not be used afterwards. Samples keep the one merged first (callers merge in input order, so the
   * earliest record stays the sample).
   */
  merge(s: GroupTableState): void {
    this.total += s.total;
    // A key `s` dropped may have had up to `s.unlistedMax` denials there: any count here may be that much too low.
    this.undercount += s.unlistedMax;
    this.evictions += s.evictions;
    if (s.hours) this.widen(s.hours[0], s.hours[1]);
    for (let j = 0; j < s.ids.length; j++) {
      const i = this.rowOf(s.ids[j]!, (row) => {
        const src = s.sampleSource[j]!;
        if (src < 0) {
          const o = s.sampleObjects.get(j)!;
          this.sampleSource[row] = -1;
          this.sampleObjects.set(row, { sample: o.sample, record: o.record });
          return;
        }
        this.sampleSource[row] = this.sourceId(s.sources[src]!);
        this.sampleLine[row] = s.sampleLine[j]!;
        this.sampleOffset[row] = s.sampleOffset[j]!;
        this.sampleBytes[row] = s.sampleBytes[j]!;
      });
      this.counts[i]! += s.counts[j]!;
      this.errors[i]! += s.errors[j]!;
      this.raised(i);
      const o = s.oddTimes.get(j);
      if (o) this.note(i, o.first, o.last);
      else {
        const f = s.first[j]!;
        const l = s.last[j]!;
        if (this.odd[i] === 0) {
          if (!(this.first[i]! <= f) && !Number.isNaN(f)) this.first[i] = f;
          if (!(this.last[i]! >= l) && !Number.isNaN(l)) this.last[i] = l;
        } else
          this.note(
            i,
            Number.isNaN(f) ? undefined : secondsText(f),
            Number.isNaN(l) ? undefined : secondsText(l),
          );
      }
      let t = s.timelines[j];
      if (t) {
        if (s.resolution !== this.resolution) t = coarsenFlat(t, s.resolution, this.resolution);
        let mine = this.timelines[i];
        for (let k = 0; k < t.length; k += 2) mine = addToFlat(mine, t[k]!, t[k + 1]!);
        this.timelines[i] = mine;
      }
    }
  }

  /** Compares rows by rank: most denials first, then earliest first seen (none first), then id (code-unit order). */
  private compare(a: number, b: number): number {
    const c = this.counts[b]! - this.counts[a]!;
    if (c !== 0) return c;
    if (this.odd[a] === 0 && this.odd[b] === 0) {
      const fa = this.first[a]!;
      const fb = this.first[b]!;
      const na = Number.isNaN(fa);
      const nb = Number.isNaN(fb);
      if (na !== nb) return na ? -1 : 1;
      if (!na && fa !== fb) return fa - fb;
    } else {
      const x = cmp(this.firstSeenOf(a) ?? '', this.firstSeenOf(b) ?? '');
      if (x !== 0) return x;
    }
    return cmp(this.keys[a]!, this.keys[b]!);
  }

  /** The rows, most frequent first (ties: earliest first seen, then key order; code-unit order, no locale). */
  rankedRows(): Uint32Array {
    const rows = new Uint32Array(this.keys.length);
    for (let i = 0; i < rows.length; i++) rows[i] = i;
    return rows.sort((a, b) => this.compare(a, b));
  }

  /** Row `i` as a group object (made on demand: the table keeps columns); `timeline` false leaves its timeline empty. */
  group(i: number, timeline = true): GroupAccumulator {
    const key = keyOfId(this.keys[i]!);
    let sample: InputSource;
    let sampleRecord: LogRecord;
    const src = this.sampleSource[i]!;
    if (src < 0) {
      const o = this.sampleObjects.get(i)!;
      sample = o.sample;
      sampleRecord = o.record;
    } else {
      const line = this.sampleLine[i]!;
      sample = Number.isNaN(line) ? { source: this.sources[src]! } : { source: this.sources[src]!, line };
      const ref: LineRef = {
        input: sample,
        format: 's3-access-log',
        lineAt: { offset: this.sampleOffset[i]!, bytes: this.sampleBytes[i]! },
      };
      sampleRecord = ref;
    }
    const buckets = new Map<number, number>();
    const t = timeline ? this.timelines[i] : undefined;
    if (t) for (let k = 0; k < t.length; k += 2) buckets.set(t[k]!, t[k + 1]!);
    // Explicit properties: an object spread here cost some 5 us per group.
    const g: GroupAccumulator = {
      principal: key.principal,
      action: key.action,
      bucket: key.bucket,
      keyPrefix: key.keyPrefix,
      errorCode: key.errorCode,
      count: this.counts[i]!,
      countError: this.errors[i]!,
      sample,
      sampleRecord,
      timeline: buckets,
      resolution: this.resolution,
    };
    const first = this.firstSeenOf(i);
    const last = this.lastSeenOf(i);
    if (first !== undefined) g.firstSeen = first;
    if (last !== undefined) g.lastSeen = last;
    return g;
  }

  /** The groups, most frequent first (ties: earliest first seen, then key order; code-unit order, no locale). */
  ranked(): GroupAccumulator[] {
    return Array.from(this.rankedRows(), (i) => this.group(i));
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
  for (let j = 0; j < s.sampleLine.length; j++) s.sampleLine[j]! += offset;
  for (const o of s.sampleObjects.values()) {
    o.sample = shiftSource(o.sample, offset);
    o.record = { ...o.record, input: shiftSource(o.record.input, offset) };
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
    ...(g.countError > 0 ? { countError: g.countError } : {}),
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
