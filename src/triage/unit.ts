// One unit of triage scanning work (a byte range of a plain access log, or whole files of any format), run in any thread.

import type { LogRecord, MalformedRecord } from '../model/index.js';
import { stealFrom, type RangeClaims, type StealableRange } from './claims.js';
import { InputError, newStats, scanDenied } from '../logs/index.js';
import { actionOfRecord } from './action.js';
import { Auditor, type AuditState } from './audit.js';
import { emptyGroupState, GROUP_LIMITS, TriageGrouper, type GroupTableState } from './groups.js';
import { fullRecord, sampleRef } from './light-record.js';
import { scanRange } from './range-scan.js';

/** The malformed entries kept (CONTRACT: the first 100). */
export const MAX_MALFORMED = 100;

/**
 * A piece of scanning work: a byte range of a plain access log, or whole files. `order` is its
 * place in the input (the pieces of one file share their file's); `slot` makes a range claim its
 * chunks through {@link RangeClaims}, so that other threads can take what it has not reached.
 */
export type ScanUnit =
  | { kind: 'range'; order: number; file: string; start: number; end: number; slot?: number; chunk?: number }
  | { kind: 'files'; order: number; files: string[] };

/** What one unit found (structured-clone friendly). */
export interface UnitResult {
  /** The unit's `order`. */
  order: number;
  /** Bytes of its file the unit covered, `[start, end)` (both 0 for whole files). */
  start: number;
  end: number;
  groups: GroupTableState;
  audit: AuditState;
  /** Whole files read (a range counts its file once, in the range that starts at 0). */
  files: number;
  bytes: number;
  lines: number;
  denied: number;
  malformedCount: number;
  malformed: MalformedRecord[];
  readable: boolean;
  /** Why nothing could be read (an InputError message), when nothing could. */
  problems: string[];
}

/**
 * The tables a unit adds to directly, instead of its own: one thread scanning everything in input
 * order builds the final tables in one pass (no unit table to fill and merge).
 */
export interface UnitTarget {
  grouper: TriageGrouper;
  auditor: Auditor;
}

/**
 * Runs one unit; `progress` receives byte deltas; `claims` is needed for a unit with a `slot`;
 * with `into`, records go to those tables and the result's tables are empty. `claim` (a range
 * without a slot) grows the range as the scan goes, as {@link scanRange}'s does: the scan stops
 * at the end of what it claimed when it returns -1.
 */
export async function runUnit(
  unit: ScanUnit,
  progress: (bytes: number) => void,
  stdin?: NodeJS.ReadableStream,
  claims?: RangeClaims,
  into?: UnitTarget,
  claimHook?: () => number,
): Promise<UnitResult> {
  const grouper =
    into?.grouper ?? new TriageGrouper((r) => actionOfRecord(fullRecord(r)), GROUP_LIMITS.maxUnitGroups);
  const auditor = into?.auditor ?? new Auditor();
  const deniedBefore = grouper.total;
  const malformed: MalformedRecord[] = [];
  const res: UnitResult = {
    order: unit.order,
    start: 0,
    end: 0,
    groups: emptyGroupState(),
    audit: auditor.state(),
    files: 0,
    bytes: 0,
    lines: 0,
    denied: 0,
    malformedCount: 0,
    malformed,
    readable: false,
    problems: [],
  };
  const bad = (m: MalformedRecord): void => {
    res.malformedCount++;
    if (malformed.length < MAX_MALFORMED) malformed.push(m);
  };
  if (unit.kind === 'range') {
    const { slot, chunk } = unit;
    let claim = claimHook;
    if (slot !== undefined && chunk !== undefined) {
      if (!claims) throw new Error('internal: a claiming range needs the shared claims');
      claim = () => {
        const k = claims.next(slot);
        return k < 0 ? -1 : unit.start + (k + 1) * chunk;
      };
    }
    const sink = {
      record: (rec: LogRecord) => {
        grouper.add(rec);
        auditor.add(rec);
      },
      malformed: bad,
      progress,
    };
    const r = scanRange(unit.file, unit.start, unit.end, sink, undefined, claim);
    Object.assign(res, {
      start: unit.start,
      end: r.end,
      files: unit.start === 0 ? 1 : 0,
      bytes: r.bytes,
      lines: r.lines,
      // Ranges are planned only for files whose first line parses (looksLikeAccessLog), so a file
      // of allowed requests alone was read even though none of its lines needed parsing.
      readable: r.readable || (unit.start === 0 && r.lines > 0),
    });
  } else {
    const stats = newStats();
    let reported = 0;
    try {
      const gen = scanDenied(unit.files, {
        ...(stdin ? { stdin } : {}),
        stats,
        onProgress: (s) => {
          progress(s.bytes - reported);
          reported = s.bytes;
        },
      });
      for await (const item of gen) {
        if (item.kind === 'record') {
          grouper.add(item.record);
          auditor.add(item.record);
        } else bad(item.malformed);
      }
      res.readable = true;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      res.problems.push(e.message);
    }
    progress(stats.bytes - reported);
    Object.assign(res, { files: stats.files, bytes: stats.bytes, lines: stats.lines });
  }
  res.denied = grouper.total - deniedBefore;
  if (into) {
    // Added to the caller's tables already: nothing to merge.
    res.audit = new Auditor().state();
    return res;
  }
  // Samples go back as the place of their line (cheap to send); the scan parses the kept ones.
  grouper.mapSamples(sampleRef);
  res.groups = grouper.state();
  return res;
}

/** What a thread needs besides its units: progress, stdin (main thread), and the shared claims. */
export interface ShareOptions {
  progress: (bytes: number) => void;
  stdin?: NodeJS.ReadableStream;
  claims?: RangeClaims;
  /** The ranges whose unclaimed chunks this thread may take once its own units are done. */
  stealable?: readonly StealableRange[];
  /** Tables to add to directly (a single thread in input order). */
  into?: UnitTarget;
  /**
   * Units any thread may take, in order, through a shared cursor (Int32 [next unit]): a thread
   * that joins a scan late takes what is left.
   */
  pool?: { cursor: SharedArrayBuffer; units: readonly ScanUnit[] };
}

/**
 * Runs one thread's share: its units in order, then those it takes from the `pool`, then, while some stealable range has two chunks
 * left, the upper half of the one with most left (as a plain range). Results go to `onResult`.
 */
export async function runShare(
  units: readonly ScanUnit[],
  opts: ShareOptions,
  onResult: (r: UnitResult) => void,
): Promise<void> {
  const { progress, stdin, claims, stealable, into, pool } = opts;
  for (const u of units) onResult(await runUnit(u, progress, stdin, claims, into));
  if (pool) {
    const cursor = new Int32Array(pool.cursor);
    for (let k = Atomics.add(cursor, 0, 1); k < pool.units.length; k = Atomics.add(cursor, 0, 1))
      onResult(await runUnit(pool.units[k]!, progress, stdin, claims, into));
  }
  if (!claims || !stealable) return;
  for (let got = stealFrom(claims, stealable); got; got = stealFrom(claims, stealable)) {
    const { order, file } = got.range;
    onResult(await runUnit({ kind: 'range', order, file, start: got.start, end: got.end }, progress));
  }
}
