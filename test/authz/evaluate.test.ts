// evaluateRequest as a whole: several authorizations, possible ones, KMS purposes, unknowns, and the
// real flow from a log record (toS3Request) into the chain.

import { describe, expect, it } from 'vitest';
import { evaluateRequest, parseSimulateRequest, SimulateRequestError } from '../../src/authz/index.js';
import { parseSnapshot } from '../../src/evidence/index.js';
import { toS3Request } from '../../src/request/index.js';
import type { AuthzRequest, Evidence, LogRecord, S3Request } from '../../src/model/index.js';

const A = '111122223333';
const ALICE = `arn:aws:iam::${A}:user/alice`;
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const alice = { kind: 'iam-user' as const, arn: ALICE, accountId: A, name: 'alice' };

function evidence(extra: Record<string, unknown> = {}): Evidence {
  const r = parseSnapshot(
    {
      schemaVersion: 1,
      principals: {
        [ALICE]: {
          policies: [
            {
              name: 'p',
              kind: 'inline',
              document: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: ['s3:GetObject', 's3:PutObject'],
                    Resource: 'arn:aws:s3:::src/*',
                  },
                  { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::dst/*' },
                ],
              },
            },
          ],
          permissionsBoundary: null,
        },
      },
      accounts: {
        [A]: {
          organizationId: null,
          serviceControlPolicies: null,
          resourceControlPolicies: null,
          publicAccessBlock: null,
        },
      },
      buckets: Object.fromEntries(
        ['src', 'dst'].map((b) => [
          b,
          {
            accountId: A,
            region: 'us-east-1',
            ownerCanonicalId: 'c'.repeat(64),
            policy: null,
            acl: null,
            objectOwnership: 'BucketOwnerEnforced',
            publicAccessBlock: null,
            encryption:
              b === 'src' ? { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY } : { SSEAlgorithm: 'AES256' },
            requestPayer: 'BucketOwner',
            objectLock: null,
            objects: {
              k: {
                exists: true,
                storageClass: 'STANDARD',
                serverSideEncryption: b === 'src' ? 'aws:kms' : 'AES256',
                kmsKeyId: b === 'src' ? KEY : undefined,
                ownerCanonicalId: 'c'.repeat(64),
              },
            },
          },
        ]),
      ),
      kmsKeys: {
        [KEY]: {
          accountId: A,
          keyManager: 'CUSTOMER',
          keyState: 'Enabled',
          policy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${A}:root` },
                Action: 'kms:*',
                Resource: '*',
              },
            ],
          },
        },
      },
      ...extra,
    },
    'test',
  );
  expect(r.problems).toEqual([]);
  return r.evidence as Evidence;
}

const az = (action: string, resource: string, extra: Partial<AuthzRequest> = {}): AuthzRequest => ({
  principal: alice,
  action,
  resource,
  context: { 'aws:SecureTransport': 'true' },
  unknownKeys: [],
  need: 'required',
  ...extra,
});

function copyRequest(extra: Partial<AuthzRequest>[] = []): S3Request {
  return {
    principal: alice,
    authorizations: [
      az('s3:PutObject', 'arn:aws:s3:::dst/k', { purpose: 'destination object write' }),
      az('s3:GetObject', 'arn:aws:s3:::src/k', { purpose: 'source object read' }),
      ...extra.map((e) => az(e.action as string, e.resource as string, e)),
    ],
    s3: {
      operation: 'CopyObject',
      bucket: 'dst',
      key: 'k',
      copySource: { bucket: 'src', key: 'k' },
      aclHeader: null,
      sseHeader: null,
    },
    unknownKeys: [],
  };
}

describe('evaluateRequest', () => {
  it('evaluates every authorization of a copy and adds the KMS decrypt of the SSE-KMS source', () => {
    const ev = evaluateRequest(copyRequest(), evidence());
    expect(ev.authorizations.map((a) => [a.request.action, a.request.resource, a.decision])).toEqual([
      ['s3:PutObject', 'arn:aws:s3:::dst/k', 'Allowed'],
      ['s3:GetObject', 'arn:aws:s3:::src/k', 'Allowed'],
      ['kms:Decrypt', KEY, 'ImplicitDeny'],
    ]);
    const kms = ev.authorizations[2];
    expect(kms?.request.purpose).toMatch(/decrypt/);
    expect(kms?.request.context['kms:ViaService']).toBe('s3.us-east-1.amazonaws.com');
    expect(kms?.request.context['kms:EncryptionContext:aws:s3:arn']).toBe('arn:aws:s3:::src/k');
    expect(kms?.request.context['kms:CallerAccount']).toBe(A);
    expect(ev.decision).toBe('ImplicitDeny');
    expect(ev.certain).toBe(true);
    expect(kms?.deciding?.layer).toBe('kms-identity-policy');
  });

  it('a denied possible authorization leaves the decision open instead of deciding it', () => {
    const req = copyRequest([
      { action: 's3:PutObjectAcl', resource: 'arn:aws:s3:::dst/k', need: 'possible' },
    ]);
    req.authorizations = req.authorizations.filter((a) => a.action !== 's3:GetObject');
    const ev = evaluateRequest(req, evidence());
    expect(ev.authorizations.find((a) => a.request.action === 's3:PutObjectAcl')?.decision).toBe(
      'ImplicitDeny',
    );
    expect(ev.decision).toBe('Allowed');
    expect(ev.certain).toBe(false);
    expect(ev.possibleDecisions).toEqual(['Allowed', 'ImplicitDeny']);
  });

  it('lists each unknown path once, with the causes it could explain', () => {
    const ev = evaluateRequest(
      copyRequest(),
      evidence({ accounts: { [A]: { organizationId: 'o-abc123' } } }),
    );
    const scp = ev.unknowns.filter((u) => u.path === `accounts.${A}.serviceControlPolicies`);
    expect(scp).toHaveLength(1);
    // alice has no kms:Decrypt for the SSE-KMS source: the copy is refused whatever the SCPs say, so
    // they could only add a Deny, not explain a missing Allow.
    expect(ev.possibleDecisions).not.toContain('Allowed');
    expect(scp[0]?.couldExplain).toEqual(['explicit-deny-scp']);
    expect(ev.certain).toBe(false);
  });

  it('a credential error is NotAuthenticated for every authorization, with no policy consulted', () => {
    const req = { ...copyRequest(), errorCode: 'ExpiredToken' };
    const ev = evaluateRequest(req, evidence());
    expect(ev.decision).toBe('NotAuthenticated');
    expect(ev.authorizations).toHaveLength(2);
    for (const a of ev.authorizations) {
      expect(a.layers).toHaveLength(1);
      expect(a.layers[0]?.facts).toMatchObject({ cause: 'expired-credentials' });
    }
  });
});

describe('from a log record', () => {
  const record: LogRecord = {
    input: { source: 'access.log', line: 1 },
    format: 's3-access-log',
    time: '2026-11-24T10:00:00Z',
    bucket: 'src',
    key: 'k',
    logOperation: 'REST.GET.OBJECT',
    httpMethod: 'GET',
    requestUri: '/src/k',
    httpStatus: 403,
    errorCode: 'AccessDenied',
    requester: `arn:aws:sts::${A}:assumed-role/etl/run-1`,
    sourceIp: '203.0.113.7',
    signatureVersion: 'SigV4',
    cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256',
    authType: 'AuthHeader',
    tlsVersion: 'TLSv1.2',
    bucketOwnerCanonicalId: 'c'.repeat(64),
  };

  it('finds the role by name when the access log hides its path, and says so', () => {
    const roleArn = `arn:aws:iam::${A}:role/jobs/etl`;
    const ev = evidence({
      principals: {
        [roleArn]: {
          policies: [
            {
              name: 'read',
              kind: 'inline',
              document: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: ['s3:GetObject', 'kms:Decrypt'],
                    Resource: ['arn:aws:s3:::src/*', KEY],
                  },
                ],
              },
            },
          ],
          permissionsBoundary: null,
        },
      },
      sessions: { [`arn:aws:sts::${A}:assumed-role/etl/run-1`]: { sessionPolicy: null } },
    });
    const req = toS3Request(record);
    const result = evaluateRequest(req, ev);
    const s3 = result.authorizations.find((a) => a.request.action === 's3:GetObject');
    expect(s3?.decision).toBe('Allowed');
    const id = s3?.layers.find((l) => l.layer === 'identity-policy');
    expect(id?.facts).toMatchObject({ roleMatchedByName: roleArn });
    expect(s3?.request.context['aws:PrincipalArn']).toBe(roleArn);
    const kms = result.authorizations.find((a) => a.request.action === 'kms:Decrypt');
    expect(kms?.decision).toBe('Allowed');
  });
});

describe('parseSimulateRequest', () => {
  it('builds an S3Request with bucket, key, operation and time keys', () => {
    const req = parseSimulateRequest({
      principal: ALICE,
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/2026/q3.csv',
      context: { 'aws:SourceIp': '203.0.113.7', 'aws:SecureTransport': true },
      time: '2026-11-24T10:00:00Z',
    });
    expect(req.principal).toMatchObject({ kind: 'iam-user', name: 'alice' });
    expect(req.s3).toMatchObject({ operation: 'GetObject', bucket: 'b', key: '2026/q3.csv' });
    const a = req.authorizations[0];
    expect(a?.context['aws:SecureTransport']).toBe('true');
    expect(a?.context['aws:CurrentTime']).toBe('2026-11-24T10:00:00Z');
    expect(a?.need).toBe('required');
  });

  it('accepts anonymous, service principals, roles, sessions and root', () => {
    const kind = (principal: string) =>
      parseSimulateRequest({ principal, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }).principal
        .kind;
    expect(kind('anonymous')).toBe('anonymous');
    expect(kind('logging.s3.amazonaws.com')).toBe('service');
    expect(kind(`arn:aws:iam::${A}:role/app`)).toBe('iam-role');
    expect(kind(`arn:aws:sts::${A}:assumed-role/app/s1`)).toBe('role-session');
    expect(kind(`arn:aws:iam::${A}:root`)).toBe('root');
  });

  it('lists every problem at once', () => {
    let err: unknown;
    try {
      parseSimulateRequest({
        principal: 'bob',
        action: 'GetObject',
        resource: 'b/k',
        context: { x: {} },
        s3: { nope: 1 },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimulateRequestError);
    expect((err as SimulateRequestError).problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['principal', 'action', 'resource', 'context.x', 's3.nope']),
    );
  });
});

describe('a request with no known authorization', () => {
  it('is never certain', () => {
    const ev = evaluateRequest(
      { principal: alice, authorizations: [], s3: { operation: 'Mystery' }, unknownKeys: [] },
      evidence(),
    );
    expect(ev.certain).toBe(false);
    expect(ev.possibleDecisions).toContain('ImplicitDeny');
    expect(ev.unknowns[0]?.path).toBe('request.action');
  });
});

describe('organization keys of an account outside any organization', () => {
  // organizationId null: the account is in no organization, so aws:PrincipalOrgID / aws:ResourceOrgID are absent
  // from the request, not unknown: a StringNotEquals perimeter Deny matches for certain.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
  const perimeter = (key: string) => ({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      {
        Effect: 'Deny',
        Action: 's3:*',
        Resource: '*',
        Condition: { StringNotEquals: { [key]: 'o-abc123' } },
      },
    ],
  });
  const withPolicy = (doc: unknown, org: string | null) =>
    evidence({
      principals: {
        [ALICE]: { policies: [{ name: 'p', kind: 'inline', document: doc }], permissionsBoundary: null },
      },
      accounts: {
        [A]: {
          organizationId: org,
          serviceControlPolicies: null,
          resourceControlPolicies: null,
          publicAccessBlock: null,
        },
      },
    });
  const unknownOrg = [
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:ResourceOrgID',
    'aws:ResourceOrgPaths',
  ];
  const req = (): S3Request => ({
    principal: alice,
    authorizations: [az('s3:GetObject', 'arn:aws:s3:::dst/k', { unknownKeys: unknownOrg })],
    s3: { operation: 'GetObject', bucket: 'dst', key: 'k', aclHeader: null, sseHeader: null },
    unknownKeys: unknownOrg,
  });
  it.each(['aws:PrincipalOrgID', 'aws:ResourceOrgID'])('%s absent: the perimeter Deny matches', (key) => {
    const ev = evaluateRequest(req(), withPolicy(perimeter(key), null));
    expect(ev.decision).toBe('ExplicitDeny');
    expect(ev.certain).toBe(true);
    expect(ev.unknowns.map((u) => u.path)).not.toContain(`context.${key}`);
  });
  it.each(['aws:PrincipalOrgID', 'aws:ResourceOrgID'])('%s of an organization member matches it', (key) => {
    const ev = evaluateRequest(req(), withPolicy(perimeter(key), 'o-abc123'));
    expect(ev.decision).toBe('Allowed');
  });
});
