// Two-thread triage of plain access logs: a worker reads the files and finds the candidate lines, the main thread parses, groups and audits them.

import type { MalformedRecord } from '../model/index.js';
import { isDenied } from '../logs/index.js';
import type { Auditor } from './audit.js';
import type { TriageGrouper } from './groups.js';
import { readCandidate, scanRange } from './range-scan.js';

/*
 * Why: reading and finding the lines that may be denials is about a third of the work, parsing,
 * grouping and auditing them the rest. Split that way, two threads share no group table: nothing
 * to copy between them or merge, no second set of hot code to warm up, and the one table sees
 * the records in input order, so the report equals a one-thread scan's.
 */

/** Main thread -> worker: the files to read, and the batch counter both sides share. */
export interface PipeStart {
  type: 'pipe';
  files: string[];
  /**
   * Where each file's scan starts (default 0): a scan that began on one thread hands over the
   * rest of a file from a line-aligned offset (the lines starting before it were read there).
   */
  starts?: number[];
  /** Int32 [batches consumed]: the worker waits when it is {@link PIPE_TUNING.maxInFlight} ahead. */
  credits: SharedArrayBuffer;
}

/** Worker -> main thread. */
export type PipeMessage =
  | {
      type: 'lines';
      file: number;
      /** The candidate lines' bytes, one after the other. */
      text: ArrayBuffer;
      /** Per line: line number, file offset, start and end in `text`. */
      meta: Float64Array;
      malformed: MalformedRecord[];
    }
  | { type: 'file-done'; file: number; lines: number; bytes: number }
  | { type: 'progress'; bytes: number };

/** Pipeline tuning (data). */
export const PIPE_TUNING = {
  /** A batch is sent once it holds this many bytes of lines (about 500 lines). */
  batchBytes: 256 * 1024,
  /** Batches sent but not yet consumed before the worker waits (bounds memory: about 4 MB). */
  maxInFlight: 16,
} as const;

/** Worker side: reads `files` whole and sends their candidate lines in batches (blocks while the main thread is behind). */
export function sendCandidateLines(
  start: PipeStart,
  post: (m: PipeMessage, transfer?: ArrayBuffer[]) => void,
): void {
  const credits = new Int32Array(start.credits);
  let sent = 0;
  for (let file = 0; file < start.files.length; file++) {
    const path = start.files[file]!;
    let text = Buffer.allocUnsafe(PIPE_TUNING.batchBytes * 2);
    let used = 0;
    let meta: number[] = [];
    let malformed: MalformedRecord[] = [];
    const flush = (): void => {
      if (!meta.length && !malformed.length) return;
      for (;;) {
        const consumed = Atomics.load(credits, 0);
        if (sent - consumed < PIPE_TUNING.maxInFlight) break;
        Atomics.wait(credits, 0, consumed, 1000);
      }
      const out = new ArrayBuffer(used);
      text.copy(new Uint8Array(out));
      post({ type: 'lines', file, text: out, meta: Float64Array.from(meta), malformed }, [out]);
      sent++;
      used = 0;
      meta = [];
      malformed = [];
    };
    const r = scanRange(path, start.starts?.[file] ?? 0, Number.MAX_SAFE_INTEGER, {
      record: () => undefined,
      malformed: (m) => malformed.push(m),
      candidate: (b, from, to, lineNo, offset) => {
        const n = to - from;
        if (used + n > text.length) {
          const bigger = Buffer.allocUnsafe(Math.max(text.length * 2, used + n));
          text.copy(bigger, 0, 0, used);
          text = bigger;
        }
        b.copy(text, used, from, to);
        meta.push(lineNo, offset, used, used + n);
        used += n;
        if (used >= PIPE_TUNING.batchBytes) flush();
      },
      progress: (bytes) => post({ type: 'progress', bytes }),
    });
    flush();
    post({ type: 'file-done', file, lines: r.lines, bytes: r.bytes });
  }
}

/** What the main thread's side counted, per file (in input order). */
export interface PipeFileStats {
  lines: number;
  bytes: number;
  denied: number;
  malformed: number;
}

/**
 * Main-thread side: returns the handler of the worker's messages, which parses each batch's lines
 * and feeds denied records to `grouper` and `auditor` (in input order), malformed ones to
 * `malformed`, then returns the batch's credit. `done` receives each file's counts. `lineBase`
 * (per file, default 0) is added to line numbers: the lines of a file read before the handover.
 */
export function candidateConsumer(
  files: string[],
  credits: SharedArrayBuffer,
  sinks: {
    grouper: TriageGrouper;
    auditor: Auditor;
    malformed(m: MalformedRecord): void;
    progress(bytes: number): void;
    done(file: number, stats: PipeFileStats): void;
  },
  lineBase: readonly number[] = [],
): (m: PipeMessage) => void {
  const counter = new Int32Array(credits);
  const denied = new Array<number>(files.length).fill(0);
  const bad = new Array<number>(files.length).fill(0);
  return (m) => {
    if (m.type === 'progress') return sinks.progress(m.bytes);
    if (m.type === 'file-done') {
      sinks.done(m.file, {
        lines: m.lines,
        bytes: m.bytes,
        denied: denied[m.file]!,
        malformed: bad[m.file]!,
      });
      return;
    }
    const source = files[m.file]!;
    const base = lineBase[m.file] ?? 0;
    const text = Buffer.from(m.text);
    // The worker's own malformed entries (over-long lines) go in line order among the parsed ones.
    let next = 0;
    const badBefore = (line: number): void => {
      for (; next < m.malformed.length && (m.malformed[next]!.line ?? 0) < line; next++) {
        bad[m.file]!++;
        const w = m.malformed[next]!;
        sinks.malformed(base && w.line !== undefined ? { ...w, line: w.line + base } : w);
      }
    };
    const meta = m.meta;
    for (let i = 0; i < meta.length; i += 4) {
      const [lineNo, offset, from, to] = [meta[i]!, meta[i + 1]!, meta[i + 2]!, meta[i + 3]!];
      badBefore(lineNo);
      const item = readCandidate(text.toString('utf8', from, to), source, lineNo + base, offset, to - from);
      if (item.kind === 'malformed') {
        bad[m.file]!++;
        sinks.malformed(item.malformed);
      } else if (isDenied(item.record)) {
        denied[m.file]!++;
        sinks.grouper.add(item.record);
        sinks.auditor.add(item.record);
      }
    }
    badBefore(Infinity);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
  };
}
