// Tests of the parallel triage scan: range planning, ordered merging, line numbers across ranges.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newStats, readInputs, scanDenied } from '../../src/logs/index.js';
import { planTasks, runTasks, type ScanTask, type TaskResult } from '../../src/logs/parallel.js';
import { runScanTask } from '../../src/logs/read.js';
import { collect, fixture, records } from './helpers.js';

let dir: string;
let big: string;
const docLog = readFileSync(fixture('access-doc-examples.log'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 's3doctor-par-'));
  big = join(dir, 'big.log');
  writeFileSync(big, Buffer.concat(Array.from({ length: 2000 }, () => docLog)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parallel scan', () => {
  it('plans line-aligned ranges for plain access logs only', async () => {
    const gz = join(dir, 'big.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(big)));
    const tasks = await planTasks([big, gz, fixture('cloudtrail-records.json')], 4, 1024);
    const ranges = tasks.filter((t) => t.file === big);
    expect(ranges.map((t) => t.part)).toEqual([0, 1, 2, 3]);
    const data = readFileSync(big);
    expect(ranges[0]?.start).toBe(0);
    expect(ranges.at(-1)?.end).toBe(data.length);
    for (let i = 1; i < ranges.length; i++) {
      expect(ranges[i]?.start).toBe(ranges[i - 1]?.end);
      expect(data[(ranges[i]?.start as number) - 1]).toBe(10);
    }
    expect(tasks.filter((t) => t.file !== big)).toEqual([
      { file: gz, part: 0 },
      { file: fixture('cloudtrail-records.json'), part: 0 },
    ]);
  });

  it('numbers lines across ranges exactly as the sequential scan does', async () => {
    const tasks = await planTasks([big], 3, 1024);
    expect(tasks).toHaveLength(3);
    let offset = 0;
    const merged = [];
    for await (const { result } of runTasks(tasks, runScanTask, 3)) {
      for (const item of result.items) {
        if (item.kind === 'record')
          merged.push({
            ...item.record,
            input: { ...item.record.input, line: (item.record.input.line ?? 0) + offset },
          });
      }
      offset += result.lines;
    }
    const sequential = records(await collect(scanDenied([big])));
    expect(merged).toEqual(sequential);
    expect(offset).toBe(12000);
  });

  it('yields results in task order whatever order tasks finish in', async () => {
    const tasks: ScanTask[] = [0, 1, 2, 3].map((part) => ({ file: `f${part}`, part }));
    const delays = [30, 1, 20, 5];
    const runner = (t: ScanTask): Promise<TaskResult> =>
      new Promise((resolve) =>
        setTimeout(
          () => resolve({ items: [], bytes: t.part, lines: 0, readable: true, problems: [] }),
          delays[t.part],
        ),
      );
    const order: number[] = [];
    for await (const { result } of runTasks(tasks, runner, 2)) order.push(result.bytes);
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('scanDenied with workers gives the same records and counters as one thread', async () => {
    const stats1 = newStats();
    const one = records(
      await collect(scanDenied([big, fixture('cloudtrail-records.json')], { stats: stats1 })),
    );
    const stats2 = newStats();
    const many = records(
      await collect(scanDenied([big, fixture('cloudtrail-records.json')], { stats: stats2, workers: 2 })),
    );
    expect(many).toEqual(one);
    expect(stats2).toEqual(stats1);
  });

  it('does not throw for an access log without any denied line', async () => {
    const p = join(dir, 'allowed.log');
    writeFileSync(p, `${docLog.toString().split('\n')[0]}\n`.repeat(50));
    expect(await collect(scanDenied([p]))).toEqual([]);
    expect(await collect(readInputs([p]))).toEqual([]);
    const ct = join(dir, 'allowed.json');
    writeFileSync(
      ct,
      JSON.stringify([{ eventVersion: '1.08', eventSource: 's3.amazonaws.com', eventName: 'GetObject' }]),
    );
    expect(await collect(scanDenied([ct]))).toEqual([]);
    expect(await collect(readInputs([ct]))).toEqual([]);
  });
});
