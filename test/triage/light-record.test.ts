// Tests the triage fast line reader: over generated access logs (odd user agents, IPv6, `-` fields, encoded keys, old short and malformed lines) it gives the logs parser's values and the same triage.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogRecord, MalformedRecord } from '../../src/model/index.js';
import { isDenied, parseAccessLogLine } from '../../src/logs/index.js';
import { actionOfRecord } from '../../src/triage/action.js';
import { Auditor } from '../../src/triage/audit.js';
import { toTriageGroup, TriageGrouper } from '../../src/triage/groups.js';
import { fullRecord, readTriageLine } from '../../src/triage/light-record.js';
import { readSamples } from '../../src/triage/samples.js';
import { runUnit } from '../../src/triage/unit.js';

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const UAS = [
  '"aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 command/s3.cp"',
  '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "quoted" Chrome/120.0"',
  '"S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.0"',
  '"ua with "quote" - "and more" at end"',
  '"-"',
];
const REQUESTERS = [
  'arn:aws:iam::111122223333:user/alice',
  'arn:aws:sts::111122223333:assumed-role/app/i-0abc',
  '-',
  'svc:s3.amazonaws.com',
  '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
];
const IPS = ['192.0.2.3', '2001:db8::1', '-'];
const REQS: [op: string, key: string, uri: string][] = [
  ['REST.GET.OBJECT', 'finance/2026/q3.csv', '"GET /finance/2026/q3.csv?x-id=GetObject HTTP/1.1"'],
  ['REST.GET.OBJECT', 'my+file%20name.txt', '"GET /my+file%20name.txt HTTP/1.1"'],
  ['REST.GET.OBJECT', 'dir/with%2Fslash', '"GET /dir/with%2Fslash HTTP/1.1"'],
  ['REST.PUT.OBJECT', 'up/load.bin', '"PUT /bkt/up/load.bin HTTP/1.1"'],
  ['REST.GET.BUCKET', '-', '"GET /?list-type=2&prefix=logs%2F HTTP/1.1"'],
  ['REST.GET.ACL', 'a/b', '"GET /a/b?acl HTTP/1.1"'],
  ['REST.GET.OBJECT', 'v/obj', '"GET /v/obj?versionId=3HL4kqtJlcpXroDTDmJ HTTP/1.1"'],
  ['REST.GET.OBJECT', 'v/obj', '"GET /v/obj?versionId= HTTP/1.1"'],
  ['REST.GET.OBJECT', 'caf%C3%A9/x', '"GET /caf%C3%A9/x HTTP/1.1"'],
  ['REST.GET.OBJECT', 'p/q', '"GET /p/q?constructor=1 HTTP/1.1"'],
  ['REST.GET.OBJECT', 'abs/key', '"GET https://bkt.s3.amazonaws.com/abs/key HTTP/1.1"'],
  [
    'REST.DELETE.OBJECT',
    'tail/x',
    '"DELETE /tail/x?X-Amz-Signature=abc&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F HTTP/1.1"',
  ],
  ['BATCH.DELETE.OBJECT', 'k', '-'],
];
const STATUS: [string, string][] = [
  ['403', 'AccessDenied'],
  ['400', 'InvalidToken'],
  ['403', 'SignatureDoesNotMatch'],
  ['400', 'BadDigest'],
  ['403', '-'],
  ['200', '-'],
];
const TIMES = ['[06/Feb/2026:00:00:38 +0000]', '[6/Feb/2026:13:10:00 +0200]', '[06/feb/2026:01:00:00 +0000]'];

/** Deterministic pseudo-random picks. */
function* lines(n: number): Generator<string> {
  let seed = 7;
  const pick = <T>(a: readonly T[]): T => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return a[Math.floor(seed / 65536) % a.length]!;
  };
  for (let i = 0; i < n; i++) {
    const [op, key, uri] = pick(REQS);
    const [status, code] = pick(STATUS);
    const host = pick(['bkt.s3.us-east-1.amazonaws.com', 's3.us-east-1.amazonaws.com', '-']);
    const base = `${OWNER} bkt ${pick(TIMES)} ${pick(IPS)} ${pick(REQUESTERS)} REQ${i} ${op} ${key} ${uri} ${status} ${code} 243 - 12 - "-" ${pick(UAS)} ${pick(['-', 'vid1'])}`;
    const shape = pick([0, 0, 0, 1, 2, 3, 4, 5]);
    if (shape === 0) yield `${base} HOSTID= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader ${host} TLSv1.2 - -`;
    else if (shape === 1)
      yield base; // old 18-field line
    else if (shape === 2) yield `${base} HOSTID= SigV4 ECDHE AuthHeader ${host} TLSv1.2 - Yes extra1 extra2`;
    else if (shape === 3)
      yield `${OWNER} bkt [bad time] 1.2.3.4 - R ${op} k "GET /k HTTP/1.1" ${status} ${code} 1 2 3 4 "-" "ua" -`;
    else if (shape === 4)
      yield `${OWNER} bkt ${pick(TIMES)} 1.2.3.4 - R ${op} k "GET /k HTTP/1.1 ${status} ${code}`;
    else yield `${OWNER} bkt ${pick(TIMES)} 1.2.3.4 - R ${op} k "GET /k HTTP/1.1" ${status} ${code}`; // too short
  }
}

/** The fields grouping and auditing read. */
function triageView(r: LogRecord): unknown {
  return {
    input: r.input,
    time: r.time,
    bucket: r.bucket,
    sourceIp: r.sourceIp,
    requester: r.requester,
    logOperation: r.logOperation,
    key: r.key,
    httpStatus: r.httpStatus,
    errorCode: r.errorCode,
    httpMethod: r.httpMethod,
    queryNames: r.query ? Object.keys(r.query).sort() : undefined,
    versioned: Boolean(r.versionId),
    enhanced: r.enhanced,
    denied: isDenied(r),
  };
}

describe('readTriageLine', () => {
  const all = [...lines(3000)];

  it('gives the logs parser result for every line (the fast fields, and the full record on demand)', () => {
    let light = 0;
    let malformed = 0;
    for (const [i, line] of all.entries()) {
      const fast = readTriageLine(line, 'f.log', i + 1);
      const ref = parseAccessLogLine(line, 'f.log', i + 1);
      expect(fast.kind).toBe(ref.kind);
      if (fast.kind === 'malformed' || ref.kind === 'malformed') {
        malformed++;
        expect(fast).toEqual(ref);
        continue;
      }
      expect(triageView(fast.record)).toEqual(triageView(ref.record));
      expect(fullRecord(fast.record)).toEqual(ref.record);
      if (fullRecord(fast.record) !== fast.record) light++;
    }
    // Both paths are exercised.
    expect(light).toBeGreaterThan(200);
    expect(malformed).toBeGreaterThan(200);
    expect(all.length - light - malformed).toBeGreaterThan(100);
  });

  it('takes the key from the key field, the Request-URI only where the field is -, as the logs parser does', () => {
    const line = (key: string, uri: string): string =>
      `${OWNER} bkt [06/Feb/2026:00:01:00 +0000] 198.51.100.9 - E1 REST.GET.OBJECT ${key} ${uri} 403 AccessDenied 243 - 12 - "-" "curl/8.0" - HID= SigV4 ECDHE AuthHeader bkt.s3.amazonaws.com TLSv1.2 - -`;
    for (const [key, uri, want] of [
      ['field/key.txt', '"GET /uri/key.txt HTTP/1.1"', 'field/key.txt'],
      ['-', '"GET /uri/key.txt HTTP/1.1"', 'uri/key.txt'],
      ['field/key.txt', '-', 'field/key.txt'],
    ] as const) {
      const fast = readTriageLine(line(key, uri), 'f.log', 1);
      const ref = parseAccessLogLine(line(key, uri), 'f.log', 1);
      expect(fast.kind === 'record' && fast.record.key).toBe(want);
      expect(ref.kind === 'record' && ref.record.key).toBe(want);
    }
  });

  it('a byte-range triage unit groups and audits exactly as fully parsed records do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3doctor-light-'));
    const file = join(dir, 'access.log');
    // Many anonymous denials from one address, to raise audit findings too.
    const enumLines = Array.from(
      { length: 40 },
      (_, i) =>
        `${OWNER} bkt [06/Feb/2026:00:01:${String(i % 60).padStart(2, '0')} +0000] 198.51.100.9 - E${i} REST.GET.OBJECT secret/k${i} "GET /secret/k${i} HTTP/1.1" 403 AccessDenied 243 - 12 - "-" "curl/8.0" - HID= SigV4 ECDHE AuthHeader bkt.s3.amazonaws.com TLSv1.2 - -`,
    );
    const text = [...all, ...enumLines];
    writeFileSync(file, `${text.join('\n')}\n`);
    const got = await runUnit({ kind: 'range', order: 0, file, start: 0, end: 1 << 30 }, () => undefined);

    const grouper = new TriageGrouper(actionOfRecord);
    const auditor = new Auditor();
    const bad: MalformedRecord[] = [];
    let denied = 0;
    text.forEach((line, i) => {
      if (!/ 40[03] /.test(line)) return;
      const item = parseAccessLogLine(line, file, i + 1);
      if (item.kind === 'malformed') bad.push(item.malformed);
      else if (isDenied(item.record)) {
        denied++;
        grouper.add(item.record);
        auditor.add(item.record);
      }
    });
    const gotGrouper = new TriageGrouper();
    gotGrouper.merge(got.groups);
    const gotAuditor = new Auditor();
    gotAuditor.merge(got.audit);
    expect(got.denied).toBe(denied);
    expect(got.lines).toBe(text.length);
    expect(got.malformed).toEqual(bad.slice(0, 100));
    expect(got.malformedCount).toBe(bad.length);
    expect(gotGrouper.ranked().map(toTriageGroup)).toEqual(grouper.ranked().map(toTriageGroup));
    // Samples cross the worker boundary as the place of their line, read and parsed once kept.
    expect(JSON.stringify(got.groups)).not.toContain('lineText');
    expect(readSamples(gotGrouper.ranked())).toEqual(grouper.ranked().map((g) => g.sampleRecord));
    expect(gotAuditor.findings()).toEqual(auditor.findings());
    expect(auditor.findings().length).toBeGreaterThan(0);
  });
});
