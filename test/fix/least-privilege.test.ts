// The least-privilege gate rejects every broad grant and every weakened guard-rail, and passes every builder's output.

import { describe, expect, it } from 'vitest';
import {
  addIdentityStatement,
  addKeyPolicyStatement,
  addResourceStatement,
  bucketPublicAccessBlockChange,
  exemptPrincipalFromDeny,
  objectOwnershipChange,
} from '../../src/fix/builders.js';
import {
  assertLeastPrivilege,
  leastPrivilegeProblems,
  LeastPrivilegeError,
} from '../../src/fix/least-privilege.js';
import type { PolicyPatch } from '../../src/model/cause.js';
import type { PolicyDocument, PolicyStatement } from '../../src/model/policy.js';
import { fixture, session } from './helpers.js';

function allowPatch(st: Partial<PolicyStatement>, type = 'identity-policy'): PolicyPatch {
  return {
    target: { type, id: 'x' },
    before: null,
    after: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...st } as PolicyStatement] },
  };
}

const OBJ = 'arn:aws:s3:::reports-bucket/2026/q3.csv';

describe('leastPrivilegeProblems', () => {
  it('accepts an exact action on an exact object, and a prefix grant', () => {
    expect(leastPrivilegeProblems(allowPatch({ Action: 's3:GetObject', Resource: OBJ }))).toEqual([]);
    expect(
      leastPrivilegeProblems(allowPatch({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/2026/*' })),
    ).toEqual([]);
  });

  it.each([
    [{ Action: 's3:*', Resource: OBJ }, /wildcard action s3:\*/],
    [{ Action: '*', Resource: OBJ }, /wildcard action \*/],
    [{ Action: 's3:Get*', Resource: OBJ }, /wildcard action/],
    [{ Action: 'kms:*', Resource: 'arn:aws:kms:us-east-1:111122223333:key/k' }, /wildcard action/],
    [{ Action: 's3:GetObject', Resource: '*' }, /Resource "\*"/],
    [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }, /wildcard resource/],
    [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::b*' }, /wildcard resource/],
    [{ Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/a*/c' }, /wildcard resource/],
    [{ Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:111122223333:alias/x' }, /key ARN/],
    [{ NotAction: 's3:DeleteObject', Resource: OBJ }, /NotAction/],
    [{ Action: 's3:GetObject', NotResource: OBJ }, /NotResource/],
  ])('rejects %j', (st, problem) => {
    const problems = leastPrivilegeProblems(allowPatch(st as Partial<PolicyStatement>));
    expect(problems.join('; ')).toMatch(problem);
    expect(() => assertLeastPrivilege(allowPatch(st as Partial<PolicyStatement>))).toThrow(
      LeastPrivilegeError,
    );
  });

  it('rejects Principal * unless a fixed-value condition pins it, and wildcard principal ARNs', () => {
    const p = (st: Partial<PolicyStatement>) =>
      leastPrivilegeProblems(allowPatch({ Action: 's3:GetObject', Resource: OBJ, ...st }, 'bucket-policy'));
    expect(p({ Principal: '*' }).join()).toMatch(/Principal "\*"/);
    expect(p({ Principal: { AWS: '*' } }).join()).toMatch(/Principal "\*"/);
    expect(
      p({ Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1*' } } }).join(),
    ).toMatch(/Principal/);
    expect(p({ Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } } })).toEqual([]);
    expect(p({ Principal: { AWS: 'arn:aws:iam::1:role/*' } }).join()).toMatch(/wildcard principal/);
  });

  it('allows Resource * only in a key policy', () => {
    const st = { Principal: { AWS: 'arn:aws:iam::1:role/r' }, Action: 'kms:Decrypt', Resource: '*' };
    expect(leastPrivilegeProblems(allowPatch(st, 'kms-key-policy'))).toEqual([]);
    expect(leastPrivilegeProblems(allowPatch(st, 'bucket-policy')).join()).toMatch(/Resource "\*"/);
  });

  it('checks only what the patch adds: existing broad statements are not the patch', () => {
    const before: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
    const after: PolicyDocument = {
      Statement: [
        ...(before.Statement as PolicyStatement[]),
        { Effect: 'Allow', Action: 's3:GetObject', Resource: OBJ },
      ],
    };
    expect(leastPrivilegeProblems({ target: { type: 'identity-policy', id: 'x' }, before, after })).toEqual(
      [],
    );
  });

  it('rejects removing a Deny, changing it beyond an exemption, or editing a guard-rail', () => {
    const deny: PolicyStatement = {
      Sid: 'D',
      Effect: 'Deny',
      Action: 's3:DeleteObject',
      Resource: 'arn:aws:s3:::b/*',
    };
    const before: PolicyDocument = { Statement: [deny] };
    expect(
      leastPrivilegeProblems({
        target: { type: 'bucket-policy', id: 'b' },
        before,
        after: { Statement: [] },
      }).join(),
    ).toMatch(/removed/);
    expect(
      leastPrivilegeProblems({
        target: { type: 'bucket-policy', id: 'b' },
        before,
        after: { Statement: [{ ...deny, Resource: 'arn:aws:s3:::b/tmp/*' }] },
      }).join(),
    ).toMatch(/beyond an exemption/);
    const exempted = {
      ...deny,
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::1:role/r' } },
    };
    expect(
      leastPrivilegeProblems({
        target: { type: 'bucket-policy', id: 'b' },
        before,
        after: { Statement: [exempted] },
      }),
    ).toEqual([]);
    expect(
      leastPrivilegeProblems({
        target: { type: 'scp', id: 'p' },
        before,
        after: { Statement: [exempted] },
      }).join(),
    ).toMatch(/not one a fix may change/);
    const tls: PolicyStatement = { ...deny, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    expect(
      leastPrivilegeProblems({
        target: { type: 'bucket-policy', id: 'b' },
        before: { Statement: [tls] },
        after: {
          Statement: [
            {
              ...tls,
              Condition: { ...tls.Condition, ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::1:role/r' } },
            },
          ],
        },
      }).join(),
    ).toMatch(/guard-rail/);
  });

  it('rejects configuration changes outside the bucket level, and ownership other than BucketOwnerEnforced', () => {
    expect(
      leastPrivilegeProblems({
        target: { type: 'account-public-access-block', id: '1' },
        before: null,
        after: {},
      }).join(),
    ).toMatch(/not one a fix may change/);
    expect(
      leastPrivilegeProblems({
        target: { type: 'bucket-ownership-controls', id: 'b' },
        before: null,
        after: { ObjectOwnership: 'ObjectWriter' },
      }).join(),
    ).toMatch(/BucketOwnerEnforced/);
  });
});

describe('every builder output passes the gate', () => {
  it('identity, resource, access point, key policy, exemption, BPA and ownership patches', () => {
    const same = fixture('same-account');
    const cross = fixture('cross-account-kms');
    const ap = fixture('access-point');
    const denyEv = fixture('bucket-deny');
    const app = session('111122223333', 'app');
    const key = Object.keys(cross.kmsKeys)[0] as string;
    const apArn = Object.keys(ap.accessPoints)[0] as string;
    const fixes = [
      addIdentityStatement(same, app, ['s3:GetObject', 's3:GetObjectVersion'], [OBJ]),
      addResourceStatement(
        cross,
        'partner-data',
        app,
        ['s3:GetObject'],
        ['arn:aws:s3:::partner-data/exports/a'],
      ),
      addResourceStatement(ap, apArn, app, ['s3:GetObject'], [`${apArn}/object/exports/a`]),
      addKeyPolicyStatement(cross, key, app, ['kms:Decrypt']),
      exemptPrincipalFromDeny(
        { type: 'bucket-policy', id: 'reports-bucket' },
        denyEv.buckets['reports-bucket']?.policy as PolicyDocument,
        1,
        'arn:aws:iam::111122223333:role/app',
      ),
      bucketPublicAccessBlockChange(same, 'reports-bucket', { RestrictPublicBuckets: false }),
      objectOwnershipChange({ ...same, buckets: { b: { objectOwnership: 'ObjectWriter' } } }, 'b'),
    ];
    const patches = fixes
      .flatMap((f) => [f.patch, ...(f.additionalPatches ?? [])])
      .filter((p) => p !== undefined);
    expect(patches.length).toBe(9);
    for (const p of patches) expect(leastPrivilegeProblems(p), p.target.type).toEqual([]);
  });
});
