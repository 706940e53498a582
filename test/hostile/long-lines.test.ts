// Over-long lines (a requester can make one arbitrarily long): skipped to their newline once, counted once, never re-copied per chunk.
import {
  closeSync,
  createWriteStream,
  ftruncateSync,
  mkdtempSync,
  openSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newStats, readInputs, scanDenied } from '../../src/logs/index.js';
import type { ReadItem, ScanStats } from '../../src/model/input.js';
import { scanRange } from '../../src/triage/range-scan.js';
import { assertBuilt, runCli } from '../e2e/helpers.js';
import { collect, malformed, records } from '../logs/helpers.js';

const MiB = 1024 * 1024;
/** The readers' limit (src/logs/read.ts, src/triage/range-scan.ts). */
const LIMIT = 64 * MiB;
const OVER_LONG = /line longer than 67108864 bytes: skipped/;

function line(i: number, status = 403): string {
  return `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be b [06/Feb/2026:00:00:38 +0000] 192.0.2.3 arn:aws:iam::111122223333:user/u REQ${i} REST.GET.OBJECT k${i} "GET /b/k${i} HTTP/1.1" ${status} AccessDenied 243 - 42 - "-" "ua" - hostid= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader b.s3.us-east-1.amazonaws.com TLSv1.2 - -`;
}

/** 300 log lines, a `big`-MiB line of zeros (ended by a newline), one more log line, then `tail` MiB of zeros without a newline. */
function* hostileStream(big: number, tail: number, counter: { chunks: number }): Generator<Buffer> {
  const head = Array.from({ length: 300 }, (_, i) => line(i + 1, i % 3 === 0 ? 403 : 200)).join('\n') + '\n';
  yield Buffer.from(head);
  const zeros = Buffer.alloc(MiB, '0');
  for (let i = 0; i < big; i++) {
    counter.chunks++;
    yield zeros;
  }
  yield Buffer.from(`\n${line(301)}\n`);
  for (let i = 0; i < tail; i++) {
    counter.chunks++;
    yield zeros;
  }
}

/** Bytes that Buffer.concat copied while `run` ran (the readers' only way to join pieces of a line). */
async function copiedBytes<T>(run: () => Promise<T>): Promise<{ value: T; copied: number }> {
  const real = Buffer.concat.bind(Buffer);
  let copied = 0;
  const spy = vi.spyOn(Buffer, 'concat').mockImplementation((list, total) => {
    const b = real(list, total);
    copied += b.length;
    return b;
  });
  try {
    return { value: await run(), copied };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each([
  ['gzipped stdin', true],
  ['plain stdin', false],
])('an over-long line in %s', (_name, gzip) => {
  const input = (counter: { chunks: number }): Readable => {
    const src = Readable.from(hostileStream(150, 70, counter), { objectMode: false });
    return gzip ? src.pipe(createGzip({ level: 1 })) : src;
  };

  it('triage scan: skipped to its newline and counted once; the final one without a newline is counted; no re-copying per chunk', async () => {
    const counter = { chunks: 0 };
    const stats: ScanStats = newStats();
    const { value: items, copied } = await copiedBytes(() =>
      collect(scanDenied(['-'], { stdin: input(counter), stats })),
    );
    const bad = malformed(items);
    expect(bad.map((m) => m.reason)).toEqual([
      expect.stringMatching(OVER_LONG),
      expect.stringMatching(OVER_LONG),
    ]);
    expect(bad.map((m) => m.line)).toEqual([301, 303]);
    expect(records(items).map((r) => r.input.line)).toEqual([
      ...Array.from({ length: 100 }, (_, i) => 3 * i + 1),
      302,
    ]);
    expect(stats.lines).toBe(303);
    expect(counter.chunks).toBe(220);
    // Work: 220 MiB went through; the over-long lines were never joined. The old reader joined the carried
    // line again for every 1 MiB chunk (some 4.6 GiB copied here, 2 GiB lines took minutes).
    console.log(`scanDenied ${_name}: ${counter.chunks} MiB read, ${copied} bytes copied by Buffer.concat`);
    expect(copied).toBeLessThan(2 * MiB);
  }, 60_000);

  it('diagnose reader: the same lines are skipped and counted once each', async () => {
    const counter = { chunks: 0 };
    const stats: ScanStats = newStats();
    const { value: items, copied } = await copiedBytes(() =>
      collect(readInputs(['-'], { stdin: input(counter), stats })),
    );
    expect(malformed(items).map((m) => [m.line, m.reason])).toEqual([
      [301, expect.stringMatching(OVER_LONG)],
      [303, expect.stringMatching(OVER_LONG)],
    ]);
    expect(records(items)).toHaveLength(101);
    console.log(`readInputs ${_name}: ${counter.chunks} MiB read, ${copied} bytes copied by Buffer.concat`);
    // Pieces of a line under the limit are joined once, at its newline: at most the limit per line.
    expect(copied).toBeLessThan(LIMIT + 2 * MiB);
  }, 60_000);
});

describe('an over-long line in a plain file (triage byte-range scan)', () => {
  it('is counted once, and a final one without a newline too', () => {
    // A sparse file: the zeros are holes (NUL bytes when read), nothing is written to disk.
    const dir = mkdtempSync(join(tmpdir(), 's3doctor-long-'));
    const path = join(dir, 'access.log');
    const head = Array.from({ length: 300 }, (_, i) => line(i + 1)).join('\n') + '\n';
    const fd = openSync(path, 'w');
    writeSync(fd, head);
    let at = Buffer.byteLength(head) + 150 * MiB;
    writeSync(fd, `\n${line(301)}\n`, at);
    at += Buffer.byteLength(`\n${line(301)}\n`);
    ftruncateSync(fd, at + 70 * MiB);
    closeSync(fd);
    const bad: { line?: number; reason: string }[] = [];
    const denied: ReadItem[] = [];
    let progressed = 0;
    const r = scanRange(path, 0, Number.MAX_SAFE_INTEGER, {
      record: (rec) => denied.push({ kind: 'record', record: rec }),
      malformed: (m) => bad.push(m),
      progress: (n) => (progressed += n),
    });
    expect(bad).toEqual([
      { source: path, line: 301, reason: expect.stringMatching(OVER_LONG) as unknown as string },
      { source: path, line: 303, reason: expect.stringMatching(OVER_LONG) as unknown as string },
    ]);
    expect(denied).toHaveLength(301);
    expect(r.lines).toBe(303);
    // Work: every byte is read once.
    expect(progressed).toBe(statSync(path).size);
  }, 60_000);
});

describe('triage of a .gz file holding an over-long line (the CLI, as a user runs it)', () => {
  it('reports each over-long line once and the records around them', async () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), 's3doctor-long-gz-'));
    const path = join(dir, 'access.log.gz');
    const counter = { chunks: 0 };
    // 220 MiB of text, some 220 KB on disk.
    await pipeline(Readable.from(hostileStream(150, 70, counter)), createGzip(), createWriteStream(path));
    const started = Date.now();
    const r = await runCli(['triage', path, '--format', 'json']);
    const report = JSON.parse(r.stdout) as {
      scanned: { lines: number; denied: number; malformed: number };
      malformed: { line?: number; reason: string }[];
    };
    console.log(`triage of ${statSync(path).size} bytes of .gz (220 MiB): ${Date.now() - started} ms`);
    expect(report.malformed.map((m) => [m.line, m.reason])).toEqual([
      [301, expect.stringMatching(OVER_LONG)],
      [303, expect.stringMatching(OVER_LONG)],
    ]);
    expect(report.scanned).toMatchObject({ lines: 303, denied: 101, malformed: 2 });
  }, 120_000);
});
