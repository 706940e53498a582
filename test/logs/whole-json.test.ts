// A one-line CloudTrail delivery file parsed whole gives exactly what the byte-by-byte splitter gives
// (records, malformed entries, counters, session grants), for diagnose (readInputs) and triage (scanDenied).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newStats, readInputs, scanDenied, type ReadOptions } from '../../src/logs/read.js';

const dir = mkdtempSync(join(tmpdir(), 's3doctor-whole-json-'));

function event(kind: string, i: number): unknown {
  const base = {
    eventVersion: '1.10',
    userIdentity: {
      type: 'AssumedRole',
      arn: `arn:aws:sts::111122223333:assumed-role/app/s${i}`,
      accountId: '111122223333',
    },
    eventTime: `2026-11-24T10:00:${String(i % 60).padStart(2, '0')}Z`,
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    requestParameters: { bucketName: 'reports', key: `k/${i}.csv` },
    eventID: `e-${i}`,
  };
  switch (kind) {
    case 'denied':
      return { ...base, errorCode: 'AccessDenied', errorMessage: 'Access Denied' };
    case 'nested-code':
      return { ...base, requestParameters: { ...base.requestParameters, note: 'errorCode in a value' } };
    case 'sts':
      return {
        ...base,
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        requestParameters: { roleArn: 'arn:aws:iam::111122223333:role/app', roleSessionName: `s${i}` },
        responseElements: {
          assumedRoleUser: { arn: `arn:aws:sts::111122223333:assumed-role/app/s${i}` },
        },
      };
    case 'not-an-event':
      return { hello: i };
    case 'lookup':
      return { EventId: `l-${i}`, EventName: 'GetObject', CloudTrailEvent: JSON.stringify(base) };
    default:
      return base;
  }
}

async function collect(
  file: string,
  scan: boolean,
  opts: ReadOptions,
): Promise<{ items: unknown[]; stats: unknown; grants: unknown[] }> {
  const stats = newStats();
  const grants: unknown[] = [];
  const items: unknown[] = [];
  const gen = scan
    ? scanDenied([file], { ...opts, stats })
    : readInputs([file], { ...opts, stats, deniedOnly: false, onSessionGrant: (g) => grants.push(g) });
  for await (const item of gen) items.push(item);
  return { items, stats, grants };
}

describe('one-line JSON parsed whole', () => {
  it('gives the splitter items, counters and grants, for read and scan, plain and .gz', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('denied', 'allowed', 'nested-code', 'sts', 'not-an-event', 'lookup'), {
          maxLength: 12,
        }),
        fc.boolean(),
        fc.constantFrom('', '\n', '  \n'),
        async (kinds, gz, tail) => {
          const text = JSON.stringify({ Records: kinds.map((k, i) => event(k, i)) }) + tail;
          const file = join(dir, `ct-${n++}.json${gz ? '.gz' : ''}`);
          writeFileSync(file, gz ? gzipSync(text) : text);
          for (const scan of [false, true]) {
            const split = await collect(file, scan, { wholeJsonBytes: 0 });
            const whole = await collect(file, scan, {});
            expect(whole).toEqual(split);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reads a delivery file whole: a denied event comes out as a record on line 1', async () => {
    const file = join(dir, 'one.json');
    writeFileSync(file, JSON.stringify({ Records: [event('allowed', 1), event('denied', 2)] }));
    const { items } = await collect(file, true, {});
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'record', record: { input: { line: 1, index: 2 } } });
  });
});
