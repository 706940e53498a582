// Tests of readInputs/scanDenied over files, folders, gzip (truncated, concatenated), stdin, binary, empty and huge inputs.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, newStats, readInputs, scanDenied } from '../../src/logs/index.js';
import type { MalformedRecord, ScanStats } from '../../src/model/input.js';
import { collect, fixture, malformed, records } from './helpers.js';

let dir: string;
const docLog = readFileSync(fixture('access-doc-examples.log'));
const edgeLog = readFileSync(fixture('access-edge-cases.log'));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 's3doctor-logs-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, data: Buffer | string): string {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  return p;
}

describe('gzip', () => {
  it('gunzips .gz files transparently, by content', async () => {
    const p = write('a/log.gz', gzipSync(docLog));
    const recs = records(await collect(readInputs([p])));
    expect(recs).toHaveLength(4);
    expect(recs[0]?.input).toEqual({ source: p, line: 2 });
  });

  it('reads concatenated gzip members as one stream', async () => {
    const lines = docLog.toString().split('\n');
    const p = write(
      'concat.gz',
      Buffer.concat([gzipSync(lines.slice(0, 3).join('\n') + '\n'), gzipSync(lines.slice(3).join('\n'))]),
    );
    const recs = records(await collect(readInputs([p])));
    expect(recs.map((r) => r.input.line)).toEqual([2, 3, 4, 5]);
  });

  it('reports a truncated .gz as malformed with the file name and keeps the records before the cut', async () => {
    const big = Buffer.concat(Array.from({ length: 400 }, () => docLog));
    const gz = gzipSync(big);
    const p = write('cut.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    const items = await collect(readInputs([p]));
    const recs = records(items);
    expect(recs.length).toBeGreaterThan(100);
    expect(recs.length).toBeLessThan(1600);
    const bad = malformed(items);
    expect(bad.at(-1)).toEqual({
      source: p,
      reason: expect.stringMatching(/truncated gzip data.*record\(s\) before the damage were read/),
    });
  });

  it('reads gzipped CloudTrail Records files', async () => {
    const p = write('trail.json.gz', gzipSync(readFileSync(fixture('cloudtrail-records.json'))));
    expect(records(await collect(readInputs([p]))).map((r) => r.apiName)).toEqual([
      'GetObject',
      'PutBucketPolicy',
    ]);
  });
});

describe('folders, stdin and mixed inputs', () => {
  it('walks folders recursively in sorted order, detecting each file', async () => {
    const root = join(dir, 'tree');
    mkdirSync(join(root, 'b/c'), { recursive: true });
    mkdirSync(join(root, 'a'), { recursive: true });
    copyFileSync(fixture('cloudtrail-records.json'), join(root, 'b/c/trail.json'));
    writeFileSync(join(root, 'a/2.log'), docLog);
    writeFileSync(join(root, 'a/10.log'), edgeLog);
    writeFileSync(join(root, 'b/errors.txt'), readFileSync(fixture('errors/cli-v2.txt')));
    const items = await collect(readInputs([root]));
    const sources = [...new Set(records(items).map((r) => r.input.source))];
    expect(sources).toEqual([
      join(root, 'a/10.log'),
      join(root, 'a/2.log'),
      join(root, 'b/c/trail.json'),
      join(root, 'b/errors.txt'),
    ]);
    expect(records(items).map((r) => r.format)).toContain('error-message');
  });

  it('reads - from the given stdin stream, with format detection', async () => {
    const stdin = Readable.from([
      Buffer.from(readFileSync(fixture('cloudtrail-event-denied-getobject.json'))),
    ]);
    const [r] = records(await collect(readInputs(['-'], { stdin })));
    expect(r?.input).toEqual({ source: '-', line: 1, eventId: '5b1f6c1e-1111-4a2b-9c3d-0123456789ab' });
  });

  it('reads gzip from stdin', async () => {
    const stdin = Readable.from([gzipSync(docLog)]);
    expect(records(await collect(readInputs(['-'], { stdin })))).toHaveLength(4);
  });

  it('reports a binary file among good ones by name, and goes on', async () => {
    const bin = write(
      'mixed/photo.png',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]),
    );
    const good = write('mixed/z.log', docLog);
    const items = await collect(readInputs([bin, good]));
    expect(records(items)).toHaveLength(4);
    expect(malformed(items)).toEqual([{ source: bin, reason: expect.stringMatching(/^binary data/) }]);
  });

  it('reads the lines around a run of NUL bytes and reports the lines holding NUL as malformed by number', async () => {
    const lines = docLog.toString().split('\n');
    // A crash left NUL bytes where line 3 was, running into line 4 (as a partial copy does).
    const damaged = [...lines.slice(0, 2), '\0'.repeat(300), '\0'.repeat(40) + lines[3]!, ...lines.slice(4)];
    const p = write('nul/crash.log', damaged.join('\n'));
    for (const read of [readInputs, scanDenied]) {
      const stats = newStats();
      const items = await collect(read([p], { stats }));
      expect(malformed(items)).toEqual([
        { source: p, line: 3, reason: 'NUL bytes (binary data) in the line: skipped' },
        { source: p, line: 4, reason: 'NUL bytes (binary data) in the line: skipped' },
      ]);
      expect(stats.malformed).toBe(2);
    }
    const whole = records(await collect(readInputs([write('nul/whole.log', docLog)])));
    const got = records(await collect(readInputs([p])));
    expect(got.map((r) => r.input.line)).toEqual(
      whole.map((r) => r.input.line).filter((l) => l !== 3 && l !== 4),
    );
  });

  it('reads NDJSON CloudTrail events after a NUL run spanning chunk boundaries', async () => {
    const ev = readFileSync(fixture('cloudtrail-event-denied-getobject.json'), 'utf8').replace(/\n\s*/g, ' ');
    const nul = Buffer.alloc(3 * 1024 * 1024); // longer than a read chunk, no line end
    const p = write(
      'nul/trail.json',
      Buffer.concat([Buffer.from(ev + '\n'), nul, Buffer.from('\n' + ev + '\n')]),
    );
    const items = await collect(readInputs([p]));
    expect(records(items).map((r) => r.input.line)).toEqual([1, 3]);
    expect(malformed(items)).toEqual([
      { source: p, line: 2, reason: 'NUL bytes (binary data) in the line: skipped' },
    ]);
  });

  it('counts the same malformed Records elements in diagnose (readInputs) and triage (scanDenied)', async () => {
    const ev = JSON.parse(readFileSync(fixture('cloudtrail-event-denied-getobject.json'), 'utf8')) as object;
    const allowed = { ...ev, errorCode: undefined, errorMessage: undefined };
    const p = write(
      'records/mixed.json',
      JSON.stringify({ Records: [42, ev, 'str', null, { foo: 1 }, allowed, [1]] }),
    );
    const reasons = async (read: typeof readInputs): Promise<string[]> => {
      const stats = newStats();
      const got = malformed(await collect(read([p], { stats }))).map((m) => m.reason);
      expect(stats.malformed).toBe(got.length);
      return got;
    };
    const diagnose = await reasons(readInputs);
    expect(diagnose).toHaveLength(5);
    expect(await reasons(scanDenied)).toEqual(diagnose);
  });

  it('sends malformed entries to onMalformed instead of yielding them, and counts them', async () => {
    const seen: MalformedRecord[] = [];
    const stats = newStats();
    const items = await collect(
      readInputs([fixture('access-edge-cases.log')], { onMalformed: (m) => seen.push(m), stats }),
    );
    expect(items.every((i) => i.kind === 'record')).toBe(true);
    expect(seen.map((m) => m.line)).toEqual([10, 11]);
    expect(stats).toMatchObject({ files: 1, lines: 14, malformed: 2, denied: 10, bytes: edgeLog.length });
  });
});

describe('nothing readable', () => {
  it('throws one InputError naming the accepted formats for binary input', async () => {
    const p = write('only.bin', Buffer.from([0, 1, 2, 3, 0, 0, 255, 254]));
    await expect(collect(readInputs([p]))).rejects.toThrow(InputError);
    await expect(collect(readInputs([p]))).rejects.toThrow(
      /Nothing could be read.*binary data.*S3 server access log lines, CloudTrail/,
    );
  });

  it('throws for empty input and for text with nothing recognisable', async () => {
    const e = write('empty.log', '');
    await expect(collect(readInputs([e]))).rejects.toThrow(/empty/);
    const t = write('notes.txt', 'hello\nworld\n');
    await expect(collect(readInputs([t]))).rejects.toThrow(/no recognised format/);
    await expect(collect(readInputs(['-'], { stdin: Readable.from([]) }))).rejects.toThrow(/stdin: empty/);
  });

  it('throws up front for a missing path', async () => {
    await expect(collect(readInputs([join(dir, 'nope.log')]))).rejects.toThrow(
      /no such file or folder.*- for stdin/,
    );
  });

  it('throws when every line of an access log is malformed, after reporting them', async () => {
    const p = write(
      'allbad.log',
      '7f3a b [24/Nov/2026:10:00:00 +0000] x\n7f3a b [24/Nov/2026:10:00:00 +0000] y\n',
    );
    const seen: MalformedRecord[] = [];
    await expect(collect(readInputs([p], { onMalformed: (m) => seen.push(m) }))).rejects.toThrow(InputError);
    expect(seen).toHaveLength(2);
  });

  it('does not throw when the logs were read but nothing was denied', async () => {
    const p = write('allowed.log', docLog.toString().split('\n')[0] + '\n');
    expect(await collect(readInputs([p]))).toEqual([]);
  });
});

describe('huge lines and CRLF files', () => {
  it('reads a file with a 1 MB line across chunk boundaries', async () => {
    const lines = docLog.toString().split('\n');
    const long = (lines[1] as string).replace(
      'img/logo%20v2.png "GET /img/logo%20v2.png',
      `${'x'.repeat(1_100_000)} "GET /${'x'.repeat(1_100_000)}`,
    );
    const p = write('huge.log', [lines[0], long, lines[2], ''].join('\n'));
    for (const gen of [readInputs([p]), scanDenied([p])]) {
      const recs = records(await collect(gen));
      expect(recs.map((r) => r.input.line)).toEqual([2, 3]);
      expect(recs[0]?.key).toHaveLength(1_100_000);
    }
  });

  it('reads CRLF files', async () => {
    const p = write('crlf.log', docLog.toString().replace(/\n/g, '\r\n'));
    const recs = records(await collect(readInputs([p])));
    expect(recs).toHaveLength(4);
    expect(recs.every((r) => !JSON.stringify(r).includes('\\r'))).toBe(true);
  });
});

describe('scanDenied', () => {
  it('finds the same denied records as readInputs, with counters', async () => {
    const big = Buffer.concat(Array.from({ length: 3000 }, () => docLog));
    const p = write('big.log', big);
    const stats: ScanStats = newStats();
    let progress = 0;
    let final: ScanStats | undefined;
    const scanned = records(
      await collect(
        scanDenied([p], { stats, onProgress: () => progress++, onStats: (s) => (final = { ...s }) }),
      ),
    );
    const full = records(await collect(readInputs([p])));
    expect(scanned).toEqual(full);
    expect(scanned).toHaveLength(12000);
    expect(stats).toEqual({ files: 1, bytes: big.length, lines: 18000, denied: 12000, malformed: 0 });
    expect(final).toEqual(stats);
    expect(progress).toBeGreaterThanOrEqual(2);
  });

  it('filters CloudTrail events by bytes before parsing', async () => {
    const ok = {
      eventVersion: '1.08',
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      eventID: 'ok',
    };
    const denied = { ...ok, eventID: 'denied', errorCode: 'AccessDenied' };
    const p = write('ct.json', JSON.stringify({ Records: [ok, denied, ok] }));
    const stats = newStats();
    const recs = records(await collect(scanDenied([p], { stats })));
    expect(recs.map((r) => r.input.eventId)).toEqual(['denied']);
    expect(stats).toMatchObject({ lines: 3, denied: 1 });
  });

  it('stops cleanly when the consumer stops early (plain and gzip)', async () => {
    const big = Buffer.concat(Array.from({ length: 5000 }, () => docLog));
    const plain = write('early.log', big);
    const gz = write('early.log.gz', gzipSync(big));
    for (const p of [plain, gz]) {
      let n = 0;
      for await (const item of scanDenied([p])) {
        if (item.kind === 'record' && ++n === 3) break;
      }
      expect(n).toBe(3);
    }
  });

  it('reports a truncated gzipped CloudTrail file and keeps its complete events', async () => {
    const recs = Array.from({ length: 3000 }, (_v, i) => ({
      eventVersion: '1.08',
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      errorCode: 'AccessDenied',
      eventID: `e${i}`,
      requestParameters: { bucketName: 'b', key: `k/${i}/${'x'.repeat(i % 50)}` },
    }));
    const gz = gzipSync(JSON.stringify({ Records: recs }));
    const p = write('cut-trail.json.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const items = await collect(readInputs([p]));
    const got = records(items);
    expect(got.length).toBeGreaterThan(100);
    expect(got.length).toBeLessThan(3000);
    expect(got.map((r) => r.input.eventId).slice(0, 3)).toEqual(['e0', 'e1', 'e2']);
    expect(malformed(items).map((m) => m.reason)).toEqual([expect.stringMatching(/truncated gzip data/)]);
  });

  it('yields CloudTrail records while the Records array is still arriving (streaming, not whole-file)', async () => {
    const { PassThrough } = await import('node:stream');
    const stdin = new PassThrough();
    const ev = (id: string): string =>
      JSON.stringify({
        eventVersion: '1.08',
        eventSource: 's3.amazonaws.com',
        eventName: 'GetObject',
        errorCode: 'AccessDenied',
        eventID: id,
      });
    stdin.write(`{"Records": [\n${ev('first')},\n`);
    const gen = readInputs(['-'], { stdin });
    const first = await gen.next();
    expect(first.value).toMatchObject({ kind: 'record', record: { input: { eventId: 'first', line: 2 } } });
    stdin.end(`${ev('second')}]}`);
    const rest = await collect(gen);
    expect(records(rest).map((r) => r.input.eventId)).toEqual(['second']);
  });
});
