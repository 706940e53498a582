// Principal and NotPrincipal matching in resource-based policies, with delegation and directAllow.
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/model/request.js';
import type { PolicyRef } from '../../src/model/policy.js';
import { ACCOUNT, OTHER, alice, anonymous, evaluate, request, root, session } from './helpers.js';

const bucket: PolicyRef = { type: 'bucket-policy', id: 'b' };

function allowFor(principal: unknown, who: Principal, ref: PolicyRef = bucket, opts = {}) {
  const doc = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'S',
        Effect: 'Allow',
        Principal: principal,
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::b/*',
      },
    ],
  };
  const ev = evaluate(doc, request({ principal: who }), ref, opts);
  return { allow: ev.allow, direct: ev.directAllow, principal: ev.statements[0]!.principal };
}

const service: Principal = { kind: 'service', service: 'logging.s3.amazonaws.com' };
const fed: Principal = {
  kind: 'federated-user',
  arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
  accountId: ACCOUNT,
  name: 'bob',
};
const pathUser: Principal = {
  kind: 'iam-user',
  arn: `arn:aws:iam::${ACCOUNT}:user/team/data/carol`,
  accountId: ACCOUNT,
  name: 'carol',
};

describe('Principal forms', () => {
  it('"*" and {"AWS":"*"} match everyone, anonymous included, directly', () => {
    for (const p of ['*', { AWS: '*' }]) {
      for (const who of [alice, session, anonymous, root, service]) {
        expect(allowFor(p, who)).toMatchObject({
          allow: 'true',
          direct: 'true',
          principal: { matched: 'true', via: 'wildcard' },
        });
      }
    }
  });

  it('an account id or :root ARN delegates to the account (not direct), but is direct for its root user', () => {
    for (const p of [{ AWS: ACCOUNT }, { AWS: `arn:aws:iam::${ACCOUNT}:root` }]) {
      expect(allowFor(p, alice)).toMatchObject({
        allow: 'true',
        direct: 'false',
        principal: { matched: 'account', via: 'account' },
      });
      expect(allowFor(p, session)).toMatchObject({
        allow: 'true',
        direct: 'false',
        principal: { matched: 'account' },
      });
      expect(allowFor(p, root)).toMatchObject({
        allow: 'true',
        direct: 'true',
        principal: { matched: 'true', via: 'root' },
      });
      expect(allowFor(p, anonymous)).toMatchObject({ allow: 'false', principal: { matched: 'false' } });
    }
    expect(allowFor({ AWS: OTHER }, alice).allow).toBe('false');
  });

  it('a user ARN matches that user (with its path)', () => {
    expect(allowFor({ AWS: alice.kind === 'iam-user' ? alice.arn : '' }, alice)).toMatchObject({
      direct: 'true',
      principal: { via: 'user' },
    });
    expect(allowFor({ AWS: `arn:aws:iam::${ACCOUNT}:user/team/data/carol` }, pathUser).direct).toBe('true');
    expect(allowFor({ AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, alice).allow).toBe('false');
    expect(allowFor({ AWS: `arn:aws:iam::${OTHER}:user/alice` }, alice).allow).toBe('false');
  });

  it('a role ARN matches every session of the role; a session ARN only that session', () => {
    expect(allowFor({ AWS: `arn:aws:iam::${ACCOUNT}:role/Reader` }, session)).toMatchObject({
      direct: 'true',
      principal: { via: 'role' },
    });
    expect(allowFor({ AWS: `arn:aws:iam::${ACCOUNT}:role/ops/Reader` }, session).direct).toBe('true');
    expect(allowFor({ AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/job-1` }, session)).toMatchObject({
      direct: 'true',
      principal: { via: 'session' },
    });
    expect(allowFor({ AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/job-2` }, session).allow).toBe(
      'false',
    );
    expect(allowFor({ AWS: `arn:aws:iam::${ACCOUNT}:role/Writer` }, session).allow).toBe('false');
    // A role ARN does not match an IAM user of the same name.
    expect(allowFor({ AWS: `arn:aws:iam::${ACCOUNT}:role/alice` }, alice).allow).toBe('false');
  });

  it('matches federated users, service principals and canonical users', () => {
    expect(allowFor({ AWS: fed.kind === 'federated-user' ? fed.arn : '' }, fed)).toMatchObject({
      direct: 'true',
      principal: { via: 'federated-user' },
    });
    expect(allowFor({ Service: 'logging.s3.amazonaws.com' }, service)).toMatchObject({
      direct: 'true',
      principal: { via: 'service' },
    });
    expect(allowFor({ Service: 'cloudtrail.amazonaws.com' }, service).allow).toBe('false');
    expect(allowFor({ AWS: ACCOUNT }, service).allow).toBe('false');
    const canon = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
    const cu: Principal = { kind: 'canonical-user', canonicalId: canon };
    expect(allowFor({ CanonicalUser: canon }, cu)).toMatchObject({
      direct: 'true',
      principal: { via: 'canonical-user' },
    });
    // Through the snapshot's canonical id map, the canonical user of an account names that account.
    expect(
      allowFor({ CanonicalUser: canon }, alice, bucket, { canonicalIds: { [canon]: ACCOUNT } }),
    ).toMatchObject({
      allow: 'true',
      direct: 'false',
      principal: { matched: 'account' },
    });
    expect(
      allowFor({ CanonicalUser: canon }, root, bucket, { canonicalIds: { [canon]: ACCOUNT } }).direct,
    ).toBe('true');
    expect(allowFor({ CanonicalUser: canon }, alice).allow).toBe('false');
  });

  it('never matches unique ids of deleted users or roles', () => {
    for (const who of [alice, session, root]) {
      expect(allowFor({ AWS: 'AROAEXAMPLEID1234567' }, who).allow).toBe('false');
      expect(allowFor({ AWS: 'AIDAEXAMPLEID1234567' }, who).allow).toBe('false');
    }
  });

  it('an unidentified caller makes a named-principal statement unknown, but "*" still matches', () => {
    const who: Principal = { kind: 'unknown', raw: 'someone' };
    const named = allowFor({ AWS: alice.kind === 'iam-user' ? alice.arn : '' }, who);
    expect(named.allow).toBe('unknown');
    expect(named.principal).toMatchObject({ matched: 'false', uncertain: true });
    expect(allowFor('*', who).allow).toBe('true');
  });

  it('ignores the Principal element in identity policies', () => {
    expect(
      allowFor({ AWS: `arn:aws:iam::${OTHER}:root` }, alice, { type: 'identity-policy', id: 'x' }).allow,
    ).toBe('true');
  });

  it('requires a Principal in resource-based policy types', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    };
    for (const type of [
      'bucket-policy',
      'access-point-policy',
      'kms-key-policy',
      'vpc-endpoint-policy',
      'rcp',
    ] as const) {
      const ev = evaluate(doc, request(), { type, id: 'x' });
      expect(ev.allow).toBe('false');
      expect(ev.statements[0]!.failedOn).toBe('principal');
    }
  });
});

describe('NotPrincipal', () => {
  function denyExcept(notPrincipal: unknown, who: Principal, opts = {}) {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', NotPrincipal: notPrincipal, Action: 's3:*', Resource: 'arn:aws:s3:::b/*' },
      ],
    };
    return evaluate(doc, request({ principal: who }), bucket, opts).explicitDeny;
  }

  it('exempts a user only when the account is listed too', () => {
    const userArn = `arn:aws:iam::${ACCOUNT}:user/alice`;
    expect(denyExcept({ AWS: [userArn, `arn:aws:iam::${ACCOUNT}:root`] }, alice)).toBe('false');
    expect(denyExcept({ AWS: [userArn] }, alice)).toBe('true');
    expect(denyExcept({ AWS: [userArn, `arn:aws:iam::${ACCOUNT}:root`] }, session)).toBe('true');
  });

  it('exempts a role session only when account, role and session are listed', () => {
    const all = [
      `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/job-1`,
      `arn:aws:iam::${ACCOUNT}:role/Reader`,
      `arn:aws:iam::${ACCOUNT}:root`,
    ];
    expect(denyExcept({ AWS: all }, session)).toBe('false');
    expect(denyExcept({ AWS: all.slice(1) }, session)).toBe('true');
    expect(denyExcept({ AWS: [all[0], all[2]] }, session)).toBe('true');
  });

  it('denies anonymous callers and, with a permissions boundary, everyone', () => {
    expect(denyExcept({ AWS: ACCOUNT }, anonymous)).toBe('true');
    expect(denyExcept({ AWS: ACCOUNT }, root)).toBe('false');
    const listed = { AWS: [`arn:aws:iam::${ACCOUNT}:user/alice`, ACCOUNT] };
    expect(denyExcept(listed, alice, { callerHasPermissionsBoundary: true })).toBe('true');
  });
});
