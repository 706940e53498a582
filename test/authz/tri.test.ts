// Three-valued logic and grant blame: which layer is reported when a grant fails or is unknown.

import { describe, expect, it } from 'vitest';
import type { Atom } from '../../src/authz/tri.js';
import { F, T, U, and, andDnf, blame, dnfValue, not, or } from '../../src/authz/tri.js';

const a = (layer: Atom['layer'], value: Atom['value'], granting = true, extra: Partial<Atom> = {}): Atom => ({
  layer,
  value,
  granting,
  ...extra,
});

describe('Kleene logic', () => {
  it('and/or/not', () => {
    expect(and(T, U)).toBe(U);
    expect(and(U, F)).toBe(F);
    expect(or(F, U)).toBe(U);
    expect(or(U, T)).toBe(T);
    expect(not(U)).toBe(U);
    expect(and()).toBe(T);
    expect(or()).toBe(F);
  });
  it('DNF values and products', () => {
    expect(dnfValue([])).toBe(F);
    expect(dnfValue([[]])).toBe(T);
    const d = andDnf(
      [[a('identity-policy', T)], [a('bucket-policy', U)]],
      [[a('access-point-policy', F)], [a('bucket-acl', T)]],
    );
    expect(d).toHaveLength(4);
    expect(dnfValue(d)).toBe(T);
  });
});

describe('blame', () => {
  it('names the missing identity allow first when nothing grants (same account)', () => {
    const b = blame([
      [a('identity-policy', F), a('permissions-boundary', T, false), a('session-policy', T, false)],
      [a('bucket-policy', F), a('permissions-boundary', T, false), a('session-policy', T, false)],
      [a('bucket-policy', F)],
    ]);
    expect([...b.blocked.keys()]).toEqual(['identity-policy']);
  });
  it('prefers the term where only a filter fails (boundary behind a role grant)', () => {
    const b = blame([
      [a('identity-policy', F), a('permissions-boundary', F, false), a('session-policy', T, false)],
      [a('bucket-policy', T), a('permissions-boundary', F, false), a('session-policy', T, false)],
      [a('bucket-policy', F)],
    ]);
    expect([...b.blocked.keys()]).toEqual(['permissions-boundary']);
  });
  it('same account, identity and boundary both lacking: blames them, not the session-ARN bucket path', () => {
    // The bucket-policy path that names the session ARN is not limited by the boundary, so it has the fewest
    // failing atoms; within one account the cause is still the identity side
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
    const b = blame([
      [a('identity-policy', F), a('permissions-boundary', F, false), a('session-policy', U, false)],
      [a('bucket-policy', F), a('permissions-boundary', F, false), a('session-policy', U, false)],
      [a('bucket-policy', F)],
    ]);
    expect([...b.blocked.keys()]).toEqual(['identity-policy', 'permissions-boundary']);
  });
  it('cross account (every term needs the bucket policy): the fewest failing atoms still decide', () => {
    const b = blame([
      [a('identity-policy', T), a('bucket-policy', F), a('permissions-boundary', F, false)],
      [a('identity-policy', T), a('bucket-policy', F)],
    ]);
    expect([...b.blocked.keys()]).toEqual(['bucket-policy']);
  });
  it('reports a neutraliser through its blame layer, with its facts', () => {
    const b = blame([
      [a('bucket-policy', F)],
      [
        a('object-acl', T),
        a('block-public-access', F, false, { kind: 'block', facts: { flag: 'IgnorePublicAcls' } }),
      ],
    ]);
    expect(b.blocked.get('block-public-access')).toBe('block');
    expect(b.facts.get('block-public-access')).toEqual({ flag: 'IgnorePublicAcls' });
  });
  it('unknown grants mark the unknown atoms of undecided terms and what the refusal would lack', () => {
    // Same account: identity OR resource policy (reference_policies_evaluation-logic.html); with the bucket policy
    // unknown, the certainly missing identity Allow is still what may block.
    const b = blame([[a('identity-policy', F)], [a('bucket-policy', U), a('block-public-access', U, false)]]);
    expect(b.blocked.size).toBe(0);
    expect([...b.unknown].sort()).toEqual(['block-public-access', 'bucket-policy', 'identity-policy']);
  });
  it('a true grant blames nothing', () => {
    const b = blame([[a('identity-policy', T)], [a('bucket-policy', F)]]);
    expect(b.blocked.size + b.unknown.size).toBe(0);
  });
});
