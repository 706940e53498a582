// findPolicyDocument / findPolicyStatement: each PolicyRef form the authz engine produces finds its
// document in a snapshot; unknown and "none" both give undefined.

import { describe, expect, it } from 'vitest';
import { findPolicyDocument, findPolicyStatement } from '../../src/evidence/policy-lookup.js';
import { evidenceOf } from '../rules/case-kit.js';

const ROLE = 'arn:aws:iam::111122223333:role/app';
const doc = (sid: string) => ({
  Version: '2012-10-17',
  Statement: [{ Sid: sid, Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
});
const evidence = evidenceOf({
  principals: {
    [ROLE]: {
      policies: [
        { name: 'inline-read', kind: 'inline', document: doc('Inline') },
        {
          name: 'Managed',
          kind: 'managed',
          arn: 'arn:aws:iam::111122223333:policy/Managed',
          document: doc('M'),
        },
      ],
      permissionsBoundary: { arn: 'arn:aws:iam::111122223333:policy/Boundary', document: doc('B') },
    },
  },
  buckets: { b: { policy: doc('Bucket') }, none: { policy: null } },
})!;
const sid = (d: ReturnType<typeof findPolicyDocument>) => {
  const st = d?.Statement;
  return Array.isArray(st) ? st[0]?.Sid : st?.Sid;
};

describe('findPolicyDocument', () => {
  it('finds identity policies by name under the principal, by ARN, and by <principal>/<name>', () => {
    expect(
      sid(findPolicyDocument(evidence, { type: 'identity-policy', id: ROLE, name: 'inline-read' })),
    ).toBe('Inline');
    const managed = { type: 'identity-policy', id: 'arn:aws:iam::111122223333:policy/Managed' } as const;
    expect(sid(findPolicyDocument(evidence, managed))).toBe('M');
    expect(sid(findPolicyDocument(evidence, { type: 'identity-policy', id: `${ROLE}/inline-read` }))).toBe(
      'Inline',
    );
    expect(
      findPolicyDocument(evidence, { type: 'identity-policy', id: ROLE, name: 'other' }),
    ).toBeUndefined();
  });
  it('finds a boundary by its ARN or by the principal, and resource policies by id', () => {
    const byArn = { type: 'permissions-boundary', id: 'arn:aws:iam::111122223333:policy/Boundary' } as const;
    expect(sid(findPolicyDocument(evidence, byArn))).toBe('B');
    expect(sid(findPolicyDocument(evidence, { type: 'permissions-boundary', id: ROLE }))).toBe('B');
    expect(sid(findPolicyDocument(evidence, { type: 'bucket-policy', id: 'b' }))).toBe('Bucket');
  });
  it('gives undefined for no evidence, no policy, and an unknown bucket', () => {
    expect(findPolicyDocument(undefined, { type: 'bucket-policy', id: 'b' })).toBeUndefined();
    expect(findPolicyDocument(evidence, { type: 'bucket-policy', id: 'none' })).toBeUndefined();
    expect(findPolicyDocument(evidence, { type: 'bucket-policy', id: 'missing' })).toBeUndefined();
  });
  it('findPolicyStatement picks the indexed statement', () => {
    expect(findPolicyStatement(evidence, { type: 'bucket-policy', id: 'b', statementIndex: 0 })?.Sid).toBe(
      'Bucket',
    );
    expect(
      findPolicyStatement(evidence, { type: 'bucket-policy', id: 'b', statementIndex: 1 }),
    ).toBeUndefined();
    expect(findPolicyStatement(evidence, { type: 'bucket-policy', id: 'b' })).toBeUndefined();
  });
});
