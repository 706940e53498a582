// AWS's "public" definitions for Block Public Access: bucket/access point policies and ACLs.

import { describe, expect, it } from 'vitest';
import { isPublicAcl, isPublicAclHeader, isPublicPolicy } from '../../src/authz/index.js';
import type { PolicyDocument, PolicyStatement } from '../../src/model/index.js';

const one = (st: Partial<PolicyStatement>): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...st } as PolicyStatement,
  ],
});

describe('isPublicPolicy', () => {
  const cases: [string, PolicyDocument, boolean][] = [
    ['Principal * with no condition', one({ Principal: '*' }), true],
    ['AWS * with no condition', one({ Principal: { AWS: '*' } }), true],
    ['a named account', one({ Principal: { AWS: '111122223333' } }), false],
    ['a named role', one({ Principal: { AWS: 'arn:aws:iam::111122223333:role/r' } }), false],
    ['a service principal', one({ Principal: { Service: 'logging.s3.amazonaws.com' } }), false],
    ['a Federated principal', one({ Principal: { Federated: 'cognito-identity.amazonaws.com' } }), true],
    ['a list containing *', one({ Principal: { AWS: ['111122223333', '*'] } }), true],
    [
      '* limited to a fixed aws:SourceVpce',
      one({ Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } }),
      false,
    ],
    [
      '* limited to vpc-* (wildcard)',
      one({ Principal: '*', Condition: { StringLike: { 'aws:SourceVpc': 'vpc-*' } } }),
      true,
    ],
    [
      '* limited to a fixed aws:PrincipalOrgID',
      one({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }),
      false,
    ],
    [
      '* limited to aws:SourceAccount',
      one({ Principal: '*', Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }),
      false,
    ],
    [
      '* limited to a /24',
      one({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
      false,
    ],
    [
      '* limited to a /1',
      one({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } } }),
      true,
    ],
    [
      '* limited to 10.0.0.0/8 (private)',
      one({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
      false,
    ],
    [
      '* limited to an IPv6 /32',
      one({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '2001:db8::/32' } } }),
      false,
    ],
    [
      '* limited to an IPv6 /16',
      one({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '2001::/16' } } }),
      true,
    ],
    [
      '* with NotIpAddress (does not restrict)',
      one({ Principal: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }),
      true,
    ],
    [
      '* with an IfExists condition (absent key passes)',
      one({ Principal: '*', Condition: { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1' } } }),
      true,
    ],
    [
      '* with a variable in the value',
      one({
        Principal: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': '${aws:PrincipalAccount}' } },
      }),
      true,
    ],
    [
      '* with a fixed s3:DataAccessPointAccount (delegation)',
      one({
        Principal: '*',
        Action: '*',
        Condition: { StringEquals: { 's3:DataAccessPointAccount': '111122223333' } },
      }),
      false,
    ],
    [
      '* with s3:DataAccessPointArn wildcard name, fixed account',
      one({
        Principal: '*',
        Condition: {
          ArnLike: { 's3:DataAccessPointArn': 'arn:aws:s3:us-west-2:111122223333:accesspoint/*' },
        },
      }),
      false,
    ],
    [
      '* with a condition on an unrelated key',
      one({ Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
      true,
    ],
    [
      'a Deny with Principal * only',
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }],
      },
      false,
    ],
  ];
  for (const [name, doc, want] of cases)
    it(`${name}: ${want ? 'public' : 'not public'}`, () => expect(isPublicPolicy(doc)).toBe(want));

  it('access point policies: s3:DataAccessPointArn does not make them non-public; VPC origin never public', () => {
    const d = one({
      Principal: '*',
      Condition: {
        StringEquals: { 's3:DataAccessPointArn': 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap' },
      },
    });
    expect(isPublicPolicy(d, { accessPoint: true })).toBe(true);
    expect(isPublicPolicy(d, { accessPoint: true, networkOrigin: 'VPC' })).toBe(false);
    expect(isPublicPolicy(d)).toBe(false);
  });
});

describe('isPublicAcl and ACL headers', () => {
  const grant = (uri: string) => ({
    Grants: [{ Grantee: { Type: 'Group' as const, URI: uri }, Permission: 'READ' as const }],
  });
  it('AllUsers and AuthenticatedUsers are public; LogDelivery and canonical users are not', () => {
    expect(isPublicAcl(grant('http://acs.amazonaws.com/groups/global/AllUsers'))).toBe(true);
    expect(isPublicAcl(grant('http://acs.amazonaws.com/groups/global/AuthenticatedUsers'))).toBe(true);
    expect(isPublicAcl(grant('http://acs.amazonaws.com/groups/s3/LogDelivery'))).toBe(false);
    expect(
      isPublicAcl({
        Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'abc' }, Permission: 'FULL_CONTROL' }],
      }),
    ).toBe(false);
  });
  it('canned ACL headers', () => {
    expect(isPublicAclHeader('public-read')).toBe(true);
    expect(isPublicAclHeader('public-read-write')).toBe(true);
    expect(isPublicAclHeader('authenticated-read')).toBe(true);
    expect(isPublicAclHeader('bucket-owner-full-control')).toBe(false);
    expect(isPublicAclHeader('uri="http://acs.amazonaws.com/groups/global/AllUsers"')).toBe(true);
    expect(isPublicAclHeader(null)).toBe(false);
    expect(isPublicAclHeader(undefined)).toBeUndefined();
  });
});
