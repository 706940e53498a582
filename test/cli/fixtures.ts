// Hand-written results and evidence for the CLI's unit tests (the shapes of CONTRACT.md).

import type { Evidence, Report, Result, TriageReport } from '../../src/model/index.js';

/** A bucket policy that denies plain HTTP. */
export const denyHttpPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyHttp',
      Effect: 'Deny' as const,
      Principal: '*' as const,
      Action: 's3:*',
      Resource: ['arn:aws:s3:::reports-bucket', 'arn:aws:s3:::reports-bucket/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
};

/** Evidence with the bucket policy above and an app role with one inline policy. */
export function sampleEvidence(): Evidence {
  return {
    schemaVersion: 1,
    principals: {
      'arn:aws:iam::111122223333:role/app': {
        policies: [
          {
            name: 'ReadReports',
            kind: 'inline',
            document: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports-bucket/*' },
              ],
            },
          },
        ],
        permissionsBoundary: null,
      },
    },
    sessions: {},
    accounts: { '111122223333': { publicAccessBlock: null } },
    buckets: {
      'reports-bucket': {
        accountId: '111122223333',
        region: 'us-east-1',
        policy: denyHttpPolicy,
        objectOwnership: 'BucketOwnerEnforced',
      },
    },
    accessPoints: {},
    kmsKeys: {},
    vpcEndpoints: {},
    canonicalIds: {},
    notes: [],
  };
}

/** An explicit deny by the bucket policy's TLS guard, with a client fix and a policy patch. */
export function denyResult(): Result {
  const after = structuredClone(denyHttpPolicy) as unknown as Record<string, unknown>;
  return {
    input: { source: 'access.log', line: 42 },
    request: {
      principal: 'arn:aws:sts::111122223333:assumed-role/app/s1',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::reports-bucket/finance/q3.csv',
      operation: 'REST.GET.OBJECT',
      time: '2026-11-24T10:00:00Z',
      errorCode: 'AccessDenied',
      context: { 'aws:SecureTransport': 'false', 'aws:SourceIp': '203.0.113.7' },
    },
    decision: 'ExplicitDeny',
    reproduced: true,
    evidence: 'snapshot',
    causes: [
      {
        code: 'explicit-deny-bucket-policy',
        confidence: 'certain',
        rule: 'bucket-policy/deny-insecure-transport',
        policy: { type: 'bucket-policy', id: 'reports-bucket', statementIndex: 0, sid: 'DenyHttp' },
        condition: {
          operator: 'Bool',
          key: 'aws:SecureTransport',
          policyValues: ['false'],
          requestValue: 'false',
        },
        explanation: 'The bucket policy of reports-bucket denies requests that are not made over HTTPS.',
        fixes: [
          { kind: 'client-change', summary: 'Send the request over HTTPS.', verified: true },
          {
            kind: 'policy-patch',
            summary: 'Allow the role to read finance/ (example patch).',
            verified: true,
            patch: {
              target: { type: 'bucket-policy', id: 'reports-bucket' },
              before: structuredClone(denyHttpPolicy),
              after,
            },
            blastRadius: { probes: 24, newlyAllowed: [] },
            diff: '--- before\n+++ after\n@@ -1,3 +1,3 @@\n-  "Sid": "DenyHttp"\n+  "Sid": "DenyHttpX"\n',
            commands: [
              'aws s3api put-bucket-policy --bucket reports-bucket --policy file://s3doctor-patch-bucket-reports-bucket.json',
            ],
          },
        ],
      },
    ],
    unknowns: [
      {
        path: 'accounts.111122223333.serviceControlPolicies',
        couldExplain: ['explicit-deny-scp', 'missing-allow-scp'],
      },
    ],
  };
}

/** A request no evidence could explain: only possible causes and unknowns. */
export function unexplainedResult(): Result {
  return {
    input: { source: 'trail.json', eventId: 'ev-1' },
    request: {
      principal: 'arn:aws:iam::111122223333:user/alice',
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::uploads/x|y.txt',
      context: {},
    },
    decision: 'ImplicitDeny',
    reproduced: true,
    evidence: 'none',
    causes: [
      {
        code: 'missing-allow-identity-policy',
        confidence: 'possible',
        rule: 'identity/missing-allow-identity-policy',
        explanation: 'No identity policy is known.',
        fixes: [],
      },
    ],
    unknowns: [
      {
        path: 'principals.arn:aws:iam::111122223333:user/alice.policies',
        couldExplain: ['missing-allow-identity-policy'],
      },
      { path: 'context.aws:SecureTransport', couldExplain: ['explicit-deny-bucket-policy'] },
    ],
  };
}

/** A report with both. */
export function sampleReport(): Report {
  return {
    schemaVersion: 1,
    results: [denyResult(), unexplainedResult()],
    malformed: [{ source: 'access.log', line: 7, reason: 'too few fields' }],
  };
}

/** A triage report. */
export function sampleTriage(): TriageReport {
  return {
    schemaVersion: 1,
    scanned: { files: 2, bytes: 2048, lines: 100, denied: 3, malformed: 1 },
    malformed: [{ source: 'a.log', line: 9, reason: 'unterminated quoted field' }],
    groups: [
      {
        count: 2,
        principal: 'arn:aws:iam::111122223333:user/alice',
        action: 's3:GetObject',
        bucket: 'reports-bucket',
        keyPrefix: 'finance/',
        errorCode: 'AccessDenied',
        firstSeen: '2026-11-01T00:00:04Z',
        lastSeen: '2026-11-24T23:59:58Z',
        sample: { source: 'a.log', line: 42 },
        diagnosis: denyResult(),
      },
      {
        count: 1,
        principal: 'anonymous',
        action: 's3:ListBucket',
        bucket: 'public-bucket',
        keyPrefix: '',
        errorCode: 'AccessDenied',
        sample: { source: 'b.log', line: 1 },
      },
    ],
  };
}
