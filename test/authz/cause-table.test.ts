// The cause table: causeCodesOf maps blocking layers of an evaluation to the contract's cause codes.

import { describe, expect, it } from 'vitest';
import { ERROR_CODE_CAUSES, causeCodesOf } from '../../src/authz/cause-table.js';
import type { Evaluation, LayerName, LayerResult } from '../../src/model/evaluation.js';
import { s3Request, session } from '../fix/helpers.js';

const req = s3Request(
  session('111122223333', 'app'),
  'GetObject',
  's3:GetObject',
  'arn:aws:s3:::b/k',
  'b',
  'k',
  { resourceAccount: '444455556666' },
);

function layer(
  name: LayerName,
  outcome: LayerResult['outcome'],
  facts?: Record<string, unknown>,
): LayerResult {
  return { layer: name, applies: 'true', outcome, policies: [], ...(facts ? { facts } : {}) };
}

function evaluation(
  layers: LayerResult[],
  action = 's3:GetObject',
  decision: Evaluation['decision'] = 'ImplicitDeny',
): Evaluation {
  const az = { ...(req.authorizations[0] as (typeof req.authorizations)[number]), action };
  return {
    request: req,
    decision,
    certain: true,
    possibleDecisions: [decision],
    authorizations: [{ request: az, decision, certain: true, possibleDecisions: [decision], layers }],
    unknowns: [],
  };
}

describe('causeCodesOf', () => {
  it.each([
    ['scp', 'explicit-deny', 'explicit-deny-scp'],
    ['rcp', 'explicit-deny', 'explicit-deny-rcp'],
    ['scp', 'missing-allow', 'missing-allow-scp'],
    ['identity-policy', 'missing-allow', 'missing-allow-identity-policy'],
    ['identity-policy', 'explicit-deny', 'explicit-deny-identity-policy'],
    ['permissions-boundary', 'missing-allow', 'missing-allow-permissions-boundary'],
    ['session-policy', 'explicit-deny', 'explicit-deny-session-policy'],
    ['bucket-policy', 'missing-allow', 'missing-allow-bucket-policy'],
    ['access-point-policy', 'explicit-deny', 'explicit-deny-access-point-policy'],
    ['vpc-endpoint-policy', 'missing-allow', 'missing-allow-vpc-endpoint-policy'],
    ['kms-key-policy', 'explicit-deny', 'explicit-deny-kms-key-policy'],
    ['kms-key-policy', 'missing-allow', 'missing-allow-kms'],
    ['kms-identity-policy', 'missing-allow', 'missing-allow-kms'],
    ['block-public-access', 'block', 'block-public-access'],
    ['object-ownership', 'block', 'acl-not-supported'],
    ['requester-pays', 'block', 'requester-pays-not-acknowledged'],
    ['object-lock', 'block', 'object-lock-protected'],
    // S3 reports a VPC-only access point's refusal as an explicit deny in a resource-based policy.
    ['access-point-network-origin', 'block', 'explicit-deny-access-point-policy'],
    ['bucket-acl', 'missing-allow', 'missing-allow-bucket-policy'],
    ['kms-key-state', 'block', 'kms-key-unusable'],
  ] as const)('%s %s -> %s', (name, outcome, code) => {
    expect(causeCodesOf(evaluation([layer(name, outcome)]))).toEqual([code]);
  });

  it('maps S3 object state and ownership from their facts', () => {
    expect(causeCodesOf(evaluation([layer('object-ownership', 'block', { foreignOwner: true })]))).toEqual([
      'object-owned-by-other-account',
    ]);
    expect(causeCodesOf(evaluation([layer('object-state', 'block', { storageClass: 'GLACIER' })]))).toEqual([
      'archived-object',
    ]);
    expect(causeCodesOf(evaluation([layer('object-state', 'block', { exists: false })]))).toEqual([
      'object-not-found-without-list',
    ]);
    expect(
      causeCodesOf(
        evaluation([layer('kms-key-policy', 'block', { check: 'aws-managed-key-cross-account' })]),
      ),
    ).toEqual(['kms-aws-managed-key-cross-account']);
    expect(
      causeCodesOf(evaluation([layer('bucket-policy', 'block', { cause: 'block-public-access' })])),
    ).toEqual(['block-public-access']);
  });

  it('lists every blocking layer once, in order, and ignores passing and unknown layers', () => {
    const e = evaluation([
      layer('scp', 'explicit-deny'),
      layer('identity-policy', 'missing-allow'),
      layer('bucket-policy', 'missing-allow'),
      layer('vpc-endpoint-policy', 'unknown'),
      layer('block-public-access', 'allow'),
      layer('rcp', 'missing-allow'),
    ]);
    expect(causeCodesOf(e)).toEqual([
      'explicit-deny-scp',
      'missing-allow-identity-policy',
      'missing-allow-bucket-policy',
    ]);
  });

  it('a key that is not Enabled is kms-key-unusable, from the layer or from the KMS error code alone', () => {
    const state = layer('kms-key-state', 'block', {
      keyState: 'Disabled',
      errorCode: 'KMS.DisabledException',
    });
    expect(causeCodesOf(evaluation([state], 'kms:Decrypt'))).toEqual(['kms-key-unusable']);
    for (const code of ['KMS.DisabledException', 'KMS.KMSInvalidStateException'])
      expect(ERROR_CODE_CAUSES[code], code).toBe('kms-key-unusable');
    expect(ERROR_CODE_CAUSES['KMS.NotFoundException']).toBeUndefined();
  });

  it('a missing identity allow for a kms: authorization is missing-allow-kms', () => {
    expect(causeCodesOf(evaluation([layer('identity-policy', 'missing-allow')], 'kms:Decrypt'))).toEqual([
      'missing-allow-kms',
    ]);
  });

  it('same account: the identity side is the cause, not the bucket policy', () => {
    const e = evaluation([
      layer('identity-policy', 'missing-allow'),
      layer('bucket-policy', 'missing-allow'),
    ]);
    const az = e.authorizations[0];
    if (!az) throw new Error('fixture');
    az.request = { ...az.request, resourceAccount: '111122223333' };
    expect(causeCodesOf(e)).toEqual(['missing-allow-identity-policy']);
  });

  it('authentication failures map by error code; an allowed evaluation has no causes', () => {
    const e = evaluation([layer('authentication', 'block')], 's3:GetObject', 'NotAuthenticated');
    e.request = { ...e.request, errorCode: 'ExpiredToken' };
    expect(causeCodesOf(e)).toEqual(['expired-credentials']);
    e.request = { ...e.request, errorCode: 'RequestTimeTooSkewed' };
    expect(causeCodesOf(e)).toEqual(['clock-skew']);
    e.request = { ...e.request, errorCode: 'AccessDenied', errorMessage: 'Request has expired' };
    expect(causeCodesOf(e)).toEqual(['presigned-url-expired']);
    expect(causeCodesOf(evaluation([layer('identity-policy', 'allow')], 's3:GetObject', 'Allowed'))).toEqual(
      [],
    );
  });

  it('skips authorizations S3 only possibly needs unless asked', () => {
    const e = evaluation([layer('identity-policy', 'missing-allow')]);
    const az = e.authorizations[0];
    if (!az) throw new Error('fixture');
    az.request = { ...az.request, need: 'possible' };
    expect(causeCodesOf(e)).toEqual([]);
    expect(causeCodesOf(e, { includePossible: true })).toEqual(['missing-allow-identity-policy']);
  });
});
