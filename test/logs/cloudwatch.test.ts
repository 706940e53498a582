// CloudWatch Logs output on a CloudTrail log group (filter-log-events, Logs Insights get-query-results) as inputs.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs, readText } from '../../src/logs/index.js';
import { collect, fixture, malformed, records } from './helpers.js';

const GETOBJECT_EVENT_ID = '5b1f6c1e-1111-4a2b-9c3d-0123456789ab';
const PUTPOLICY_EVENT_ID = '0e4c1d2b-2222-4b3c-8d4e-abcdefabcdef';

function tmpFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 's3doctor-cwl-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('aws logs filter-log-events output', () => {
  it('reads the CloudTrail event in each message: the two denials, not the allowed one', async () => {
    const items = await collect(readInputs([fixture('cloudwatch-filter-log-events.json')]));
    expect(malformed(items)).toEqual([]);
    const rs = records(items);
    expect(
      rs.map((r) => [r.format, r.input.eventId, r.input.index, r.apiName, r.bucket, r.errorCode]),
    ).toEqual([
      ['cloudwatch-logs-events', GETOBJECT_EVENT_ID, 1, 'GetObject', 'acme-reports', 'AccessDenied'],
      ['cloudwatch-logs-events', PUTPOLICY_EVENT_ID, 3, 'PutBucketPolicy', 'acme-site', 'AccessDenied'],
    ]);
    expect(rs[0]).toMatchObject({
      key: 'finance/q3.csv',
      requester: 'arn:aws:sts::111122223333:assumed-role/reporting-app/i-0abc123',
      identity: { sessionIssuerArn: 'arn:aws:iam::111122223333:role/service/reporting-app' },
      time: '2026-11-24T09:14:02Z',
    });
  });

  it('reads it pasted as text too', () => {
    const rs = records(readText(readFileSync(fixture('cloudwatch-filter-log-events.json'), 'utf8')));
    // readText keeps every event (the allowed one too), as it does for a Records file.
    expect(rs.map((r) => [r.format, r.apiName, r.errorCode])).toEqual([
      ['cloudwatch-logs-events', 'GetObject', 'AccessDenied'],
      ['cloudwatch-logs-events', 'GetObject', undefined],
      ['cloudwatch-logs-events', 'PutBucketPolicy', 'AccessDenied'],
    ]);
  });

  it('a message that is not JSON is searched for an AWS error; nothing found is malformed, not a crash', async () => {
    const p = tmpFile(
      'app.json',
      JSON.stringify({
        events: [
          {
            logStreamName: 'app',
            timestamp: 1,
            message:
              'upload: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied',
          },
          { logStreamName: 'app', timestamp: 2, message: 'not json at all: errorCode maybe' },
        ],
      }),
    );
    const items = await collect(readInputs([p]));
    expect(records(items).map((r) => [r.apiName, r.errorCode])).toEqual([['PutObject', 'AccessDenied']]);
    expect(malformed(items)).toHaveLength(1);
  });
});

describe('aws logs get-query-results (Logs Insights) output', () => {
  it('reads @message as the event, and a row of dotted fields as one when there is no @message', async () => {
    const items = await collect(readInputs([fixture('cloudwatch-logs-insights.json')]));
    expect(malformed(items)).toEqual([]);
    const rs = records(items);
    expect(rs.map((r) => [r.format, r.input.eventId, r.input.index, r.apiName, r.bucket, r.key])).toEqual([
      ['cloudwatch-logs-insights', GETOBJECT_EVENT_ID, 1, 'GetObject', 'acme-reports', 'finance/q3.csv'],
      [
        'cloudwatch-logs-insights',
        '7c7c7c7c-4444-4d4d-8e8e-000000000004',
        2,
        'PutObject',
        'acme-reports',
        'incoming/a.csv',
      ],
    ]);
    expect(rs[1]).toMatchObject({
      requester: 'arn:aws:iam::111122223333:user/alice',
      errorCode: 'AccessDenied',
      sourceIp: '198.51.100.21',
    });
  });

  it('a row with neither @message nor CloudTrail fields says what to change in the query', async () => {
    const p = tmpFile(
      'q.json',
      JSON.stringify({
        results: [
          [
            { field: 'errorCode', value: 'AccessDenied' },
            { field: 'count()', value: '12' },
          ],
        ],
        status: 'Complete',
      }),
    );
    const bad = malformed(await collect(readInputs([p])));
    expect(bad).toHaveLength(1);
    expect(bad[0]!.reason).toContain('return @message');
  });

  it('dotted names cannot reach the prototype', async () => {
    const p = tmpFile(
      'proto.json',
      JSON.stringify({
        results: [
          [
            { field: '__proto__.polluted', value: 'yes' },
            { field: 'constructor.prototype.polluted', value: 'yes' },
            { field: 'eventSource', value: 's3.amazonaws.com' },
            { field: 'eventName', value: 'GetObject' },
            { field: 'errorCode', value: 'AccessDenied' },
          ],
        ],
      }),
    );
    const rs = records(await collect(readInputs([p])));
    expect(rs.map((r) => r.apiName)).toEqual(['GetObject']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
