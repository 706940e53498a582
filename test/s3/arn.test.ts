// Tests for ARN parsing/formatting, access point ARNs, partitions and S3 host names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accessPointArn,
  accessPointObjectArn,
  bucketArn,
  formatArn,
  isAccessPointAlias,
  objectArn,
  parseAccessPointArn,
  parseArn,
  parseS3Arn,
  parseS3Host,
  partitionForRegion,
} from '../../src/s3/index.js';

describe('parseArn / formatArn', () => {
  it('splits the six parts and keeps colons in the resource', () => {
    const a = parseArn('arn:aws:kms:us-east-1:111122223333:key/1234abcd')!;
    expect(a).toEqual({
      partition: 'aws',
      service: 'kms',
      region: 'us-east-1',
      account: '111122223333',
      resource: 'key/1234abcd',
    });
    expect(formatArn(a)).toBe('arn:aws:kms:us-east-1:111122223333:key/1234abcd');
    expect(parseArn('arn:aws:s3:::b/a:b:c')!.resource).toBe('b/a:b:c');
  });

  it('rejects text that is not an ARN', () => {
    expect(parseArn('s3://bucket/key')).toBeUndefined();
    expect(parseArn('arn:aws:s3')).toBeUndefined();
    expect(parseArn('arn:aws:s3:::')).toBeUndefined();
  });
});

describe('bucket and object ARNs', () => {
  it('formats and classifies, in every partition', () => {
    expect(bucketArn('b')).toBe('arn:aws:s3:::b');
    expect(objectArn('b', 'dir/a b.txt')).toBe('arn:aws:s3:::b/dir/a b.txt');
    expect(bucketArn('b', 'aws-cn')).toBe('arn:aws-cn:s3:::b');
    expect(objectArn('b', 'k', 'aws-us-gov')).toBe('arn:aws-us-gov:s3:::b/k');
    expect(parseS3Arn('arn:aws-cn:s3:::b')).toEqual({ kind: 'bucket', partition: 'aws-cn', bucket: 'b' });
    expect(parseS3Arn('arn:aws:s3:::b/x/y/')).toEqual({
      kind: 'object',
      partition: 'aws',
      bucket: 'b',
      key: 'x/y/',
    });
    expect(parseS3Arn('arn:aws:iam::111122223333:root')).toBeUndefined();
  });
});

describe('access point ARNs', () => {
  const ap = 'arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap';

  it('parses an access point ARN and an access-point object ARN', () => {
    expect(parseAccessPointArn(ap)).toEqual({
      partition: 'aws',
      region: 'us-east-1',
      account: '111122223333',
      name: 'reports-ap',
      arn: ap,
    });
    const obj = parseAccessPointArn(`${ap}/object/finance/q3.csv`)!;
    expect(obj.key).toBe('finance/q3.csv');
    expect(obj.arn).toBe(ap);
  });

  it('formats access point and access-point object ARNs', () => {
    const ref = parseAccessPointArn(ap)!;
    expect(
      accessPointArn({
        partition: 'aws-us-gov',
        region: 'us-gov-west-1',
        account: '123456789012',
        name: 'x1',
      }),
    ).toBe('arn:aws-us-gov:s3:us-gov-west-1:123456789012:accesspoint/x1');
    expect(accessPointObjectArn(ref, 'a/b')).toBe(`${ap}/object/a/b`);
    expect(parseS3Arn(`${ap}/object/a/b`)).toMatchObject({ kind: 'access-point-object', key: 'a/b' });
    expect(parseS3Arn(ap)).toMatchObject({ kind: 'access-point', accessPoint: { name: 'reports-ap' } });
  });

  it('parses the China-partition access point ARN of the docs example', () => {
    const r = parseAccessPointArn('arn:aws-cn:s3:us-west-1:123456789012:accesspoint/example-AP');
    expect(r).toMatchObject({ partition: 'aws-cn', region: 'us-west-1', name: 'example-AP' });
    expect(
      parseAccessPointArn('arn:aws-cn:s3:cn-north-1:123456789012:accesspoint/example-ap')!.partition,
    ).toBe('aws-cn');
  });

  it('rejects malformed access point ARNs', () => {
    expect(parseAccessPointArn('arn:aws:s3:::accesspoint/x')).toBeUndefined();
    expect(parseAccessPointArn(`${ap}/notobject/k`)).toBeUndefined();
    expect(parseAccessPointArn('arn:aws:s3:us-east-1:12345:accesspoint/ok-name')).toBeUndefined();
  });

  it('recognises access point aliases', () => {
    expect(isAccessPointAlias('reports-ap-hvjx8shxxaq2o1bqv7pkjyfsuse1a-s3alias')).toBe(true);
    expect(isAccessPointAlias('reports-bucket')).toBe(false);
  });
});

describe('partitions', () => {
  it('maps regions to partitions', () => {
    expect(partitionForRegion('cn-northwest-1')).toBe('aws-cn');
    expect(partitionForRegion('us-gov-east-1')).toBe('aws-us-gov');
    expect(partitionForRegion('eu-west-1')).toBe('aws');
    expect(partitionForRegion(undefined)).toBe('aws');
  });
});

describe('parseS3Host', () => {
  it('virtual-hosted and path-style regional endpoints', () => {
    expect(parseS3Host('acme-reports.s3.us-east-1.amazonaws.com')).toMatchObject({
      bucket: 'acme-reports',
      region: 'us-east-1',
      partition: 'aws',
      website: false,
    });
    expect(parseS3Host('s3.us-west-2.amazonaws.com')).toMatchObject({ region: 'us-west-2' });
    expect(parseS3Host('s3.us-west-2.amazonaws.com')!.bucket).toBeUndefined();
    expect(parseS3Host('b.s3-eu-west-1.amazonaws.com')).toMatchObject({ bucket: 'b', region: 'eu-west-1' });
    expect(parseS3Host('s3-logs.s3.dualstack.ap-south-1.amazonaws.com')).toMatchObject({
      bucket: 's3-logs',
      region: 'ap-south-1',
    });
  });

  it('legacy global endpoints are us-east-1', () => {
    expect(parseS3Host('acme-site.s3.amazonaws.com')).toMatchObject({
      bucket: 'acme-site',
      region: 'us-east-1',
    });
    expect(parseS3Host('s3.amazonaws.com')!.region).toBe('us-east-1');
    expect(parseS3Host('s3-external-1.amazonaws.com')!.region).toBe('us-east-1');
  });

  it('China and GovCloud', () => {
    expect(parseS3Host('b.s3.cn-north-1.amazonaws.com.cn')).toMatchObject({
      partition: 'aws-cn',
      region: 'cn-north-1',
    });
    expect(parseS3Host('s3-fips.us-gov-west-1.amazonaws.com')).toMatchObject({
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
    });
  });

  it('access point hosts give the access point ARN', () => {
    const h = parseS3Host('reports-ap-111122223333.s3-accesspoint.us-east-1.amazonaws.com')!;
    expect(h.accessPoint).toEqual({
      partition: 'aws',
      region: 'us-east-1',
      account: '111122223333',
      name: 'reports-ap',
      arn: 'arn:aws:s3:us-east-1:111122223333:accesspoint/reports-ap',
    });
    expect(
      parseS3Host('my-ap-123456789012.s3-accesspoint.dualstack.eu-central-1.amazonaws.com')!.accessPoint!.arn,
    ).toBe('arn:aws:s3:eu-central-1:123456789012:accesspoint/my-ap');
  });

  it('website endpoints', () => {
    expect(parseS3Host('acme-site.s3-website-us-east-1.amazonaws.com')).toMatchObject({
      website: true,
      region: 'us-east-1',
      bucket: 'acme-site',
    });
    expect(parseS3Host('acme-site.s3-website.eu-west-1.amazonaws.com')).toMatchObject({
      website: true,
      region: 'eu-west-1',
    });
  });

  it('interface VPC endpoint DNS names reveal the endpoint id', () => {
    const h = parseS3Host('bucket.vpce-0a1b2c3d4e5f67890-abcdefgh.s3.us-east-1.vpce.amazonaws.com')!;
    expect(h.vpcEndpointId).toBe('vpce-0a1b2c3d4e5f67890');
    expect(h.region).toBe('us-east-1');
    const named = parseS3Host(
      'my-bucket.bucket.vpce-0a1b2c3d4e5f67890-abcdefgh.s3.us-east-1.vpce.amazonaws.com',
    );
    expect(named!.vpcEndpointId).toBe('vpce-0a1b2c3d4e5f67890');
  });

  it('ignores hosts that are not AWS S3 endpoints', () => {
    expect(parseS3Host('localhost:9000')).toBeUndefined();
    expect(parseS3Host('example.com')).toBeUndefined();
    expect(parseS3Host('ec2.us-east-1.amazonaws.com')).toBeUndefined();
  });
});

describe('round trips (property)', () => {
  it('formatArn(parseArn(a)) === a, and object ARNs keep any key', () => {
    const part = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov');
    fc.assert(
      fc.property(
        part,
        fc.constantFrom('s3', 'iam', 'kms'),
        fc.stringMatching(/^[a-z0-9-]{0,12}$/),
        fc.stringMatching(/^\d{12}$|^$/),
        fc.string({ minLength: 1, maxLength: 30 }),
        (p, svc, region, account, resource) => {
          const arn = `arn:${p}:${svc}:${region}:${account}:${resource}`;
          const a = parseArn(arn)!;
          expect(formatArn(a)).toBe(arn);
        },
      ),
    );
    fc.assert(
      fc.property(
        part,
        fc.stringMatching(/^[a-z0-9.-]{3,20}$/),
        fc.string({ minLength: 1, maxLength: 40 }),
        (p, b, k) => {
          expect(parseS3Arn(objectArn(b, k, p))).toEqual({ kind: 'object', partition: p, bucket: b, key: k });
        },
      ),
    );
  });
});
