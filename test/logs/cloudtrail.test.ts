// Tests of the CloudTrail readers: single events, Records files, lookup-events, console exports, Athena/Lake CSV, digests.

import { describe, expect, it } from 'vitest';
import { readInputs, readText, isDenied } from '../../src/logs/index.js';
import { parseHiveStruct } from '../../src/logs/hive-struct.js';
import { collect, fixture, malformed, records } from './helpers.js';

const GETOBJECT_EVENT_ID = '5b1f6c1e-1111-4a2b-9c3d-0123456789ab';
const PUTPOLICY_EVENT_ID = '0e4c1d2b-2222-4b3c-8d4e-abcdefabcdef';

describe('CloudTrail events', () => {
  it('maps the denied GetObject data event (the documented example record) field by field', async () => {
    const [r, ...rest] = records(
      await collect(readInputs([fixture('cloudtrail-event-denied-getobject.json')])),
    );
    expect(rest).toHaveLength(0);
    expect(r).toMatchObject({
      input: {
        source: fixture('cloudtrail-event-denied-getobject.json'),
        line: 1,
        eventId: GETOBJECT_EVENT_ID,
      },
      format: 'cloudtrail-event',
      time: '2026-11-24T09:14:02Z',
      apiName: 'GetObject',
      eventSource: 's3.amazonaws.com',
      eventCategory: 'Data',
      region: 'us-east-1',
      bucket: 'acme-reports',
      key: 'finance/q3.csv',
      query: { 'x-id': 'GetObject' },
      requester: 'arn:aws:sts::111122223333:assumed-role/reporting-app/i-0abc123',
      identity: {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLEROLEID1234:i-0abc123',
        accountId: '111122223333',
        sessionIssuerArn: 'arn:aws:iam::111122223333:role/service/reporting-app',
        mfaAuthenticated: false,
        sessionCreationDate: '2026-11-24T08:00:00Z',
        accessKeyIdPrefix: 'ASIA',
      },
      sourceIp: '198.51.100.20',
      userAgent: 'aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 command/s3.cp',
      errorCode: 'AccessDenied',
      requestId: '7D2F1A0B9C8E7D6F',
      hostId: 'Zq3C1oJYq0kq8Xk5b2Ef9n5d1s0EXAMPLE=',
      signatureVersion: 'SigV4',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      authType: 'AuthHeader',
      tlsVersion: 'TLSv1.3',
      hostHeader: 'acme-reports.s3.us-east-1.amazonaws.com',
      bucketOwnerAccountId: '111122223333',
      recipientAccountId: '111122223333',
      enhanced: {
        principalArn: 'arn:aws:sts::111122223333:assumed-role/reporting-app/i-0abc123',
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::acme-reports/finance/q3.csv',
        policyType: 'identity-based policy',
        kind: 'missing-allow',
      },
    });
    expect(r?.additionalEventData).toMatchObject({ SignatureVersion: 'SigV4', bytesTransferredIn: '0' });
    expect(JSON.stringify(r)).not.toContain('ASIAEXAMPLEKEY123456');
    expect(isDenied(r!)).toBe(true);
  });

  it('keeps the submitted bucket policy of PutBucketPolicy and the (empty) policy sub-resource', async () => {
    const [r] = records(await collect(readInputs([fixture('cloudtrail-event-putbucketpolicy.json')])));
    expect(r?.submittedPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Public',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::acme-site/*',
        },
      ],
    });
    expect(r?.query).toEqual({ policy: '' });
    expect(r?.identity).toMatchObject({ type: 'IAMUser', userName: 'alice', accessKeyIdPrefix: 'AKIA' });
    expect(r?.errorMessage).toBe('Access Denied');
    expect(r?.enhanced).toBeUndefined();
  });

  it('streams a {"Records": [...]} file with event ids and element lines', async () => {
    const items = await collect(readInputs([fixture('cloudtrail-records.json')]));
    const recs = records(items);
    expect(recs.map((r) => r.input.eventId)).toEqual([GETOBJECT_EVENT_ID, PUTPOLICY_EVENT_ID]);
    expect(recs.every((r) => r.format === 'cloudtrail-records')).toBe(true);
    expect(recs[0]?.input.line).toBe(3);
    expect(malformed(items)).toEqual([]);
  });

  it('reads a console export that is a bare array', async () => {
    const recs = records(await collect(readInputs([fixture('console-export-array.json')])));
    expect(recs.map((r) => r.apiName)).toEqual(['GetObject', 'PutBucketPolicy']);
  });

  it('reads lookup-events output from CLI v1 (epoch EventTime) and v2 (ISO)', async () => {
    const [v1] = records(await collect(readInputs([fixture('lookup-events-cli-v1.json')])));
    expect(v1).toMatchObject({
      format: 'cloudtrail-lookup-events',
      time: '2026-11-24T10:02:44Z',
      apiName: 'PutBucketPolicy',
      bucket: 'acme-site',
      input: { eventId: PUTPOLICY_EVENT_ID },
    });
    const [v2] = records(await collect(readInputs([fixture('lookup-events-cli-v2.json')])));
    expect(v2?.time).toBe('2026-11-24T10:02:44Z');
    expect(v2?.requester).toBe('arn:aws:iam::111122223333:user/alice');
  });

  it('skips digest files, and says so when nothing else was given', async () => {
    const items = await collect(
      readInputs([fixture('cloudtrail-digest.json'), fixture('cloudtrail-records.json')]),
    );
    expect(records(items)).toHaveLength(2);
    expect(malformed(items)).toEqual([]);
  });

  it('reports an element that is not valid JSON and keeps reading the others', async () => {
    const text =
      '{"Records": [{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","errorCode":"AccessDenied","eventID":"a"}, {"eventVersion": oops}, {"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"PutObject","errorCode":"AccessDenied","eventID":"b"}]}';
    const items = readText(text, 'trail.json');
    expect(records(items).map((r) => r.input.eventId)).toEqual(['a', 'b']);
    expect(malformed(items)).toEqual([
      { source: 'trail.json', line: 1, reason: expect.stringMatching(/not valid JSON/) },
    ]);
  });

  it('skips events of unrelated services but keeps KMS', () => {
    const text = JSON.stringify({
      Records: [
        {
          eventVersion: '1.08',
          eventSource: 'iam.amazonaws.com',
          eventName: 'CreateUser',
          errorCode: 'AccessDenied',
          eventID: 'iam',
        },
        {
          eventVersion: '1.08',
          eventSource: 'kms.amazonaws.com',
          eventName: 'Decrypt',
          errorCode: 'AccessDenied',
          eventID: 'kms',
        },
      ],
    });
    expect(records(readText(text, 't.json')).map((r) => r.input.eventId)).toEqual(['kms']);
  });

  it('reports a truncated Records file but keeps the events before the cut', () => {
    const text =
      '{"Records": [{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","errorCode":"AccessDenied","eventID":"a"}, {"eventVersion":"1.08","event';
    const items = readText(text, 'cut.json');
    expect(records(items)).toHaveLength(1);
    expect(malformed(items)[0]?.reason).toMatch(/unexpected end of input/);
  });
});

describe('CloudTrail CSV exports', () => {
  it('reads the console CSV by header name and says that it lacks the record column', async () => {
    const items = await collect(readInputs([fixture('console-export.csv')], { deniedOnly: false }));
    const recs = records(items);
    expect(recs).toHaveLength(2); // the IAM row is skipped
    expect(recs[0]).toMatchObject({
      format: 'cloudtrail-console-csv',
      input: { eventId: PUTPOLICY_EVENT_ID, line: 2 },
      time: '2026-11-24T10:02:44Z',
      apiName: 'PutBucketPolicy',
      bucket: 'acme-site',
      errorCode: 'AccessDenied',
      sourceIp: '203.0.113.44',
      region: 'us-east-1',
      identity: { userName: 'alice', accessKeyIdPrefix: 'AKIA' },
    });
    expect(recs[1]?.time).toBe('2026-11-24T10:02:44Z');
    const notes = malformed(items);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.reason).toMatch(/no CloudTrail event record column: errorMessage, requestParameters/);
  });

  it('uses the full record column of a console CSV when there is one', async () => {
    const items = await collect(readInputs([fixture('console-export-with-record.csv')]));
    expect(malformed(items)).toEqual([]);
    const [r] = records(items);
    expect(r).toMatchObject({
      format: 'cloudtrail-console-csv',
      key: 'finance/q3.csv',
      enhanced: { kind: 'missing-allow' },
    });
  });

  it('reads Athena CloudTrail results with Hive struct text and JSON text columns', async () => {
    const [r] = records(await collect(readInputs([fixture('athena-cloudtrail.csv')])));
    expect(r).toMatchObject({
      format: 'cloudtrail-athena-csv',
      input: { eventId: GETOBJECT_EVENT_ID },
      requester: 'arn:aws:sts::111122223333:assumed-role/reporting-app/i-0abc123',
      identity: {
        type: 'AssumedRole',
        accountId: '111122223333',
        sessionIssuerArn: 'arn:aws:iam::111122223333:role/service/reporting-app',
        mfaAuthenticated: true,
        accessKeyIdPrefix: 'ASIA',
      },
      bucket: 'acme-reports',
      key: 'finance/q3.csv',
      bucketOwnerAccountId: '111122223333',
      vpcEndpointId: 'vpce-c94096a0',
      tlsVersion: 'TLSv1.3',
      hostHeader: 'acme-reports.s3.us-east-1.amazonaws.com',
      signatureVersion: 'SigV4',
      errorCode: 'AccessDenied',
      enhanced: { policyType: 'identity-based policy' },
    });
    expect(r?.identity?.invokedBy).toBeUndefined();
  });

  it('parses Hive struct text tolerantly', () => {
    expect(
      parseHiveStruct(
        '{type=AssumedRole, arn=arn:aws:sts::1:assumed-role/r/s, ua=Mozilla/5.0 (X11, Linux), n=null, a={b=c}}',
      ),
    ).toEqual({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::1:assumed-role/r/s',
      ua: 'Mozilla/5.0 (X11, Linux)',
      n: null,
      a: { b: 'c' },
    });
    expect(parseHiveStruct('[{arn=x, type=AWS::S3::Bucket}, {arn=y}]')).toEqual([
      { arn: 'x', type: 'AWS::S3::Bucket' },
      { arn: 'y' },
    ]);
    expect(parseHiveStruct('{broken')).toBe('{broken');
  });
});

describe('Athena results over S3 access logs', () => {
  it('maps the documented DDL columns to access-log fields', async () => {
    const items = await collect(readInputs([fixture('athena-access-log.csv')], { deniedOnly: false }));
    const recs = records(items);
    expect(recs).toHaveLength(2);
    expect(recs[0]).toMatchObject({
      format: 'access-log-athena-csv',
      input: { line: 2 },
      bucket: 'acme-reports',
      time: '2026-11-24T09:14:02Z',
      key: 'finance/q3.csv',
      httpMethod: 'GET',
      query: { 'x-id': 'GetObject' },
      httpStatus: 403,
      errorCode: 'AccessDenied',
      userAgent: 'aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 command/s3.cp',
      tlsVersion: 'TLSv1.2',
      aclRequired: false,
    });
    expect(recs[0]?.referer).toBeUndefined();
    expect(recs.map(isDenied)).toEqual([true, false]);
  });
});
