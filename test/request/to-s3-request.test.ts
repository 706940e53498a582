// Tests for toS3Request on realistic access-log lines, CloudTrail events and pasted errors (records built by hand).
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/model/input.js';
import type { AuthzRequest, S3Request } from '../../src/model/request.js';
import { toS3Request, parseCopySource } from '../../src/request/index.js';

const OWNER = '7f3ac9e1d2b84f06a5e1c0d9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2918f7e6d5';

function accessLog(over: Partial<LogRecord>): LogRecord {
  return {
    input: { source: 'access.log', line: 1 },
    format: 's3-access-log',
    bucketOwnerCanonicalId: OWNER,
    time: '2026-11-24T09:14:02Z',
    hostId: 'Zq3C1oJYq0kq8Xk5b2Ef9n5d1s0EXAMPLE=',
    requestId: '7D2F1A0B9C8E7D6F',
    httpStatus: 403,
    errorCode: 'AccessDenied',
    ...over,
  };
}

function cloudTrail(over: Partial<LogRecord>): LogRecord {
  return {
    input: { source: 'trail.json', eventId: '5b1f6c1e-1111-4a2b-9c3d-0123456789ab' },
    format: 'cloudtrail-event',
    time: '2026-11-24T09:14:02Z',
    region: 'us-east-1',
    errorCode: 'AccessDenied',
    ...over,
  };
}

function only(req: S3Request, action: string): AuthzRequest {
  const a = req.authorizations.filter((x) => x.action === action);
  expect(
    a,
    `authorizations for ${action}: ${req.authorizations.map((x) => x.action).join(', ')}`,
  ).toHaveLength(1);
  return a[0]!;
}

function expectConsistent(req: S3Request): void {
  for (const a of req.authorizations) {
    for (const k of a.unknownKeys) expect(a.context[k], `${k} both known and unknown`).toBeUndefined();
    for (const k of a.unknownKeys) expect(req.unknownKeys).toContain(k);
  }
}

describe('toS3Request: S3 server access logs', () => {
  it('denied assumed-role GetObject over TLS 1.2 (an example line of the access log format)', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'acme-reports',
        sourceIp: '198.51.100.20',
        requester: 'arn:aws:sts::111122223333:assumed-role/reporting-app/i-0abc123',
        logOperation: 'REST.GET.OBJECT',
        key: 'finance/q3.csv',
        httpMethod: 'GET',
        requestUri: 'GET /finance/q3.csv?x-id=GetObject HTTP/1.1',
        query: { 'x-id': 'GetObject' },
        userAgent: 'aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 command/s3.cp',
        signatureVersion: 'SigV4',
        cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
        authType: 'AuthHeader',
        hostHeader: 'acme-reports.s3.us-east-1.amazonaws.com',
        tlsVersion: 'TLSv1.2',
      }),
    );
    expectConsistent(req);
    expect(req.principal).toMatchObject({
      kind: 'role-session',
      roleArn: 'arn:aws:iam::111122223333:role/reporting-app',
    });
    expect(req.authorizations).toHaveLength(1);
    const a = only(req, 's3:GetObject');
    expect(a.resource).toBe('arn:aws:s3:::acme-reports/finance/q3.csv');
    expect(a.need).toBe('required');
    expect(a.context).toMatchObject({
      'aws:SecureTransport': 'true',
      's3:TlsVersion': '1.2',
      's3:signatureversion': 'AWS4-HMAC-SHA256',
      's3:authType': 'REST-HEADER',
      'aws:SourceIp': '198.51.100.20',
      'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/reporting-app',
      'aws:PrincipalAccount': '111122223333',
      'aws:PrincipalType': 'AssumedRole',
      'aws:CurrentTime': '2026-11-24T09:14:02Z',
      'aws:EpochTime': String(Date.parse('2026-11-24T09:14:02Z') / 1000),
      'aws:UserAgent': 'aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 command/s3.cp',
      'aws:RequestedRegion': 'us-east-1',
    });
    // A public IP: not through a VPC endpoint, so the VPC keys are known absent.
    for (const k of ['aws:SourceVpce', 'aws:SourceVpc', 'aws:VpcSourceIp']) {
      expect(a.context[k]).toBeUndefined();
      expect(a.unknownKeys).not.toContain(k);
    }
    // No access point: the access point keys are absent, not unknown.
    expect(a.unknownKeys).not.toContain('s3:DataAccessPointArn');
    // The log cannot show these.
    expect(a.unknownKeys).toEqual(
      expect.arrayContaining([
        'aws:PrincipalOrgID',
        'aws:PrincipalTag/*',
        'aws:MultiFactorAuthPresent',
        'aws:userid',
        'aws:SourceIdentity',
        'aws:ResourceAccount',
        's3:ExistingObjectTag/*',
        's3:x-amz-content-sha256',
        's3:signatureAge',
      ]),
    );
    expect(a.context['aws:Referer']).toBeUndefined();
    expect(a.unknownKeys).not.toContain('aws:Referer');
    expect(req.s3).toMatchObject({
      operation: 'GetObject',
      logOperation: 'REST.GET.OBJECT',
      bucket: 'acme-reports',
      key: 'finance/q3.csv',
      dataAccess: 'read',
      region: 'us-east-1',
      viaVpcEndpoint: false,
    });
    expect(req.s3.operationInferred).toBeUndefined();
    expect(req.missing).toBeUndefined();
    expect(req.errorCode).toBe('AccessDenied');
    expect(req.httpStatus).toBe(403);
  });

  it('anonymous over plain HTTP: SecureTransport false, no signing or principal keys', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'acme-site',
        time: '2026-11-24T09:15:40Z',
        sourceIp: '203.0.113.9',
        logOperation: 'REST.GET.OBJECT',
        key: 'img/logo v2.png',
        httpMethod: 'GET',
        requestUri: 'GET /img/logo%20v2.png HTTP/1.1',
        referer: 'https://example.com/',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
        hostHeader: 'acme-site.s3.amazonaws.com',
      }),
    );
    expectConsistent(req);
    expect(req.principal).toEqual({ kind: 'anonymous' });
    const a = only(req, 's3:GetObject');
    expect(a.resource).toBe('arn:aws:s3:::acme-site/img/logo v2.png');
    expect(a.context['aws:SecureTransport']).toBe('false');
    expect(a.context['aws:PrincipalType']).toBe('Anonymous');
    expect(a.context['aws:Referer']).toBe('https://example.com/');
    for (const k of [
      's3:TlsVersion',
      's3:signatureversion',
      's3:authType',
      'aws:PrincipalArn',
      'aws:PrincipalAccount',
      'aws:PrincipalOrgID',
      'aws:MultiFactorAuthPresent',
    ]) {
      expect(a.context[k], k).toBeUndefined();
      expect(a.unknownKeys, k).not.toContain(k);
    }
    expect(a.context['aws:RequestedRegion']).toBe('us-east-1');
  });

  it('cross-account user through an access point from a private address (VPC endpoint)', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'acme-reports',
        time: '2026-11-24T09:16:11Z',
        sourceIp: '10.0.4.17',
        requester: 'arn:aws:iam::444455556666:user/auditor',
        logOperation: 'REST.GET.OBJECT',
        key: 'finance/q3.csv',
        httpMethod: 'GET',
        requestUri: 'GET /finance/q3.csv HTTP/1.1',
        signatureVersion: 'SigV4',
        cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
        authType: 'AuthHeader',
        hostHeader: 'reports-ap-111122223333.s3-accesspoint.us-east-1.amazonaws.com',
        tlsVersion: 'TLSv1.2',
        accessPointArn: 'arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap',
      }),
      { canonicalIds: { [OWNER]: '111122223333' } },
    );
    expectConsistent(req);
    const a = only(req, 's3:GetObject');
    expect(a.resource).toBe('arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap/object/finance/q3.csv');
    expect(a.underlyingResource).toBe('arn:aws:s3:::acme-reports/finance/q3.csv');
    expect(a.resourceAccount).toBe('111122223333');
    expect(a.context).toMatchObject({
      's3:DataAccessPointArn': 'arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap',
      's3:DataAccessPointAccount': '111122223333',
      'aws:VpcSourceIp': '10.0.4.17',
      'aws:PrincipalAccount': '444455556666',
      'aws:username': 'auditor',
      'aws:PrincipalType': 'User',
    });
    expect(a.context['aws:SourceIp']).toBeUndefined();
    expect(a.unknownKeys).not.toContain('aws:SourceIp');
    expect(a.unknownKeys).toEqual(
      expect.arrayContaining(['aws:SourceVpce', 'aws:SourceVpc', 's3:AccessPointNetworkOrigin']),
    );
    expect(req.s3.accessPointArn).toBe('arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap');
    expect(req.s3.viaVpcEndpoint).toBe(true);
  });

  it('the access point comes from the host header when the ARN field is missing', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'acme-reports',
        requester: 'arn:aws:iam::444455556666:user/auditor',
        logOperation: 'REST.GET.BUCKET',
        httpMethod: 'GET',
        requestUri: 'GET /?list-type=2&prefix=finance%2F HTTP/1.1',
        query: { 'list-type': '2', prefix: 'finance/' },
        hostHeader: 'reports-ap-111122223333.s3-accesspoint.us-east-1.amazonaws.com',
        signatureVersion: 'SigV4',
        authType: 'AuthHeader',
        tlsVersion: 'TLSv1.3',
        cipherSuite: 'TLS_AES_128_GCM_SHA256',
        sourceIp: '198.51.100.1',
      }),
    );
    const a = only(req, 's3:ListBucket');
    expect(req.s3.operation).toBe('ListObjectsV2');
    expect(a.resource).toBe('arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap');
    expect(a.underlyingResource).toBe('arn:aws:s3:::acme-reports');
    expect(a.context['s3:prefix']).toBe('finance/');
    expect(a.context['s3:delimiter']).toBeUndefined();
    expect(a.unknownKeys).not.toContain('s3:delimiter');
    expect(a.context['s3:TlsVersion']).toBe('1.3');
  });

  it('presigned URL: expiry facts, signature age, query-string auth, temporary credentials', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'acme-reports',
        time: '2026-11-24T11:02:09Z',
        sourceIp: '203.0.113.50',
        requester: 'arn:aws:sts::111122223333:assumed-role/share-links/lambda-1',
        logOperation: 'REST.GET.OBJECT',
        key: 'exports/r.zip',
        httpMethod: 'GET',
        requestUri: 'GET /exports/r.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&... HTTP/1.1',
        query: {
          'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
          'X-Amz-Credential': 'ASIA****/20261124/us-east-1/s3/aws4_request',
          'X-Amz-Date': '20261124T100000Z',
          'X-Amz-Expires': '900',
          'X-Amz-Security-Token': '****',
          'X-Amz-SignedHeaders': 'host',
          'X-Amz-Signature': '****',
        },
        userAgent: 'curl/8.5.0',
        signatureVersion: 'SigV4',
        cipherSuite: 'TLS_AES_128_GCM_SHA256',
        authType: 'QueryString',
        hostHeader: 'acme-reports.s3.us-east-1.amazonaws.com',
        tlsVersion: 'TLSv1.3',
      }),
    );
    expectConsistent(req);
    expect(req.s3.presigned).toEqual({
      signatureVersion: 'SigV4',
      signedAt: '2026-11-24T10:00:00Z',
      expiresSeconds: 900,
      expiresAt: '2026-11-24T10:15:00Z',
      expiredAtRequestTime: true,
    });
    const a = only(req, 's3:GetObject');
    expect(a.context['s3:authType']).toBe('REST-QUERY-STRING');
    expect(a.context['s3:signatureAge']).toBe(String(62 * 60 * 1000 + 9000));
    // Only `host` was signed: no request-payer, ACL or SSE header was sent.
    expect(req.s3.requestPayerSent).toBe(false);
    expect(req.s3.aclHeader).toBeNull();
    expect(req.s3.sseHeader).toBeNull();
  });

  it('a presigned upload that signed x-amz-acl needs s3:PutObjectAcl, value unknown', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'drop',
        key: 'up.bin',
        logOperation: 'REST.PUT.OBJECT',
        requester: 'arn:aws:iam::111122223333:user/u',
        requestUri: 'PUT /up.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256 HTTP/1.1',
        query: {
          'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
          'X-Amz-Date': '20261124T090000Z',
          'X-Amz-Expires': '3600',
          'X-Amz-SignedHeaders': 'host;x-amz-acl',
        },
        authType: 'QueryString',
      }),
    );
    expect(only(req, 's3:PutObjectAcl').need).toBe('required');
    // Only host and x-amz-acl were signed: no tagging header, so no tagging authorization.
    expect(req.authorizations.map((a) => a.action)).not.toContain('s3:PutObjectTagging');
    const put = only(req, 's3:PutObject');
    expect(put.unknownKeys).toContain('s3:x-amz-acl');
    expect(put.unknownKeys).not.toContain('s3:x-amz-server-side-encryption');
    expect(req.s3.aclHeader).toBeUndefined();
    expect(req.s3.sseHeader).toBeNull();
    expect(put.context['s3:signatureAge']).toBe(String(14 * 60 * 1000 + 2000));
  });

  it('a SigV2 presigned URL exposes its Expires epoch', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'b',
        time: '2026-11-24T11:00:00Z',
        requester: 'arn:aws:iam::111122223333:user/old',
        logOperation: 'REST.GET.OBJECT',
        key: 'k',
        requestUri: 'GET /k?AWSAccessKeyId=AKIA****&Expires=1795518000&Signature=**** HTTP/1.1',
        query: { AWSAccessKeyId: 'AKIA****', Expires: '1795518000', Signature: '****' },
        signatureVersion: 'SigV2',
        authType: 'QueryString',
        cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
        tlsVersion: 'TLSv1.2',
        hostHeader: 'b.s3.amazonaws.com',
      }),
    );
    expect(req.s3.presigned).toEqual({
      signatureVersion: 'SigV2',
      expiresAt: new Date(1795518000 * 1000).toISOString().replace('.000Z', 'Z'),
      expiredAtRequestTime: Date.parse('2026-11-24T11:00:00Z') > 1795518000 * 1000,
    });
    const a = only(req, 's3:GetObject');
    expect(a.context['s3:signatureversion']).toBe('AWS');
    expect(a.unknownKeys).not.toContain('s3:signatureAge');
    // Long-term keys (AKIA): no MFA or token-issue-time keys in the request.
    expect(a.unknownKeys).not.toContain('aws:MultiFactorAuthPresent');
    expect(a.context['aws:MultiFactorAuthPresent']).toBeUndefined();
  });

  it('PutObject: ACL and tagging authorizations are possible, the header keys unknown', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'acme-drop',
        requester: 'arn:aws:iam::444455556666:user/partner',
        logOperation: 'REST.PUT.OBJECT',
        key: 'in/file.csv',
        httpMethod: 'PUT',
        requestUri: 'PUT /in/file.csv HTTP/1.1',
        signatureVersion: 'SigV4',
        authType: 'AuthHeader',
        cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
        tlsVersion: 'TLSv1.2',
        hostHeader: 'acme-drop.s3.eu-west-1.amazonaws.com',
        sourceIp: '198.51.100.7',
      }),
      { bucketAccounts: { 'acme-drop': '111122223333' } },
    );
    expectConsistent(req);
    expect(req.s3.dataAccess).toBe('write');
    expect(only(req, 's3:PutObject').need).toBe('required');
    expect(only(req, 's3:PutObjectAcl').need).toBe('possible');
    expect(only(req, 's3:PutObjectTagging').need).toBe('possible');
    expect(req.authorizations.map((a) => a.action)).not.toContain('s3:PutObjectRetention');
    const put = only(req, 's3:PutObject');
    expect(put.resourceAccount).toBe('111122223333');
    expect(put.context['aws:ResourceAccount']).toBe('111122223333');
    expect(put.context['s3:ResourceAccount']).toBe('111122223333');
    expect(put.unknownKeys).toEqual(
      expect.arrayContaining([
        's3:x-amz-acl',
        's3:x-amz-server-side-encryption',
        's3:RequestObjectTag/*',
        's3:x-amz-storage-class',
      ]),
    );
    expect(req.s3.aclHeader).toBeUndefined();
    expect(req.s3.sseHeader).toBeUndefined();
    expect(req.s3.requestPayerSent).toBeUndefined();
  });

  it('DeleteObject with a version id: DeleteObjectVersion, s3:VersionId, possible governance bypass', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'vault',
        requester: 'arn:aws:iam::111122223333:user/ops',
        logOperation: 'REST.DELETE.OBJECT',
        key: 'k',
        versionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY',
        requestUri: 'DELETE /k?versionId=3HL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY HTTP/1.1',
        query: { versionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY' },
        signatureVersion: 'SigV4',
        authType: 'AuthHeader',
        tlsVersion: 'TLSv1.2',
        cipherSuite: 'x',
        hostHeader: 'vault.s3.us-east-1.amazonaws.com',
      }),
    );
    const d = only(req, 's3:DeleteObjectVersion');
    expect(d.need).toBe('required');
    expect(d.context['s3:VersionId']).toBe('3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY');
    expect(only(req, 's3:BypassGovernanceRetention').need).toBe('possible');
    expect(req.s3.versionId).toBe('3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY');
    expect(req.authorizations.map((a) => a.action)).not.toContain('s3:DeleteObject');
  });

  it('DeleteObject without a version id needs no bypass', () => {
    const req = toS3Request(
      accessLog({ bucket: 'b', key: 'k', logOperation: 'REST.DELETE.OBJECT', requester: '-' }),
    );
    expect(req.authorizations.map((a) => a.action)).toEqual(['s3:DeleteObject']);
  });

  it('CopyObject from the destination log: source unknown, listed as missing', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'dest',
        key: 'copy.bin',
        requester: 'arn:aws:iam::111122223333:user/u',
        logOperation: 'REST.COPY.OBJECT',
        requestUri: 'PUT /copy.bin HTTP/1.1',
      }),
    );
    expect(req.s3.dataAccess).toBe('read-write');
    expect(only(req, 's3:PutObject').resource).toBe('arn:aws:s3:::dest/copy.bin');
    expect(req.missing).toContain('copy-source');
    expect(req.s3.copySource).toBeUndefined();
  });

  it('the copy source-read record authorizes the read of that object', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'src',
        key: 'orig.bin',
        requester: 'arn:aws:iam::111122223333:user/u',
        logOperation: 'REST.COPY.OBJECT_GET',
      }),
    );
    const a = only(req, 's3:GetObject');
    expect(a.resource).toBe('arn:aws:s3:::src/orig.bin');
    expect(a.purpose).toBe('copy source read');
    expect(req.s3.copySource).toEqual({ bucket: 'src', key: 'orig.bin' });
    expect(req.s3.dataAccess).toBe('read');
  });

  it('BATCH.DELETE.OBJECT lines authorize their one key', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'b',
        key: 'old/1.log',
        logOperation: 'BATCH.DELETE.OBJECT',
        requester: 'arn:aws:iam::111122223333:user/u',
      }),
    );
    expect(only(req, 's3:DeleteObject').resource).toBe('arn:aws:s3:::b/old/1.log');
  });

  it('a multi-object delete line without keys lists them as missing', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'b',
        logOperation: 'REST.POST.MULTI_OBJECT_DELETE',
        requestUri: 'POST /?delete HTTP/1.1',
        query: { delete: '' },
      }),
    );
    expect(req.authorizations).toEqual([]);
    expect(req.missing).toContain('delete-keys');
    expect(req.unknownKeys.length).toBeGreaterThan(0);
  });

  it('website endpoint requests are plain HTTP', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'site',
        key: 'index.html',
        logOperation: 'WEBSITE.GET.OBJECT',
        hostHeader: 'site.s3-website-us-east-1.amazonaws.com',
      }),
    );
    const a = only(req, 's3:GetObject');
    expect(a.context['aws:SecureTransport']).toBe('false');
    expect(req.s3.operation).toBe('GetObject');
  });

  it('old lines that end after the version id field leave TLS unknown', () => {
    const req = toS3Request({
      input: { source: 'old.log', line: 3 },
      format: 's3-access-log',
      bucket: 'b',
      key: 'k',
      logOperation: 'REST.GET.OBJECT',
      requester: 'arn:aws:iam::111122223333:user/u',
      time: '2015-01-01T00:00:00Z',
      sourceIp: '198.51.100.1',
    });
    const a = only(req, 's3:GetObject');
    expect(a.context['aws:SecureTransport']).toBeUndefined();
    expect(a.unknownKeys).toEqual(
      expect.arrayContaining(['aws:SecureTransport', 's3:TlsVersion', 's3:DataAccessPointArn']),
    );
  });

  it('unknown operation names are mapped by method + query and flagged as inferred', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'b',
        key: 'k',
        logOperation: 'REST.PUT.SOMETHING_NEW',
        httpMethod: 'PUT',
        requestUri: 'PUT /k?retention HTTP/1.1',
        query: { retention: '' },
        requester: 'arn:aws:iam::111122223333:user/u',
      }),
    );
    expect(req.s3.operation).toBe('PutObjectRetention');
    expect(req.s3.operationInferred).toBe(true);
    expect(only(req, 's3:PutObjectRetention').need).toBe('required');
  });

  it('China-region hosts give aws-cn ARNs', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'b',
        key: 'k',
        logOperation: 'REST.GET.OBJECT',
        hostHeader: 'b.s3.cn-north-1.amazonaws.com.cn',
        requester: '-',
      }),
    );
    expect(only(req, 's3:GetObject').resource).toBe('arn:aws-cn:s3:::b/k');
    expect(req.s3.region).toBe('cn-north-1');
  });

  it('without host or region, the requester ARN gives the partition', () => {
    const req = toS3Request({
      input: { source: 'old.log' },
      format: 's3-access-log',
      bucket: 'b',
      key: 'k',
      logOperation: 'REST.GET.OBJECT',
      requester: 'arn:aws-us-gov:iam::111122223333:user/u',
    });
    expect(only(req, 's3:GetObject').resource).toBe('arn:aws-us-gov:s3:::b/k');
  });

  it('an interface endpoint host reveals aws:SourceVpce', () => {
    const req = toS3Request(
      accessLog({
        bucket: 'b',
        key: 'k',
        logOperation: 'REST.GET.OBJECT',
        hostHeader: 'b.bucket.vpce-0a1b2c3d4e5f67890-abcdefgh.s3.us-east-1.vpce.amazonaws.com',
        sourceIp: '10.1.2.3',
        requester: 'arn:aws:iam::111122223333:user/u',
      }),
    );
    const a = only(req, 's3:GetObject');
    expect(a.context['aws:SourceVpce']).toBe('vpce-0a1b2c3d4e5f67890');
    expect(a.context['aws:VpcSourceIp']).toBe('10.1.2.3');
    expect(a.unknownKeys).not.toContain('aws:SourceIp');
  });

  it('a canonical-id requester gets its account from the hints', () => {
    const req = toS3Request(
      accessLog({ bucket: 'b', key: 'k', logOperation: 'REST.GET.OBJECT', requester: OWNER }),
      { canonicalIds: { [OWNER]: '111122223333' } },
    );
    expect(req.principal).toEqual({ kind: 'canonical-user', canonicalId: OWNER, accountId: '111122223333' });
    expect(only(req, 's3:GetObject').context['aws:PrincipalAccount']).toBe('111122223333');
    expect(only(req, 's3:GetObject').resourceAccount).toBe('111122223333');
  });

  it('GetObjectAttributes needs both actions', () => {
    const req = toS3Request(
      accessLog({ bucket: 'b', key: 'k', logOperation: 'REST.GET.OBJECT_ATTRIBUTES', requester: '-' }),
    );
    expect(req.authorizations.map((a) => a.action).sort()).toEqual([
      's3:GetObject',
      's3:GetObjectAttributes',
    ]);
  });
});

describe('toS3Request: CloudTrail', () => {
  const roleIdentity = {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEROLEID1234:i-0abc123',
    accountId: '111122223333',
    sessionIssuerArn: 'arn:aws:iam::111122223333:role/service/reporting-app',
    mfaAuthenticated: false,
    sessionCreationDate: '2026-11-24T08:00:00Z',
    accessKeyIdPrefix: 'ASIA',
  };

  it('denied data event: role path from the session issuer, session facts, resource owner account', () => {
    const req = toS3Request(
      cloudTrail({
        apiName: 'GetObject',
        requester: 'arn:aws:sts::111122223333:assumed-role/reporting-app/i-0abc123',
        identity: roleIdentity,
        sourceIp: '198.51.100.20',
        userAgent: 'aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 command/s3.cp',
        errorMessage:
          'User: arn:aws:sts::111122223333:assumed-role/reporting-app/i-0abc123 is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::acme-reports/finance/q3.csv" because no identity-based policy allows the s3:GetObject action',
        enhanced: {
          principalArn: 'arn:aws:sts::111122223333:assumed-role/reporting-app/i-0abc123',
          action: 's3:GetObject',
          resource: 'arn:aws:s3:::acme-reports/finance/q3.csv',
          policyType: 'identity-based policy',
          kind: 'missing-allow',
        },
        bucket: 'acme-reports',
        key: 'finance/q3.csv',
        hostHeader: 'acme-reports.s3.us-east-1.amazonaws.com',
        query: { 'x-id': 'GetObject' },
        signatureVersion: 'SigV4',
        cipherSuite: 'TLS_AES_128_GCM_SHA256',
        authType: 'AuthHeader',
        tlsVersion: 'TLSv1.3',
        bucketOwnerAccountId: '111122223333',
        recipientAccountId: '111122223333',
      }),
    );
    expectConsistent(req);
    expect(req.authorizations).toHaveLength(1);
    const a = only(req, 's3:GetObject');
    expect(a.resourceAccount).toBe('111122223333');
    expect(a.context).toMatchObject({
      'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/service/reporting-app',
      'aws:userid': 'AROAEXAMPLEROLEID1234:i-0abc123',
      'aws:MultiFactorAuthPresent': 'false',
      'aws:TokenIssueTime': '2026-11-24T08:00:00Z',
      'aws:ViaAWSService': 'false',
      'aws:ResourceAccount': '111122223333',
      's3:ResourceAccount': '111122223333',
      'aws:RequestedRegion': 'us-east-1',
      's3:TlsVersion': '1.3',
    });
    expect(a.unknownKeys).not.toContain('aws:MultiFactorAuthAge');
    expect(a.unknownKeys).not.toContain('aws:CalledVia');
    expect(a.unknownKeys).not.toContain('aws:username');
    expect(a.unknownKeys).toContain('aws:SourceIdentity');
    // CloudTrail does not record the Referer header.
    expect(a.unknownKeys).toContain('aws:Referer');
    expect(req.principal).toMatchObject({ rolePathKnown: true });
  });

  it('vpcEndpointId gives aws:SourceVpce and removes aws:SourceIp', () => {
    const req = toS3Request(
      cloudTrail({
        apiName: 'PutObject',
        requester: 'arn:aws:sts::111122223333:assumed-role/app/s',
        identity: roleIdentity,
        bucket: 'b',
        key: 'k',
        sourceIp: '10.0.1.5',
        vpcEndpointId: 'vpce-c94096a0',
        signatureVersion: 'SigV4',
        authType: 'AuthHeader',
        tlsVersion: 'TLSv1.2',
        headers: {
          'x-amz-acl': 'bucket-owner-full-control',
          'x-amz-server-side-encryption': 'aws:kms',
          'x-amz-expected-bucket-owner': '999988887777',
        },
      }),
    );
    expectConsistent(req);
    const put = only(req, 's3:PutObject');
    expect(put.context['aws:SourceVpce']).toBe('vpce-c94096a0');
    expect(put.context['aws:VpcSourceIp']).toBe('10.0.1.5');
    expect(put.context['aws:SourceIp']).toBeUndefined();
    expect(put.unknownKeys).not.toContain('aws:SourceIp');
    expect(put.context['s3:x-amz-acl']).toBe('bucket-owner-full-control');
    expect(put.context['s3:x-amz-server-side-encryption']).toBe('aws:kms');
    // The ACL header was shown: the ACL authorization is required, not possible.
    expect(only(req, 's3:PutObjectAcl').need).toBe('required');
    expect(req.s3.aclHeader).toBe('bucket-owner-full-control');
    expect(req.s3.expectedBucketOwner).toBe('999988887777');
    expect(req.s3.sseHeader).toBe('aws:kms');
    expect(req.s3.viaVpcEndpoint).toBe(true);
  });

  it('PutObject with x-amz-tagging: tags become request tag keys and PutObjectTagging is required', () => {
    const req = toS3Request(
      cloudTrail({
        apiName: 'PutObject',
        requester: 'arn:aws:iam::111122223333:user/alice',
        identity: {
          type: 'IAMUser',
          accessKeyIdPrefix: 'AKIA',
          principalId: 'AIDAEXAMPLE',
          userName: 'alice',
        },
        bucket: 'b',
        key: 'k',
        headers: { 'x-amz-tagging': 'team=data&class=pii' },
      }),
    );
    const put = only(req, 's3:PutObject');
    expect(put.context['s3:RequestObjectTagKeys']).toEqual(['team', 'class']);
    expect(put.context['s3:RequestObjectTag/team']).toBe('data');
    expect(put.unknownKeys).not.toContain('s3:RequestObjectTag/*');
    expect(only(req, 's3:PutObjectTagging').need).toBe('required');
    expect(req.s3.requestTags).toEqual({ team: 'data', class: 'pii' });
    // Long-term key of an IAM user: MFA keys absent; username and userid present.
    expect(put.context['aws:username']).toBe('alice');
    expect(put.context['aws:userid']).toBe('AIDAEXAMPLE');
    expect(put.unknownKeys).not.toContain('aws:MultiFactorAuthPresent');
  });

  it('CopyObject with a versioned copy source: dest PutObject, source GetObjectVersion, possible tag copy', () => {
    const req = toS3Request(
      cloudTrail({
        apiName: 'CopyObject',
        requester: 'arn:aws:iam::111122223333:user/alice',
        bucket: 'dest',
        key: 'new.csv',
        headers: { 'x-amz-copy-source': 'src-bucket/reports/2026%20q3.csv?versionId=abc123' },
      }),
      { bucketAccounts: { 'src-bucket': '999988887777', dest: '111122223333' } },
    );
    expectConsistent(req);
    expect(only(req, 's3:PutObject').resource).toBe('arn:aws:s3:::dest/new.csv');
    const src = only(req, 's3:GetObjectVersion');
    expect(src.resource).toBe('arn:aws:s3:::src-bucket/reports/2026 q3.csv');
    expect(src.resourceAccount).toBe('999988887777');
    expect(src.context['s3:VersionId']).toBe('abc123');
    expect(src.need).toBe('required');
    expect(src.context['s3:x-amz-copy-source']).toBe('src-bucket/reports/2026%20q3.csv?versionId=abc123');
    expect(only(req, 's3:GetObjectVersionTagging').need).toBe('possible');
    expect(only(req, 's3:PutObjectTagging').need).toBe('possible');
    expect(req.s3.copySource).toEqual({
      bucket: 'src-bucket',
      key: 'reports/2026 q3.csv',
      versionId: 'abc123',
    });
  });

  it('CopyObject from an access point source authorizes the access-point object ARN', () => {
    const req = toS3Request(
      cloudTrail({
        apiName: 'CopyObject',
        requester: 'arn:aws:iam::111122223333:user/alice',
        bucket: 'dest',
        key: 'k2',
        headers: {
          'x-amz-copy-source':
            'arn%3Aaws%3As3%3Aus-east-1%3A999988887777%3Aaccesspoint%2Fsrc-ap%2Fobject%2Fk1',
          'x-amz-tagging-directive': 'REPLACE',
        },
      }),
    );
    const src = only(req, 's3:GetObject');
    expect(src.resource).toBe('arn:aws:s3:us-east-1:999988887777:accesspoint/src-ap/object/k1');
    expect(src.resourceAccount).toBe('999988887777');
    expect(req.s3.copySource).toBeUndefined();
    // REPLACE: tags are not copied from the source.
    expect(req.authorizations.map((a) => a.action)).not.toContain('s3:GetObjectTagging');
  });

  it('an S3 Control access point call is authorized on the access point ARN', () => {
    const req = toS3Request(
      cloudTrail({
        apiName: 'GetAccessPointPolicy',
        requester: 'arn:aws:iam::111122223333:user/alice',
        hostHeader: '111122223333.s3-control.us-east-1.amazonaws.com',
        query: { name: 'reports-ap' },
      }),
    );
    const a = only(req, 's3:GetAccessPointPolicy');
    expect(a.resource).toBe('arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap');
    expect(a.resourceAccount).toBe('111122223333');
    expect(a.context['s3:DataAccessPointArn']).toBe(
      'arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap',
    );
  });

  it('an access point alias as the bucket: the access point is missing, its keys unknown', () => {
    const req = toS3Request(
      cloudTrail({
        apiName: 'GetObject',
        requester: 'arn:aws:iam::111122223333:user/alice',
        bucket: 'reports-ap-hvjx8shxxaq2o1bqv7pkjyfsuse1a-s3alias',
        key: 'k',
        hostHeader: 'reports-ap-hvjx8shxxaq2o1bqv7pkjyfsuse1a-s3alias.s3.us-east-1.amazonaws.com',
      }),
    );
    expect(req.authorizations).toEqual([]);
    expect(req.missing).toEqual(['access-point']);
    expect(req.unknownKeys).toEqual(
      expect.arrayContaining(['s3:DataAccessPointArn', 's3:DataAccessPointAccount']),
    );
  });

  it('a console CSV row (no requestParameters, no identity details) leaves those keys unknown', () => {
    const req = toS3Request(
      cloudTrail({
        format: 'cloudtrail-console-csv',
        apiName: 'ListObjects',
        requester: 'arn:aws:iam::111122223333:user/alice',
        bucket: 'b',
      }),
    );
    const a = only(req, 's3:ListBucket');
    expect(a.unknownKeys).toEqual(
      expect.arrayContaining(['s3:prefix', 'aws:ViaAWSService', 'aws:SecureTransport']),
    );
  });

  it('DeleteObjects with listed keys: one authorization per key', () => {
    const req = toS3Request(
      cloudTrail({
        apiName: 'DeleteObjects',
        requester: 'arn:aws:iam::111122223333:user/alice',
        bucket: 'b',
        query: {
          delete: JSON.stringify({
            Object: [{ Key: 'a.txt' }, { Key: 'b.txt', VersionId: 'v2' }],
            Quiet: true,
          }),
        },
      }),
    );
    expect(req.authorizations.map((a) => `${a.action} ${a.resource}`).sort()).toEqual([
      's3:BypassGovernanceRetention arn:aws:s3:::b/b.txt',
      's3:DeleteObject arn:aws:s3:::b/a.txt',
      's3:DeleteObjectVersion arn:aws:s3:::b/b.txt',
    ]);
    expect(only(req, 's3:BypassGovernanceRetention').need).toBe('possible');
  });

  it('ListObjects with list-type=2 is ListObjectsV2 on the bucket', () => {
    const req = toS3Request(
      cloudTrail({
        apiName: 'ListObjects',
        requester: 'arn:aws:iam::111122223333:user/alice',
        bucket: 'b',
        query: { 'list-type': '2', prefix: 'logs/', delimiter: '/', 'max-keys': '1000' },
      }),
    );
    expect(req.s3.operation).toBe('ListObjectsV2');
    const a = only(req, 's3:ListBucket');
    expect(a.resource).toBe('arn:aws:s3:::b');
    expect(a.context).toMatchObject({ 's3:prefix': 'logs/', 's3:delimiter': '/', 's3:max-keys': '1000' });
  });

  it('PutBucketPolicy carries the submitted policy', () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-site/*' },
      ],
    };
    const req = toS3Request(
      cloudTrail({
        apiName: 'PutBucketPolicy',
        requester: 'arn:aws:iam::111122223333:user/alice',
        bucket: 'acme-site',
        query: { policy: '' },
        submittedPolicy: policy,
        bucketOwnerAccountId: '111122223333',
      }),
    );
    expect(only(req, 's3:PutBucketPolicy').resource).toBe('arn:aws:s3:::acme-site');
    expect(req.s3.submittedPolicy).toEqual(policy);
  });

  it('anonymous CloudTrail caller (AWSAccount / anonymous)', () => {
    const req = toS3Request(
      cloudTrail({
        apiName: 'GetObject',
        identity: { type: 'AWSAccount', principalId: '', accountId: 'anonymous' },
        bucket: 'b',
        key: 'k',
        sourceIp: '203.0.113.1',
      }),
    );
    expect(req.principal).toEqual({ kind: 'anonymous' });
    expect(only(req, 's3:GetObject').context['aws:PrincipalType']).toBe('Anonymous');
  });

  it('a service acting for the principal sets aws:ViaAWSService and aws:CalledVia', () => {
    const req = toS3Request(
      cloudTrail({
        apiName: 'GetObject',
        requester: 'arn:aws:sts::111122223333:assumed-role/analyst/s',
        identity: { ...roleIdentity, invokedBy: 'athena.amazonaws.com' },
        sourceIp: 'athena.amazonaws.com',
        bucket: 'b',
        key: 'k',
      }),
    );
    const a = only(req, 's3:GetObject');
    expect(a.context['aws:ViaAWSService']).toBe('true');
    expect(a.context['aws:CalledVia']).toEqual(['athena.amazonaws.com']);
    // The source IP is a service name: aws:SourceIp cannot be known.
    expect(a.unknownKeys).toContain('aws:SourceIp');
  });

  it('an access point ARN given as the bucket name', () => {
    const req = toS3Request(
      cloudTrail({
        apiName: 'GetObject',
        requester: 'arn:aws:iam::111122223333:user/alice',
        bucket: 'arn:aws:s3:us-west-2:111122223333:accesspoint/ap1',
        key: 'k',
        region: 'us-west-2',
      }),
    );
    const a = only(req, 's3:GetObject');
    expect(a.resource).toBe('arn:aws:s3:us-west-2:111122223333:accesspoint/ap1/object/k');
    expect(a.underlyingResource).toBeUndefined();
    expect(req.s3.bucket).toBeUndefined();
    expect(a.context['s3:DataAccessPointArn']).toBe('arn:aws:s3:us-west-2:111122223333:accesspoint/ap1');
  });
});

describe('toS3Request: pasted error texts', () => {
  it('a bare CLI error: best request possible, with what is missing', () => {
    const req = toS3Request({
      input: { source: '-' },
      format: 'error-message',
      apiName: 'GetObject',
      errorCode: 'AccessDenied',
      errorMessage: 'Access Denied',
    });
    expect(req.s3.operation).toBe('GetObject');
    expect(req.s3.dataAccess).toBe('read');
    expect(req.authorizations).toEqual([]);
    expect(req.missing).toEqual(expect.arrayContaining(['bucket', 'key', 'principal', 'time']));
    expect(req.principal.kind).toBe('unknown');
    expect(req.unknownKeys).toEqual(
      expect.arrayContaining(['aws:SourceIp', 'aws:SecureTransport', 'aws:PrincipalArn']),
    );
  });

  it('an enhanced message fills principal, bucket, key and the action', () => {
    const req = toS3Request({
      input: { source: '-' },
      format: 'error-message',
      errorCode: 'AccessDenied',
      enhanced: {
        principalArn: 'arn:aws:iam::111122223333:user/alice',
        action: 's3:ListBucket',
        resource: 'arn:aws:s3:::reports',
        policyType: 'resource-based policy',
        kind: 'explicit-deny',
      },
    });
    expect(req.principal).toMatchObject({ kind: 'iam-user', name: 'alice' });
    expect(req.s3.operation).toBe('ListObjects');
    expect(req.s3.operationInferred).toBe(true);
    const a = only(req, 's3:ListBucket');
    expect(a.resource).toBe('arn:aws:s3:::reports');
    // A pasted text shows no query: the list keys are unknown.
    expect(a.unknownKeys).toEqual(expect.arrayContaining(['s3:prefix', 'aws:SecureTransport']));
    expect(req.missing).toEqual(['time']);
  });

  it('a KMS action in the message names the key, not an extra authorization', () => {
    const req = toS3Request({
      input: { source: '-' },
      format: 'error-message',
      apiName: 'GetObject',
      errorCode: 'AccessDenied',
      enhanced: {
        principalArn: 'arn:aws:sts::111122223333:assumed-role/app/s',
        action: 'kms:Decrypt',
        resource: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        policyType: 'identity-based policy',
        kind: 'missing-allow',
      },
      bucket: 'b',
      key: 'k',
    });
    expect(req.s3.sseKmsKeyId).toBe(
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    expect(req.authorizations.map((a) => a.action)).toEqual(['s3:GetObject']);
  });

  it('an action the table did not predict is still evaluated', () => {
    const req = toS3Request({
      input: { source: '-' },
      format: 'error-message',
      apiName: 'GetObject',
      enhanced: {
        principalArn: 'arn:aws:iam::111122223333:user/alice',
        action: 's3:GetObjectVersion',
        resource: 'arn:aws:s3:::b/k',
        policyType: 'identity-based policy',
        kind: 'missing-allow',
      },
    });
    expect(req.authorizations.map((a) => a.action).sort()).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(only(req, 's3:GetObjectVersion').purpose).toBe('named in the error message');
  });

  it('an unknown operation is listed as missing and nothing is invented', () => {
    const req = toS3Request({ input: { source: '-' }, format: 'error-message', errorCode: 'AccessDenied' });
    expect(req.authorizations).toEqual([]);
    expect(req.s3.operation).toBe('unknown');
    expect(req.missing).toContain('operation');
  });
});

describe('parseCopySource', () => {
  it('reads every form of x-amz-copy-source', () => {
    expect(parseCopySource('/b/k')).toEqual({ bucket: 'b', key: 'k' });
    expect(parseCopySource('b/dir/a%2Bb.txt?versionId=v1')).toEqual({
      bucket: 'b',
      key: 'dir/a+b.txt',
      versionId: 'v1',
    });
    expect(parseCopySource('arn:aws:s3:us-east-1:111122223333:accesspoint/my-ap/object/k')).toMatchObject({
      key: 'k',
      accessPoint: { name: 'my-ap', account: '111122223333' },
    });
    expect(parseCopySource('nokey')).toBeUndefined();
  });
});
