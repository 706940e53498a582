// Patch builders produce the exact minimal documents, on the right target, and refuse unsafe inputs.

import { describe, expect, it } from 'vitest';
import {
  addBoundaryStatement,
  addIdentityStatement,
  addKeyPolicyStatement,
  addResourceStatement,
  bucketPublicAccessBlockChange,
  exemptPrincipalFromDeny,
  objectOwnershipChange,
  vpcEndpointPolicyAllow,
} from '../../src/fix/builders.js';
import { FixError } from '../../src/fix/resources.js';
import type { Evidence } from '../../src/model/evidence.js';
import type { PolicyDocument } from '../../src/model/policy.js';
import { fixture, session, user } from './helpers.js';

const OBJ = 'arn:aws:s3:::reports-bucket/2026/q3.csv';
const KEY = 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const AP = 'arn:aws:s3:eu-west-1:444455556666:accesspoint/partners';

describe('addIdentityStatement', () => {
  it('creates a new inline policy on the role of a session with exactly the denied action and object', () => {
    const ev = fixture('same-account');
    const fix = addIdentityStatement(ev, session('111122223333', 'app'), ['s3:GetObject'], [OBJ]);
    expect(fix.kind).toBe('policy-patch');
    expect(fix.patch).toEqual({
      target: {
        type: 'identity-policy',
        id: 'arn:aws:iam::111122223333:role/app',
        name: 's3doctor-reports-bucket',
      },
      before: null,
      after: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'S3doctorGetObject', Effect: 'Allow', Action: 's3:GetObject', Resource: OBJ }],
      },
    });
    expect(fix.summary).toContain('role arn:aws:iam::111122223333:role/app');
  });

  it('extends the existing s3doctor statement with the same resource instead of adding a statement', () => {
    const ev = fixture('same-account');
    const fix = addIdentityStatement(ev, user('111122223333', 'alice'), ['s3:GetObjectTagging'], [OBJ]);
    expect(fix.patch?.target).toEqual({
      type: 'identity-policy',
      id: 'arn:aws:iam::111122223333:user/alice',
      name: 's3doctor-reports-bucket',
    });
    expect(fix.patch?.before).toEqual(
      ev.principals['arn:aws:iam::111122223333:user/alice']?.policies?.[0]?.document,
    );
    expect((fix.patch?.after as PolicyDocument).Statement).toEqual([
      {
        Sid: 'S3doctorGetObject',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectTagging'],
        Resource: OBJ,
      },
    ]);
  });

  it('appends a statement to the s3doctor policy for a different resource, keeping conditions', () => {
    const ev = fixture('same-account');
    const fix = addIdentityStatement(
      ev,
      user('111122223333', 'alice'),
      ['s3:ListBucket'],
      ['arn:aws:s3:::reports-bucket'],
      {
        conditions: { StringLike: { 's3:prefix': ['2026/*'] } },
      },
    );
    const st = (fix.patch?.after as PolicyDocument).Statement as unknown[];
    expect(st).toHaveLength(2);
    expect(st[1]).toEqual({
      Sid: 'S3doctorListBucket',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::reports-bucket',
      Condition: { StringLike: { 's3:prefix': ['2026/*'] } },
    });
  });

  it('accepts a prefix only when asked for, and the patch marks unknown identity evidence', () => {
    const ev = fixture('same-account');
    delete ev.principals['arn:aws:iam::111122223333:role/app']?.policies;
    const fix = addIdentityStatement(
      ev,
      session('111122223333', 'app'),
      ['s3:GetObject'],
      ['arn:aws:s3:::reports-bucket/2026/*'],
    );
    expect(fix.patch?.beforeUnknown).toBe(true);
    expect(fix.summary).toContain('merge by hand');
  });

  it('finds the role with its path when the session ARN hides it', () => {
    const ev = fixture('same-account');
    const role = ev.principals['arn:aws:iam::111122223333:role/app'];
    delete ev.principals['arn:aws:iam::111122223333:role/app'];
    ev.principals['arn:aws:iam::111122223333:role/teams/data/app'] = role as NonNullable<typeof role>;
    const fix = addIdentityStatement(ev, session('111122223333', 'app'), ['s3:GetObject'], [OBJ]);
    expect(fix.patch?.target.id).toBe('arn:aws:iam::111122223333:role/teams/data/app');
  });

  it('refuses principals that have no identity policies', () => {
    const ev = fixture('same-account');
    expect(() => addIdentityStatement(ev, { kind: 'anonymous' }, ['s3:GetObject'], [OBJ])).toThrow(FixError);
    expect(() =>
      addIdentityStatement(
        ev,
        { kind: 'root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' },
        ['s3:GetObject'],
        [OBJ],
      ),
    ).toThrow(FixError);
  });

  it('refuses a wildcard action or whole-bucket resource through the least-privilege gate', () => {
    const ev = fixture('same-account');
    expect(() => addIdentityStatement(ev, session('111122223333', 'app'), ['s3:Get*'], [OBJ])).toThrow(
      /wildcard action/,
    );
    expect(() =>
      addIdentityStatement(
        ev,
        session('111122223333', 'app'),
        ['s3:GetObject'],
        ['arn:aws:s3:::reports-bucket/*'],
      ),
    ).toThrow(/wildcard resource/);
    expect(() => addIdentityStatement(ev, session('111122223333', 'app'), ['s3:GetObject'], ['*'])).toThrow(
      /Resource "\*"/,
    );
  });
});

describe('addResourceStatement', () => {
  it('adds a bucket policy statement naming the role ARN (not the session, never *)', () => {
    const ev = fixture('cross-account-kms');
    const obj = 'arn:aws:s3:::partner-data/exports/2026/11/data.parquet';
    const fix = addResourceStatement(
      ev,
      'partner-data',
      session('111122223333', 'app'),
      ['s3:GetObject'],
      [obj],
    );
    const before = ev.buckets['partner-data']?.policy as PolicyDocument;
    expect(fix.patch?.target).toEqual({ type: 'bucket-policy', id: 'partner-data' });
    expect(fix.patch?.before).toEqual(before);
    expect(fix.patch?.after).toEqual({
      ...before,
      Statement: [
        ...(before.Statement as unknown[]),
        {
          Sid: 'S3doctorGetObject',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
          Action: 's3:GetObject',
          Resource: obj,
        },
      ],
    });
  });

  it('creates the bucket policy when the bucket has none', () => {
    const ev = fixture('same-account');
    const fix = addResourceStatement(
      ev,
      'reports-bucket',
      user('111122223333', 'bob'),
      ['s3:GetObject'],
      [OBJ],
    );
    expect(fix.patch?.before).toBeNull();
    expect(fix.patch?.after).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'S3doctorGetObject',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:user/bob' },
          Action: 's3:GetObject',
          Resource: OBJ,
        },
      ],
    });
  });

  it('refuses anonymous callers (that would need Principal *)', () => {
    expect(() =>
      addResourceStatement(
        fixture('same-account'),
        'reports-bucket',
        { kind: 'anonymous' },
        ['s3:GetObject'],
        [OBJ],
      ),
    ).toThrow(FixError);
  });

  it('grants on the access point and adds a narrow delegation statement to the bucket for a cross-account caller', () => {
    const ev = fixture('access-point');
    const fix = addResourceStatement(
      ev,
      AP,
      session('111122223333', 'app'),
      ['s3:GetObject'],
      [`${AP}/object/exports/2026/11/data.parquet`],
    );
    expect(fix.patch).toEqual({
      target: { type: 'access-point-policy', id: AP },
      before: null,
      after: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'S3doctorGetObject',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
            Action: 's3:GetObject',
            Resource: `${AP}/object/exports/2026/11/data.parquet`,
          },
        ],
      },
    });
    expect(fix.additionalPatches).toHaveLength(1);
    const bucketPatch = fix.additionalPatches?.[0];
    expect(bucketPatch?.target).toEqual({ type: 'bucket-policy', id: 'partner-data' });
    const added = ((bucketPatch?.after as PolicyDocument).Statement as unknown[]).at(-1);
    expect(added).toEqual({
      Sid: 'S3doctorDelegateToAccessPoint',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::partner-data/exports/2026/11/data.parquet',
      Condition: { StringEquals: { 's3:DataAccessPointAccount': '444455556666' } },
    });
  });

  it('adds no delegation when the bucket already delegates to the access point account', () => {
    const ev = fixture('access-point');
    const b = ev.buckets['partner-data'];
    (b?.policy?.Statement as unknown[]).push({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::partner-data/*',
      Condition: { StringEquals: { 's3:DataAccessPointAccount': '444455556666' } },
    });
    const fix = addResourceStatement(
      ev,
      AP,
      session('111122223333', 'app'),
      ['s3:GetObject'],
      [`${AP}/object/exports/2026/11/data.parquet`],
    );
    expect(fix.additionalPatches).toBeUndefined();
  });
});

describe('addKeyPolicyStatement', () => {
  it('adds a key policy statement pinned to S3 in the region, and the identity side for a cross-account caller', () => {
    const ev = fixture('cross-account-kms');
    const fix = addKeyPolicyStatement(ev, KEY, session('111122223333', 'app'), ['kms:Decrypt']);
    const before = ev.kmsKeys[KEY]?.policy as PolicyDocument;
    expect(fix.patch?.target).toEqual({ type: 'kms-key-policy', id: KEY });
    expect((fix.patch?.after as PolicyDocument).Statement).toEqual([
      ...(before.Statement as unknown[]),
      {
        Sid: 'S3doctorDecrypt',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      },
    ]);
    expect(fix.additionalPatches).toHaveLength(1);
    expect(fix.additionalPatches?.[0]?.target).toEqual({
      type: 'identity-policy',
      id: 'arn:aws:iam::111122223333:role/app',
      name: 's3doctor-kms-1234abcd',
    });
    expect((fix.additionalPatches?.[0]?.after as PolicyDocument).Statement).toEqual([
      { Sid: 'S3doctorDecrypt', Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY },
    ]);
  });

  it('adds no identity side for a same-account caller unless asked', () => {
    const ev = fixture('cross-account-kms');
    const fix = addKeyPolicyStatement(ev, KEY, session('444455556666', 'etl'), [
      'kms:GenerateDataKey',
      'kms:Decrypt',
    ]);
    expect(fix.additionalPatches).toBeUndefined();
    const st = ((fix.patch?.after as PolicyDocument).Statement as { Action?: unknown }[]).at(-1);
    expect(st?.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
  });

  it('refuses AWS managed keys', () => {
    const ev = fixture('cross-account-kms');
    (ev.kmsKeys[KEY] as { keyManager?: string }).keyManager = 'AWS';
    expect(() => addKeyPolicyStatement(ev, KEY, session('111122223333', 'app'), ['kms:Decrypt'])).toThrow(
      /AWS managed/,
    );
  });
});

describe('exemptPrincipalFromDeny', () => {
  const ev: Evidence = fixture('bucket-deny');
  const doc = ev.buckets['reports-bucket']?.policy as PolicyDocument;
  const ref = { type: 'bucket-policy' as const, id: 'reports-bucket' };

  it('appends the role to an existing aws:PrincipalArn exemption', () => {
    const fix = exemptPrincipalFromDeny(ref, doc, 1, 'arn:aws:iam::111122223333:role/app');
    expect(fix.kind).toBe('policy-patch');
    const after = fix.patch?.after as PolicyDocument;
    expect((after.Statement as unknown[])[0]).toEqual((doc.Statement as unknown[])[0]);
    expect((after.Statement as { Condition?: unknown }[])[1]?.Condition).toEqual({
      ArnNotEquals: {
        'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/admin', 'arn:aws:iam::111122223333:role/app'],
      },
    });
  });

  it('adds ArnNotEquals aws:PrincipalArn to a Deny without one', () => {
    const d: PolicyDocument = {
      Version: '2012-10-17',
      Statement: {
        Sid: 'NoDeletes',
        Effect: 'Deny',
        Action: 's3:DeleteObject',
        Resource: 'arn:aws:s3:::b/*',
      },
    };
    const fix = exemptPrincipalFromDeny(
      { type: 'identity-policy', id: 'arn:aws:iam::1:policy/x' },
      d,
      0,
      'arn:aws:iam::111122223333:role/app',
    );
    expect(fix.patch?.after).toEqual({
      Version: '2012-10-17',
      Statement: {
        Sid: 'NoDeletes',
        Effect: 'Deny',
        Action: 's3:DeleteObject',
        Resource: 'arn:aws:s3:::b/*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/app' } },
      },
    });
  });

  it('gives HTTPS advice instead of exempting anyone from a TLS deny', () => {
    const fix = exemptPrincipalFromDeny(ref, doc, 0, 'arn:aws:iam::111122223333:role/app');
    expect(fix.kind).toBe('client-change');
    expect(fix.patch).toBeUndefined();
    expect(fix.requestChange?.context?.['aws:SecureTransport']).toBe('true');
  });

  it('never edits SCP, RCP or VPC endpoint denies', () => {
    const d: PolicyDocument = { Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }] };
    for (const type of ['scp', 'rcp', 'vpc-endpoint-policy'] as const) {
      const fix = exemptPrincipalFromDeny(
        { type, id: 'x', name: 'Guard' },
        d,
        0,
        'arn:aws:iam::111122223333:role/app',
      );
      expect(fix.patch).toBeUndefined();
      expect(fix.kind === 'config-change' || fix.kind === 'client-change').toBe(true);
    }
    const vpce: PolicyDocument = {
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: 'arn:aws:s3:::b/*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0abc' } },
        },
      ],
    };
    const fix = exemptPrincipalFromDeny(
      { type: 'bucket-policy', id: 'b' },
      vpce,
      0,
      'arn:aws:iam::111122223333:role/app',
    );
    expect(fix.kind).toBe('client-change');
    expect(fix.requestChange?.context).toEqual({ 'aws:SourceVpce': 'vpce-0abc' });
  });

  it('refuses an Allow statement or a wildcard ARN', () => {
    const d: PolicyDocument = {
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/k' }],
    };
    expect(() => exemptPrincipalFromDeny(ref, d, 0, 'arn:aws:iam::1:role/x')).toThrow(FixError);
    expect(() => exemptPrincipalFromDeny(ref, doc, 1, 'arn:aws:iam::111122223333:role/*')).toThrow(FixError);
  });
});

describe('configuration builders', () => {
  it('vpcEndpointPolicyAllow appends the exact grant, and refuses the default full-access endpoint', () => {
    const ev = fixture('same-account');
    ev.vpcEndpoints['vpce-0abc'] = {
      accountId: '111122223333',
      vpcId: 'vpc-1',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::other-bucket/*',
          },
        ],
      },
    };
    const fix = vpcEndpointPolicyAllow(
      ev,
      'vpce-0abc',
      session('111122223333', 'app'),
      ['s3:GetObject'],
      [OBJ],
    );
    expect(fix.patch?.target).toEqual({ type: 'vpc-endpoint-policy', id: 'vpce-0abc' });
    expect(((fix.patch?.after as PolicyDocument).Statement as unknown[]).at(-1)).toEqual({
      Sid: 'S3doctorGetObject',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
      Action: 's3:GetObject',
      Resource: OBJ,
    });
    ev.vpcEndpoints['vpce-0abc'] = { policy: null };
    expect(() =>
      vpcEndpointPolicyAllow(ev, 'vpce-0abc', session('111122223333', 'app'), ['s3:GetObject'], [OBJ]),
    ).toThrow(/default full-access/);
  });

  it('bucketPublicAccessBlockChange changes the bucket level only and asks for confirmation', () => {
    const ev = fixture('same-account');
    const fix = bucketPublicAccessBlockChange(ev, 'reports-bucket', { RestrictPublicBuckets: false });
    expect(fix.kind).toBe('config-change');
    expect(fix.patch).toEqual({
      target: { type: 'bucket-public-access-block', id: 'reports-bucket' },
      before: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
      after: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: false,
      },
    });
    expect(fix.summary).toMatch(/explicit confirmation/);
    expect(fix.summary).toMatch(/not the account/);
  });

  it('objectOwnershipChange moves to BucketOwnerEnforced and names foreign ACL grants to remove first', () => {
    const ev = fixture('same-account');
    const b = ev.buckets['reports-bucket'];
    if (!b?.acl) throw new Error('fixture');
    b.objectOwnership = 'ObjectWriter';
    b.acl.Grants.push({
      Grantee: { Type: 'CanonicalUser', ID: 'partner-canonical-id' },
      Permission: 'WRITE',
    });
    const fix = objectOwnershipChange(ev, 'reports-bucket');
    expect(fix.patch).toEqual({
      target: { type: 'bucket-ownership-controls', id: 'reports-bucket' },
      before: { ObjectOwnership: 'ObjectWriter' },
      after: { ObjectOwnership: 'BucketOwnerEnforced' },
    });
    expect(fix.summary).toContain('partner-canonical-id');
  });

  it('addBoundaryStatement needs a known boundary', () => {
    const ev = fixture('same-account');
    expect(() => addBoundaryStatement(ev, session('111122223333', 'app'), ['s3:GetObject'], [OBJ])).toThrow(
      /no permissions boundary/,
    );
    const role = ev.principals['arn:aws:iam::111122223333:role/app'];
    if (!role) throw new Error('fixture');
    role.permissionsBoundary = {
      arn: 'arn:aws:iam::111122223333:policy/Boundary',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
      },
    };
    const fix = addBoundaryStatement(ev, session('111122223333', 'app'), ['s3:GetObject'], [OBJ]);
    expect(fix.patch?.target).toEqual({
      type: 'permissions-boundary',
      id: 'arn:aws:iam::111122223333:policy/Boundary',
    });
    expect(((fix.patch?.after as PolicyDocument).Statement as unknown[]).at(-1)).toEqual({
      Sid: 'S3doctorGetObject',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: OBJ,
    });
  });
});

describe('inline policy size', () => {
  it("warns when a user's inline policies would pass IAM's 2,048-character limit", () => {
    const ev = fixture('same-account');
    const many = Array.from({ length: 40 }, (_, i) => `arn:aws:s3:::reports-bucket/2026/report-${i}.csv`);
    const fix = addIdentityStatement(ev, user('111122223333', 'alice'), ['s3:GetObject'], many);
    expect(fix.summary).toMatch(/over IAM's 2048; put this statement in a customer managed policy/);
    const small = addIdentityStatement(
      ev,
      user('111122223333', 'alice'),
      ['s3:GetObject'],
      [many[0] as string],
    );
    expect(small.summary).not.toMatch(/IAM's/);
  });
});

describe('access point delegation with an unknown bucket policy', () => {
  it('offers the delegation statement to merge by hand', () => {
    const ev = fixture('access-point');
    delete ev.buckets['partner-data']?.policy;
    const fix = addResourceStatement(
      ev,
      AP,
      session('111122223333', 'app'),
      ['s3:GetObject'],
      [`${AP}/object/k`],
    );
    expect(fix.additionalPatches?.[0]?.beforeUnknown).toBe(true);
    expect(fix.additionalPatches?.[0]?.target).toEqual({ type: 'bucket-policy', id: 'partner-data' });
  });
});
