// Plans and runs the triage scan over all inputs: a reader/parser pipeline on two threads, else byte ranges and files spread over threads, merged in input order.

import { availableParallelism } from 'node:os';
import { open, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { LogRecord, MalformedRecord, ScanStats } from '../model/index.js';
import { InputError } from '../logs/index.js';
import { expandInputs } from '../logs/source.js';
import { actionOfRecord } from './action.js';
import { fullRecord } from './light-record.js';
import { Auditor, shiftAuditLines } from './audit.js';
import { shiftGroupLines, TriageGrouper, type GroupAccumulator } from './groups.js';
import { candidateConsumer, type PipeMessage, type PipeStart } from './pipeline.js';
import { looksLikeAccessLog } from './range-scan.js';
import { readSamples } from './samples.js';
import { chunkBytes, RangeClaims, type StealableRange } from './claims.js';
import { MAX_MALFORMED, runShare, runUnit, type ScanUnit, type UnitResult } from './unit.js';
import { SecondThread, secondThreadMode } from './second-thread.js';
import type { FromWorker, ToWorker } from './worker.js';

/** `--workers`: a count, or `auto` (start on one thread, add threads while measuring says they pay). */
export type WorkersOption = number | 'auto';

/** Scan tuning (data). */
export const SCAN_TUNING = {
  /** Below this many bytes in all, `auto` stays on the main thread (starting workers costs more). */
  autoMinBytes: 48 * 1024 * 1024,
  /**
   * Byte ranges are at most about this size; S3DOCTOR_TRIAGE_RANGE_BYTES overrides (tests). Large:
   * every range ships a group table of up to 10,000 groups to be cloned and merged (1 GiB, two
   * threads: 4 ranges of 256 MiB 2.65-2.97 s and 250 MB peak RSS, 2 ranges 2.12-2.25 s and 215 MB).
   */
  rangeBytes: Number(process.env.S3DOCTOR_TRIAGE_RANGE_BYTES) || 1024 * 1024 * 1024,
  /** Most workers `auto` starts. */
  maxAutoWorkers: 8,
  /**
   * Smallest chunk threads claim of a shared byte range (one atomic operation each; a read is 4
   * MiB); S3DOCTOR_TRIAGE_CHUNK_BYTES overrides (tests).
   */
  minChunkBytes: Number(process.env.S3DOCTOR_TRIAGE_CHUNK_BYTES) || 4 * 1024 * 1024,
} as const;

/** Options of {@link scanInputs}. */
export interface ScanInputsOptions {
  workers?: WorkersOption;
  stdin?: NodeJS.ReadableStream;
  /** Bytes done so far and the total (0 when unknown). */
  onProgress?(done: number, total: number): void;
  /** Where the worker script is (default: `worker.js` next to this module). */
  workerUrl?: URL;
}

/** Everything the scan found. */
export interface ScanOutcome {
  grouper: TriageGrouper;
  auditor: Auditor;
  stats: ScanStats;
  malformed: MalformedRecord[];
  /** Worker threads used (0: the main thread did everything). */
  workers: number;
  /**
   * The full sample records of some groups, read on demand (a byte-range scan keeps only where
   * each sample's line is; absent: every `sampleRecord` is already full).
   */
  samples?(groups: readonly GroupAccumulator[]): LogRecord[];
}

interface PlannedUnit {
  unit: ScanUnit;
  /** Units that are byte ranges of one file share a file id (line numbers continue across them). */
  fileId?: number;
  /** stdin can only be read on the main thread. */
  mainOnly: boolean;
}

/** Expands folders (recursively, sorted) and checks paths with the log readers' own {@link expandInputs}, with each file's size. */
async function expand(inputs: string[]): Promise<{ path: string; size: number }[]> {
  const files = await expandInputs(inputs.length ? inputs : ['-']);
  return Promise.all(files.map(async (path) => ({ path, size: path === '-' ? 0 : (await stat(path)).size })));
}

/**
 * The bytes a file holds once decompressed, for sizing the scan: a gzip file's size from its
 * trailer (ISIZE, the uncompressed length modulo 2^32, RFC 1952 §2.3.1; a multi-member file
 * gives its last member's, so never less than the compressed size is used), else its size.
 */
export async function scanWeight(path: string, size: number): Promise<number> {
  if (path === '-' || size < 18) return size;
  let fh;
  try {
    fh = await open(path, 'r');
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    if (head[0] !== 0x1f || head[1] !== 0x8b) return size;
    const tail = Buffer.alloc(4);
    await fh.read(tail, 0, 4, size - 4);
    return Math.max(size, tail.readUInt32LE(0));
  } catch {
    return size;
  } finally {
    await fh?.close();
  }
}

/** How many workers to use for `total` bytes (decompressed, where known). */
export function resolveWorkers(opt: WorkersOption | undefined, total: number): number {
  if (typeof opt === 'number') return Math.max(1, Math.floor(opt));
  if (total < SCAN_TUNING.autoMinBytes) return 1;
  return Math.max(1, Math.min(availableParallelism(), SCAN_TUNING.maxAutoWorkers));
}

/** Whether each file is a plain S3 access log (its first line parses), so byte ranges of it can be scanned. */
function plainAccessLogs(files: { path: string; size: number }[]): boolean[] {
  return files.map((f) => {
    if (f.path === '-') return false;
    try {
      return f.size > 0 && looksLikeAccessLog(f.path);
    } catch {
      return false;
    }
  });
}

function plan(
  files: { path: string; size: number }[],
  plainFiles: boolean[],
  workers: number,
): PlannedUnit[] {
  const units: PlannedUnit[] = [];
  let fileId = 0;
  for (const [i, f] of files.entries()) {
    if (f.path === '-') {
      units.push({ unit: { kind: 'files', order: units.length, files: ['-'] }, mainOnly: true });
      continue;
    }
    if (!plainFiles[i]) {
      units.push({ unit: { kind: 'files', order: units.length, files: [f.path] }, mainOnly: false });
      continue;
    }
    // One range per thread at least (balance), more for very large files (smaller tables to merge early).
    const parts = workers > 1 ? Math.max(workers, Math.ceil(f.size / SCAN_TUNING.rangeBytes)) : 1;
    const id = fileId++;
    for (let i = 0; i < parts; i++) {
      const start = Math.floor((f.size * i) / parts);
      const end = i === parts - 1 ? f.size : Math.floor((f.size * (i + 1)) / parts);
      units.push({
        unit: { kind: 'range', order: units.length, file: f.path, start, end },
        fileId: id,
        mainOnly: false,
      });
    }
  }
  return units;
}

/**
 * Scans every input for denied requests, grouping and auditing them. `auto` (inputs over
 * {@link SCAN_TUNING.autoMinBytes}) starts on this thread and adds threads only when measured
 * throughput and idle CPU say they pay ({@link SecondThread}); results equal one thread's. With two threads and only
 * plain S3 access logs, a worker reads the files and this thread parses their candidate lines
 * (pipeline.ts). Otherwise plain access logs are read in byte ranges aligned to line starts and
 * other files (CloudTrail, `.gz`, CSV, text) one per unit; with more than one thread the units run
 * on worker threads too (ranges claimed chunk by chunk, idle threads taking over the rest of busy
 * ones), and their group tables are merged on this thread in input order (line numbers continue
 * across the ranges of a file). Memory stays flat: each group table is bounded, and only the
 * first 100 malformed entries are kept.
 * Throws {@link InputError} for missing paths, and when nothing at all could be read.
 */
export async function scanInputs(inputs: string[], opts: ScanInputsOptions = {}): Promise<ScanOutcome> {
  const files = await expand(inputs);
  const total = files.reduce((n, f) => n + f.size, 0);
  // `auto` sizes by decompressed bytes: 20 MB of CloudTrail .gz is some 200 MB of JSON to parse.
  let weight = total;
  if (opts.workers === undefined || opts.workers === 'auto') {
    weight = 0;
    for (const f of files) {
      weight += await scanWeight(f.path, f.size);
      if (weight >= SCAN_TUNING.autoMinBytes) break; // enough to decide
    }
  }
  let wanted = resolveWorkers(opts.workers, weight);
  const plainFiles = plainAccessLogs(files);
  const auto = opts.workers === undefined || opts.workers === 'auto';
  const mode = secondThreadMode();
  if (auto && typeof mode === 'object') wanted = Math.max(wanted, 2);
  // Light records (the pipeline's) name their action from the full record.
  const grouper = new TriageGrouper((r) => actionOfRecord(fullRecord(r)));
  const auditor = new Auditor();
  const stats: ScanStats = { files: 0, bytes: 0, lines: 0, denied: 0, malformed: 0 };
  const malformed: MalformedRecord[] = [];
  const problems: string[] = [];
  let readable = false;
  let done = 0;
  const progress = (n: number): void => {
    done += n;
    opts.onProgress?.(done, total);
  };
  const pipeSinks = (skipFirstFile: boolean): Parameters<typeof candidateConsumer>[2] => ({
    grouper,
    auditor,
    progress,
    malformed: (m) => {
      if (malformed.length < MAX_MALFORMED) malformed.push(m);
    },
    done: (file, f) => {
      // A file whose first part this thread read was counted then.
      if (!(skipFirstFile && file === 0)) stats.files++;
      stats.bytes += f.bytes;
      stats.lines += f.lines;
      stats.denied += f.denied;
      stats.malformed += f.malformed;
      // Only files whose first line parses come this way.
      if (f.lines > 0) readable = true;
    },
  });
  const outcome = (workers: number): ScanOutcome => {
    if (!readable) {
      throw new InputError(
        problems[0] ?? 'Nothing could be read from the input (no records found).',
        problems,
      );
    }
    return { grouper, auditor, stats, malformed, workers, samples: readSamples };
  };

  let units: PlannedUnit[] = [];
  const lineOffsets = new Map<number, number>();
  // Results by unit; a range unit is done when its pieces (the owner's, and what other threads
  // took of it) cover its bytes. Units are merged in input order as they are done.
  const pieces = new Map<number, UnitResult[]>();
  const covered = new Map<number, number>();
  let nextMerge = 0;
  const isDone = (i: number): boolean => {
    const u = units[i]!.unit;
    if (!pieces.has(i)) return false;
    return u.kind === 'files' || (covered.get(i) ?? 0) >= u.end - u.start;
  };
  const mergeOne = (r: UnitResult, fileId: number | undefined): void => {
    const offset = fileId === undefined ? 0 : (lineOffsets.get(fileId) ?? 0);
    if (fileId !== undefined) lineOffsets.set(fileId, offset + r.lines);
    shiftGroupLines(r.groups, offset);
    shiftAuditLines(r.audit, offset);
    grouper.merge(r.groups);
    auditor.merge(r.audit);
    stats.files += r.files;
    stats.bytes += r.bytes;
    stats.lines += r.lines;
    stats.denied += r.denied;
    stats.malformed += r.malformedCount;
    for (const m of r.malformed) {
      if (malformed.length >= MAX_MALFORMED) break;
      malformed.push(m.line !== undefined && offset ? { ...m, line: m.line + offset } : m);
    }
    if (r.readable) readable = true;
    problems.push(...r.problems);
  };
  /** Merges the done units at the head of the input order (all that have results, at the end). */
  const mergeReady = (all = false): void => {
    while (nextMerge < units.length && (isDone(nextMerge) || (all && pieces.has(nextMerge)))) {
      const got = pieces.get(nextMerge)!.sort((x, y) => x.start - y.start);
      pieces.delete(nextMerge);
      for (const r of got) mergeOne(r, units[nextMerge]!.fileId);
      nextMerge++;
    }
  };
  const onResult = (r: UnitResult): void => {
    const list = pieces.get(r.order);
    if (list) list.push(r);
    else pieces.set(r.order, [r]);
    covered.set(r.order, (covered.get(r.order) ?? 0) + (r.end - r.start));
    mergeReady();
  };

  if (auto && wanted > 1 && !files.some((f) => f.path === '-')) {
    // `auto`: start on this thread, add threads only while measuring says they pay (second-thread.ts).
    if (plainFiles.every(Boolean)) {
      // Plain access logs: this thread reads and parses them 4 MiB at a time; once a second thread
      // pays, it reads the rest (from the line after the last one read here) as the two-thread
      // pipeline, and this thread parses. One group table throughout, in input order.
      const adder = new SecondThread(total, mode);
      for (let i = 0; i < files.length; i++) {
        const f = files[i]!;
        let handover = false;
        let to = 0;
        const claim = (): number => {
          if (adder.check(done)) {
            handover = true;
            return -1;
          }
          to += SCAN_TUNING.minChunkBytes;
          return to;
        };
        const unit: ScanUnit = { kind: 'range', order: i, file: f.path, start: 0, end: f.size };
        const r = await runUnit(unit, progress, undefined, undefined, { grouper, auditor }, claim);
        mergeOne(r, undefined);
        if (!handover) continue;
        const rest = files.slice(i).map((x) => x.path);
        const starts = rest.map((_, k) => (k === 0 ? r.end : 0));
        const bases = rest.map((_, k) => (k === 0 ? r.lines : 0));
        await runPipeline(rest, opts.workerUrl, pipeSinks(true), starts, bases);
        return outcome(1);
      }
      return outcome(0);
    }
    // Other inputs: units (a file each; a range for each plain access log) taken in order through
    // a shared cursor, by this thread and by each thread added later.
    units = plan(files, plainFiles, 1);
    const adder = new SecondThread(total, mode, undefined, undefined, undefined, wanted - 1);
    const pool = { cursor: new SharedArrayBuffer(4), units: units.map((u) => u.unit) };
    const next = new Int32Array(pool.cursor);
    const joined: Promise<void>[] = [];
    let mainError: unknown;
    try {
      for (;;) {
        if (adder.check(done)) {
          const p = runOnWorkers([[]], {}, opts.workerUrl, progress, onResult, pool);
          p.catch(() => undefined); // awaited below
          joined.push(p);
        }
        const k = Atomics.add(next, 0, 1);
        if (k >= units.length) break;
        // Until a thread joins, this one scans in input order straight into the final tables.
        const into = joined.length ? undefined : { grouper, auditor };
        onResult(await runUnit(units[k]!.unit, progress, undefined, undefined, into));
      }
    } catch (e) {
      mainError = e;
    }
    await Promise.all(joined);
    if (mainError) throw mainError;
    mergeReady(true);
    return outcome(joined.length);
  }

  // `--workers 2` on plain access logs alone: the two-thread pipeline.
  if (wanted === 2 && plainFiles.every(Boolean)) {
    // Plain access logs on two threads: one reads and finds the candidate lines, this one parses them.
    await runPipeline(
      files.map((f) => f.path),
      opts.workerUrl,
      pipeSinks(false),
    );
    return outcome(1);
  }

  units = plan(files, plainFiles, wanted);

  const threads = Math.max(1, Math.min(wanted, units.filter((u) => !u.mainOnly).length));
  // Units are dealt round-robin to the threads up front (the main thread takes a share too), so a
  // worker never waits for this thread to hand it the next unit while this thread scans. With more
  // than one thread, byte ranges are claimed chunk by chunk, and a thread that runs out of work
  // takes half of what is left of the range with most left (threads start and run unevenly).
  const stealable: StealableRange[] = [];
  if (threads > 1)
    for (const { unit: u } of units)
      if (u.kind === 'range') {
        u.slot = stealable.length;
        u.chunk = chunkBytes(u.end - u.start, SCAN_TUNING.minChunkBytes);
        stealable.push({
          slot: u.slot,
          order: u.order,
          file: u.file,
          start: u.start,
          end: u.end,
          chunk: u.chunk,
        });
      }
  const claims = stealable.length ? RangeClaims.create(stealable) : undefined;
  const share = claims ? { claims, stealable } : {};
  const shares: ScanUnit[][] = Array.from({ length: threads }, () => []);
  let dealt = 0;
  for (const u of units) {
    if (u.mainOnly) shares[0]!.push(u.unit);
    else shares[dealt++ % threads]!.push(u.unit);
  }
  for (const sh of shares) sh.sort((a, b) => a.order - b.order);
  const onThreads =
    threads > 1
      ? runOnWorkers(shares.slice(1), share, opts.workerUrl, progress, onResult)
      : Promise.resolve();
  onThreads.catch(() => undefined); // awaited below
  let mainError: unknown;
  try {
    // One thread scans everything in input order: straight into the final tables.
    const into = threads === 1 ? { into: { grouper, auditor } } : {};
    await runShare(
      shares[0]!,
      { ...share, ...into, progress, ...(opts.stdin ? { stdin: opts.stdin } : {}) },
      onResult,
    );
  } catch (e) {
    mainError = e;
  }
  await onThreads;
  if (mainError) throw mainError;
  mergeReady(true);
  return outcome(threads > 1 ? threads - 1 : 0);
}

/**
 * Runs one worker thread: posts `start`, hands every message to `onMessage`, and settles when the
 * worker exits. An `error` message, a crash, or `onMessage` throwing stops it and rejects.
 */
function runWorker(
  url: URL,
  start: ToWorker | PipeStart,
  onMessage: (m: PipeMessage | FromWorker) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const w = new Worker(url);
    let failed = false;
    const fail = (e: unknown): void => {
      failed = true;
      void w.terminate();
      reject(e instanceof Error ? e : new Error(String(e)));
    };
    w.on('message', (m: PipeMessage | FromWorker) => {
      if (m.type === 'error') return fail(new Error(m.message));
      try {
        onMessage(m);
      } catch (e) {
        fail(e);
      }
    });
    w.on('error', fail);
    w.on('exit', () => {
      if (!failed) resolve();
    });
    w.postMessage(start);
  });
}

/** Runs the two-thread pipeline over plain access logs: a worker reads `paths`, this thread consumes. */
async function runPipeline(
  paths: string[],
  workerUrl: URL | undefined,
  sinks: Parameters<typeof candidateConsumer>[2],
  starts?: number[],
  lineBase?: number[],
): Promise<void> {
  const credits = new SharedArrayBuffer(4);
  const consume = candidateConsumer(paths, credits, sinks, lineBase);
  await runWorker(
    workerUrl ?? new URL('../triage/worker.js', import.meta.url),
    { type: 'pipe', files: paths, credits, ...(starts ? { starts } : {}) },
    (m) => {
      if (m.type === 'result') throw new Error('internal: a unit result from a pipeline worker');
      if (m.type !== 'error') consume(m);
    },
  );
}

/** Runs each share of units on its own worker thread (then what it can take from other ranges). */
async function runOnWorkers(
  shares: ScanUnit[][],
  share: { claims?: RangeClaims; stealable?: StealableRange[] },
  workerUrl: URL | undefined,
  progress: (bytes: number) => void,
  onResult: (r: UnitResult) => void,
  pool?: { cursor: SharedArrayBuffer; units: ScanUnit[] },
): Promise<void> {
  const url = workerUrl ?? new URL('../triage/worker.js', import.meta.url);
  const extra = share.claims ? { claims: share.claims.buffer, stealable: share.stealable ?? [] } : {};
  await Promise.all(
    shares.map((units) =>
      runWorker(url, { type: 'units', units, ...extra, ...(pool ? { pool } : {}) }, (m) => {
        if (m.type === 'progress') progress(m.bytes);
        else if (m.type === 'result') onResult(m.result);
        else throw new Error('internal: pipeline lines from a unit worker');
      }),
    ),
  );
}
