// Tests `--workers auto` adding a thread from measurement: the decision itself, and that a scan a thread joined late gives exactly the one-thread report.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scanInputs, toTriageGroup } from '../../src/triage/index.js';
import type { ScanOutcome } from '../../src/triage/scan.js';
import { SECOND_THREAD_TUNING, SecondThread } from '../../src/triage/second-thread.js';

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const workerUrl = new URL('../../dist/src/triage/worker.js', import.meta.url);

function logLine(i: number, status: number): string {
  const key = `p${i % 9}/k${i}`;
  const t = `02/Nov/2026:${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000`;
  const requester = i % 13 === 0 ? '-' : `arn:aws:sts::111122223333:assumed-role/r${i % 5}/s${i}`;
  return `${OWNER} b${i % 6} [${t}] 203.0.113.${i % 250} ${requester} R${i} REST.GET.OBJECT ${key} "GET /b${i % 6}/${key} HTTP/1.1" ${status} ${status === 200 ? '-' : i % 7 ? 'AccessDenied' : 'SignatureDoesNotMatch'} 243 - 12 - "-" "aws-cli/2.17.0" - H= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader s3.us-east-1.amazonaws.com TLSv1.2 - -`;
}

function ctEvent(i: number, denied: boolean): Record<string, unknown> {
  return {
    eventVersion: '1.10',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::111122223333:assumed-role/app-${i % 4}/s`,
      accountId: '111122223333',
    },
    eventTime: `2026-11-24T00:${String(i % 60).padStart(2, '0')}:00Z`,
    eventSource: 's3.amazonaws.com',
    eventName: i % 3 ? 'GetObject' : 'PutObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: `198.51.100.${i % 200}`,
    requestParameters: { bucketName: `bucket-${i % 3}`, key: `k${i % 5}/f${i}.csv` },
    ...(denied ? { errorCode: 'AccessDenied', errorMessage: 'Access Denied' } : {}),
    eventID: `e-${i}`,
  };
}

/** The parts of two outcomes a report is made of. */
function expectSameReport(got: ScanOutcome, want: ScanOutcome): void {
  expect(got.stats).toEqual(want.stats);
  expect(got.malformed).toEqual(want.malformed);
  expect(got.grouper.total).toBe(want.grouper.total);
  expect(got.grouper.ranked().map(toTriageGroup)).toEqual(want.grouper.ranked().map(toTriageGroup));
  expect(got.samples?.(got.grouper.ranked())).toEqual(want.samples?.(want.grouper.ranked()));
  expect(got.auditor.findings()).toEqual(want.auditor.findings());
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('SecondThread (when auto adds a thread)', () => {
  /** A decider on a fake clock and idle counter. */
  function fake(total: number, cores = 2, maxJoins = 1) {
    const t = { now: 0, idle: 0 };
    const d = new SecondThread(
      total,
      'measure',
      () => t.now,
      () => t.idle,
      cores,
      maxJoins,
    );
    return { t, d };
  }
  const w = SECOND_THREAD_TUNING.windowMs;

  it('adds one once a window measured a free core and enough work left, and only once', () => {
    const { t, d } = fake(1000 * w * 10);
    t.now = w / 2;
    t.idle = w / 2;
    expect(d.check(100)).toBe(false); // the window is not over
    t.now = w;
    t.idle = w; // one core idle all along
    expect(d.check(1000 * w)).toBe(true); // 1000 bytes/ms, 9 windows of work left
    expect(d.last?.idleCores).toBeCloseTo(1);
    t.now = 2 * w;
    t.idle = 2 * w;
    expect(d.check(2000 * w)).toBe(false);
  });

  it('waits while the other core is busy, and adds one when it frees', () => {
    const { t, d } = fake(1000 * w * 40);
    t.now = w;
    t.idle = w * 0.2;
    expect(d.check(1000 * w)).toBe(false);
    t.now = 2 * w;
    t.idle = w * 0.4;
    expect(d.check(2000 * w)).toBe(false);
    t.now = 3 * w;
    t.idle = w * 1.3;
    expect(d.check(3000 * w)).toBe(true);
  });

  it('never adds one when too little work is left, nor on one core, nor when told never', () => {
    const rate = 1000; // bytes per ms
    const little = fake(rate * (w + SECOND_THREAD_TUNING.minRemainingMs / 2));
    little.t.now = w;
    little.t.idle = w;
    expect(little.d.check(rate * w)).toBe(false);
    little.t.now = 2 * w;
    little.t.idle = 2 * w;
    expect(little.d.check(rate * w)).toBe(false); // settled: no more measuring
    const one = fake(rate * w * 100, 1);
    one.t.now = w;
    one.t.idle = w;
    expect(one.d.check(rate * w)).toBe(false);
    const never = new SecondThread(1e12, 'never');
    expect(never.check(0)).toBe(false);
  });

  it('adds up to maxJoins threads, one window each', () => {
    const { t, d } = fake(1000 * w * 100, 4, 2);
    const at = (k: number): boolean => {
      t.now = k * w;
      t.idle = k * w * 2;
      return d.check(1000 * w * k);
    };
    expect([at(1), at(2), at(3)]).toEqual([true, true, false]);
  });

  it('S3DOCTOR_TRIAGE_SECOND_THREAD=always:N joins from the Nth check on, without measuring', () => {
    const d = new SecondThread(10, { always: 3 });
    expect([d.check(0), d.check(0), d.check(0), d.check(0)]).toEqual([false, false, true, false]);
  });
});

describe('auto with a thread joining late gives the one-thread report', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3d-join-'));
  mkdirSync(join(dir, 'plain'));
  const a = Array.from({ length: 6000 }, (_, i) => logLine(i, i % 4 ? 403 : 200));
  a[4000] = 'garbage 403 line';
  writeFileSync(join(dir, 'plain', 'a.log'), a.join('\n') + '\n');
  writeFileSync(
    join(dir, 'plain', 'b.log'),
    Array.from({ length: 300 }, (_, i) => logLine(50_000 + i, i % 2 ? 403 : 400)).join('\n'),
  );
  mkdirSync(join(dir, 'ct'));
  for (let f = 0; f < 6; f++) {
    const records = Array.from({ length: 50 }, (_, i) => ctEvent(f * 50 + i, (f + i) % 3 === 0));
    writeFileSync(join(dir, 'ct', `f${f}.json.gz`), gzipSync(JSON.stringify({ Records: records })));
  }
  writeFileSync(join(dir, 'ct', 'g.log'), a.slice(0, 500).join('\n') + '\n');

  it.each([1, 2, 5, 40])(
    'plain access logs, the reader joining at check %i (mid-file: line numbers go on)',
    async (at) => {
      // 16 KiB chunks: a check every 16 KiB of a.log (about 1.5 MB).
      vi.stubEnv('S3DOCTOR_TRIAGE_CHUNK_BYTES', '16384');
      vi.resetModules(); // SCAN_TUNING reads the variable when the module loads
      const { scanInputs, SCAN_TUNING } = await import('../../src/triage/scan.js');
      expect(SCAN_TUNING.minChunkBytes).toBe(16384);
      const one = await scanInputs([join(dir, 'plain')], { workers: 1 });
      vi.stubEnv('S3DOCTOR_TRIAGE_SECOND_THREAD', `always:${at}`);
      const auto = await scanInputs([join(dir, 'plain')], { workers: 'auto', workerUrl });
      expect(auto.workers).toBe(1);
      expectSameReport(auto, one);
      expect(one.stats).toMatchObject({ files: 2, lines: 6300, malformed: 1 });
    },
  );

  it.each([1, 3, 7])('CloudTrail .gz and an access log, a thread joining at check %i', async (at) => {
    const one = await scanInputs([join(dir, 'ct')], { workers: 1 });
    vi.stubEnv('S3DOCTOR_TRIAGE_SECOND_THREAD', `always:${at}`);
    const auto = await scanInputs([join(dir, 'ct')], { workers: 'auto', workerUrl });
    expect(auto.workers).toBe(1);
    expectSameReport(auto, one);
    expect(one.stats.files).toBe(7);
    expect(one.grouper.total).toBeGreaterThan(100);
  });
});
