// Tests of readText: what a user pastes into the assistant (log lines, events, CSV, error text, mixtures).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readText } from '../../src/logs/index.js';
import { fixture, malformed, records } from './helpers.js';

const docLines = readFileSync(fixture('access-doc-examples.log'), 'utf8').trimEnd().split('\n');

describe('readText', () => {
  it('reads one pasted access-log line', () => {
    const [r, ...rest] = records(readText(docLines[2] as string));
    expect(rest).toEqual([]);
    expect(r).toMatchObject({
      input: { source: 'pasted', line: 1 },
      format: 's3-access-log',
      key: 'finance/q3.csv',
    });
  });

  it('reads a pretty-printed CloudTrail event', () => {
    const [r] = records(
      readText(readFileSync(fixture('cloudtrail-event-denied-getobject.json'), 'utf8'), 'event'),
    );
    expect(r).toMatchObject({
      format: 'cloudtrail-event',
      input: { source: 'event', eventId: '5b1f6c1e-1111-4a2b-9c3d-0123456789ab' },
    });
  });

  it('reads lookup-events output and CSV exports', () => {
    expect(records(readText(readFileSync(fixture('lookup-events-cli-v1.json'), 'utf8')))[0]?.format).toBe(
      'cloudtrail-lookup-events',
    );
    const csv = readText(readFileSync(fixture('athena-cloudtrail.csv'), 'utf8'));
    expect(records(csv)[0]).toMatchObject({ format: 'cloudtrail-athena-csv', input: { line: 2 } });
  });

  it('reads a mixture of log lines and error text, in line order', () => {
    const text = [
      'here is the log:',
      docLines[1],
      '',
      'and the CLI said:',
      'An error occurred (AccessDenied) when calling the GetObject operation: Access Denied',
    ].join('\n');
    const recs = records(readText(text));
    expect(recs.map((r) => [r.format, r.input.line])).toEqual([
      ['s3-access-log', 2],
      ['error-message', 5],
    ]);
  });

  it('reads a JS v3 error printed as a JS object, which is not JSON', () => {
    const text =
      "{\n  '$fault': 'client',\n  '$metadata': { httpStatusCode: 403, requestId: 'AB12CD34EF56GH78' },\n  Code: 'AccessDenied'\n}";
    expect(records(readText(text))).toMatchObject([
      { errorCode: 'AccessDenied', httpStatus: 403, requestId: 'AB12CD34EF56GH78' },
    ]);
  });

  it('says what it accepts when nothing is recognisable', () => {
    const items = readText('good morning');
    expect(records(items)).toEqual([]);
    expect(malformed(items)[0]?.reason).toMatch(
      /no S3 access log line, CloudTrail event, CSV export or AWS error message found/,
    );
    expect(malformed(readText('   '))[0]?.reason).toBe('empty input');
  });

  it('reads a CloudTrail event pasted after some words, and JSON Lines', () => {
    const ev = readFileSync(fixture('cloudtrail-event-putbucketpolicy.json'), 'utf8').trim();
    const [r] = records(readText(`the trail shows\nthis: ${ev}\nthanks`));
    expect(r).toMatchObject({ apiName: 'PutBucketPolicy', input: { line: 2 } });
    const get = readFileSync(fixture('cloudtrail-records.json'), 'utf8');
    const events = (JSON.parse(get) as { Records: unknown[] }).Records.map((e) => JSON.stringify(e));
    expect(records(readText(events.join('\n'))).map((x) => [x.apiName, x.input.line])).toEqual([
      ['GetObject', 1],
      ['PutBucketPolicy', 2],
    ]);
  });

  it('finds AWS errors inside structured (JSON Lines) application logs', () => {
    const text = [
      JSON.stringify({ level: 'info', msg: 'started' }),
      JSON.stringify({
        level: 'error',
        err: {
          message: 'An error occurred (AccessDenied) when calling the PutObject operation: Access Denied',
        },
      }),
    ].join('\n');
    const items = readText(text, 'app.jsonl');
    expect(records(items)).toMatchObject([
      { errorCode: 'AccessDenied', apiName: 'PutObject', input: { source: 'app.jsonl', line: 2 } },
    ]);
    expect(malformed(items)).toMatchObject([{ line: 1, reason: expect.stringMatching(/keys: level, msg/) }]);
  });

  it('reads CloudTrail Lake CSV with dotted camelCase columns', () => {
    const csv = [
      'eventTime,eventName,eventSource,errorCode,errorMessage,userIdentity.arn,userIdentity.type,requestParameters',
      '2026-11-24 09:14:02.000,GetObject,s3.amazonaws.com,AccessDenied,Access Denied,arn:aws:iam::111122223333:user/alice,IAMUser,"{""bucketName"":""b"",""key"":""k""}"',
    ].join('\n');
    expect(records(readText(csv))).toMatchObject([
      {
        format: 'cloudtrail-athena-csv',
        time: '2026-11-24T09:14:02Z',
        requester: 'arn:aws:iam::111122223333:user/alice',
        identity: { type: 'IAMUser' },
        bucket: 'b',
        key: 'k',
      },
    ]);
  });
});
