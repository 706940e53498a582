// Tests the two-thread pipeline (a worker reads, the main thread parses): over a folder of access logs it gives exactly the one-thread scan.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanInputs, toTriageGroup } from '../../src/triage/index.js';
import { PIPE_TUNING } from '../../src/triage/pipeline.js';

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const workerUrl = new URL('../../dist/src/triage/worker.js', import.meta.url);

function logLine(i: number, status: number, agent = 'aws-cli/2.17.0'): string {
  const key = `p${i % 9}/k${i}`;
  const t = `02/Nov/2026:${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000`;
  const requester = i % 13 === 0 ? '-' : `arn:aws:sts::111122223333:assumed-role/r${i % 5}/s${i}`;
  return `${OWNER} b${i % 6} [${t}] 203.0.113.${i % 250} ${requester} R${i} REST.GET.OBJECT ${key} "GET /b${i % 6}/${key} HTTP/1.1" ${status} ${status === 200 ? '-' : i % 7 ? 'AccessDenied' : 'SignatureDoesNotMatch'} 243 - 12 - "-" "${agent}" - H= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader s3.us-east-1.amazonaws.com TLSv1.2 - -`;
}

describe('the two-thread pipeline', () => {
  it('gives the one-thread scan over a folder: more batches than may be in flight, long and odd lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3d-pipe-'));
    mkdirSync(join(dir, 'logs'));
    // a.log: mostly denials, far more candidate bytes than the batches in flight hold.
    const a = Array.from({ length: 24_000 }, (_, i) => logLine(i, i % 4 ? 403 : 200));
    a[20] = a[20]!.replace('aws-cli/2.17.0', `long ${'agent 403 '.repeat(40_000)}`); // longer than a batch
    a[21] += '\r';
    a[22] = 'garbage 403 line';
    const aText = a.join('\n') + '\n';
    expect(Buffer.byteLength(aText)).toBeGreaterThan(PIPE_TUNING.batchBytes * PIPE_TUNING.maxInFlight * 1.5);
    writeFileSync(join(dir, 'logs', 'a.log'), aText);
    // b.log: allowed requests only. c.log: a few denials, no newline at the end.
    writeFileSync(
      join(dir, 'logs', 'b.log'),
      Array.from({ length: 50 }, (_, i) => logLine(i, 200)).join('\n') + '\n',
    );
    writeFileSync(
      join(dir, 'logs', 'c.log'),
      Array.from({ length: 30 }, (_, i) => logLine(100_000 + i, i % 2 ? 403 : 400)).join('\n'),
    );

    const one = await scanInputs([dir], { workers: 1 });
    let reported = 0;
    const two = await scanInputs([dir], { workers: 2, workerUrl, onProgress: (done) => (reported = done) });
    expect(two.workers).toBe(1);
    expect(two.stats).toEqual(one.stats);
    expect(one.stats).toMatchObject({ files: 3, lines: 24_080, malformed: 1 });
    expect(reported).toBe(one.stats.bytes);
    expect(two.malformed).toEqual(one.malformed);
    expect(two.malformed[0]?.line).toBe(23);
    expect(two.grouper.total).toBe(one.grouper.total);
    expect(two.grouper.ranked().map(toTriageGroup)).toEqual(one.grouper.ranked().map(toTriageGroup));
    expect(two.samples?.(two.grouper.ranked())).toEqual(one.samples?.(one.grouper.ranked()));
    expect(two.auditor.findings()).toEqual(one.auditor.findings());
    expect(one.auditor.findings().length).toBeGreaterThan(0);
  });

  it('reads an access log of allowed requests only (0 denied), as one thread does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3d-pipe-'));
    const f = join(dir, 'access.log');
    writeFileSync(f, logLine(1, 200) + '\n');
    const two = await scanInputs([f], { workers: 2, workerUrl });
    expect(two.stats).toMatchObject({ files: 1, lines: 1, denied: 0 });
  });
});
