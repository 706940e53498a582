// Tests of the free-text error parser: AWS CLI, boto3, SDKs for JavaScript/Java/Go/.NET, raw XML bodies, enhanced messages.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseErrorText } from '../../src/logs/error-text.js';
import { parseEnhancedMessage } from '../../src/logs/enhanced.js';
import { isDenied, readInputs, readText } from '../../src/logs/index.js';
import type { LogRecord } from '../../src/model/input.js';
import { collect, fixture, records } from './helpers.js';

function errors(name: string): LogRecord[] {
  return parseErrorText(readFileSync(fixture(`errors/${name}`), 'utf8'), name);
}

function one(name: string): LogRecord {
  const recs = errors(name);
  expect(recs).toHaveLength(1);
  return recs[0] as LogRecord;
}

describe('error text: AWS CLI and boto3', () => {
  it('reads the CLI v2 message', () => {
    expect(one('cli-v2.txt')).toEqual({
      input: { source: 'cli-v2.txt', line: 1 },
      format: 'error-message',
      errorCode: 'AccessDenied',
      apiName: 'GetObject',
      errorMessage: 'Access Denied',
    });
  });

  it('reads an enhanced message inside a CLI error', () => {
    const r = one('cli-enhanced.txt');
    expect(r).toMatchObject({
      errorCode: 'AccessDenied',
      apiName: 'ListObjectsV2',
      requester: 'arn:aws:iam::111122223333:user/alice',
      bucket: 'acme-reports',
      enhanced: {
        principalArn: 'arn:aws:iam::111122223333:user/alice',
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::acme-reports',
        policyType: 'resource-based policy',
        kind: 'explicit-deny',
      },
    });
  });

  it('reads a boto3 traceback, with the line of the error', () => {
    expect(one('boto3.txt')).toMatchObject({
      input: { line: 6 },
      errorCode: 'ExpiredToken',
      apiName: 'GetObject',
      errorMessage: 'The provided token has expired.',
    });
  });

  it('reads the HEAD 403 of aws s3 cp as a status without a code', () => {
    const r = one('cli-cp-head.txt');
    expect(r).toMatchObject({ httpStatus: 403, apiName: 'HeadObject', errorMessage: 'Forbidden' });
    expect(r.errorCode).toBeUndefined();
    expect(isDenied(r)).toBe(true);
  });

  it('takes bucket and key from upload/download/copy failed prefixes', () => {
    const [up, down, copy] = errors('cli-transfers.txt');
    expect(up).toMatchObject({
      apiName: 'PutObject',
      bucket: 'acme-reports',
      key: 'finance/report.csv',
      input: { line: 1 },
    });
    expect(down).toMatchObject({
      apiName: 'GetObject',
      bucket: 'acme-reports',
      key: 'finance/q3.csv',
      input: { line: 2 },
    });
    expect(copy).toMatchObject({
      apiName: 'CopyObject',
      bucket: 'acme-dst',
      key: 'b.txt',
      headers: { 'x-amz-copy-source': 'acme-src/a.txt' },
    });
  });

  it('reads the very old CLI wording', () => {
    expect(one('cli-old.txt')).toMatchObject({ errorCode: 'AccessDenied', apiName: 'PutObject' });
  });
});

describe('error text: SDKs', () => {
  it('reads an SDK for JavaScript v3 error with $metadata and the operation from the stack', () => {
    expect(one('js-v3.txt')).toMatchObject({
      errorCode: 'AccessDenied',
      httpStatus: 403,
      apiName: 'GetObject',
      requestId: '7D2F1A0B9C8E7D6F',
      hostId: 'Zq3C1oJYq0kq8Xk5b2Ef9n5d1s0EXAMPLE=',
      bucket: 'acme-reports',
      key: 'finance/q3.csv',
      enhanced: { kind: 'missing-allow', policyType: 'identity-based policy', action: 's3:GetObject' },
    });
  });

  it('reads the JS v3 HEAD 403 (name 403, UnknownError)', () => {
    const r = one('js-v3-head.txt');
    expect(r).toMatchObject({
      httpStatus: 403,
      apiName: 'HeadObject',
      requestId: 'Q1W2E3R4T5Y6U7I8',
      hostId: 'aGVhZGhvc3RpZA==',
    });
    expect(r.errorCode).toBeUndefined();
  });

  it('reads a JSON-serialised JS v3 error through readText', () => {
    const [r] = records(readText(readFileSync(fixture('errors/js-v3.json'), 'utf8'), 'err.json'));
    expect(r).toMatchObject({
      errorCode: 'AccessDenied',
      httpStatus: 403,
      requestId: 'JS3JSON000000001',
      hostId: 'anNvbmhvc3Q=',
      errorMessage: 'Access Denied',
    });
  });

  it('reads an SDK for JavaScript v2 error', () => {
    expect(one('js-v2.txt')).toMatchObject({
      errorCode: 'AccessDenied',
      httpStatus: 403,
      requestId: 'JSV2REQUEST00001',
      hostId: 'anN2Mmhvc3Q=',
    });
  });

  it('reads SDK for Java v1 errors, including the HEAD form', () => {
    const [a, b] = errors('java-v1.txt');
    expect(a).toMatchObject({
      errorCode: 'AccessDenied',
      httpStatus: 403,
      requestId: 'JAVAV1REQUEST001',
      hostId: 'amF2YXYxaG9zdA==',
    });
    expect(b).toMatchObject({ httpStatus: 403, requestId: 'JAVAV1HEAD000001', errorMessage: 'Forbidden' });
    expect(b?.errorCode).toBeUndefined();
  });

  it('reads an SDK for Java v2 error and names the code from the fixed message', () => {
    expect(one('java-v2.txt')).toMatchObject({
      errorCode: 'AccessDenied',
      httpStatus: 403,
      requestId: 'G7WJJ5HW0BBZB1WR',
      hostId: 'ZsA5amF2YXYyaG9zdA=',
      errorMessage: 'Access Denied',
    });
  });

  it('reads SDK for Go v2 and v1 errors', () => {
    expect(one('go-v2.txt')).toMatchObject({
      errorCode: 'AccessDenied',
      httpStatus: 403,
      apiName: 'GetObject',
      requestId: 'GOV2REQUEST00001',
      hostId: 'Z292Mmhvc3Q=',
    });
    expect(one('go-v1.txt')).toMatchObject({
      errorCode: 'AccessDenied',
      httpStatus: 403,
      requestId: 'GOV1REQUEST00001',
      hostId: 'Z292MWhvc3Q=',
    });
  });

  it('reads .NET errors, including the bodiless HEAD form', () => {
    expect(one('dotnet.txt')).toMatchObject({
      errorCode: 'AccessDenied',
      httpStatus: 403,
      requestId: 'DOTNETREQUEST001',
      errorMessage: 'Access Denied',
    });
    const head = one('dotnet-head.txt');
    expect(head.httpStatus).toBe(403);
    expect(head.errorCode).toBeUndefined();
  });
});

describe('error text: raw S3 XML bodies', () => {
  it('reads an expired presigned URL body with its expiry details', () => {
    expect(one('xml-expired.txt')).toMatchObject({
      errorCode: 'AccessDenied',
      errorMessage: 'Request has expired',
      requestId: 'XMLEXPIRED000001',
      hostId: 'eG1saG9zdA==',
      errorDetails: {
        'X-Amz-Expires': '900',
        Expires: '2026-11-24T10:15:00Z',
        ServerTime: '2026-11-24T11:02:09Z',
      },
    });
  });

  it('reads a signature mismatch body without keeping the signature or key id', () => {
    const r = one('xml-signature.txt');
    expect(r.errorCode).toBe('SignatureDoesNotMatch');
    expect(r.errorDetails?.AWSAccessKeyId).toBe('AKIA****');
    expect(r.errorDetails?.SignatureProvided).toBe('[redacted]');
    expect(JSON.stringify(r)).not.toMatch(/AKIAIOSFODNN7EXAMPLE|9f0d1c5b2a9e8f7d/);
  });

  it('reads the archived-object and clock-skew bodies', () => {
    expect(one('xml-archived.txt')).toMatchObject({
      errorCode: 'InvalidObjectState',
      errorDetails: { StorageClass: 'GLACIER' },
    });
    expect(one('xml-skew.txt')).toMatchObject({
      errorCode: 'RequestTimeTooSkewed',
      errorDetails: {
        RequestTime: '20261124T090000Z',
        ServerTime: '2026-11-24T09:20:00Z',
        MaxAllowedSkewMilliseconds: '900000',
      },
    });
  });
});

describe('error text: enhanced messages and several errors', () => {
  it('collapses line breaks before matching the enhanced message', () => {
    expect(one('enhanced-scp-wrapped.txt')).toMatchObject({
      errorCode: 'AccessDenied',
      bucket: 'acme-site',
      enhanced: { action: 's3:PutBucketPolicy', policyType: 'service control policy', kind: 'explicit-deny' },
      errorMessage:
        'User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::acme-site" with an explicit deny in a service control policy',
    });
  });

  it('parses every documented enhanced-message example', () => {
    expect(
      parseEnhancedMessage(
        'User: arn:aws:sts::123456789012:assumed-role/AmazonBedrockExecutionRoleForKnowledgeBase-0zsq/DocumentLoaderTask-5XTW is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::test-s3-docs/report.pdf" because no identity-based policy allows the s3:GetObject action',
      ),
    ).toEqual({
      principalArn:
        'arn:aws:sts::123456789012:assumed-role/AmazonBedrockExecutionRoleForKnowledgeBase-0zsq/DocumentLoaderTask-5XTW',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::test-s3-docs/report.pdf',
      policyType: 'identity-based policy',
      kind: 'missing-allow',
    });
    expect(
      parseEnhancedMessage(
        'User: arn:aws:iam::111111111111:user/bob is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:us-east-1:111111111111:accesspoint/my-ap" with an explicit deny in a resource-based policy',
      ),
    ).toMatchObject({
      resource: 'arn:aws:s3:us-east-1:111111111111:accesspoint/my-ap',
      kind: 'explicit-deny',
    });
    expect(
      parseEnhancedMessage(
        'User: arn:aws:sts::111111111111:assumed-role/r/s is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111111111111:key/k-1 because no identity-based policy allows the kms:Decrypt action',
      ),
    ).toMatchObject({ action: 'kms:Decrypt', resource: 'arn:aws:kms:us-east-1:111111111111:key/k-1' });
    expect(
      parseEnhancedMessage(
        'User: arn:aws:iam::1:user/x is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" with an explicit deny in an identity-based policy',
      ),
    ).toMatchObject({ policyType: 'identity-based policy', kind: 'explicit-deny' });
    expect(parseEnhancedMessage('Access Denied')).toBeUndefined();
  });

  it('gives one record per error in a paste with several', () => {
    const recs = errors('several.txt');
    expect(recs.map((r) => [r.errorCode, r.apiName, r.input.line])).toEqual([
      ['AccessDenied', 'GetObject', 2],
      ['InvalidAccessKeyId', 'PutObject', 5],
      ['AccessDenied', undefined, 8],
    ]);
    expect(recs[0]).toMatchObject({ bucket: 'acme-reports', key: 'finance/q3.csv' });
    expect(recs[2]?.enhanced).toMatchObject({ action: 'kms:Decrypt' });
  });

  it('reads a bare fixed message', () => {
    expect(parseErrorText('it said: The provided token has expired.', 'p')).toMatchObject([
      { errorCode: 'ExpiredToken' },
    ]);
    expect(parseErrorText('nothing to see here', 'p')).toEqual([]);
  });

  it('reads error text files through readInputs', async () => {
    const recs = records(await collect(readInputs([fixture('errors/several.txt')])));
    expect(recs).toHaveLength(3);
    expect(recs[1]?.input).toEqual({ source: fixture('errors/several.txt'), line: 5 });
  });

  it('merges the XML body and the summary line of aws --debug output into one record', () => {
    const text = [
      '2026-11-24 10:00:00,000 - MainThread - botocore.parsers - DEBUG - Response body:',
      'b\'<?xml version="1.0" encoding="UTF-8"?>\\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>DEBUGREQ00000001</RequestId><HostId>ZGVidWc=</HostId></Error>\'',
      '2026-11-24 10:00:00,001 - MainThread - botocore.hooks - DEBUG - Event needs-retry.s3.GetObject',
      '',
      'An error occurred (AccessDenied) when calling the GetObject operation: Access Denied',
    ].join('\n');
    expect(parseErrorText(text, 'debug.txt')).toEqual([
      {
        input: { source: 'debug.txt', line: 2 },
        format: 'error-message',
        errorCode: 'AccessDenied',
        errorMessage: 'Access Denied',
        requestId: 'DEBUGREQ00000001',
        hostId: 'ZGVidWc=',
        apiName: 'GetObject',
      },
    ]);
  });
});
