// Patches land in a deep copy of the evidence, client changes in a copy of the request; inputs stay untouched.

import { describe, expect, it } from 'vitest';
import { applyPatchToEvidence, applyRequestChange } from '../../src/fix/apply.js';
import {
  addIdentityStatement,
  addKeyPolicyStatement,
  addResourceStatement,
  bucketPublicAccessBlockChange,
  objectOwnershipChange,
} from '../../src/fix/builders.js';
import { sendRequestPayer, useBucketOwnerFullControl, useHttps } from '../../src/fix/advice.js';
import { FixError } from '../../src/fix/resources.js';
import type { PolicyPatch } from '../../src/model/cause.js';
import { fixture, s3Request, session, user } from './helpers.js';

const OBJ = 'arn:aws:s3:::reports-bucket/2026/q3.csv';

describe('applyPatchToEvidence', () => {
  it('adds a new inline policy to the role without touching the input evidence', () => {
    const ev = fixture('same-account');
    const snapshot = structuredClone(ev);
    const fix = addIdentityStatement(ev, session('111122223333', 'app'), ['s3:GetObject'], [OBJ]);
    const after = applyPatchToEvidence(ev, fix.patch as PolicyPatch);
    expect(ev).toEqual(snapshot);
    const policies = after.principals['arn:aws:iam::111122223333:role/app']?.policies ?? [];
    expect(policies.map((p) => p.name)).toEqual(['ListReports', 's3doctor-reports-bucket']);
    expect(policies[1]?.document).toEqual(fix.patch?.after);
    expect(policies[1]?.kind).toBe('inline');
  });

  it('replaces an existing inline policy in place', () => {
    const ev = fixture('same-account');
    const fix = addIdentityStatement(ev, user('111122223333', 'alice'), ['s3:PutObject'], [OBJ]);
    const after = applyPatchToEvidence(ev, fix.patch as PolicyPatch);
    const policies = after.principals['arn:aws:iam::111122223333:user/alice']?.policies ?? [];
    expect(policies).toHaveLength(1);
    expect(policies[0]?.document).toEqual(fix.patch?.after);
  });

  it('replaces a managed policy everywhere it is attached', () => {
    const ev = fixture('same-account');
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow' as const, Action: 's3:GetObject', Resource: OBJ }],
    };
    ev.principals['arn:aws:iam::111122223333:role/app']?.policies?.push({
      name: 'Shared',
      arn: 'arn:aws:iam::111122223333:policy/Shared',
      kind: 'managed',
      document: { Statement: [] },
    });
    const after = applyPatchToEvidence(ev, {
      target: { type: 'identity-policy', id: 'arn:aws:iam::111122223333:policy/Shared' },
      before: { Statement: [] },
      after: doc,
    });
    expect(after.principals['arn:aws:iam::111122223333:role/app']?.policies?.[1]?.document).toEqual(doc);
  });

  it('puts bucket, access point and key policies, BPA and ownership in place', () => {
    const cross = fixture('cross-account-kms');
    const app = session('111122223333', 'app');
    const b = addResourceStatement(
      cross,
      'partner-data',
      app,
      ['s3:GetObject'],
      ['arn:aws:s3:::partner-data/x'],
    );
    expect(applyPatchToEvidence(cross, b.patch as PolicyPatch).buckets['partner-data']?.policy).toEqual(
      b.patch?.after,
    );
    const key = Object.keys(cross.kmsKeys)[0] as string;
    const k = addKeyPolicyStatement(cross, key, app, ['kms:Decrypt']);
    expect(applyPatchToEvidence(cross, k.patch as PolicyPatch).kmsKeys[key]?.policy).toEqual(k.patch?.after);
    const ap = fixture('access-point');
    const apArn = Object.keys(ap.accessPoints)[0] as string;
    const a = addResourceStatement(ap, apArn, app, ['s3:GetObject'], [`${apArn}/object/x`]);
    expect(applyPatchToEvidence(ap, a.patch as PolicyPatch).accessPoints[apArn]?.policy).toEqual(
      a.patch?.after,
    );
    const same = fixture('same-account');
    const bpa = bucketPublicAccessBlockChange(same, 'reports-bucket', { RestrictPublicBuckets: false });
    expect(
      applyPatchToEvidence(same, bpa.patch as PolicyPatch).buckets['reports-bucket']?.publicAccessBlock,
    ).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
    const b2 = same.buckets['reports-bucket'];
    if (b2) b2.objectOwnership = 'ObjectWriter';
    const own = objectOwnershipChange(same, 'reports-bucket');
    expect(
      applyPatchToEvidence(same, own.patch as PolicyPatch).buckets['reports-bucket']?.objectOwnership,
    ).toBe('BucketOwnerEnforced');
    expect(
      applyPatchToEvidence(same, {
        target: { type: 'vpc-endpoint-policy', id: 'vpce-1' },
        before: null,
        after: { Statement: [] },
      }).vpcEndpoints['vpce-1']?.policy,
    ).toEqual({ Statement: [] });
  });

  it('keeps unknown evidence unknown when the patch was built without the current document', () => {
    const ev = fixture('same-account');
    delete ev.principals['arn:aws:iam::111122223333:role/app']?.policies;
    const fix = addIdentityStatement(ev, session('111122223333', 'app'), ['s3:GetObject'], [OBJ]);
    const after = applyPatchToEvidence(ev, fix.patch as PolicyPatch);
    expect(after.principals['arn:aws:iam::111122223333:role/app']?.policies).toBeUndefined();
  });
});

describe('applyRequestChange', () => {
  const base = s3Request(
    session('111122223333', 'app'),
    'PutObject',
    's3:PutObject',
    OBJ,
    'reports-bucket',
    '2026/q3.csv',
    {
      context: { 'aws:SecureTransport': 'false', 's3:x-amz-acl': 'public-read' },
    },
  );

  it('HTTPS sets aws:SecureTransport=true on every authorization', () => {
    const r = applyRequestChange(base, useHttps(base).requestChange ?? {});
    expect(r.authorizations[0]?.context['aws:SecureTransport']).toBe('true');
    expect(base.authorizations[0]?.context['aws:SecureTransport']).toBe('false');
  });

  it('Requester Pays and the bucket-owner-full-control ACL change the S3 facts and context', () => {
    expect(applyRequestChange(base, sendRequestPayer(base).requestChange ?? {}).s3.requestPayerSent).toBe(
      true,
    );
    const r = applyRequestChange(base, useBucketOwnerFullControl(base).requestChange ?? {});
    expect(r.s3.aclHeader).toBe('bucket-owner-full-control');
    expect(r.authorizations[0]?.context['s3:x-amz-acl']).toBe('bucket-owner-full-control');
  });

  it('clears the authentication error and adds actions the changed request needs', () => {
    const r = applyRequestChange(
      { ...base, errorCode: 'ExpiredToken', errorMessage: 'The provided token has expired.' },
      { clearAuthError: true, addActions: ['s3:BypassGovernanceRetention'] },
    );
    expect(r.errorCode).toBeUndefined();
    expect(r.authorizations.map((a) => a.action)).toEqual(['s3:PutObject', 's3:BypassGovernanceRetention']);
    expect(r.authorizations[1]?.resource).toBe(OBJ);
  });
});

describe('applyPatchToEvidence: KMS key state', () => {
  const KEY = 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const patch = (id: string) => ({
    target: { type: 'kms-key-state', id },
    before: { KeyState: 'Disabled' },
    after: { KeyState: 'Enabled' },
  });

  it('sets the key state on a copy, and refuses a key the evidence does not hold', () => {
    const ev = fixture('cross-account-kms');
    const key = ev.kmsKeys[KEY];
    if (!key) throw new Error('fixture');
    key.keyState = 'Disabled';
    const after = applyPatchToEvidence(ev, patch(KEY));
    expect(after.kmsKeys[KEY]?.keyState).toBe('Enabled');
    expect(ev.kmsKeys[KEY]?.keyState).toBe('Disabled');
    expect(after.kmsKeys[KEY]?.policy).toEqual(ev.kmsKeys[KEY]?.policy);
    expect(() => applyPatchToEvidence(ev, patch(KEY.replace('1234abcd', '00000000')))).toThrow(FixError);
  });
});
