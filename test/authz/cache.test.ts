// The evaluation caches (per request object, per evidence object) never change what a user sees:
// repeated, fresh and naive evaluations agree, and new evidence or new requests are never answered
// from an old entry.

import { describe, expect, it } from 'vitest';
import { evaluateRequest, parseSimulateRequest } from '../../src/authz/index.js';
import { parseSnapshot } from '../../src/evidence/index.js';
import { compilePolicy, evaluatePolicy } from '../../src/iam/index.js';
import type { AuthzRequest, Evidence, PolicyDocument } from '../../src/model/index.js';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/app`;
const SESSION = `arn:aws:sts::${A}:assumed-role/app/s1`;

function evidence(opts: { bucketDeny?: boolean; identityAllows?: boolean } = {}): Evidence {
  const statements: unknown[] = [
    { Effect: 'Allow', Principal: { AWS: ROLE }, Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' },
  ];
  if (opts.bucketDeny)
    statements.push({
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
      Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    });
  const r = parseSnapshot(
    {
      schemaVersion: 1,
      principals: {
        [ROLE]: {
          policies: [
            {
              name: 'p',
              kind: 'inline',
              document: {
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::other/*' },
                  {
                    Effect: 'Allow',
                    Action: 's3:GetObject',
                    Resource: opts.identityAllows === false ? 'arn:aws:s3:::other/*' : 'arn:aws:s3:::b/*',
                  },
                ],
              },
            },
          ],
          permissionsBoundary: null,
        },
      },
      sessions: { [SESSION]: { sessionPolicy: null } },
      accounts: {
        [A]: { organizationId: null, serviceControlPolicies: null, resourceControlPolicies: null },
      },
      buckets: {
        b: {
          accountId: A,
          policy: { Version: '2012-10-17', Statement: statements },
          acl: null,
          objectOwnership: 'BucketOwnerEnforced',
          publicAccessBlock: null,
          objects: { 'k.csv': { exists: true, storageClass: 'STANDARD' } },
        },
      },
    },
    'cache-test',
  );
  if (!r.evidence) throw new Error(JSON.stringify(r.problems));
  return r.evidence;
}

const requestJson = {
  principal: SESSION,
  action: 's3:GetObject',
  resource: 'arn:aws:s3:::b/k.csv',
  time: '2026-11-24T09:14:02Z',
  context: { 'aws:SecureTransport': 'true' },
};

describe('evaluation caches', () => {
  it('a repeated evaluation equals a fresh one and a naive one on copied evidence', () => {
    const ev = evidence({ bucketDeny: true });
    const req = parseSimulateRequest(requestJson);
    const first = evaluateRequest(req, ev);
    const again = evaluateRequest(req, ev);
    const fresh = evaluateRequest(parseSimulateRequest(requestJson), ev);
    const naive = evaluateRequest(parseSimulateRequest(requestJson), structuredClone(ev));
    expect(first.decision).toBe('ExplicitDeny');
    expect(again).toEqual(first);
    expect(fresh).toEqual(first);
    expect(naive).toEqual(first);
  });

  it('the same request against new evidence is evaluated against that evidence', () => {
    const req = parseSimulateRequest(requestJson);
    const allowing = evidence();
    const denying = evidence({ bucketDeny: true });
    const lacking = evidence({ identityAllows: false });
    expect(evaluateRequest(req, allowing).decision).toBe('Allowed');
    expect(evaluateRequest(req, denying).decision).toBe('ExplicitDeny');
    expect(evaluateRequest(req, lacking).decision).toBe('ImplicitDeny');
    expect(evaluateRequest(req, allowing).decision).toBe('Allowed');
  });

  it('a new request against the same evidence is evaluated for that request', () => {
    const ev = evidence({ bucketDeny: true });
    const https = parseSimulateRequest(requestJson);
    const http = parseSimulateRequest({
      ...requestJson,
      context: { ...requestJson.context, 'aws:SecureTransport': 'false' },
    });
    expect(evaluateRequest(https, ev).decision).toBe('ExplicitDeny');
    expect(evaluateRequest(http, ev).decision).toBe('Allowed');
    expect(evaluateRequest(https, ev).decision).toBe('ExplicitDeny');
  });

  it('policy traces are frozen once shared, so one result cannot change another', () => {
    const ev = evidence({ bucketDeny: true });
    const req = parseSimulateRequest(requestJson);
    evaluateRequest(req, ev);
    const r = evaluateRequest(req, ev);
    const bucket = r.authorizations[0]?.layers.find((l) => l.layer === 'bucket-policy');
    const st = bucket?.policies[0]?.statements[0];
    expect(st).toBeDefined();
    expect(() => {
      (st as { matched: string }).matched = 'true';
    }).toThrow(TypeError);
    expect(evaluateRequest(req, ev)).toEqual(r);
  });

  it('evaluatePolicy answers per options: a permissions boundary changes a NotPrincipal Deny', () => {
    const doc: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          NotPrincipal: { AWS: [ROLE, `arn:aws:iam::${A}:root`] },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
        },
      ],
    };
    const p = compilePolicy(doc, { type: 'bucket-policy', id: 'b' });
    const az: AuthzRequest = {
      principal: { kind: 'iam-role', arn: ROLE, accountId: A, name: 'app' },
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k.csv',
      context: {},
      unknownKeys: [],
      need: 'required',
    };
    expect(evaluatePolicy(p, az).explicitDeny).toBe('false');
    expect(evaluatePolicy(p, az, { callerHasPermissionsBoundary: true }).explicitDeny).toBe('true');
    expect(evaluatePolicy(p, az).explicitDeny).toBe('false');
  });
});
