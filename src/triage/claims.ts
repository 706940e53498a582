// Chunk claims on the byte ranges of a triage scan, shared by all threads: an idle thread takes the upper half of what another has left.

/** A byte range whose chunks are claimed through a shared word, so other threads can take part of it. */
export interface StealableRange {
  /** The state word of this range in {@link RangeClaims}. */
  slot: number;
  /** The planned unit the range is (its input order). */
  order: number;
  file: string;
  start: number;
  end: number;
  /** Bytes per chunk. */
  chunk: number;
}

/** Most chunks a range has (both counts of a state word fit 16 bits). */
const MAX_CHUNKS = 0xffff;

/** The chunk size for a range of `bytes`: at least `min`, and few enough chunks for a state word. */
export function chunkBytes(bytes: number, min: number): number {
  return Math.max(min, Math.ceil(bytes / MAX_CHUNKS));
}

/**
 * The claim state of every stealable range, in shared memory: one 32-bit word per range holding
 * `next` (the owner's next unclaimed chunk) and `end` (one past its last chunk). The owner takes
 * chunks in order from `next`; a thief lowers `end`, taking `[mid, end)`. Both change the word by
 * compare-and-swap, so no chunk is taken twice and none is lost.
 */
export class RangeClaims {
  private readonly words: Uint32Array;

  /** @param buffer from {@link RangeClaims.create} (on any thread) */
  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Uint32Array(buffer);
  }

  /** Claims for `ranges`, each starting with all its chunks unclaimed. */
  static create(ranges: readonly StealableRange[]): RangeClaims {
    const c = new RangeClaims(new SharedArrayBuffer(4 * Math.max(1, ranges.length)));
    for (const r of ranges) Atomics.store(c.words, r.slot, pack(0, Math.ceil((r.end - r.start) / r.chunk)));
    return c;
  }

  /** The owner's next chunk of range `slot`, or -1 when none is left (all taken, or stolen). */
  next(slot: number): number {
    for (;;) {
      const s = Atomics.load(this.words, slot);
      const n = s >>> 16;
      const e = s & MAX_CHUNKS;
      if (n >= e) return -1;
      if (Atomics.compareExchange(this.words, slot, s, pack(n + 1, e)) === s) return n;
    }
  }

  /** Chunks of range `slot` nobody has claimed yet. */
  remaining(slot: number): number {
    const s = Atomics.load(this.words, slot);
    return Math.max(0, (s & MAX_CHUNKS) - (s >>> 16));
  }

  /** Takes the upper half of the unclaimed chunks of range `slot` (at least 2 must be left): `[from, to)`. */
  steal(slot: number): { from: number; to: number } | undefined {
    for (;;) {
      const s = Atomics.load(this.words, slot);
      const n = s >>> 16;
      const e = s & MAX_CHUNKS;
      if (e - n < 2) return undefined;
      const mid = n + Math.ceil((e - n) / 2);
      if (Atomics.compareExchange(this.words, slot, s, pack(n, mid)) === s) return { from: mid, to: e };
    }
  }
}

function pack(next: number, end: number): number {
  return (next * 0x10000 + end) >>> 0;
}

/**
 * Takes part of the stealable range with the most unclaimed chunks, as a plain byte range (not
 * stealable itself), or undefined when no range has two chunks left.
 */
export function stealFrom(
  claims: RangeClaims,
  ranges: readonly StealableRange[],
): { range: StealableRange; start: number; end: number } | undefined {
  for (;;) {
    let best: StealableRange | undefined;
    let most = 1;
    for (const r of ranges) {
      const left = claims.remaining(r.slot);
      if (left > most) {
        most = left;
        best = r;
      }
    }
    if (!best) return undefined;
    const got = claims.steal(best.slot);
    if (got)
      return {
        range: best,
        start: best.start + got.from * best.chunk,
        end: Math.min(best.end, best.start + got.to * best.chunk),
      };
  }
}
