// A merge that only widens Allow keeps every certainly allowed request allowed: checked against the evaluator.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../src/authz/index.js';
import { applyPatchesToEvidence } from '../../src/fix/apply.js';
import { certainlyAllowed } from '../../src/fix/verify.js';
import { widens } from '../../src/fix/widen.js';
import type { PolicyPatch } from '../../src/model/cause.js';
import type { PolicyDocument, PolicyStatement } from '../../src/model/policy.js';
import { fixture, s3Request, session, user } from './helpers.js';

const BUCKET = 'reports-bucket';
const ALICE = 'arn:aws:iam::111122223333:user/alice';
const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:Get*', 's3:*'];
const RESOURCES = [
  `arn:aws:s3:::${BUCKET}`,
  `arn:aws:s3:::${BUCKET}/*`,
  `arn:aws:s3:::${BUCKET}/a/*`,
  `arn:aws:s3:::${BUCKET}/b/2`,
  '*',
];
const OPS = [
  'StringEquals',
  'StringLike',
  'StringNotEquals',
  'StringEqualsIfExists',
  'ForAnyValue:StringLike',
  'ForAllValues:StringEquals',
  'IpAddress',
  'NotIpAddress',
  'Bool',
  'Null',
  'ArnNotLike',
];
const KEYS: Record<string, string[]> = {
  'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24', '203.0.113.7/32'],
  's3:prefix': ['a/', 'b/', 'a/*'],
  'aws:PrincipalArn': [ALICE, 'arn:aws:iam::111122223333:role/app', 'arn:aws:iam::444455556666:*'],
  'aws:SecureTransport': ['true', 'false'],
};
const PRINCIPALS = ['*', { AWS: ALICE }, { AWS: 'arn:aws:iam::444455556666:root' }, { AWS: '111122223333' }];

const some = <T>(xs: T[]) => fc.subarray(xs, { minLength: 1, maxLength: Math.min(3, xs.length) });
const condition = fc.dictionary(
  fc.constantFrom(...OPS),
  fc
    .constantFrom(...Object.keys(KEYS))
    .chain((k) => some(KEYS[k]!).map((v) => ({ [k]: v.length === 1 ? v[0]! : v }))),
  { maxKeys: 2 },
);
const statement = (resourcePolicy: boolean): fc.Arbitrary<PolicyStatement> =>
  fc
    .record({
      Effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
      Action: some(ACTIONS),
      Resource: some(RESOURCES),
      Condition: fc.option(condition, { nil: undefined }),
      Principal: fc.constantFrom(...PRINCIPALS),
    })
    .map(({ Principal, Condition, ...s }) => ({
      ...s,
      ...(resourcePolicy ? { Principal } : {}),
      ...(Condition && Object.keys(Condition).length > 0 ? { Condition } : {}),
    })) as fc.Arbitrary<PolicyStatement>;

/** A document and a widening of it: values added to some Allow statements' lists, Allow statements appended. */
const pair = (resourcePolicy: boolean) =>
  fc
    .record({
      narrow: fc.array(statement(resourcePolicy), { minLength: 1, maxLength: 3 }),
      grow: fc.array(fc.tuple(fc.nat(), fc.constantFrom('Action', 'Resource', 'Condition'), fc.nat()), {
        maxLength: 3,
      }),
      extra: fc.array(statement(resourcePolicy), { maxLength: 2 }),
    })
    .map(({ narrow, grow, extra }) => {
      const wide = structuredClone(narrow);
      for (const [i, field, v] of grow) {
        const s = wide[i % wide.length]!;
        if (field === 'Condition') {
          for (const keys of Object.values(s.Condition ?? {}))
            for (const [k, vals] of Object.entries(keys))
              keys[k] = [...new Set([...[vals].flat(), KEYS[k]![v % KEYS[k]!.length]!])];
        } else {
          const pool = field === 'Action' ? ACTIONS : RESOURCES;
          s[field] = [...new Set([...[s[field] ?? []].flat(), pool[v % pool.length]!])];
        }
      }
      wide.push(...extra);
      const doc = (Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
      return { narrow: doc(narrow), wide: doc(wide) };
    });

const evidence = fixture('same-account');
const request = fc
  .record({
    who: fc.constantFrom(
      user('111122223333', 'alice'),
      session('111122223333', 'app'),
      user('444455556666', 'bob'),
    ),
    op: fc.constantFrom(
      ['GetObject', 's3:GetObject', 'a/1'],
      ['PutObject', 's3:PutObject', 'b/2'],
      ['ListBucket', 's3:ListBucket', undefined],
    ),
    ip: fc.constantFrom('10.1.2.3', '203.0.113.7'),
    prefix: fc.constantFrom('a/', 'b/'),
  })
  .map(({ who, op: [operation, action, key], ip, prefix }) =>
    s3Request(
      who,
      operation!,
      action!,
      key ? `arn:aws:s3:::${BUCKET}/${key}` : `arn:aws:s3:::${BUCKET}`,
      BUCKET,
      key,
      {
        resourceAccount: '111122223333',
        context: { 'aws:SourceIp': ip, ...(key ? {} : { 's3:prefix': prefix }) },
      },
    ),
  );

const target = (resourcePolicy: boolean): PolicyPatch['target'] =>
  resourcePolicy
    ? { type: 'bucket-policy', id: BUCKET }
    : { type: 'identity-policy', id: ALICE, name: 's3doctor-reports-bucket' };

describe('widens', () => {
  for (const resourcePolicy of [false, true]) {
    it(`never lets a certainly allowed request fall when it says a ${resourcePolicy ? 'bucket' : 'identity'} policy only widens`, () => {
      let premises = 0;
      fc.assert(
        fc.property(pair(resourcePolicy), fc.array(request, { minLength: 1, maxLength: 4 }), (p, reqs) => {
          if (!widens(p.narrow, p.wide, target(resourcePolicy).type)) return;
          const with_ = (after: PolicyDocument) =>
            applyPatchesToEvidence(evidence, [{ target: target(resourcePolicy), before: null, after }]);
          const narrowEv = with_(p.narrow);
          const wideEv = with_(p.wide);
          for (const r of reqs) {
            if (!certainlyAllowed(evaluateRequest(r, narrowEv))) continue;
            premises++;
            expect(certainlyAllowed(evaluateRequest(r, wideEv))).toBe(true);
          }
        }),
        { numRuns: 150 },
      );
      // The property must have been put to the test, not skipped.
      expect(premises).toBeGreaterThan(10);
    });
  }

  const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
  const read: PolicyStatement = {
    Sid: 'Read',
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: `arn:aws:s3:::${BUCKET}/a/*`,
    Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
  };
  it('accepts appended Allow statements and grown Action, Resource and positive condition lists', () => {
    const grown: PolicyStatement = {
      ...read,
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: [`arn:aws:s3:::${BUCKET}/a/*`, `arn:aws:s3:::${BUCKET}/b/*`],
      Condition: { StringEquals: { 'aws:SourceVpce': ['vpce-1', 'vpce-2'] } },
    };
    const extra: PolicyStatement = {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: `arn:aws:s3:::${BUCKET}`,
    };
    expect(widens(doc(read), doc(grown, extra), 'identity-policy')).toBe(true);
  });
  it('refuses what can narrow: a Deny added or changed, a negated operator grown, a statement gone, a policy turned public', () => {
    const deny: PolicyStatement = { Effect: 'Deny', Action: 's3:*', Resource: '*' };
    expect(widens(doc(read), doc(read, deny), 'identity-policy')).toBe(false);
    expect(widens(doc(read, deny), doc(read, { ...deny, Resource: ['*', 'x'] }), 'identity-policy')).toBe(
      false,
    );
    const not = { ...read, Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } };
    const notMore = { ...read, Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-1', 'vpce-2'] } } };
    expect(widens(doc(not), doc(notMore), 'identity-policy')).toBe(false);
    expect(widens(doc(read, read), doc(read), 'identity-policy')).toBe(false);
    const named = { ...read, Principal: { AWS: ALICE } };
    const open = { Effect: 'Allow' as const, Principal: '*' as const, Action: 's3:GetObject', Resource: '*' };
    expect(widens(doc(named), doc(named, open), 'bucket-policy')).toBe(false);
    expect(widens(doc(named), doc(named, { ...open, Principal: { AWS: ALICE } }), 'bucket-policy')).toBe(
      true,
    );
  });
});
