// Tests shared range claims: owner and thieves never take a chunk twice nor lose one, and a range scanned in stolen pieces gives the one-pass result.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { chunkBytes, RangeClaims, stealFrom, type StealableRange } from '../../src/triage/claims.js';
import { shiftGroupLines, toTriageGroup, TriageGrouper } from '../../src/triage/groups.js';
import { runShare, runUnit, type UnitResult } from '../../src/triage/unit.js';

function range(slot: number, start: number, end: number, chunk: number): StealableRange {
  return { slot, order: slot, file: 'f.log', start, end, chunk };
}

describe('RangeClaims', () => {
  it('the owner takes chunks in order; a thief takes the upper half of what is left', () => {
    const r = range(0, 0, 100, 10);
    const c = RangeClaims.create([r]);
    expect(c.remaining(0)).toBe(10);
    expect([c.next(0), c.next(0)]).toEqual([0, 1]);
    expect(c.steal(0)).toEqual({ from: 6, to: 10 }); // 8 left: 2..5 stay, 6..9 taken
    expect(c.remaining(0)).toBe(4);
    expect([c.next(0), c.next(0), c.next(0), c.next(0), c.next(0)]).toEqual([2, 3, 4, 5, -1]);
    expect(c.steal(0)).toBeUndefined();
  });

  it('leaves a range with one chunk to its owner', () => {
    const c = RangeClaims.create([range(0, 0, 10, 10)]);
    expect(c.steal(0)).toBeUndefined();
    expect(c.next(0)).toBe(0);
    expect(c.next(0)).toBe(-1);
  });

  it('in any order of claims and steals, every chunk is taken exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.array(fc.boolean(), { maxLength: 600 }), (n, ops) => {
        const c = RangeClaims.create([range(0, 0, n, 1)]);
        const taken: number[] = [];
        for (const own of ops) {
          if (own) {
            const k = c.next(0);
            if (k >= 0) taken.push(k);
          } else {
            const s = c.steal(0);
            if (s) for (let k = s.from; k < s.to; k++) taken.push(k);
          }
        }
        for (let k = c.next(0); k >= 0; k = c.next(0)) taken.push(k);
        expect(taken.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
    );
  });

  it('stealFrom takes from the range with most left, in bytes, the last chunk cut at the range end', () => {
    const a = range(0, 0, 40, 10);
    const b = range(1, 1000, 1095, 10); // 10 chunks, the last 5 bytes
    const c = RangeClaims.create([a, b]);
    expect(stealFrom(c, [a, b])).toEqual({ range: b, start: 1050, end: 1095 });
    expect(stealFrom(c, [a, b])).toEqual({ range: b, start: 1030, end: 1050 });
    expect(stealFrom(c, [a, b])).toEqual({ range: a, start: 20, end: 40 });
  });

  it('sizes chunks so a range never has more than a state word can count', () => {
    expect(chunkBytes(1000, 64)).toBe(64);
    expect(Math.ceil(1e12 / chunkBytes(1e12, 64))).toBeLessThanOrEqual(0xffff);
  });
});

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
function logLine(i: number): string {
  const status = i % 3 === 0 ? 403 : 200;
  const key = `p${i % 7}/k${i}`;
  const t = `01/Nov/2026:${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000`;
  return `${OWNER} b${i % 4} [${t}] 192.0.2.${i % 200} arn:aws:iam::111122223333:user/u${i % 11} R${i} REST.GET.OBJECT ${key} "GET /b${i % 4}/${key} HTTP/1.1" ${status} ${status === 200 ? '-' : 'AccessDenied'} 243 - 12 - "-" "aws-cli/2.17.0" - H= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader s3.us-east-1.amazonaws.com TLSv1.2 - -`;
}

describe('a range scanned in stolen pieces', () => {
  afterAll(() => vi.unstubAllEnvs());
  const dir = mkdtempSync(join(tmpdir(), 's3d-claims-'));
  const file = join(dir, 'access.log');
  const text = Array.from({ length: 3000 }, (_, i) => logLine(i)).join('\n') + '\n';
  writeFileSync(file, text);
  const size = Buffer.byteLength(text);

  it('covers every byte once and finds every denial at its line, as one pass does', async () => {
    const whole = await runUnit({ kind: 'range', order: 0, file, start: 0, end: size }, () => undefined);
    const chunk = 8192;
    const owned: StealableRange = { slot: 0, order: 0, file, start: 0, end: size, chunk };
    const claims = RangeClaims.create([owned]);
    const pieces: UnitResult[] = [];
    // A thief with nothing of its own runs first: it takes half of what is left, again and again.
    await runShare([], { progress: () => undefined, claims, stealable: [owned] }, (r) => pieces.push(r));
    expect(pieces.length).toBeGreaterThan(3);
    await runShare(
      [{ kind: 'range', order: 0, file, start: 0, end: size, slot: 0, chunk }],
      { progress: () => undefined, claims, stealable: [owned] },
      (r) => pieces.push(r),
    );
    pieces.sort((a, b) => a.start - b.start);
    const merged = new TriageGrouper();
    const one = new TriageGrouper();
    one.merge(whole.groups);
    let at = 0;
    let lines = 0;
    for (const p of pieces) {
      expect(p.start).toBe(at);
      at = p.end;
      shiftGroupLines(p.groups, lines);
      merged.merge(p.groups);
      lines += p.lines;
    }
    expect(at).toBe(size);
    expect(lines).toBe(3000);
    expect(pieces.reduce((n, p) => n + p.denied, 0)).toBe(whole.denied);
    expect(merged.ranked().map(toTriageGroup)).toEqual(one.ranked().map(toTriageGroup));
  });

  it('scanInputs on three threads (byte ranges) with small chunks gives the one-thread report', async () => {
    vi.stubEnv('S3DOCTOR_TRIAGE_CHUNK_BYTES', '4096');
    vi.resetModules(); // SCAN_TUNING reads the variable when the module loads
    const { scanInputs, SCAN_TUNING } = await import('../../src/triage/scan.js');
    expect(SCAN_TUNING.minChunkBytes).toBe(4096);
    const one = await scanInputs([file], { workers: 1 });
    const two = await scanInputs([file], {
      workers: 3,
      workerUrl: new URL('../../dist/src/triage/worker.js', import.meta.url),
    });
    expect(two.workers).toBe(2);
    expect(two.stats).toEqual(one.stats);
    expect(two.grouper.ranked().map(toTriageGroup)).toEqual(one.grouper.ranked().map(toTriageGroup));
    expect(two.samples?.(two.grouper.ranked())).toEqual(one.samples?.(one.grouper.ranked()));
    expect(two.auditor.findings()).toEqual(one.auditor.findings());
  });
});
