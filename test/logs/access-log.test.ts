// Tests of the S3 server access log parser on the documented example lines and the edge cases real archives hold.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAccessLogLine, tokenizeAccessLogLine, parseAccessLogTime } from '../../src/logs/access-log.js';
import { isDenied } from '../../src/logs/denied.js';
import { readInputs } from '../../src/logs/index.js';
import type { LogRecord } from '../../src/model/input.js';
import { collect, fixture, malformed, records } from './helpers.js';

const docLines = readFileSync(fixture('access-doc-examples.log'), 'utf8').trimEnd().split('\n');
const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const edge = readFileSync(fixture('access-edge-cases.log'), 'utf8').split('\n');

function parse(line: string, n = 1): LogRecord {
  const item = parseAccessLogLine(line, 'access.log', n);
  if (item.kind !== 'record') throw new Error(`malformed: ${item.malformed.reason}`);
  return item.record;
}

describe('S3 access log: example lines of the documented format', () => {
  it('reads every field of the allowed 26-field line', () => {
    const r = parse(docLines[0] as string);
    expect(r).toMatchObject({
      input: { source: 'access.log', line: 1 },
      format: 's3-access-log',
      bucketOwnerCanonicalId: '7f3ac9e1d2b84f06a5e1c0d9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2918f7e6d5',
      bucket: 'acme-reports',
      time: '2026-11-24T09:17:55Z',
      sourceIp: '198.51.100.20',
      requester: 'arn:aws:sts::111122223333:assumed-role/reporting-app/i-0abc123',
      requestId: '9E8D7C6B5A493827',
      logOperation: 'REST.GET.OBJECT',
      key: 'public/readme.txt',
      httpMethod: 'GET',
      requestUri: '/public/readme.txt?x-id=GetObject',
      query: { 'x-id': 'GetObject' },
      httpStatus: 200,
      bytesSent: 1024,
      objectSize: 1024,
      totalTimeMs: 20,
      turnAroundTimeMs: 19,
      userAgent: 'aws-sdk-js/3.600.0 ua/2.1 os/linux#6.1 lang/js md/nodejs#20.11.0',
      hostId: 'p3Jq7Vn0Q2mEXAMPLEhostid0N4b8Zr1uT5wY9eA3cF6hK=',
      signatureVersion: 'SigV4',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      authType: 'AuthHeader',
      hostHeader: 'acme-reports.s3.us-east-1.amazonaws.com',
      tlsVersion: 'TLSv1.3',
      aclRequired: false,
    });
    expect(r.errorCode).toBeUndefined();
    expect(r.referer).toBeUndefined();
    expect(r.versionId).toBeUndefined();
    expect(r.accessPointArn).toBeUndefined();
    expect(r.extra).toBeUndefined();
    expect(isDenied(r)).toBe(false);
  });

  it('reads the anonymous plain-HTTP denial with a %20 key and a referer', () => {
    const r = parse(docLines[1] as string);
    expect(r).toMatchObject({
      bucket: 'acme-site',
      key: 'img/logo v2.png',
      httpStatus: 403,
      errorCode: 'AccessDenied',
      referer: 'https://example.com/',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      hostHeader: 'acme-site.s3.amazonaws.com',
    });
    for (const k of ['requester', 'signatureVersion', 'cipherSuite', 'authType', 'tlsVersion'] as const) {
      expect(r[k]).toBeUndefined();
    }
    expect(isDenied(r)).toBe(true);
  });

  it('reads the cross-account access point denial', () => {
    const r = parse(docLines[3] as string);
    expect(r.requester).toBe('arn:aws:iam::444455556666:user/auditor');
    expect(r.accessPointArn).toBe('arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap');
    expect(r.hostHeader).toBe('reports-ap-111122223333.s3-accesspoint.us-east-1.amazonaws.com');
    expect(r.key).toBe('finance/q3.csv');
    expect(r.sourceIp).toBe('10.0.4.17');
  });

  it('keeps the presigned URL expiry but never its signature or token', () => {
    const r = parse(docLines[4] as string);
    expect(r.authType).toBe('QueryString');
    expect(r.query).toMatchObject({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Date': '20261124T100000Z',
      'X-Amz-Expires': '900',
      'X-Amz-Credential': 'ASIA****/20261124/us-east-1/s3/aws4_request',
      'X-Amz-Signature': '[redacted]',
      'X-Amz-Security-Token': '[redacted]',
    });
    const text = JSON.stringify(r);
    expect(text).not.toContain('abc123');
    expect(text).not.toContain('IQoJ');
    expect(text).not.toContain('ASIAEXAMPLEKEY');
    expect(r.requestUri).toContain('X-Amz-Expires=900');
    expect(r.requestUri).toContain('X-Amz-Signature=[redacted]');
  });

  it('reads the lifecycle line with its bare "-" fields and requester AmazonS3', () => {
    const r = parse(docLines[5] as string);
    expect(r).toMatchObject({
      bucket: 'flow-log-test',
      requester: 'AmazonS3',
      logOperation: 'S3.EXPIRE.OBJECT',
    });
    expect(r.httpStatus).toBeUndefined();
    expect(r.sourceIp).toBeUndefined();
    expect(r.requestUri).toBeUndefined();
    expect(r.objectSize).toBe(317);
    expect(isDenied(r)).toBe(false);
  });
});

describe('S3 access log: edge cases', () => {
  it('decodes + and %20 as spaces in the key field', () => {
    expect(parse(edge[0] as string).key).toBe('photos/Screen Shot 2019-09-09 at 9.08.44 AM.png');
  });

  it('takes the key from the key field; the Request-URI only fills a key the field lacks', () => {
    const line = (key: string, uri: string, op = 'REST.GET.OBJECT'): string =>
      `${OWNER} acme [24/Nov/2026:10:00:01 +0000] 198.51.100.20 arn:aws:iam::111122223333:user/u REQ1 ${op} ${key} ${uri} 403 AccessDenied 243 - 7 - "-" "aws-cli/2.17.0" - hostid1= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader acme.s3.us-east-1.amazonaws.com TLSv1.2 - -`;
    // The key field and the URI differ: the key field is the key.
    expect(parse(line('reports/real%2Bkey.csv', '"GET /other/path.csv HTTP/1.1"')).key).toBe(
      'reports/real+key.csv',
    );
    // The key field is `-`: the URI's path names it.
    expect(parse(line('-', '"GET /from/uri.txt HTTP/1.1"')).key).toBe('from/uri.txt');
    // A bucket request: neither names a key.
    expect(parse(line('-', '"GET /?list-type=2 HTTP/1.1"', 'REST.GET.BUCKET')).key).toBeUndefined();
    // The URI is `-` or `OPTIONS *`: the key field still counts.
    expect(parse(line('a/b.txt', '-')).key).toBe('a/b.txt');
    expect(parse(line('a/b.txt', '"OPTIONS * HTTP/1.1"')).key).toBe('a/b.txt');
  });

  it('decodes UTF-8 keys and keeps unicode user agents', () => {
    const r = parse(edge[1] as string);
    expect(r.key).toBe('docs/日本語 résumé.pdf');
    expect(r.userAgent).toBe('aws-sdk-js/3.600.0 ünïcødé/1');
  });

  it('survives stray quotes inside the referer and user agent', () => {
    const r = parse(edge[2] as string);
    expect(r.referer).toBe('https://example.com/?q="x" y');
    expect(r.userAgent).toBe('Mozilla/5.0 "quoted" (X11; Linux x86_64) "weird" ');
    expect(r.signatureVersion).toBe('SigV4');
    expect(r.key).toBe('a/b.txt');
    expect(r.hostHeader).toBe('s3.us-east-1.amazonaws.com');
  });

  it('reads IPv6 remote addresses', () => {
    const r = parse(edge[3] as string);
    expect(r.sourceIp).toBe('2001:db8::8a2e:370:7334');
    expect(r.requester).toBeUndefined();
  });

  it('reads older lines that end after field 18, 24 and 25', () => {
    const r18 = parse(edge[4] as string);
    expect(r18.versionId).toBe('3HL4kqtJvjVBH40Nrjfkd');
    expect(r18.time).toBe('2019-02-06T00:00:38Z');
    expect(r18.hostId).toBeUndefined();
    expect(r18.aclRequired).toBeUndefined();
    expect(r18.key).toBe('old/key.txt');
    const r24 = parse(edge[5] as string);
    expect(r24.tlsVersion).toBe('TLSv1.2');
    expect(r24.accessPointArn).toBeUndefined();
    expect(r24.aclRequired).toBeUndefined();
    const r25 = parse(edge[6] as string);
    expect(r25.accessPointArn).toBe('arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap');
    expect(r25.aclRequired).toBeUndefined();
  });

  it('keeps extra trailing fields of newer lines as extra', () => {
    const r = parse(edge[7] as string);
    expect(r.aclRequired).toBe(true);
    expect(r.extra).toEqual(['us-east-1', 'future-field']);
  });

  it('ignores a CR before the line end and reads 400 ExpiredToken as denied', () => {
    const r = parse(edge[8] as string);
    expect(r.aclRequired).toBe(false);
    expect(r.errorCode).toBe('ExpiredToken');
    expect(r.httpStatus).toBe(400);
    expect(isDenied(r)).toBe(true);
  });

  it('reports garbage and unterminated quotes as malformed with the reason', () => {
    const a = parseAccessLogLine(edge[9] as string, 'f.log', 10);
    expect(a).toEqual({
      kind: 'malformed',
      malformed: { source: 'f.log', line: 10, reason: expect.stringMatching(/fields/) },
    });
    const b = parseAccessLogLine(edge[10] as string, 'f.log', 11);
    expect(b.kind === 'malformed' && b.malformed.reason).toMatch(/unterminated quoted field 9/);
  });

  it('accepts a bare - request URI', () => {
    const r = parse(edge[11] as string);
    expect(r.logOperation).toBe('REST.COPY.OBJECT_GET');
    expect(r.requestUri).toBeUndefined();
    expect(r.httpStatus).toBe(200);
    expect(r.objectSize).toBe(13538337);
    expect(r.key).toBe('key');
  });

  it('parses list queries into query parameters', () => {
    const r = parse(edge[12] as string);
    expect(r.query).toEqual({ 'list-type': '2', prefix: 'finance/', delimiter: '/' });
    expect(r.key).toBeUndefined();
  });

  it('redacts SigV2 presigned signatures and access key ids', () => {
    const r = parse(edge[13] as string);
    expect(r.query).toEqual({ AWSAccessKeyId: 'AKIA****', Expires: '1795510000', Signature: '[redacted]' });
    expect(JSON.stringify(r)).not.toMatch(/AKIAIOSFODNN7EXAMPLE|vjbyPxybdZaNmGa/);
  });

  it('checks allowed lines as strictly as it parses denied ones', async () => {
    const { checkAccessLogLine } = await import('../../src/logs/access-log.js');
    expect(checkAccessLogLine(docLines[0] as string)).toBeUndefined();
    expect(checkAccessLogLine((docLines[0] as string).replace('Nov', 'Nox'))).toMatch(/field 3 \(time\)/);
    expect(checkAccessLogLine(edge[9] as string)).toMatch(/fields/);
  });

  it('converts times with other offsets to UTC', () => {
    expect(parseAccessLogTime('24/Nov/2026:10:00:00 +0130')).toBe('2026-11-24T08:30:00Z');
    expect(parseAccessLogTime('nonsense')).toBeUndefined();
  });

  it('tokenises brackets and quotes', () => {
    expect(tokenizeAccessLogLine('a [b c] "d e" f')).toEqual({ ok: true, fields: ['a', 'b c', 'd e', 'f'] });
  });

  it('reads a 1 MB line', () => {
    const long = 'k'.repeat(1024 * 1024);
    const line = (edge[0] as string).replace(
      'photos/Screen+Shot+2019-09-09+at+9.08.44+AM.png "GET /photos/Screen%20Shot%202019-09-09%20at%209.08.44%20AM.png',
      `${long} "GET /${long}`,
    );
    expect(parse(line).key).toBe(long);
  });
});

describe('S3 access log files', () => {
  it('streams the edge-case file: every record keeps file and line, malformed lines are reported', async () => {
    const items = await collect(readInputs([fixture('access-edge-cases.log')], { deniedOnly: false }));
    const recs = records(items);
    const bad = malformed(items);
    expect(recs).toHaveLength(12);
    expect(bad.map((b) => b.line)).toEqual([10, 11]);
    expect(recs.map((r) => r.input.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14]);
    expect(recs.every((r) => r.input.source === fixture('access-edge-cases.log'))).toBe(true);
  });

  it('yields only denied records by default', async () => {
    const items = await collect(readInputs([fixture('access-doc-examples.log')]));
    expect(records(items).map((r) => r.requestId)).toEqual([
      '1B2C3D4E5F6A7B8C',
      '7D2F1A0B9C8E7D6F',
      '2A3B4C5D6E7F8091',
      '5C6D7E8F9A0B1C2D',
    ]);
  });
});
