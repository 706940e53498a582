// Property tests: evaluatePolicy never throws on validated random documents, and unknown keys are sound.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BASE_OPERATORS,
  compilePolicy,
  evaluatePolicy,
  evaluatePolicyUncached,
  validatePolicy,
} from '../../src/iam/index.js';
import type { PolicyDocument, PolicyRef } from '../../src/model/policy.js';
import type { AuthzRequest, ContextValue } from '../../src/model/request.js';
import { alice, anonymous, request, root, session } from './helpers.js';

const KEYS = [
  'aws:SourceIp',
  'aws:SourceVpce',
  'aws:TagKeys',
  'aws:CurrentTime',
  's3:max-keys',
  'aws:username',
  'aws:PrincipalTag/team',
];
const VALUES = [
  '203.0.113.0/24',
  '2001:db8::/32',
  '203.0.113.7',
  'vpce-1',
  '*',
  'a*',
  '?',
  '10',
  '1.5',
  '2026-01-01T00:00:00Z',
  '1700000000',
  'true',
  'false',
  'QmluYXJ5',
  'arn:aws:s3:::b/*',
  'arn:aws:iam::*:role/R',
  '${aws:username}',
  "${aws:PrincipalTag/team, 'x'}",
  '${*}',
];
const REQUEST_VALUES: ContextValue[] = [
  '203.0.113.7',
  '2001:db8::1',
  'vpce-1',
  'alice',
  '10',
  '2026-06-01T00:00:00Z',
  'true',
  'x',
  [],
  ['a', 'b'],
  ['203.0.113.7'],
];

const operatorName = fc
  .tuple(
    fc.constantFrom('', 'ForAnyValue:', 'ForAllValues:'),
    fc.constantFrom(...Object.keys(BASE_OPERATORS)),
    fc.boolean(),
  )
  .map(([set, base, ifExists]) => `${set}${base}${ifExists ? 'IfExists' : ''}`);

const statement = fc.record(
  {
    Effect: fc.constantFrom('Allow', 'Deny'),
    Action: fc.constantFrom('s3:GetObject', 's3:Get*', '*', ['s3:PutObject', 's3:List*']),
    Resource: fc.constantFrom('*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b/${aws:username}/*', 'arn:aws:s3:::b'),
    Principal: fc.constantFrom(
      '*',
      { AWS: '111122223333' },
      { AWS: 'arn:aws:iam::111122223333:role/Reader' },
      { Service: 'x.amazonaws.com' },
    ),
    Condition: fc.dictionary(
      operatorName,
      fc.dictionary(
        fc.constantFrom(...KEYS),
        fc.array(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }),
        { maxKeys: 2 },
      ),
      { maxKeys: 3 },
    ),
  },
  { requiredKeys: ['Effect', 'Action'] },
);

const documentArb = fc.record({
  Version: fc.constantFrom('2012-10-17', '2008-10-17'),
  Statement: fc.array(statement, { minLength: 1, maxLength: 4 }),
});

const context = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...REQUEST_VALUES), { maxKeys: 5 });
const refArb = fc.constantFrom<PolicyRef>(
  { type: 'identity-policy', id: 'i' },
  { type: 'bucket-policy', id: 'b' },
);
const principalArb = fc.constantFrom(alice, session, root, anonymous);

const TRI = ['true', 'false', 'unknown'];

describe('evaluatePolicy properties', () => {
  it('never throws on validated documents and returns well-formed traces', () => {
    fc.assert(
      fc.property(
        documentArb,
        context,
        fc.subarray(KEYS),
        refArb,
        principalArb,
        (raw, ctx, unknownKeys, ref, principal) => {
          const v = validatePolicy(raw, 'p');
          if (!v.document) return;
          const unknown = unknownKeys.filter((k) => !(k in ctx));
          const req = request({ principal, context: ctx, unknownKeys: unknown });
          const ev = evaluatePolicy(compilePolicy(v.document as PolicyDocument, ref), req);
          expect(TRI).toContain(ev.allow);
          expect(TRI).toContain(ev.explicitDeny);
          expect(ev.statements).toHaveLength((v.document.Statement as unknown[]).length);
          expect(evaluatePolicyUncached(raw, { ...req }, ref)).toEqual(ev);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('memoised compiled policies give the uncached answer for any sequence of requests', () => {
    fc.assert(
      fc.property(
        documentArb,
        refArb,
        fc.array(
          fc.record({
            principal: principalArb,
            context,
            action: fc.constantFrom('s3:GetObject', 's3:PutObject', 's3:ListBucket'),
            resource: fc.constantFrom(
              'arn:aws:s3:::b/k',
              'arn:aws:s3:::b',
              'arn:aws:s3:::b/alice/x',
              'arn:aws:s3:::c/k',
            ),
            unknownKeys: fc.subarray(KEYS, { maxLength: 2 }),
          }),
          { minLength: 2, maxLength: 6 },
        ),
        (raw, ref, reqs) => {
          const v = validatePolicy(raw, 'p');
          if (!v.document) return;
          const compiled = compilePolicy(v.document as PolicyDocument, ref);
          for (const r of reqs) {
            const req = request({ ...r, unknownKeys: r.unknownKeys.filter((k) => !(k in r.context)) });
            expect(evaluatePolicy(compiled, req)).toEqual(evaluatePolicyUncached(raw, req, ref));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a definite result with unknown keys holds for every concrete value of those keys', () => {
    fc.assert(
      fc.property(
        documentArb,
        context,
        fc.constantFrom(...KEYS),
        fc.constantFrom<ContextValue | undefined>(undefined, ...REQUEST_VALUES),
        (raw, ctx, key, concrete) => {
          const v = validatePolicy(raw, 'p');
          if (!v.document) return;
          const ref: PolicyRef = { type: 'identity-policy', id: 'i' };
          const base = { ...ctx };
          delete base[key];
          const p = compilePolicy(v.document as PolicyDocument, ref);
          const withUnknown = evaluatePolicy(p, request({ context: base, unknownKeys: [key] }));
          const resolved: AuthzRequest = request({
            context: concrete === undefined ? base : { ...base, [key]: concrete },
          });
          const actual = evaluatePolicy(p, resolved);
          if (withUnknown.allow !== 'unknown') expect(actual.allow).toBe(withUnknown.allow);
          if (withUnknown.explicitDeny !== 'unknown')
            expect(actual.explicitDeny).toBe(withUnknown.explicitDeny);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
