// Unit tests of triage at scale: grouping and merging, ranking, one diagnosis per group, sparklines, audit findings, range scans.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogRecord, Result } from '../../src/model/index.js';
import {
  AUDIT_THRESHOLDS,
  Auditor,
  BLOCKS,
  buildTriageReport,
  columnCounts,
  GROUP_LIMITS,
  rankTriage,
  sparkline,
  timeAxis,
  toTriageGroup,
  TriageGrouper,
} from '../../src/triage/index.js';
import { createStatusScanner } from '../../src/triage/kernel/status-scanner.js';
import { scanRange } from '../../src/triage/range-scan.js';
import { runUnit } from '../../src/triage/unit.js';

function rec(i: number, over: Partial<LogRecord> = {}): LogRecord {
  return {
    input: { source: 'a.log', line: i + 1 },
    format: 's3-access-log',
    time: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
    bucket: 'b1',
    key: 'finance/q3.csv',
    apiName: 'GetObject',
    requester: 'arn:aws:iam::111122223333:user/alice',
    httpStatus: 403,
    errorCode: 'AccessDenied',
    sourceIp: '198.51.100.7',
    ...over,
  };
}

function line(
  i: number,
  o: { status?: number; code?: string; requester?: string; bucket?: string; key?: string; ip?: string } = {},
): string {
  const sec = String(i % 60).padStart(2, '0');
  const min = String(Math.floor(i / 60) % 60).padStart(2, '0');
  const status = o.status ?? 403;
  return `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be ${o.bucket ?? 'reports'} [01/Nov/2026:10:${min}:${sec} +0000] ${o.ip ?? '192.0.2.3'} ${o.requester ?? 'arn:aws:iam::111122223333:user/alice'} REQ${i} REST.GET.OBJECT ${o.key ?? 'finance/q3.csv'} "GET /${o.bucket ?? 'reports'}/${o.key ?? 'finance/q3.csv'} HTTP/1.1" ${status} ${status === 200 ? '-' : (o.code ?? 'AccessDenied')} 243 - 12 - "-" "aws-cli/2.17.0" - HOSTID= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader reports.s3.us-east-1.amazonaws.com TLSv1.2 - -`;
}

describe('TriageGrouper', () => {
  it('groups by principal, action, bucket, key prefix and error code, counts add up, span and timeline kept', () => {
    const g = new TriageGrouper();
    for (let i = 0; i < 10; i++) g.add(rec(i));
    for (let i = 0; i < 3; i++) g.add(rec(100 + i, { key: 'hr/x', errorCode: 'InvalidAccessKeyId' }));
    const ranked = g.ranked();
    expect(ranked.map((x) => [x.count, x.keyPrefix, x.errorCode])).toEqual([
      [10, 'finance/', 'AccessDenied'],
      [3, 'hr/', 'InvalidAccessKeyId'],
    ]);
    expect(g.total).toBe(13);
    const first = toTriageGroup(ranked[0]!);
    expect(first.firstSeen).toBe('2026-11-01T00:00:00.000Z');
    expect(first.lastSeen).toBe('2026-11-01T00:00:09.000Z');
    expect(first.sample).toEqual({ source: 'a.log', line: 1 });
    expect(first.timeline).toEqual({ resolution: 'hour', buckets: [['2026-11-01T00', 10]] });
  });

  it('merging the tables of two halves (line numbers shifted) equals grouping the whole', () => {
    const all = Array.from({ length: 50 }, (_, i) => rec(i, { bucket: `b${i % 3}` }));
    const whole = new TriageGrouper();
    all.forEach((r) => whole.add(r));
    const a = new TriageGrouper();
    const b = new TriageGrouper();
    all.slice(0, 20).forEach((r) => a.add(r));
    all.slice(20).forEach((r) => b.add(r));
    const merged = new TriageGrouper();
    merged.merge(a.state());
    merged.merge(b.state());
    expect(merged.ranked().map(toTriageGroup)).toEqual(whole.ranked().map(toTriageGroup));
  });

  it('past the group limit, merged unit tables keep the late kept keys listed within their bound (a late range that sees many new keys before a kept one)', () => {
    // Small limits (the mechanism is the same at GROUP_LIMITS' sizes): unit tables hold twice the merged table's.
    const max = 1000;
    const unitMax = 2 * max;
    // First half: the keys the table keeps. Second half: many new keys (overflow), then kept keys again.
    const first = Array.from({ length: max }, (_, i) => rec(i, { bucket: `kept-${i}` }));
    const second = [
      ...Array.from({ length: max + 100 }, (_, i) => rec(max + i, { bucket: `late-${i}` })),
      ...Array.from({ length: 50 }, (_, i) => rec(2 * max + 100 + i, { bucket: `kept-${i}` })),
    ];
    const whole = new TriageGrouper(undefined, max);
    [...first, ...second].forEach((r) => whole.add(r));
    const a = new TriageGrouper(undefined, unitMax);
    const b = new TriageGrouper(undefined, unitMax);
    first.forEach((r) => a.add(r));
    second.forEach((r) => b.add(r));
    const merged = new TriageGrouper(undefined, max);
    merged.merge(a.state());
    merged.merge(b.state());
    for (const t of [whole, merged]) {
      expect(t.size).toBe(max);
      expect(t.total).toBe(first.length + second.length);
      expect(t.ranked().reduce((n, x) => n + x.count, 0)).toBe(t.total);
      // The keys seen twice, the last ones to come: listed, their true count (2) within the stated bound.
      const kept = t.ranked().filter((x) => /^kept-\d+$/.test(x.bucket) && Number(x.bucket.slice(5)) < 50);
      expect(kept.length).toBe(50);
      for (const x of kept) expect([x.count - x.countError <= 2, x.count >= 2]).toEqual([true, true]);
      expect(t.bounds()).toMatchObject({ maxGroups: max, undercountMax: 0 });
      // A one-off key that lost its row had at most the stated unlisted bound (1 denial).
      expect(t.bounds().unlistedMax).toBeGreaterThanOrEqual(1);
    }
  });

  it('a principal that starts probing late, after 200,000 others (the old cap was 2,500), keeps its exact count', () => {
    const others = 200_000 - 1;
    expect(GROUP_LIMITS.maxGroups).toBeGreaterThanOrEqual(200_000);
    const late = 'arn:aws:iam::444455556666:user/late-prober';
    const lines = [
      ...Array.from({ length: others }, (_, i) =>
        rec(i, { requester: `arn:aws:iam::111122223333:user/u-${i}` }),
      ),
      ...Array.from({ length: 17 }, (_, i) => rec(others + i, { requester: late })),
    ];
    // One pass, and two unit tables merged (as two workers give).
    const whole = new TriageGrouper();
    lines.forEach((r) => whole.add(r));
    const a = new TriageGrouper(undefined, GROUP_LIMITS.maxUnitGroups);
    const b = new TriageGrouper(undefined, GROUP_LIMITS.maxUnitGroups);
    lines.forEach((r, i) => (i < lines.length / 2 ? a : b).add(r));
    const merged = new TriageGrouper();
    merged.merge(a.state());
    merged.merge(b.state());
    for (const t of [whole, merged]) {
      const ranked = t.ranked();
      expect(ranked.length).toBe(others + 1);
      expect(ranked[0]).toMatchObject({ principal: late, count: 17 });
      expect(ranked.every((x) => x.countError === 0)).toBe(true);
      expect(t.bounds().evictions).toBe(0);
    }
  }, 120_000);

  it('keeps first and last seen as written, whether times are canonical (kept as numbers) or not', () => {
    const g = new TriageGrouper();
    for (const time of ['2026-11-01T00:00:05Z', '2026-11-01T00:00:01.500Z', '2026-11-01T00:00:09Z'])
      g.add(rec(0, { time }));
    for (const time of ['2026-11-01T00:00:07Z', '2024-02-29T23:59:59Z'])
      g.add(rec(0, { time, bucket: 'b2' }));
    g.add(rec(0, { time: '2026-02-30T00:00:00Z', bucket: 'b3' }));
    const [a, b, c] = ['b1', 'b2', 'b3'].map((x) => g.ranked().find((y) => y.bucket === x)!);
    expect([a!.firstSeen, a!.lastSeen]).toEqual(['2026-11-01T00:00:01.500Z', '2026-11-01T00:00:09Z']);
    expect([b!.firstSeen, b!.lastSeen]).toEqual(['2024-02-29T23:59:59Z', '2026-11-01T00:00:07Z']);
    // Not a real date: kept as written, never turned into 2026-03-02.
    expect([c!.firstSeen, c!.lastSeen]).toEqual(['2026-02-30T00:00:00Z', '2026-02-30T00:00:00Z']);
  });

  it('gives back key fields holding NUL and U+0001 as they were, in groups of their own', () => {
    const g = new TriageGrouper();
    const odd = ['a\u0000b', 'a\u0001b', 'a\u0001\u0001b', 'a\u0001\u0000', 'a', 'b'];
    for (const bucket of odd) g.add(rec(0, { bucket }));
    g.add(rec(1, { bucket: 'a\u0000b' }));
    expect(g.size).toBe(odd.length);
    const got = new Map(g.ranked().map((x) => [x.bucket, x.count]));
    expect([...got.keys()].sort()).toEqual([...odd].sort());
    expect(got.get('a\u0000b')).toBe(2);
  });

  it('stays bounded: keys past the group limit take the rows of the fewest denials, counts still add up', () => {
    const max = 1000;
    const g = new TriageGrouper(undefined, max);
    const n = max + 500;
    for (let i = 0; i < n; i++) g.add(rec(i, { bucket: `bucket-${i}` }));
    expect(g.size).toBe(max);
    expect(g.total).toBe(n);
    expect(g.ranked().reduce((s, x) => s + x.count, 0)).toBe(n);
    expect(g.bounds()).toEqual({ maxGroups: max, evictions: 500, unlistedMax: 1, undercountMax: 0 });
    // The 500 late keys each took a row of count 1: count 2, of which up to 1 over.
    const late = g.ranked().filter((x) => x.countError > 0);
    expect(late.length).toBe(500);
    expect(late.every((x) => x.count === 2 && x.countError === 1)).toBe(true);
  });

  it('keeps timelines hourly over a week, daily up to 400 days, monthly beyond; halves merge to one pass', () => {
    const at = (h: number) => new Date(Date.UTC(2026, 0, 1, h)).toISOString();
    const cases: [number, string, [string, number]][] = [
      [GROUP_LIMITS.maxHourSpan, 'hour', ['2026-01-01T00', 1]],
      [GROUP_LIMITS.maxHourSpan + 1, 'day', ['2026-01-01', 24]],
      [GROUP_LIMITS.maxDaySpan * 24, 'day', ['2026-01-01', 24]],
      [GROUP_LIMITS.maxDaySpan * 24 + 1, 'month', ['2026-01', 31 * 24]],
    ];
    for (const [lastHour, resolution, firstBucket] of cases) {
      const hours = Array.from({ length: lastHour + 1 }, (_, h) => h);
      const whole = new TriageGrouper();
      hours.forEach((h) => whole.add(rec(0, { time: at(h) })));
      const t = toTriageGroup(whole.ranked()[0]!).timeline!;
      expect(t.resolution).toBe(resolution);
      expect(t.buckets[0]).toEqual(firstBucket);
      expect(t.buckets.reduce((n, [, c]) => n + c, 0)).toBe(hours.length);
      // Each half alone is finer than the whole; merged, the table takes the whole span's resolution.
      const a = new TriageGrouper(undefined, GROUP_LIMITS.maxUnitGroups);
      const b = new TriageGrouper(undefined, GROUP_LIMITS.maxUnitGroups);
      hours.forEach((h) => (h <= lastHour / 2 ? a : b).add(rec(0, { time: at(h) })));
      const merged = new TriageGrouper();
      merged.merge(a.state());
      merged.merge(b.state());
      expect(merged.ranked().map(toTriageGroup)).toEqual(whole.ranked().map(toTriageGroup));
    }
  });
});

describe('one diagnosis per group', () => {
  it('100,000 denied records in 200 groups cost 200 evaluations', async () => {
    const g = new TriageGrouper();
    for (let i = 0; i < 100_000; i++) g.add(rec(i % 3600, { bucket: `bucket-${i % 200}` }));
    let evaluations = 0;
    const diagnose = async (records: LogRecord[]): Promise<Result[]> =>
      records.map((r) => {
        evaluations++;
        return {
          input: r.input,
          request: {
            principal: r.requester ?? '',
            action: 's3:GetObject',
            resource: `arn:aws:s3:::${r.bucket}/x`,
            context: {},
          },
          decision: 'ImplicitDeny',
          reproduced: true,
          causes: [
            {
              code: 'missing-allow-identity-policy',
              confidence: 'certain',
              rule: 'r',
              explanation: 'x',
              fixes: [],
            },
          ],
          unknowns: [],
        } as unknown as Result;
      });
    const report = await buildTriageReport(
      {
        grouper: g,
        auditor: new Auditor(),
        stats: { files: 1, bytes: 0, lines: 100_000, denied: 100_000, malformed: 0 },
        malformed: [],
        workers: 0,
      },
      { diagnose },
    );
    expect(evaluations).toBe(200);
    expect(report.groups).toHaveLength(200);
    expect(report.groups.every((x) => x.diagnosis?.causes[0]?.code === 'missing-allow-identity-policy')).toBe(
      true,
    );
    expect(report.groups.reduce((s, x) => s + x.count, 0)).toBe(report.scanned.denied);
    expect(report.rankings?.causes).toEqual([
      expect.objectContaining({ name: 'missing-allow-identity-policy', count: 100_000, groups: 200 }),
    ]);
  });
});

describe('rankTriage', () => {
  it('ranks principals and buckets by denials with groups, first and last seen', () => {
    const g = new TriageGrouper();
    for (let i = 0; i < 5; i++) g.add(rec(i, { bucket: 'big' }));
    for (let i = 0; i < 2; i++) g.add(rec(10 + i, { bucket: 'small', requester: 'arn:aws:iam::1:user/bob' }));
    const r = rankTriage(g.ranked().map(toTriageGroup));
    expect(r.buckets.map((b) => [b.name, b.count])).toEqual([
      ['big', 5],
      ['small', 2],
    ]);
    expect(r.principals[0]).toMatchObject({
      name: 'arn:aws:iam::111122223333:user/alice',
      count: 5,
      groups: 1,
    });
    expect(r.causes[0]).toMatchObject({ name: 'error:AccessDenied', count: 7, groups: 2 });
    expect(r.buckets[1]?.firstSeen).toBe('2026-11-01T00:00:10.000Z');
  });
});

describe('sparkline', () => {
  it('maps counts to eight block heights, zero to a space', () => {
    expect(sparkline([0, 1, 4, 8])).toBe(` ${BLOCKS[0]}${BLOCKS[3]}${BLOCKS[7]}`);
    expect(sparkline([0, 0])).toBe('  ');
  });

  it('draws each group on a shared adaptive time axis', () => {
    const g = new TriageGrouper();
    for (let h = 0; h < 96; h++)
      for (let k = 0; k < (h < 48 ? 1 : 4); k++)
        g.add(rec(0, { time: new Date(Date.UTC(2026, 10, 1, h)).toISOString() }));
    const groups = g.ranked().map(toTriageGroup);
    const axis = timeAxis(groups, 48)!;
    expect(axis.columns).toBe(48);
    expect(axis.step).toBe(2 * 3600_000);
    const cols = columnCounts(groups[0]!.timeline, axis);
    expect(cols.reduce((a, b) => a + b, 0)).toBe(48 + 48 * 4);
    expect(sparkline(cols)).toBe(BLOCKS[1].repeat(24) + BLOCKS[7].repeat(24));
  });
});

describe('Auditor', () => {
  it('flags anonymous enumeration of many keys with the evidence rows', () => {
    const a = new Auditor();
    const n = AUDIT_THRESHOLDS.anonymousEnumeration.minDistinctKeys;
    for (let i = 0; i < n; i++) a.add(rec(i, { requester: '-', key: `k/${i}`, sourceIp: '203.0.113.9' }));
    const f = a.findings();
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      kind: 'anonymous-key-enumeration',
      sourceIp: '203.0.113.9',
      bucket: 'b1',
      distinct: n,
      count: n,
    });
    expect(f[0]!.samples.map((s) => s.input.line)).toEqual([1, 2, 3, 4, 5]);
    expect(f[0]!.samples[0]).toMatchObject({ principal: 'anonymous', key: 'k/0', errorCode: 'AccessDenied' });
  });

  it('does not flag fewer distinct keys than the threshold, however many requests', () => {
    const a = new Auditor();
    for (let i = 0; i < 500; i++) a.add(rec(i, { requester: '-', key: `k/${i % 3}` }));
    expect(a.findings()).toEqual([]);
  });

  it('flags a burst of invalid keys / bad signatures from one address inside the window, not a slow trickle', () => {
    const burst = new Auditor();
    const n = AUDIT_THRESHOLDS.credentialBurst.minEvents;
    for (let i = 0; i < n; i++)
      burst.add(
        rec(i, {
          errorCode: i % 2 ? 'InvalidAccessKeyId' : 'SignatureDoesNotMatch',
          sourceIp: '198.51.100.99',
        }),
      );
    expect(burst.findings()).toEqual([
      expect.objectContaining({ kind: 'credential-failure-burst', sourceIp: '198.51.100.99', distinct: n }),
    ]);
    const slow = new Auditor();
    for (let i = 0; i < n; i++)
      slow.add(
        rec(0, { errorCode: 'InvalidAccessKeyId', time: new Date(Date.UTC(2026, 0, 1, i)).toISOString() }),
      );
    expect(slow.findings()).toEqual([]);
  });

  it('flags one principal denied on many buckets, and merges states like one auditor', () => {
    const whole = new Auditor();
    const a = new Auditor();
    const b = new Auditor();
    const m = AUDIT_THRESHOLDS.manyBuckets.minBuckets;
    for (let i = 0; i < m; i++) {
      const r = rec(i, { bucket: `bucket-${i}` });
      whole.add(r);
      (i < 2 ? a : b).add(r);
    }
    const merged = new Auditor();
    merged.merge(a.state());
    merged.merge(b.state());
    expect(whole.findings()).toEqual([
      expect.objectContaining({ kind: 'principal-many-buckets', distinct: m, severity: 'medium' }),
    ]);
    expect(merged.findings()).toEqual(whole.findings());
  });
});

describe('scanRange', () => {
  it('byte ranges cut anywhere give the same lines, denials and (shifted) line numbers as one scan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3d-range-'));
    const file = join(dir, 'access.log');
    const lines: string[] = [];
    for (let i = 0; i < 400; i++)
      lines.push(line(i, { status: i % 7 === 0 ? 403 : 200, key: `p${i % 5}/k${i}` }));
    writeFileSync(file, lines.join('\n') + '\n');
    const size = lines.join('\n').length + 1;
    const whole: number[] = [];
    const r = scanRange(file, 0, size, {
      record: (x) => whole.push(x.input.line!),
      malformed: () => undefined,
    });
    expect(r.lines).toBe(400);
    expect(whole).toEqual(lines.map((_, i) => i + 1).filter((n) => (n - 1) % 7 === 0));
    for (const cut of [1, 333, 5000, 17_777, size - 3]) {
      const got: number[] = [];
      const a = scanRange(file, 0, cut, {
        record: (x) => got.push(x.input.line!),
        malformed: () => undefined,
      });
      const b = scanRange(file, cut, size, {
        record: (x) => got.push(x.input.line! + a.lines),
        malformed: () => undefined,
      });
      expect(a.lines + b.lines).toBe(400);
      expect(got).toEqual(whole);
    }
  });

  it('gives the same lines with either scanner, a small buffer that must grow, CRLF and no final newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 's3d-range-'));
    const file = join(dir, 'access.log');
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      let l = line(i, { status: i % 5 === 0 ? 403 : i % 11 === 0 ? 400 : 200, key: `p${i % 3}/k${i}` });
      if (i % 13 === 0) l += '\r';
      if (i === 150) l = l.replace('"-" "', `"-" "${'long agent 403 '.repeat(500)}`); // longer than the buffer
      lines.push(l);
    }
    writeFileSync(file, lines.join('\n')); // no newline after the last line
    const size = Buffer.byteLength(lines.join('\n'));
    const seen = (kind: 'wasm' | 'js', from: number, to: number) => {
      const got: { line: number; status?: number }[] = [];
      const bad: number[] = [];
      const r = scanRange(
        file,
        from,
        to,
        {
          record: (x) => got.push({ line: x.input.line!, status: x.httpStatus }),
          malformed: (m) => bad.push(m.line!),
        },
        createStatusScanner(4096, kind),
      );
      return { got, bad, lines: r.lines, denied: r.denied };
    };
    const want = seen('js', 0, size);
    expect(want.lines).toBe(300);
    expect(want.got.map((g) => g.line)).toEqual(
      lines.map((_, i) => i + 1).filter((n) => (n - 1) % 5 === 0 || (n - 1) % 11 === 0),
    );
    expect(seen('wasm', 0, size)).toEqual(want);
    for (const cut of [700, 77_777, size - 1]) {
      const a = seen('wasm', 0, cut);
      const b = seen('wasm', cut, size);
      expect(a.lines + b.lines).toBe(300);
      expect([...a.got, ...b.got.map((g) => ({ ...g, line: g.line + a.lines }))]).toEqual(want.got);
    }
  });

  it('reports a malformed candidate line with its line number and keeps going', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3d-range-'));
    const file = join(dir, 'access.log');
    writeFileSync(file, [line(0), 'garbage 403 here', line(2)].join('\n'));
    const u = await runUnit({ kind: 'range', order: 0, file, start: 0, end: 1e9 }, () => undefined);
    expect(u.lines).toBe(3);
    expect(u.denied).toBe(2);
    expect(u.malformedCount).toBe(1);
    expect(u.malformed[0]?.line).toBe(2);
  });
});

describe('markdown and text extras', () => {
  it('draw the timeline, rankings and findings with evidence rows', async () => {
    const { renderTriageExtrasMarkdown, renderTriageExtrasText } = await import('../../src/triage/index.js');
    const g = new TriageGrouper();
    const a = new Auditor();
    for (let i = 0; i < 40; i++) {
      const r = rec(i * 60, { requester: '-', key: `k/${i}`, sourceIp: '203.0.113.9' });
      g.add(r);
      a.add(r);
    }
    const report = await buildTriageReport({
      grouper: g,
      auditor: a,
      stats: { files: 1, bytes: 10, lines: 40, denied: 40, malformed: 0 },
      malformed: [],
      workers: 0,
    });
    const md = renderTriageExtrasMarkdown(report);
    expect(md).toContain('## Timeline');
    expect(md).toMatch(/\| all \| 40 \| `[▁▂▃▄▅▆▇█ ]+` \|/);
    expect(md).toContain('## Top principals');
    expect(md).toContain('| anonymous | 40 | 1 |');
    expect(md).toContain('**high** `anonymous-key-enumeration`');
    expect(md).toContain(
      '`a.log:1  2026-11-01T00:00:00.000Z  203.0.113.9  anonymous  AccessDenied  s3://b1/k/0`',
    );
    const text = renderTriageExtrasText(report);
    expect(text).toContain('Security findings (1)');
    expect(text).toContain('a.log:61');
  });
});
