// Property: for any denied S3 action on any key, the identity patch is verified and grants nothing else.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../src/authz/index.js';
import {
  addIdentityStatement,
  causeCodesOf,
  leastPrivilegeProblems,
  verifyFix,
} from '../../src/fix/index.js';
import type { PolicyPatch } from '../../src/model/cause.js';
import { fixture, s3Request, session } from './helpers.js';

const OBJECT_ACTIONS = [
  ['GetObject', 's3:GetObject'],
  ['PutObject', 's3:PutObject'],
  ['DeleteObject', 's3:DeleteObject'],
  ['GetObjectTagging', 's3:GetObjectTagging'],
  ['PutObjectTagging', 's3:PutObjectTagging'],
  ['RestoreObject', 's3:RestoreObject'],
] as const;
const BUCKET_ACTIONS = [
  ['ListObjectsV2', 's3:ListBucketVersions'],
  ['GetBucketTagging', 's3:GetBucketTagging'],
  ['GetBucketVersioning', 's3:GetBucketVersioning'],
] as const;

const keyArb = fc
  .array(fc.stringMatching(/^[A-Za-z0-9 ._=+-]{1,12}$/), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join('/'));

describe('identity patches over many actions and keys', () => {
  const ev = fixture('same-account');
  const app = session('111122223333', 'app');

  it('object actions: ImplicitDeny becomes Allowed, nothing else is newly allowed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OBJECT_ACTIONS), keyArb, ([operation, action], key) => {
        const resource = `arn:aws:s3:::reports-bucket/${key}`;
        const e = ev.buckets['reports-bucket']?.objects;
        const evidence = structuredClone(ev);
        evidence.buckets['reports-bucket']!.objects = {
          ...e,
          [key]: {
            exists: true,
            storageClass: 'STANDARD',
            serverSideEncryption: 'AES256',
            ownerCanonicalId: ev.buckets['reports-bucket']?.ownerCanonicalId,
            legalHold: 'OFF',
            retention: null,
            restoreStatus: null,
          },
        };
        const req = s3Request(app, operation, action, resource, 'reports-bucket', key, {
          resourceAccount: '111122223333',
          dataAccess: 'none',
        });
        expect(evaluateRequest(req, evidence).decision).toBe('ImplicitDeny');
        const blocking = causeCodesOf(evaluateRequest(req, evidence));
        const fix = addIdentityStatement(evidence, app, [action], [resource]);
        expect(leastPrivilegeProblems(fix.patch as PolicyPatch)).toEqual([]);
        const v = verifyFix(fix, req, evidence, blocking);
        expect(v.verified).toBe(true);
        expect(v.blastRadius?.newlyAllowed).toEqual([]);
      }),
      { numRuns: 12, seed: 20261202 },
    );
  });

  it.each(BUCKET_ACTIONS)('bucket action %s (%s)', (operation, action) => {
    const req = s3Request(
      app,
      operation,
      action,
      'arn:aws:s3:::reports-bucket',
      'reports-bucket',
      undefined,
      {
        resourceAccount: '111122223333',
        dataAccess: 'none',
      },
    );
    expect(evaluateRequest(req, ev).decision).toBe('ImplicitDeny');
    const v = verifyFix(
      addIdentityStatement(ev, app, [action], ['arn:aws:s3:::reports-bucket']),
      req,
      ev,
      [],
    );
    expect(v.verified).toBe(true);
    expect(v.blastRadius?.probes).toBeGreaterThan(5);
    expect(v.blastRadius?.newlyAllowed).toEqual([]);
  });
});
