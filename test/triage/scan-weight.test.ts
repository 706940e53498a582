// Tests how `--workers auto` sizes inputs: gzip files count their decompressed bytes, so a folder of CloudTrail .gz spreads over the cores.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { resolveWorkers, SCAN_TUNING, scanWeight } from '../../src/triage/index.js';

describe('scanWeight', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3doctor-weight-'));

  it('counts a gzip file by its decompressed size (the gzip trailer)', async () => {
    const json = JSON.stringify({
      Records: Array.from({ length: 2000 }, (_, i) => ({ eventName: 'GetObject', i })),
    });
    const gz = gzipSync(json);
    const p = join(dir, 'trail.json.gz');
    writeFileSync(p, gz);
    expect(gz.length).toBeLessThan(json.length / 5);
    expect(await scanWeight(p, gz.length)).toBe(Buffer.byteLength(json));
  });

  it('counts a plain file, stdin and a tiny file by the size given', async () => {
    const p = join(dir, 'access.log');
    writeFileSync(p, 'x'.repeat(100));
    expect(await scanWeight(p, 100)).toBe(100);
    expect(await scanWeight('-', 0)).toBe(0);
    const tiny = join(dir, 'tiny.gz');
    writeFileSync(tiny, Buffer.from([0x1f, 0x8b, 8]));
    expect(await scanWeight(tiny, 3)).toBe(3);
    expect(await scanWeight(join(dir, 'missing.gz'), 500)).toBe(500);
  });

  it('makes auto use more than one thread for a compressed input above the threshold once decompressed', async () => {
    const big = Buffer.alloc(SCAN_TUNING.autoMinBytes + 1024, 'a');
    const gz = gzipSync(big);
    const p = join(dir, 'big.gz');
    writeFileSync(p, gz);
    expect(resolveWorkers('auto', gz.length)).toBe(1);
    const w = resolveWorkers('auto', await scanWeight(p, gz.length));
    expect(w).toBe(Math.min((await import('node:os')).availableParallelism(), SCAN_TUNING.maxAutoWorkers));
  });
});
