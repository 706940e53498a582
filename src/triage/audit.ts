// Security auditing of denials: patterns that look like probing (enumeration, credential bursts, bucket sweeps), thresholds as data.

import type { FindingSample, LogRecord, SecurityFinding } from '../model/index.js';
import { errorCodeOf, principalOf, shiftSource } from './groups.js';
import { detach } from './light-record.js';

/** The thresholds of each pattern (data: tune here, tests read them). */
export const AUDIT_THRESHOLDS = {
  /** Anonymous requests from one address denied on at least this many distinct keys of one bucket. */
  anonymousEnumeration: { minDistinctKeys: 25 },
  /** At least `minEvents` of these codes from one address within `windowMinutes`. */
  credentialBurst: {
    codes: ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidToken', 'AuthorizationHeaderMalformed'],
    minEvents: 20,
    windowMinutes: 5,
  },
  /** One principal denied on at least this many distinct buckets. */
  manyBuckets: { minBuckets: 5 },
  /** Evidence rows kept per finding. */
  samples: 5,
  /** Most addresses / principals tracked per pattern (memory bound). */
  maxTracked: 5000,
  /** Most distinct values remembered per tracked subject. */
  maxDistinct: 1000,
  /** Most time windows remembered per address. */
  maxWindows: 5000,
} as const;

interface Tracked {
  count: number;
  distinct: Set<string>;
  firstSeen?: string;
  lastSeen?: string;
  samples: FindingSample[];
}

interface BurstTracked {
  count: number;
  windows: Map<number, number>;
  firstSeen?: string;
  lastSeen?: string;
  samples: FindingSample[];
}

/** An auditor's state in a form that crosses worker boundaries (structured clone) and merges. */
export interface AuditState {
  enumeration: Map<string, Tracked>;
  bursts: Map<string, BurstTracked>;
  sweeps: Map<string, Tracked>;
}

function sampleOf(r: LogRecord): FindingSample {
  // Assignments, not conditional spreads (those are slow on a hot path).
  // Fields detached from their line: an evidence row is kept to the end of the scan.
  const s: FindingSample = { input: r.input, principal: principalOf(r), errorCode: detach(errorCodeOf(r)) };
  if (r.time) s.time = detach(r.time);
  if (r.sourceIp) s.sourceIp = detach(r.sourceIp);
  if (r.bucket) s.bucket = detach(r.bucket);
  if (r.key !== undefined) s.key = detach(r.key);
  return s;
}

function span(t: { firstSeen?: string; lastSeen?: string }, time: string | undefined): void {
  if (!time) return;
  if (t.firstSeen === undefined || time < t.firstSeen) t.firstSeen = time;
  if (t.lastSeen === undefined || time > t.lastSeen) t.lastSeen = time;
}

const BURST_CODES: ReadonlySet<string> = new Set(AUDIT_THRESHOLDS.credentialBurst.codes);

/** Watches denied records for probing patterns; memory bounded by {@link AUDIT_THRESHOLDS}. */
export class Auditor {
  private s: AuditState = { enumeration: new Map(), bursts: new Map(), sweeps: new Map() };

  private tracked(m: Map<string, Tracked>, id: string): Tracked | undefined {
    let t = m.get(id);
    if (!t) {
      if (m.size >= AUDIT_THRESHOLDS.maxTracked) return undefined;
      t = { count: 0, distinct: new Set(), samples: [] };
      m.set(detach(id), t);
    }
    return t;
  }

  /** Looks at one denied record. */
  add(r: LogRecord): void {
    const principal = principalOf(r);
    const code = errorCodeOf(r);
    const ip = r.sourceIp;
    if (principal === 'anonymous' && ip && r.bucket && r.key) {
      const t = this.tracked(this.s.enumeration, `${ip}\u0000${r.bucket}`);
      if (t) this.note(t, r, r.key);
    }
    if (ip && BURST_CODES.has(code)) {
      let b = this.s.bursts.get(ip);
      if (!b && this.s.bursts.size < AUDIT_THRESHOLDS.maxTracked) {
        b = { count: 0, windows: new Map(), samples: [] };
        this.s.bursts.set(detach(ip), b);
      }
      if (b) {
        b.count++;
        span(b, r.time);
        if (b.samples.length < AUDIT_THRESHOLDS.samples) b.samples.push(sampleOf(r));
        const ms = r.time ? Date.parse(r.time) : NaN;
        if (!Number.isNaN(ms)) {
          const w = Math.floor(ms / (AUDIT_THRESHOLDS.credentialBurst.windowMinutes * 60000));
          const n = b.windows.get(w);
          if (n !== undefined) b.windows.set(w, n + 1);
          else if (b.windows.size < AUDIT_THRESHOLDS.maxWindows) b.windows.set(w, 1);
        }
      }
    }
    if (principal !== 'anonymous' && r.bucket) {
      const t = this.tracked(this.s.sweeps, principal);
      if (t) this.note(t, r, r.bucket);
    }
  }

  private note(t: Tracked, r: LogRecord, value: string): void {
    t.count++;
    span(t, r.time);
    if (t.distinct.size < AUDIT_THRESHOLDS.maxDistinct && !t.distinct.has(value)) {
      t.distinct.add(detach(value));
      // Evidence rows: the first row of each new distinct value, up to the sample limit.
      if (t.samples.length < AUDIT_THRESHOLDS.samples) t.samples.push(sampleOf(r));
    }
  }

  /** The state, for sending to another thread. */
  state(): AuditState {
    return this.s;
  }

  /** Merges a state built elsewhere (merge in input order so samples stay the earliest). */
  merge(o: AuditState): void {
    const mergeTracked = (mine: Map<string, Tracked>, theirs: Map<string, Tracked>): void => {
      for (const [id, t] of theirs) {
        const m = mine.get(id);
        if (!m) {
          if (mine.size < AUDIT_THRESHOLDS.maxTracked) mine.set(id, t);
          continue;
        }
        m.count += t.count;
        span(m, t.firstSeen);
        span(m, t.lastSeen);
        for (const s of t.samples) {
          const v = s.key !== undefined && mine === this.s.enumeration ? s.key : s.bucket;
          if (m.samples.length < AUDIT_THRESHOLDS.samples && v !== undefined && !m.distinct.has(v))
            m.samples.push(s);
        }
        for (const v of t.distinct) {
          if (m.distinct.size >= AUDIT_THRESHOLDS.maxDistinct) break;
          m.distinct.add(v);
        }
      }
    };
    mergeTracked(this.s.enumeration, o.enumeration);
    mergeTracked(this.s.sweeps, o.sweeps);
    for (const [ip, b] of o.bursts) {
      const m = this.s.bursts.get(ip);
      if (!m) {
        if (this.s.bursts.size < AUDIT_THRESHOLDS.maxTracked) this.s.bursts.set(ip, b);
        continue;
      }
      m.count += b.count;
      span(m, b.firstSeen);
      span(m, b.lastSeen);
      for (const s of b.samples) if (m.samples.length < AUDIT_THRESHOLDS.samples) m.samples.push(s);
      for (const [w, n] of b.windows) m.windows.set(w, (m.windows.get(w) ?? 0) + n);
    }
  }

  /** The findings, most severe and largest first. */
  findings(): SecurityFinding[] {
    const out: SecurityFinding[] = [];
    const th = AUDIT_THRESHOLDS;
    for (const [id, t] of this.s.enumeration) {
      if (t.distinct.size < th.anonymousEnumeration.minDistinctKeys) continue;
      const [ip, bucket] = id.split('\u0000') as [string, string];
      out.push({
        kind: 'anonymous-key-enumeration',
        severity: 'high',
        summary: `Anonymous requests from ${ip} were denied on ${t.distinct.size}${t.distinct.size >= th.maxDistinct ? '+' : ''} distinct keys of bucket ${bucket}: this looks like key enumeration, not a misconfigured client.`,
        principal: 'anonymous',
        sourceIp: ip,
        bucket,
        count: t.count,
        distinct: t.distinct.size,
        threshold: th.anonymousEnumeration.minDistinctKeys,
        ...spanOf(t),
        samples: t.samples,
      });
    }
    for (const [ip, b] of this.s.bursts) {
      let peak = 0;
      for (const n of b.windows.values()) if (n > peak) peak = n;
      if (peak < th.credentialBurst.minEvents) continue;
      out.push({
        kind: 'credential-failure-burst',
        severity: 'high',
        summary: `${peak} requests from ${ip} failed with invalid access keys or bad signatures within ${th.credentialBurst.windowMinutes} minutes (${b.count} in all): this looks like credential guessing or a replayed request, not a misconfiguration.`,
        sourceIp: ip,
        count: b.count,
        distinct: peak,
        threshold: th.credentialBurst.minEvents,
        ...spanOf(b),
        samples: b.samples,
      });
    }
    for (const [principal, t] of this.s.sweeps) {
      if (t.distinct.size < th.manyBuckets.minBuckets) continue;
      out.push({
        kind: 'principal-many-buckets',
        severity: 'medium',
        summary: `${principal} was denied on ${t.distinct.size}${t.distinct.size >= th.maxDistinct ? '+' : ''} distinct buckets: a sweep across buckets looks like discovery, unless this principal is meant to reach them all.`,
        principal,
        count: t.count,
        distinct: t.distinct.size,
        threshold: th.manyBuckets.minBuckets,
        ...spanOf(t),
        samples: t.samples,
      });
    }
    const rank = { high: 0, medium: 1 } as const;
    return out.sort((a, b) => rank[a.severity] - rank[b.severity] || b.count - a.count);
  }
}

function spanOf(t: { firstSeen?: string; lastSeen?: string }): { firstSeen?: string; lastSeen?: string } {
  return {
    ...(t.firstSeen ? { firstSeen: t.firstSeen } : {}),
    ...(t.lastSeen ? { lastSeen: t.lastSeen } : {}),
  };
}

/** Shifts every sample line number of an audit state by `offset` (byte ranges are numbered from 1 each). */
export function shiftAuditLines(s: AuditState, offset: number): void {
  if (offset === 0) return;
  const fix = (xs: FindingSample[]): void => {
    for (let i = 0; i < xs.length; i++) xs[i] = { ...xs[i]!, input: shiftSource(xs[i]!.input, offset) };
  };
  for (const t of s.enumeration.values()) fix(t.samples);
  for (const t of s.sweeps.values()) fix(t.samples);
  for (const t of s.bursts.values()) fix(t.samples);
}
