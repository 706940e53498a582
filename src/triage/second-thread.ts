// Decides, from the measured throughput of a scan running on one thread and the idle CPU beside it, when `--workers auto` adds a second thread.

import { availableParallelism, cpus } from 'node:os';

/*
 * Why: a second thread pays only when a core is free and enough work is left to cover starting
 * it (a worker, its module loading and cold code: some 100 ms). Deciding up front from the input
 * size alone picked two threads that were 12% slower than one (36% on CloudTrail) when the second
 * core was busy. So the scan starts on this thread and this measures as it goes.
 */

/** Tuning of the decision (data). */
export const SECOND_THREAD_TUNING = {
  /** Each measurement covers at least this long. */
  windowMs: 250,
  /** Idle CPU beside this thread, in cores, averaged over a window, for a second thread to be started. */
  minIdleCores: 0.75,
  /** Work left, estimated from this thread's throughput, below which a second thread no longer pays. */
  minRemainingMs: 1000,
} as const;

/**
 * `S3DOCTOR_TRIAGE_SECOND_THREAD`: `always` adds threads without measuring (tests; `always:N`
 * from the Nth check on), `never` never does; otherwise (`measure`) the measured decision.
 */
export type SecondThreadMode = { always: number } | 'never' | 'measure';

/** The mode from the environment. */
export function secondThreadMode(): SecondThreadMode {
  const v = process.env.S3DOCTOR_TRIAGE_SECOND_THREAD ?? '';
  if (v === 'never') return v;
  const m = /^always(?::(\d+))?$/.exec(v);
  return m ? { always: Math.max(1, Number(m[1] ?? 1)) } : 'measure';
}

/** Idle milliseconds of all cores so far. */
function idleMs(): number {
  let n = 0;
  for (const c of cpus()) n += c.times.idle;
  return n;
}

/** What {@link SecondThread.check} measured in its last window (for tests and a debug line). */
export interface SecondThreadWindow {
  idleCores: number;
  remainingMs: number;
}

/**
 * Asked as the scan goes (`check(done)`, cheap between windows), answers true when another thread
 * should start (at most `maxJoins` times, each after its own window): a window of at least {@link SECOND_THREAD_TUNING.windowMs} measured this
 * thread's throughput and at least {@link SECOND_THREAD_TUNING.minIdleCores} of idle CPU, and the
 * work left at that throughput is at least {@link SECOND_THREAD_TUNING.minRemainingMs}. Once too
 * little is left it stops measuring. A machine with one core never adds one.
 */
export class SecondThread {
  private t0: number;
  private idle0: number;
  private done0 = 0;
  private settled: boolean;
  private joined = 0;
  private checks = 0;
  /** The last window measured. */
  last: SecondThreadWindow | undefined;

  /**
   * @param total bytes the scan reads in all (what `done` counts towards)
   * @param clock milliseconds (tests)
   * @param idle idle CPU milliseconds of all cores (tests)
   * @param maxJoins threads that may be added, one at a time (each after a window of its own)
   */
  constructor(
    private readonly total: number,
    private readonly mode: SecondThreadMode = secondThreadMode(),
    private readonly clock: () => number = () => performance.now(),
    private readonly idle: () => number = idleMs,
    cores: number = availableParallelism(),
    private readonly maxJoins = 1,
  ) {
    this.settled = maxJoins < 1 || mode === 'never' || (mode === 'measure' && cores < 2);
    this.t0 = clock();
    this.idle0 = this.settled || mode !== 'measure' ? 0 : idle();
  }

  /** Whether to start the second thread now, `done` bytes into the scan. */
  check(done: number): boolean {
    if (this.settled) return false;
    if (typeof this.mode === 'object') return ++this.checks >= this.mode.always && this.join();
    const now = this.clock();
    const wall = now - this.t0;
    if (wall < SECOND_THREAD_TUNING.windowMs) return false;
    const idle = this.idle();
    const rate = (done - this.done0) / wall;
    const w: SecondThreadWindow = {
      idleCores: (idle - this.idle0) / wall,
      remainingMs: rate > 0 ? Math.max(0, this.total - done) / rate : Infinity,
    };
    this.last = w;
    this.t0 = now;
    this.idle0 = idle;
    this.done0 = done;
    if (w.remainingMs < SECOND_THREAD_TUNING.minRemainingMs) {
      this.settled = true;
      return false;
    }
    if (w.idleCores < SECOND_THREAD_TUNING.minIdleCores) return false;
    return this.join();
  }

  private join(): true {
    if (++this.joined >= this.maxJoins) this.settled = true;
    return true;
  }
}
