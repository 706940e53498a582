// End-to-end within the library: example inputs in the documented log formats parsed by src/logs, then turned into S3Requests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/model/input.js';
import type { S3Request } from '../../src/model/request.js';
import { readText } from '../../src/logs/index.js';
import { toS3Request } from '../../src/request/index.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

function records(text: string, source: string): LogRecord[] {
  const out: LogRecord[] = [];
  for (const item of readText(text, source)) {
    expect(item.kind, JSON.stringify(item)).toBe('record');
    if (item.kind === 'record') out.push(item.record);
  }
  return out;
}

function only(req: S3Request, action: string) {
  const a = req.authorizations.filter((x) => x.action === action);
  expect(a).toHaveLength(1);
  return a[0]!;
}

describe('access-log example lines -> S3Request', () => {
  const recs = records(fixture('access-denied.log'), 'access-denied.log');
  const reqs = recs.map((r) => toS3Request(r));

  it('reads the four denied lines', () => {
    expect(reqs).toHaveLength(4);
    for (const r of reqs) expect(r.errorCode).toBe('AccessDenied');
  });

  it('anonymous over HTTP', () => {
    const a = only(reqs[0]!, 's3:GetObject');
    expect(reqs[0]!.principal.kind).toBe('anonymous');
    expect(a.resource).toBe('arn:aws:s3:::acme-site/img/logo v2.png');
    expect(a.context['aws:SecureTransport']).toBe('false');
    expect(a.context['aws:Referer']).toBe('https://example.com/');
  });

  it('assumed role over TLS 1.2', () => {
    const a = only(reqs[1]!, 's3:GetObject');
    expect(a.context).toMatchObject({
      'aws:SecureTransport': 'true',
      's3:TlsVersion': '1.2',
      'aws:SourceIp': '198.51.100.20',
      'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/reporting-app',
      'aws:CurrentTime': '2026-11-24T09:14:02Z',
    });
  });

  it('cross-account user through an access point, from a VPC endpoint address', () => {
    const a = only(reqs[2]!, 's3:GetObject');
    expect(a.resource).toBe('arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap/object/finance/q3.csv');
    expect(a.underlyingResource).toBe('arn:aws:s3:::acme-reports/finance/q3.csv');
    expect(a.context['s3:DataAccessPointArn']).toBe(
      'arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap',
    );
    expect(a.context['aws:VpcSourceIp']).toBe('10.0.4.17');
    expect(a.unknownKeys).toContain('aws:SourceVpce');
    expect(a.unknownKeys).not.toContain('aws:SourceIp');
  });

  it('expired presigned URL: the expiry is decidable, no secret survives', () => {
    const r = reqs[3]!;
    expect(r.s3.presigned).toMatchObject({
      signatureVersion: 'SigV4',
      signedAt: '2026-11-24T10:00:00Z',
      expiresAt: '2026-11-24T10:15:00Z',
      expiredAtRequestTime: true,
    });
    expect(only(r, 's3:GetObject').context['s3:authType']).toBe('REST-QUERY-STRING');
    expect(JSON.stringify(r)).not.toMatch(/abc123|IQoJ|ASIAEXAMPLEKEY/);
  });
});

describe('CloudTrail examples -> S3Request', () => {
  it('denied GetObject data event', () => {
    const [rec] = records(fixture('cloudtrail-getobject-denied.json'), 'ct.json');
    const req = toS3Request(rec!);
    const a = only(req, 's3:GetObject');
    expect(a.resource).toBe('arn:aws:s3:::acme-reports/finance/q3.csv');
    expect(a.resourceAccount).toBe('111122223333');
    expect(a.context).toMatchObject({
      'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/service/reporting-app',
      'aws:userid': 'AROAEXAMPLEROLEID1234:i-0abc123',
      'aws:MultiFactorAuthPresent': 'false',
      'aws:TokenIssueTime': '2026-11-24T08:00:00Z',
      'aws:SecureTransport': 'true',
      's3:TlsVersion': '1.3',
      's3:signatureversion': 'AWS4-HMAC-SHA256',
      's3:authType': 'REST-HEADER',
      'aws:SourceIp': '198.51.100.20',
      'aws:RequestedRegion': 'us-east-1',
      'aws:ResourceAccount': '111122223333',
    });
    expect(a.unknownKeys).not.toContain('aws:SourceVpce');
    expect(req.principal).toMatchObject({ kind: 'role-session', rolePathKnown: true });
  });

  it('denied PutBucketPolicy management event keeps the submitted policy', () => {
    const [rec] = records(fixture('cloudtrail-putbucketpolicy-denied.json'), 'ct.json');
    const req = toS3Request(rec!);
    const a = only(req, 's3:PutBucketPolicy');
    expect(a.resource).toBe('arn:aws:s3:::acme-site');
    expect(a.context['aws:username']).toBe('alice');
    expect(req.s3.submittedPolicy).toMatchObject({ Statement: [{ Principal: '*', Action: 's3:GetObject' }] });
  });
});

describe('pasted errors -> S3Request', () => {
  it('an aws s3 cp failure names bucket and key', () => {
    const [rec] = records(
      'download failed: s3://acme-reports/finance/q3.csv to ./q3.csv An error occurred (AccessDenied) when calling the GetObject operation: Access Denied',
      'pasted',
    );
    const req = toS3Request(rec!);
    expect(only(req, 's3:GetObject').resource).toBe('arn:aws:s3:::acme-reports/finance/q3.csv');
    expect(req.missing).toEqual(['principal', 'time']);
  });

  it('a bare CLI error lists bucket, key and principal as missing', () => {
    const [rec] = records(
      'An error occurred (AccessDenied) when calling the PutObject operation: Access Denied',
      'pasted',
    );
    const req = toS3Request(rec!);
    expect(req.s3.operation).toBe('PutObject');
    expect(req.authorizations).toEqual([]);
    expect(req.missing).toEqual(expect.arrayContaining(['bucket', 'key', 'principal']));
  });
});
