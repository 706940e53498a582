// Advice fixes (client changes, credential refreshes, S3 configuration) verified by re-evaluating the changed request or evidence.

import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../src/authz/index.js';
import {
  bucketPublicAccessBlockChange,
  bypassGovernance,
  causeCodesOf,
  newPresignedUrl,
  objectOwnershipChange,
  refreshCredentials,
  removeAclHeader,
  restoreKeyState,
  restoreObject,
  syncClock,
  useBucketOwnerFullControl,
  verifyFix,
  waitForRetention,
} from '../../src/fix/index.js';
import type { Evidence } from '../../src/model/evidence.js';
import type { PolicyStatement } from '../../src/model/policy.js';
import type { Principal, S3Request } from '../../src/model/request.js';
import { fixture, s3Request, session } from './helpers.js';

const app = session('111122223333', 'app');
const KEY = '2026/q3.csv';
const OBJ = `arn:aws:s3:::reports-bucket/${KEY}`;

/** The same-account fixture with the app role allowed `statements`. */
function allowed(...statements: PolicyStatement[]): Evidence {
  const ev = fixture('same-account');
  const doc = ev.principals['arn:aws:iam::111122223333:role/app']?.policies?.[0]?.document;
  if (!doc) throw new Error('fixture');
  doc.Statement = [...(doc.Statement as PolicyStatement[]), ...statements];
  return ev;
}

function codes(req: S3Request, ev: Evidence) {
  return causeCodesOf(evaluateRequest(req, ev));
}

const get = (extra: Partial<S3Request> = {}) => ({
  ...s3Request(app, 'GetObject', 's3:GetObject', OBJ, 'reports-bucket', KEY, {
    resourceAccount: '111122223333',
  }),
  ...extra,
});

describe('credential and signing advice', () => {
  const ev = allowed({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJ });

  it('refreshCredentials: once authenticated again the request is allowed', () => {
    const req = get({ errorCode: 'ExpiredToken', errorMessage: 'The provided token has expired.' });
    expect(evaluateRequest(req, ev).decision).toBe('NotAuthenticated');
    expect(codes(req, ev)).toEqual(['expired-credentials']);
    const fix = verifyFix(refreshCredentials(app, { profile: 'data' }), req, ev, ['expired-credentials']);
    expect(fix.kind).toBe('credential-refresh');
    expect(fix.verified).toBe(true);
    expect(fix.commands).toEqual([
      'aws sso login --profile data',
      'aws sts assume-role --role-arn arn:aws:iam::111122223333:role/app --role-session-name s1 --profile data',
      'aws sts get-caller-identity --profile data',
    ]);
  });

  it('refreshing does not help when the policies deny too', () => {
    const req = get({ errorCode: 'ExpiredToken' });
    const fix = verifyFix(refreshCredentials(app), req, fixture('same-account'), ['expired-credentials']);
    expect(fix.verified).toBe(false);
    expect(fix.remainingCauses).toEqual(['missing-allow-identity-policy']);
  });

  it('refreshing the credentials of an unknown principal is not verified: the policies may still deny', () => {
    const nobody: Principal = { kind: 'unknown', raw: 'unknown principal' };
    const req = {
      ...s3Request(nobody, 'GetObject', 's3:GetObject', OBJ, 'reports-bucket', KEY, {
        resourceAccount: '111122223333',
      }),
      errorCode: 'ExpiredToken',
    };
    const after = evaluateRequest({ ...req, errorCode: undefined }, ev);
    expect(after.certain).toBe(false);
    expect(after.possibleDecisions.length).toBeGreaterThan(1);
    const fix = verifyFix(refreshCredentials(nobody), req, ev, ['expired-credentials']);
    expect(fix.summary).toMatch(/^Refresh the credentials that signed this request \(sign in again/);
    expect(fix.summary).not.toContain('unknown principal');
    expect(refreshCredentials(app).summary).toContain(
      'Refresh the temporary credentials of arn:aws:sts::111122223333:assumed-role/app/s1 (',
    );
    expect(fix.verified).toBe(false);
    // Nothing is known to block after the refresh: what the unknown evidence could block with is
    // "may still be blocked", never "still blocked".
    expect(fix.remainingCauses).toBeUndefined();
    expect(fix.mayRemain?.causes).toEqual([...new Set(after.unknowns.flatMap((u) => u.couldExplain))]);
    expect(fix.mayRemain?.unknowns).toEqual(after.unknowns.map((u) => u.path));
  });

  it('syncClock and a new presigned URL carry their commands', () => {
    const skew = verifyFix(syncClock(), get({ errorCode: 'RequestTimeTooSkewed' }), ev, ['clock-skew']);
    expect(skew.verified).toBe(true);
    expect(skew.commands).toContain('sudo timedatectl set-ntp true');
    const url = newPresignedUrl(get(), 10 ** 9);
    expect(url.commands).toEqual([`aws s3 presign s3://reports-bucket/${KEY} --expires-in 604800`]);
  });
});

describe('S3 step advice', () => {
  it('restoreObject: an archived object becomes readable once restored', () => {
    const ev = allowed({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJ });
    const o = ev.buckets['reports-bucket']?.objects?.[KEY];
    if (!o) throw new Error('fixture');
    o.storageClass = 'DEEP_ARCHIVE';
    const req = get();
    expect(codes(req, ev)).toEqual(['archived-object']);
    const fix = verifyFix(restoreObject(req, { days: 3, tier: 'Bulk' }), req, ev, ['archived-object']);
    expect(fix.verified).toBe(true);
    expect(fix.commands?.[0]).toBe(
      `aws s3api restore-object --bucket reports-bucket --key ${KEY} --restore-request '{"Days":3,"GlacierJobParameters":{"Tier":"Bulk"}}'`,
    );
  });

  it('object lock: waiting for the retention date works; bypassing governance needs s3:BypassGovernanceRetention', () => {
    const ev = allowed({ Effect: 'Allow', Action: 's3:DeleteObjectVersion', Resource: OBJ });
    const b = ev.buckets['reports-bucket'];
    const o = b?.objects?.[KEY];
    if (!b || !o) throw new Error('fixture');
    b.objectLock = { enabled: true };
    o.retention = { Mode: 'GOVERNANCE', RetainUntilDate: '2027-01-01T00:00:00Z' };
    const base = s3Request(app, 'DeleteObject', 's3:DeleteObjectVersion', OBJ, 'reports-bucket', KEY, {
      resourceAccount: '111122223333',
    });
    const req: S3Request = { ...base, time: '2026-11-24T10:00:00Z', s3: { ...base.s3, versionId: 'v1' } };
    expect(codes(req, ev)).toEqual(['object-lock-protected']);
    expect(
      verifyFix(waitForRetention(req, '2027-01-01T00:00:00Z'), req, ev, ['object-lock-protected']).verified,
    ).toBe(true);
    const bypass = verifyFix(bypassGovernance(req), req, ev, ['object-lock-protected']);
    expect(bypass.verified).toBe(false);
    expect(bypass.remainingCauses).toEqual(['missing-allow-identity-policy']);
    const ev2 = allowed(
      { Effect: 'Allow', Action: 's3:DeleteObjectVersion', Resource: OBJ },
      { Effect: 'Allow', Action: 's3:BypassGovernanceRetention', Resource: OBJ },
    );
    ev2.buckets['reports-bucket'] = structuredClone(b);
    expect(verifyFix(bypassGovernance(req), req, ev2, ['object-lock-protected']).verified).toBe(true);
  });

  it('ACL headers under BucketOwnerEnforced: removing the header or sending bucket-owner-full-control is verified', () => {
    const ev = allowed({ Effect: 'Allow', Action: 's3:PutObject', Resource: OBJ });
    const req = s3Request(app, 'PutObject', 's3:PutObject', OBJ, 'reports-bucket', KEY, {
      resourceAccount: '111122223333',
      aclHeader: 'public-read',
      context: { 's3:x-amz-acl': 'public-read' },
      dataAccess: 'write',
    });
    expect(codes(req, ev)).toContain('acl-not-supported');
    expect(verifyFix(removeAclHeader(req), req, ev, ['acl-not-supported']).verified).toBe(true);
    const bofc = verifyFix(useBucketOwnerFullControl(req), req, ev, ['acl-not-supported']);
    expect(bofc.verified).toBe(true);
    expect(bofc.commands).toEqual([
      `aws s3api put-object --bucket reports-bucket --key ${KEY} --body FILE --acl bucket-owner-full-control`,
    ]);
  });

  it('removing the ACL header also drops the s3:PutObjectAcl the header required: verified', () => {
    // An upload with x-amz-acl needs s3:PutObjectAcl too (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html);
    // once the header is gone only s3:PutObject is needed, which the identity policy grants.
    const ev = allowed({ Effect: 'Allow', Action: 's3:PutObject', Resource: OBJ });
    const req = s3Request(app, 'PutObject', 's3:PutObject', OBJ, 'reports-bucket', KEY, {
      resourceAccount: '111122223333',
      aclHeader: 'public-read',
      context: { 's3:x-amz-acl': 'public-read' },
      dataAccess: 'write',
    });
    const first = req.authorizations[0];
    if (!first) throw new Error('fixture');
    req.authorizations.push({ ...structuredClone(first), action: 's3:PutObjectAcl' });
    expect(codes(req, ev)).toContain('missing-allow-identity-policy');
    const f = verifyFix(removeAclHeader(req), req, ev, ['acl-not-supported']);
    expect(f.remainingCauses).toBeUndefined();
    expect(f.verified).toBe(true);
  });

  it('an object owned by another account: BucketOwnerEnforced is verified', () => {
    const ev = allowed({ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJ });
    const b = ev.buckets['reports-bucket'];
    const o = b?.objects?.[KEY];
    if (!b || !o) throw new Error('fixture');
    b.objectOwnership = 'ObjectWriter';
    o.ownerCanonicalId = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeed';
    o.acl = {
      Owner: { ID: o.ownerCanonicalId },
      Grants: [{ Grantee: { Type: 'CanonicalUser', ID: o.ownerCanonicalId }, Permission: 'FULL_CONTROL' }],
    };
    ev.canonicalIds[o.ownerCanonicalId] = '999988887777';
    const req = get();
    expect(codes(req, ev)).toEqual(['object-owned-by-other-account']);
    const fix = verifyFix(objectOwnershipChange(ev, 'reports-bucket'), req, ev, [
      'object-owned-by-other-account',
    ]);
    expect(fix.verified).toBe(true);
    // Taking ownership also lets the bucket account's other principals with identity grants in.
    expect(fix.blastRadius?.newlyAllowed).toContainEqual({
      principal: 'arn:aws:sts::111122223333:assumed-role/s3doctor-probe-peer-role/probe',
      action: 's3:GetObject',
      resource: OBJ,
    });
    expect(fix.blastRadius?.newlyAllowed.some((n) => n.principal === 'anonymous')).toBe(false);
  });

  it('Block Public Access: the bucket-level change is not enough while the account blocks too', () => {
    const ev = fixture('same-account');
    const b = ev.buckets['reports-bucket'];
    if (!b) throw new Error('fixture');
    b.policy = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: OBJ }],
    };
    const anon = { ...get(), principal: { kind: 'anonymous' as const } };
    anon.authorizations = anon.authorizations.map((a) => ({
      ...a,
      principal: { kind: 'anonymous' as const },
    }));
    expect(codes(anon, ev)).toEqual(['block-public-access']);
    const fix = verifyFix(
      bucketPublicAccessBlockChange(ev, 'reports-bucket', { RestrictPublicBuckets: false }),
      anon,
      ev,
      ['block-public-access'],
    );
    expect(fix.verified).toBe(false);
    expect(fix.remainingCauses).toEqual(['block-public-access']);
    const acct = ev.accounts['111122223333'];
    if (acct) acct.publicAccessBlock = null;
    const ok = verifyFix(
      bucketPublicAccessBlockChange(ev, 'reports-bucket', { RestrictPublicBuckets: false }),
      anon,
      ev,
      ['block-public-access'],
    );
    expect(ok.verified).toBe(true);
    expect(ok.commands?.[0]).toContain('RestrictPublicBuckets=false');
  });
});

describe('restoreKeyState: a KMS key that is not Enabled', () => {
  const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const r = ' --region us-east-1';

  it('names the command for each state, warns, and never carries a policy', () => {
    const cases: [string, string[]][] = [
      ['Disabled', [`aws kms enable-key --key-id ${KEY_ARN}${r}`]],
      [
        'PendingDeletion',
        [`aws kms cancel-key-deletion --key-id ${KEY_ARN}${r}`, `aws kms enable-key --key-id ${KEY_ARN}${r}`],
      ],
      [
        'PendingImport',
        [
          `aws kms get-parameters-for-import --key-id ${KEY_ARN} --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_4096${r}`,
        ],
      ],
    ];
    for (const [state, commands] of cases) {
      const fix = restoreKeyState(KEY_ARN, state);
      expect(fix.kind, state).toBe('config-change');
      expect(fix.commands, state).toEqual(commands);
      expect(fix.summary, state).toMatch(/Warning: .*ask the key's owner first/);
      expect(fix.patch, state).toEqual({
        target: { type: 'kms-key-state', id: KEY_ARN },
        before: { KeyState: state },
        after: { KeyState: 'Enabled' },
      });
      expect(fix.additionalPatches).toBeUndefined();
    }
    expect(restoreKeyState(KEY_ARN, 'PendingDeletion').summary).toContain('a cancelled key stays Disabled');
    expect(restoreKeyState(KEY_ARN, 'Unavailable').commands?.[1]).toMatch(
      /^aws kms connect-custom-key-store /,
    );
  });

  it('without the state (or the key), it says how to find it and carries no patch', () => {
    const fix = restoreKeyState(undefined, undefined);
    expect(fix.patch).toBeUndefined();
    expect(fix.summary).toMatch(/^Find the state of the KMS key that S3 needs \(describe-key\)/);
    expect(fix.commands).toEqual([
      "aws kms describe-key --key-id <key-id> --query 'KeyMetadata.[KeyState,DeletionDate,CustomKeyStoreId]'",
    ]);
    // A state known only from the error: the command, but nothing to verify against.
    const fromError = restoreKeyState(KEY_ARN, 'Disabled', { verifiable: false });
    expect(fromError.patch).toBeUndefined();
    expect(fromError.commands).toEqual([`aws kms enable-key --key-id ${KEY_ARN}${r}`]);
  });
});
