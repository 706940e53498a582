// diagnose(): logs-only behaviour (what the record alone proves), results with evidence (every
// blocking layer, ranking, dedupe, verified fixes), not-reproduced reasons, and the exit-code helper.

import { describe, expect, it } from 'vitest';
import { parseSimulateRequest } from '../../src/authz/index.js';
import { diagnose, diagnoseRequest, explains } from '../../src/engine/index.js';
import { readText } from '../../src/logs/index.js';
import type { LogRecord } from '../../src/model/input.js';
import { evidenceOf } from '../rules/case-kit.js';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/app`;
const SESSION = `arn:aws:sts::${A}:assumed-role/app/s1`;
const OBJ = 'arn:aws:s3:::reports-bucket/2026/q3.csv';

function record(text: string): LogRecord {
  const item = readText(text, 'pasted').find((i) => i.kind === 'record');
  if (!item || item.kind !== 'record') throw new Error('no record');
  return item.record;
}

const LOG_LINE =
  `79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be reports-bucket [24/Nov/2026:10:00:00 +0000] 203.0.113.7 ` +
  `${SESSION} 3E57427F3EXAMPLE REST.GET.OBJECT 2026/q3.csv "GET /reports-bucket/2026/q3.csv HTTP/1.1" 403 AccessDenied 243 - 9 - "-" ` +
  `"aws-cli/2.15.0" - hostid= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader s3.us-east-1.amazonaws.com TLSv1.2 - -`;

const allowRead = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports-bucket/*' }],
};
const baseEvidence = {
  principals: {
    [ROLE]: { policies: [{ name: 'read', kind: 'inline', document: allowRead }], permissionsBoundary: null },
  },
  sessions: { [SESSION]: { sessionPolicy: null } },
  accounts: {
    [A]: {
      organizationId: null,
      serviceControlPolicies: null,
      resourceControlPolicies: null,
      publicAccessBlock: null,
    },
  },
  buckets: {
    'reports-bucket': {
      accountId: A,
      region: 'us-east-1',
      policy: null,
      objectOwnership: 'BucketOwnerEnforced',
      publicAccessBlock: null,
      requestPayer: 'BucketOwner',
      encryption: null,
      objects: {
        '2026/q3.csv': {
          exists: true,
          serverSideEncryption: null,
          storageClass: 'STANDARD',
          restoreStatus: null,
        },
      },
    },
  },
};

describe('diagnose without evidence (logs only)', () => {
  it('an expired token is certain, not authenticated, with nothing left unknown', () => {
    const r = diagnose(
      record(
        'An error occurred (ExpiredToken) when calling the GetObject operation: The provided token has expired.',
      ),
      undefined,
    );
    expect(r.decision).toBe('NotAuthenticated');
    expect(r.causes.map((c) => [c.code, c.confidence])).toEqual([['expired-credentials', 'certain']]);
    expect(r.causes[0]!.fixes[0]!.kind).toBe('credential-refresh');
    expect(r.unknowns).toEqual([]);
    expect(r.reproduced).toBe(true);
    expect(r.evidence).toBe('none');
    expect(explains(r)).toBe(true);
  });

  it('an enhanced message names the layer (likely) and narrows the unknowns to it', () => {
    const text = `User: ${SESSION} is not authorized to perform: s3:GetObject on resource: "${OBJ}" with an explicit deny in an identity-based policy`;
    const r = diagnose(record(text), undefined);
    expect(r.decision).toBe('ExplicitDeny');
    expect(r.causes.map((c) => [c.code, c.confidence])).toEqual([
      ['explicit-deny-identity-policy', 'likely'],
    ]);
    expect(r.unknowns).toEqual([
      {
        path: `principals.${ROLE}.policies`,
        couldExplain: ['explicit-deny-identity-policy'],
        reason: 'no evidence was given (--snapshot FILE or --live)',
      },
    ]);
    expect(explains(r)).toBe(true);
  });

  it('a plain AccessDenied log line proves nothing: no cause, the evidence that would decide', () => {
    const r = diagnose(record(LOG_LINE), undefined);
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.causes).toEqual([]);
    const paths = r.unknowns.map((u) => u.path);
    expect(paths).toContain(`principals.${ROLE}.policies`);
    expect(paths).toContain(`sessions.${SESSION}.sessionPolicy`);
    expect(paths).toContain('buckets.reports-bucket.policy');
    expect(r.unknowns.find((u) => u.path === 'buckets.reports-bucket.policy')?.couldExplain).toContain(
      'explicit-deny-bucket-policy',
    );
    // The object's metadata names its key, whose state may be what refused the read.
    expect(
      r.unknowns.find((u) => u.path === 'buckets.reports-bucket.objects["2026/q3.csv"]')?.couldExplain,
    ).toContain('kms-key-unusable');
    expect(r.reproduced).toBe(false);
    expect(r.notReproducedBecause?.[0]).toMatch(/No evidence was given/);
    expect(explains(r)).toBe(false);
    expect(r.request).toMatchObject({
      principal: SESSION,
      action: 's3:GetObject',
      resource: OBJ,
      operation: 'REST.GET.OBJECT',
      errorCode: 'AccessDenied',
      time: '2026-11-24T10:00:00Z',
    });
    expect(r.request.context['aws:SecureTransport']).toBe('true');
    expect(r.input).toEqual({ source: 'pasted', line: 1 });
  });

  it('S3 errors that name their cause: object lock, archive, disabled, ACLs', () => {
    const cases: [string, string][] = [
      [
        'An error occurred (AccessDenied) when calling the DeleteObject operation: Access Denied because object protected by object lock.',
        'object-lock-protected',
      ],
      [
        "An error occurred (InvalidObjectState) when calling the GetObject operation: The operation is not valid for the object's storage class",
        'archived-object',
      ],
      [
        'An error occurred (AllAccessDisabled) when calling the GetObject operation: All access to this Amazon S3 resource has been disabled.',
        'bucket-access-disabled',
      ],
      [
        'An error occurred (AccessControlListNotSupported) when calling the PutObject operation: The bucket does not allow ACLs',
        'acl-not-supported',
      ],
      [
        'An error occurred (KMS.DisabledException) when calling the GetObject operation: The request was rejected because the specified KMS key is not enabled.',
        'kms-key-unusable',
      ],
      [
        'An error occurred (KMS.KMSInvalidStateException) when calling the PutObject operation: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab is pending deletion.',
        'kms-key-unusable',
      ],
    ];
    for (const [text, code] of cases) {
      const r = diagnose(record(text), undefined);
      expect(
        r.causes.map((c) => c.code),
        text,
      ).toEqual([code]);
      expect(r.causes[0]!.confidence).toBe('certain');
      expect(r.decision).toBe('ImplicitDeny');
      expect(explains(r)).toBe(true);
    }
  });
});

describe('diagnose with evidence', () => {
  it('lists every blocking layer, explicit deny first, with statement and condition', () => {
    const evidence = evidenceOf({
      ...baseEvidence,
      principals: { [ROLE]: { policies: [], permissionsBoundary: null } },
      accounts: {
        [A]: {
          organizationId: 'o-abc123',
          serviceControlPolicies: [
            {
              target: 'r-ab12',
              policies: [
                {
                  name: 'FullAWSAccess',
                  document: {
                    Version: '2012-10-17',
                    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
                  },
                },
              ],
            },
            {
              target: A,
              policies: [
                {
                  name: 'FullAWSAccess',
                  document: {
                    Version: '2012-10-17',
                    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
                  },
                },
                {
                  name: 'NoReports',
                  document: {
                    Version: '2012-10-17',
                    Statement: [
                      {
                        Sid: 'NoReports',
                        Effect: 'Deny',
                        Action: 's3:GetObject',
                        Resource: 'arn:aws:s3:::reports-*/*',
                      },
                    ],
                  },
                },
              ],
            },
          ],
          resourceControlPolicies: null,
          publicAccessBlock: null,
        },
      },
    })!;
    const r = diagnose(record(LOG_LINE), evidence);
    expect(r.decision).toBe('ExplicitDeny');
    expect(r.reproduced).toBe(true);
    expect(r.causes.map((c) => [c.code, c.confidence])).toEqual([
      ['explicit-deny-scp', 'certain'],
      ['missing-allow-identity-policy', 'certain'],
    ]);
    expect(r.causes[0]!.policy).toMatchObject({ type: 'scp', statementIndex: 0, sid: 'NoReports' });
    expect(r.causes[0]!.explanation).toContain('NoReports');
    // The identity fix is verified but another listed cause (the SCP) still blocks.
    const idFix = r.causes[1]!.fixes.find((f) => f.kind === 'policy-patch');
    expect(idFix?.verified).toBe(false);
    expect(idFix?.remainingCauses).toEqual(['explicit-deny-scp']);
    expect(explains(r)).toBe(true);
  });

  it('a verified least-privilege fix with no blast radius', () => {
    const evidence = evidenceOf({
      ...baseEvidence,
      principals: { [ROLE]: { policies: [], permissionsBoundary: null } },
    })!;
    const r = diagnose(record(LOG_LINE), evidence);
    expect(r.causes.map((c) => c.code)).toEqual(['missing-allow-identity-policy']);
    const fix = r.causes[0]!.fixes[0]!;
    expect(fix.kind).toBe('policy-patch');
    expect(fix.verified).toBe(true);
    expect(fix.blastRadius?.newlyAllowed).toEqual([]);
    expect(JSON.stringify(fix.patch?.after)).toContain(OBJ);
    expect(JSON.stringify(fix.patch?.after)).not.toMatch(/"s3:\*"|"Resource":"\*"/);
    expect(fix.diff).toBeTruthy();
  });

  it('the specialised TLS rule wins over the generic bucket-policy rule', () => {
    const evidence = evidenceOf({
      ...baseEvidence,
      buckets: {
        'reports-bucket': {
          ...baseEvidence.buckets['reports-bucket'],
          policy: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'DenyHttp',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: 'arn:aws:s3:::reports-bucket/*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          },
        },
      },
    })!;
    const http = LOG_LINE.replace('ECDHE-RSA-AES128-GCM-SHA256 AuthHeader', '- AuthHeader').replace(
      'TLSv1.2 - -',
      '- - -',
    );
    const r = diagnose(record(http), evidence);
    expect(r.causes.map((c) => [c.code, c.rule])).toEqual([
      ['explicit-deny-bucket-policy', 'bucket-policy/deny-insecure-transport'],
    ]);
    expect(r.causes[0]!.condition).toEqual({
      operator: 'Bool',
      key: 'aws:SecureTransport',
      policyValues: ['false'],
      requestValue: 'false',
    });
    expect(r.causes[0]!.fixes[0]).toMatchObject({ kind: 'client-change', verified: true });
  });

  it('not reproduced: the evidence allows, and the result says what may have changed', () => {
    const evidence = evidenceOf({ ...baseEvidence, collectedAt: '2026-11-25T09:00:00Z' })!;
    const r = diagnose(record(LOG_LINE), evidence);
    expect(r.decision).toBe('Allowed');
    expect(r.reproduced).toBe(false);
    expect(r.causes).toEqual([]);
    expect(r.notReproducedBecause?.join(' ')).toMatch(/collected at 2026-11-25T09:00:00Z, after the request/);
    expect(r.notReproducedBecause?.join(' ')).toMatch(/credentials may have been refreshed/);
    expect(explains(r)).toBe(true);
  });

  it('evidence that lacks the layers: no guessed causes, the missing paths as unknowns', () => {
    const evidence = evidenceOf({ accounts: baseEvidence.accounts })!;
    const r = diagnose(record(LOG_LINE), evidence);
    expect(r.causes).toEqual([]);
    const paths = r.unknowns.map((u) => u.path);
    expect(paths.some((p) => p.startsWith(`principals.${ROLE}`))).toBe(true);
    expect(paths.some((p) => p.startsWith('buckets.reports-bucket'))).toBe(true);
    expect(explains(r)).toBe(false);
  });

  it('diagnoseRequest: several authorizations are listed in request.actions', () => {
    const evidence = evidenceOf(baseEvidence)!;
    const req = parseSimulateRequest({
      principal: ROLE,
      action: 's3:GetObject',
      resource: OBJ,
      context: { 'aws:SecureTransport': 'true' },
    });
    req.authorizations.push({ ...req.authorizations[0]!, action: 's3:GetObjectVersion' });
    const r = diagnoseRequest(req, evidence, { input: { source: 'request.json' } });
    expect(r.input).toEqual({ source: 'request.json' });
    expect(r.request.actions?.map((a) => a.action)).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(r.causes.map((c) => [c.code, c.action])).toEqual([
      ['missing-allow-identity-policy', 's3:GetObjectVersion'],
    ]);
  });
});

describe('diagnose: a KMS key that is not Enabled', () => {
  const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const withKey = (keyState: string) =>
    evidenceOf({
      ...baseEvidence,
      principals: {
        [ROLE]: {
          policies: [
            {
              name: 'read',
              kind: 'inline',
              document: {
                Version: '2012-10-17',
                Statement: [
                  ...allowRead.Statement,
                  { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY },
                ],
              },
            },
          ],
          permissionsBoundary: null,
        },
      },
      buckets: {
        'reports-bucket': {
          ...baseEvidence.buckets['reports-bucket'],
          objects: {
            '2026/q3.csv': {
              exists: true,
              serverSideEncryption: 'aws:kms',
              kmsKeyId: KEY,
              storageClass: 'STANDARD',
              restoreStatus: null,
            },
          },
        },
      },
      kmsKeys: {
        [KEY]: {
          accountId: A,
          keyManager: 'CUSTOMER',
          keyState,
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
    });

  it('a disabled key is the certain cause; enabling it is verified, with a warning and the command', () => {
    const r = diagnose(record(LOG_LINE), withKey('Disabled'));
    expect(r.causes.map((c) => [c.code, c.confidence, c.resource])).toEqual([
      ['kms-key-unusable', 'certain', KEY],
    ]);
    expect(r.causes[0]!.explanation).toContain('is Disabled');
    const [fix] = r.causes[0]!.fixes;
    expect(fix?.kind).toBe('config-change');
    expect(fix?.verified).toBe(true);
    expect(fix?.summary).toMatch(/Warning: .*ask the key's owner first/);
    expect(fix?.commands).toEqual([`aws kms enable-key --key-id ${KEY} --region us-east-1`]);
    // Nothing is granted: the only patch is the key's state.
    expect(fix?.patch?.target).toEqual({ type: 'kms-key-state', id: KEY });
    expect(explains(r)).toBe(true);
  });

  it('a key pending deletion: cancel the deletion, then enable the key', () => {
    const r = diagnose(record(LOG_LINE), withKey('PendingDeletion'));
    expect(r.causes.map((c) => c.code)).toEqual(['kms-key-unusable']);
    const [fix] = r.causes[0]!.fixes;
    expect(fix?.verified).toBe(true);
    expect(fix?.commands).toEqual([
      `aws kms cancel-key-deletion --key-id ${KEY} --region us-east-1`,
      `aws kms enable-key --key-id ${KEY} --region us-east-1`,
    ]);
    expect(explains(r)).toBe(true);
  });

  it('an enabled key is no cause: the request is allowed', () => {
    const r = diagnose(record(LOG_LINE), withKey('Enabled'));
    expect(r.causes.map((c) => c.code)).not.toContain('kms-key-unusable');
  });
});

describe('diagnose: a Deny in a group inline policy', () => {
  it('the exemption is written to the group with put-group-policy, not to the user', () => {
    const ALICE = `arn:aws:iam::${A}:user/alice`;
    const evidence = evidenceOf({
      ...baseEvidence,
      principals: {
        [ALICE]: {
          policies: [
            { name: 'read', kind: 'inline', document: allowRead },
            {
              name: 'guard',
              kind: 'group-inline',
              group: 'devs',
              document: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Sid: 'NoReports',
                    Effect: 'Deny',
                    Action: 's3:GetObject',
                    Resource: 'arn:aws:s3:::reports-bucket/*',
                  },
                ],
              },
            },
          ],
          permissionsBoundary: null,
        },
      },
    });
    const req = parseSimulateRequest({
      principal: ALICE,
      action: 's3:GetObject',
      resource: OBJ,
      context: { 'aws:SecureTransport': 'true' },
    });
    const r = diagnoseRequest(req, evidence);
    expect(r.causes.map((c) => [c.code, c.confidence])).toEqual([
      ['explicit-deny-identity-policy', 'certain'],
    ]);
    const fix = r.causes[0]!.fixes.find((f) => f.kind === 'policy-patch');
    expect(fix?.verified).toBe(true);
    expect(fix?.commands?.at(-1)).toBe(
      'aws iam put-group-policy --group-name devs --policy-name guard --policy-document file://s3doctor-patch-111122223333-group-devs-guard.json  # for account 111122223333',
    );
    expect(fix?.commands?.some((c) => c.includes('put-user-policy'))).toBe(false);
  });
});

describe('an evaluation left open while the input proves a denial', () => {
  // The bucket denies requests without TLS; pasted error text cannot show whether TLS was used.
  const denyHttp = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::reports-bucket', 'arn:aws:s3:::reports-bucket/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
  const evidence = evidenceOf({
    ...baseEvidence,
    buckets: {
      'reports-bucket': { ...baseEvidence.buckets['reports-bucket'], policy: denyHttp },
    },
  });
  const pasted = (tail: string) =>
    record(
      `An error occurred (AccessDenied) when calling the GetObject operation: User: ${SESSION} is not authorized to perform: s3:GetObject on resource: "${OBJ}" ${tail}`,
    );

  it('an enhanced "explicit deny in a resource-based policy": ExplicitDeny, open on aws:SecureTransport', () => {
    const r = diagnose(pasted('with an explicit deny in a resource-based policy'), evidence);
    expect(r.decision).toBe('ExplicitDeny');
    expect(r.reproduced).toBe(true);
    expect(r.notReproducedBecause).toBeUndefined();
    expect(r.decisionOpen).toContain('context.aws:SecureTransport');
    expect(r.causes.map((c) => c.code)).toContain('explicit-deny-bucket-policy');
  });

  // CONTRACT: ExplicitDeny only when a Deny statement matched or the input says so. A plain "Access
  // Denied" with an unidentified caller leaves both refusals possible: ImplicitDeny, ExplicitDeny listed.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
  it('without an enhanced message: no Deny is claimed; both refusals are listed as possible', () => {
    const r = diagnose(
      record(
        'download failed: s3://reports-bucket/2026/q3.csv to ./q3.csv An error occurred (AccessDenied) when calling the GetObject operation: Access Denied',
      ),
      evidence,
    );
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.possibleDecisions).toEqual(['ImplicitDeny', 'ExplicitDeny']);
    expect(r.decisionOpen).toContain('context.aws:SecureTransport');
  });

  it('an enhanced "no ... policy allows": the implicit deny it reports; the message rules out a matching Deny', () => {
    const r = diagnose(pasted('because no identity-based policy allows the s3:GetObject action'), evidence);
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.possibleDecisions).toBeUndefined();
    expect(r.unknowns.flatMap((u) => u.couldExplain).filter((c) => c.startsWith('explicit-deny-'))).toEqual(
      [],
    );
    expect(
      r.causes.filter((c) => c.code.startsWith('explicit-deny-') && c.confidence === 'possible'),
    ).toEqual([]);
  });

  it('the same request over TLS, as a log line shows it: certainly allowed, not reproduced', () => {
    const r = diagnose(record(LOG_LINE), evidence);
    expect(r.decision).toBe('Allowed');
    expect(r.reproduced).toBe(false);
    expect(r.decisionOpen).toBeUndefined();
  });
});
