// In-memory dedupe of Lambda reports: one report per (principal, action, bucket, cause) per window, the rest counted.

/** What makes two denials "the same" for reporting. */
export interface DedupeKey {
  principal: string;
  action: string;
  /** The bucket, or the resource ARN when the request names no bucket (KMS keys). */
  bucket: string;
  /** Cause code of the most likely cause, or `unexplained`. */
  cause: string;
}

/** Counts of denials not reported on their own. */
export interface SuppressedCount {
  key: DedupeKey;
  count: number;
  firstSeen: string;
  lastSeen: string;
}

interface Entry {
  key: DedupeKey;
  /** When the last report of this key was published (ms). */
  reportedAt: number;
  /** Denials since then that were not reported. */
  suppressed: number;
  firstSuppressed?: number;
  lastSuppressed?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The key as one string (fields joined by a separator no ARN or code holds). */
export function keyString(k: DedupeKey): string {
  return [k.principal, k.action, k.bucket, k.cause].join('\u0000');
}

/**
 * Remembers, in this process only (one warm Lambda container), when each key was last reported and how many
 * denials of it were not. A cold start, or a second concurrent container, starts empty: the dedupe is a
 * best effort that bounds a burst per container, not a guarantee across containers.
 */
export class Deduper {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /** Window in milliseconds. */
    readonly windowMs: number,
    /** Most keys remembered; the oldest reported key is forgotten first (its pending count goes to the summary). */
    private readonly maxKeys = 10_000,
  ) {}

  /** Whether a report of `key` was published within the window before `now` (a denial of it would be counted). */
  isReported(key: DedupeKey, now: number): boolean {
    const e = this.entries.get(keyString(key));
    return !!e && now - e.reportedAt < this.windowMs;
  }

  /**
   * Decides for one denial at `now`: `report` (first of its key in the window; `suppressedBefore` is how many
   * of this key were counted since its last report) or `suppress` (counted).
   */
  decide(
    key: DedupeKey,
    now: number,
  ): { action: 'report'; suppressedBefore?: SuppressedCount } | { action: 'suppress'; count: number } {
    const id = keyString(key);
    const e = this.entries.get(id);
    if (e && now - e.reportedAt < this.windowMs) {
      e.suppressed++;
      e.firstSuppressed ??= now;
      e.lastSuppressed = now;
      return { action: 'suppress', count: e.suppressed };
    }
    const before = e ? this.pending(e) : undefined;
    this.entries.delete(id);
    this.entries.set(id, { key, reportedAt: now, suppressed: 0 });
    this.evict();
    return before ? { action: 'report', suppressedBefore: before } : { action: 'report' };
  }

  /** Every other key's count not reported yet (then reset): the summary a report carries. */
  takePending(except?: DedupeKey): SuppressedCount[] {
    const skip = except ? keyString(except) : undefined;
    const out: SuppressedCount[] = [];
    for (const [id, e] of this.entries) {
      if (id === skip) continue;
      const p = this.pending(e);
      if (p) out.push(p);
    }
    out.push(...this.forgotten.splice(0));
    return out;
  }

  private forgotten: SuppressedCount[] = [];

  private pending(e: Entry): SuppressedCount | undefined {
    if (!e.suppressed) return undefined;
    const p = {
      key: e.key,
      count: e.suppressed,
      firstSeen: iso(e.firstSuppressed ?? e.reportedAt),
      lastSeen: iso(e.lastSuppressed ?? e.reportedAt),
    };
    e.suppressed = 0;
    delete e.firstSuppressed;
    delete e.lastSuppressed;
    return p;
  }

  private evict(): void {
    while (this.entries.size > this.maxKeys) {
      const [id, e] = this.entries.entries().next().value as [string, Entry];
      const p = this.pending(e);
      if (p) this.forgotten.push(p);
      this.entries.delete(id);
    }
  }
}
