// evaluatePolicy: Action/NotAction, Resource/NotResource, traces, Tri aggregation, caching, the uncached path.
import { describe, expect, it } from 'vitest';
import {
  compilePolicy,
  evaluatePolicy,
  evaluatePolicyUncached,
  validatePolicy,
} from '../../src/iam/index.js';
import type { PolicyDocument } from '../../src/model/policy.js';
import { evaluate, request } from './helpers.js';

const doc = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Read',
      Effect: 'Allow',
      Action: ['s3:Get*', 's3:List*'],
      Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
    },
    { Sid: 'NoDelete', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
    { Sid: 'AllButIam', Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::other/*' },
    { Sid: 'DenyOutside', Effect: 'Deny', Action: 's3:PutObject', NotResource: 'arn:aws:s3:::b/uploads/*' },
  ],
};

describe('statement elements', () => {
  it('records which pattern matched and which element failed', () => {
    const ev = evaluate(doc, request());
    expect(ev.allow).toBe('true');
    expect(ev.explicitDeny).toBe('false');
    expect(ev.directAllow).toBeUndefined();
    const [read, noDelete, allButIam, denyOutside] = ev.statements;
    expect(read).toMatchObject({
      policy: { type: 'identity-policy', id: 'p', statementIndex: 0, sid: 'Read' },
      effect: 'Allow',
      matched: 'true',
      action: { matched: true, by: 's3:Get*' },
      resource: { matched: true, by: 'arn:aws:s3:::b/*' },
    });
    expect(read!.failedOn).toBeUndefined();
    expect(noDelete).toMatchObject({ matched: 'false', failedOn: 'action', action: { matched: false } });
    expect(allButIam).toMatchObject({ matched: 'false', failedOn: 'resource', action: { matched: true } });
    expect(denyOutside).toMatchObject({ matched: 'false', failedOn: 'action' });
  });

  it('Allow + NotAction grants everything except the listed actions', () => {
    const ev = evaluate(doc, request({ action: 'ec2:RunInstances', resource: 'arn:aws:s3:::other/x' }));
    expect(ev.statements[2]).toMatchObject({ matched: 'true', action: { matched: true } });
    const iam = evaluate(doc, request({ action: 'iam:CreateUser', resource: 'arn:aws:s3:::other/x' }));
    expect(iam.statements[2]).toMatchObject({
      matched: 'false',
      failedOn: 'action',
      action: { matched: false, by: 'iam:*' },
    });
  });

  it('Deny + NotResource denies everything outside the listed resources', () => {
    const out = evaluate(doc, request({ action: 's3:PutObject', resource: 'arn:aws:s3:::b/data/x' }));
    expect(out.explicitDeny).toBe('true');
    expect(out.statements[3]).toMatchObject({ matched: 'true', resource: { matched: true } });
    const inside = evaluate(doc, request({ action: 's3:PutObject', resource: 'arn:aws:s3:::b/uploads/x' }));
    expect(inside.explicitDeny).toBe('false');
    expect(inside.statements[3]).toMatchObject({
      failedOn: 'resource',
      resource: { matched: false, by: 'arn:aws:s3:::b/uploads/*' },
    });
  });

  it('the classic bucket/object ARN mix-ups never match', () => {
    const p = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b/*' }],
    };
    expect(evaluate(p, request({ action: 's3:ListBucket', resource: 'arn:aws:s3:::b' })).allow).toBe('false');
    const q = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b' }],
    };
    expect(evaluate(q, request()).allow).toBe('false');
  });

  it('a statement without Resource applies to the resource (trust-policy style)', () => {
    const p = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] };
    expect(evaluate(p, request()).statements[0]).toMatchObject({
      matched: 'true',
      resource: { matched: true },
    });
  });

  it('action matching is case-insensitive in the request too', () => {
    expect(evaluate(doc, request({ action: 'S3:GETOBJECT' })).allow).toBe('true');
  });
});

describe('three-valued aggregation', () => {
  const p = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1' } },
      },
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'true' } },
      },
    ],
  };
  it('a true Allow wins over an unknown one; unknown when nothing else settles it', () => {
    expect(
      evaluate(p, request({ context: { 'aws:SecureTransport': 'true' }, unknownKeys: ['aws:SourceVpce'] }))
        .allow,
    ).toBe('true');
    expect(
      evaluate(p, request({ context: { 'aws:SecureTransport': 'false' }, unknownKeys: ['aws:SourceVpce'] }))
        .allow,
    ).toBe('unknown');
    expect(evaluate(p, request({ context: { 'aws:SecureTransport': 'false' } })).allow).toBe('false');
  });
});

describe('compilation cache', () => {
  it('compiles once per document object and ref, and evaluates repeatably', () => {
    const d = validatePolicy(doc, 'p').document as PolicyDocument;
    const ref = { type: 'identity-policy' as const, id: 'x' };
    const a = compilePolicy(d, ref);
    expect(compilePolicy(d, { ...ref })).toBe(a);
    expect(compilePolicy(d, { type: 'identity-policy', id: 'y' })).not.toBe(a);
    expect(compilePolicy(d, { type: 'identity-policy', id: 'y' }).body).toBe(a.body);
    const req = request();
    expect(evaluatePolicy(a, req)).toEqual(evaluatePolicy(a, req));
    expect(evaluatePolicy(a, request({ action: 's3:DeleteObject' })).explicitDeny).toBe('true');
    expect(evaluatePolicy(a, req).explicitDeny).toBe('false');
  });

  it('evaluatePolicyUncached gives the same result as the cached path', () => {
    const reqs = [
      request(),
      request({ action: 's3:DeleteObject' }),
      request({ action: 's3:PutObject', resource: 'arn:aws:s3:::b/data/x' }),
      request({ action: 'iam:CreateUser', resource: 'arn:aws:s3:::other/x' }),
    ];
    for (const r of reqs) {
      expect(evaluatePolicyUncached(JSON.stringify(doc), r, { type: 'identity-policy', id: 'p' })).toEqual(
        evaluate(doc, r),
      );
    }
    expect(() => evaluatePolicyUncached({ Statement: [] }, request())).toThrow(/invalid policy/);
  });
});
