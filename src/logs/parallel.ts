// Parallel triage scan: splits large plain access logs into line-aligned byte ranges and runs scan tasks on worker threads.

import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ReadItem } from '../model/input.js';
import { detect, SNIFF_BYTES } from './detect.js';

/** One unit of scanning: a whole input, or a byte range of a plain access log. */
export interface ScanTask {
  file: string;
  /** Byte range `[start, end)`, aligned to line starts; absent: the whole input. */
  start?: number;
  end?: number;
  /** 0-based part of the file (0 for whole-file tasks). */
  part: number;
}

/** What one task found; line numbers of range tasks count from the range start. */
export interface TaskResult {
  items: ReadItem[];
  bytes: number;
  lines: number;
  readable: boolean;
  problems: string[];
}

/** Runs one task somewhere (this thread, or a worker). */
export type TaskRunner = (task: ScanTask) => Promise<TaskResult>;

/** Plain access logs at least this large are split into ranges. */
export const SPLIT_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Plans the tasks: every input whole, except plain (not gzipped) S3 access logs of at least
 * {@link SPLIT_MIN_BYTES}, which are cut into `parts` ranges at line starts.
 */
export async function planTasks(
  files: readonly string[],
  parts: number,
  minBytes = SPLIT_MIN_BYTES,
): Promise<ScanTask[]> {
  const tasks: ScanTask[] = [];
  for (const file of files) {
    const ranges = parts > 1 && file !== '-' ? await splitFile(file, parts, minBytes) : undefined;
    if (!ranges) {
      tasks.push({ file, part: 0 });
      continue;
    }
    ranges.forEach(([start, end], part) => tasks.push({ file, start, end, part }));
  }
  return tasks;
}

async function splitFile(
  file: string,
  parts: number,
  minBytes: number,
): Promise<[number, number][] | undefined> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return undefined;
  }
  if (size < minBytes) return undefined;
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    await fh.read(head, 0, head.length, 0);
    if (head[0] === 0x1f && head[1] === 0x8b) return undefined;
    if (detect(head).kind !== 'access-log') return undefined;
    const cuts = [0];
    const probe = Buffer.alloc(1024 * 1024);
    for (let i = 1; i < parts; i++) {
      const at = Math.floor((size * i) / parts);
      if (at <= (cuts[cuts.length - 1] as number)) continue;
      const { bytesRead } = await fh.read(probe, 0, probe.length, at);
      const nl = probe.subarray(0, bytesRead).indexOf(10);
      if (nl < 0) continue; // a line longer than the probe: keep it in the previous range
      const cut = at + nl + 1;
      if (cut < size && cut > (cuts[cuts.length - 1] as number)) cuts.push(cut);
    }
    cuts.push(size);
    const ranges: [number, number][] = [];
    for (let i = 0; i + 1 < cuts.length; i++) ranges.push([cuts[i] as number, cuts[i + 1] as number]);
    return ranges;
  } finally {
    await fh.close();
  }
}

/**
 * Runs tasks with up to `concurrency` in flight and yields their results in task order, so the
 * caller can number lines across the ranges of one file.
 */
export async function* runTasks(
  tasks: readonly ScanTask[],
  runner: TaskRunner,
  concurrency: number,
): AsyncGenerator<{ task: ScanTask; result: TaskResult }> {
  const pending: Promise<TaskResult>[] = [];
  let started = 0;
  for (let i = 0; i < tasks.length; i++) {
    while (started < tasks.length && started < i + Math.max(1, concurrency)) {
      const p = runner(tasks[started] as ScanTask);
      p.catch(() => undefined); // awaited in order below
      pending[started] = p;
      started++;
    }
    const result = await (pending[i] as Promise<TaskResult>);
    delete pending[i];
    yield { task: tasks[i] as ScanTask, result };
  }
}

/** A pool of worker threads running scan tasks. */
export interface WorkerPool {
  run: TaskRunner;
  close(): Promise<void>;
}

/**
 * Starts `n` workers running `scan-worker.js` next to this module, or returns undefined when that
 * compiled script is not there (running from TypeScript sources, as in unit tests).
 */
export function startWorkerPool(n: number): WorkerPool | undefined {
  const url = new URL('./scan-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return undefined;
  const idle: Worker[] = [];
  const all: Worker[] = [];
  const queue: { task: ScanTask; resolve: (r: TaskResult) => void; reject: (e: Error) => void }[] = [];
  const pump = (): void => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop() as Worker;
      const job = queue.shift() as (typeof queue)[number];
      const onMessage = (msg: { result?: TaskResult; error?: string }): void => {
        w.off('error', onError);
        idle.push(w);
        if (msg.result) job.resolve(msg.result);
        else job.reject(new Error(msg.error ?? 'scan worker failed'));
        pump();
      };
      const onError = (e: Error): void => {
        w.off('message', onMessage);
        job.reject(e);
      };
      w.once('message', onMessage);
      w.once('error', onError);
      w.postMessage(job.task);
    }
  };
  for (let i = 0; i < n; i++) {
    const w = new Worker(url);
    all.push(w);
    idle.push(w);
  }
  return {
    run: (task) =>
      new Promise<TaskResult>((resolve, reject) => {
        queue.push({ task, resolve, reject });
        pump();
      }),
    close: async () => {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
