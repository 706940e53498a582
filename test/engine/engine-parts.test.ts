// Unit tests of the engine's parts: the enhanced-message mapping (https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html), message
// filling, ranking, logs-only unknowns, and diagnose's request override.

import { describe, expect, it } from 'vitest';
import { parseSimulateRequest } from '../../src/authz/index.js';
import {
  diagnose,
  enhancedCauseCode,
  fillMessage,
  getRule,
  logsOnlyUnknowns,
  makeContext,
  placeholdersOf,
} from '../../src/engine/index.js';
import { collectHintParts } from '../../src/cli/format/hints.js';
import { compareCauses } from '../../src/engine/ranking.js';
import type { Rankable } from '../../src/engine/ranking.js';
import type { Evaluation } from '../../src/model/evaluation.js';
import type { LogRecord } from '../../src/model/input.js';

function enhanced(
  policyType: string,
  kind: 'explicit-deny' | 'missing-allow',
  action = 's3:GetObject',
  resource = 'arn:aws:s3:::b/k',
): LogRecord {
  return {
    input: { source: 't' },
    format: 'error-message',
    errorCode: 'AccessDenied',
    enhanced: { principalArn: 'arn:aws:iam::111122223333:user/alice', action, resource, policyType, kind },
  };
}

describe('enhanced AccessDenied message -> cause code', () => {
  const table: [string, 'explicit-deny' | 'missing-allow', string, string, string | undefined][] = [
    [
      'identity-based policy',
      'explicit-deny',
      's3:GetObject',
      'arn:aws:s3:::b/k',
      'explicit-deny-identity-policy',
    ],
    [
      'identity-based policy',
      'missing-allow',
      's3:GetObject',
      'arn:aws:s3:::b/k',
      'missing-allow-identity-policy',
    ],
    [
      'identity-based policy',
      'missing-allow',
      'kms:Decrypt',
      'arn:aws:kms:us-east-1:1:key/x',
      'missing-allow-kms',
    ],
    [
      'resource-based policy',
      'explicit-deny',
      's3:GetObject',
      'arn:aws:s3:::b/k',
      'explicit-deny-bucket-policy',
    ],
    [
      'resource-based policy',
      'missing-allow',
      's3:GetObject',
      'arn:aws:s3:::b/k',
      'missing-allow-bucket-policy',
    ],
    [
      'resource-based policy',
      'explicit-deny',
      's3:ListBucket',
      'arn:aws:s3:us-east-1:1:accesspoint/ap',
      'explicit-deny-access-point-policy',
    ],
    [
      'resource-based policy',
      'missing-allow',
      's3:GetObject',
      'arn:aws:s3:us-east-1:1:accesspoint/ap/object/k',
      'missing-allow-access-point-policy',
    ],
    [
      'resource-based policy',
      'explicit-deny',
      'kms:Decrypt',
      'arn:aws:kms:us-east-1:1:key/x',
      'explicit-deny-kms-key-policy',
    ],
    [
      'permissions boundary',
      'missing-allow',
      's3:PutObject',
      'arn:aws:s3:::b/k',
      'missing-allow-permissions-boundary',
    ],
    ['session policy', 'explicit-deny', 's3:PutObject', 'arn:aws:s3:::b/k', 'explicit-deny-session-policy'],
    ['service control policy', 'missing-allow', 's3:PutObject', 'arn:aws:s3:::b/k', 'missing-allow-scp'],
    ['resource control policy', 'explicit-deny', 's3:PutObject', 'arn:aws:s3:::b/k', 'explicit-deny-rcp'],
    [
      'VPC endpoint policy',
      'explicit-deny',
      's3:GetObject',
      'arn:aws:s3:::b/k',
      'explicit-deny-vpc-endpoint-policy',
    ],
    ['a future policy type', 'explicit-deny', 's3:GetObject', 'arn:aws:s3:::b/k', undefined],
  ];
  it.each(table)('%s / %s / %s on %s -> %s', (type, kind, action, resource, code) => {
    expect(enhancedCauseCode(enhanced(type, kind, action, resource))).toBe(code);
  });
  it('no enhanced message, no code', () => {
    expect(
      enhancedCauseCode({ input: { source: 't' }, format: 'error-message', errorCode: 'AccessDenied' }),
    ).toBeUndefined();
  });
});

describe('messages', () => {
  it('fills placeholders, joins arrays, marks missing values', () => {
    expect(placeholdersOf('a {{x}} b {{ y }}')).toEqual(['x', 'y']);
    expect(fillMessage('{{a}} on {{b}} ({{c}})', { a: 's3:GetObject', b: ['x', 'y'] })).toBe(
      's3:GetObject on x, y (?)',
    );
    expect(fillMessage('{{n}} s', { n: 3 })).toBe('3 s');
  });
});

describe('ranking', () => {
  it('certain first; then credentials, explicit deny, S3 checks, missing allow; then authorization and layer order', () => {
    const causes: Rankable[] = [
      {
        code: 'missing-allow-identity-policy',
        confidence: 'certain',
        layer: 'identity-policy',
        authorizationIndex: 0,
      },
      {
        code: 'explicit-deny-bucket-policy',
        confidence: 'possible',
        layer: 'bucket-policy',
        authorizationIndex: 0,
      },
      { code: 'missing-allow-kms', confidence: 'certain', layer: 'kms-key-policy', authorizationIndex: 1 },
      {
        code: 'block-public-access',
        confidence: 'certain',
        layer: 'block-public-access',
        authorizationIndex: 0,
      },
      { code: 'explicit-deny-scp', confidence: 'certain', layer: 'scp', authorizationIndex: 0 },
      {
        code: 'missing-allow-bucket-policy',
        confidence: 'certain',
        layer: 'bucket-policy',
        authorizationIndex: 0,
      },
    ];
    expect([...causes].sort(compareCauses).map((c) => c.code)).toEqual([
      'explicit-deny-scp',
      'block-public-access',
      'missing-allow-bucket-policy',
      'missing-allow-identity-policy',
      'missing-allow-kms',
      'explicit-deny-bucket-policy',
    ]);
  });
});

describe('logs-only unknowns', () => {
  it('a cross-account role through a VPC endpoint: identity, boundary, session, SCPs, endpoint, bucket, object', () => {
    const req = parseSimulateRequest({
      principal: 'arn:aws:sts::444455556666:assumed-role/etl/run',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      resourceAccount: '111122223333',
      context: { 'aws:SourceVpce': 'vpce-1' },
    });
    const paths = logsOnlyUnknowns(req).map((u) => u.path);
    expect(paths).toEqual([
      'principals.arn:aws:iam::444455556666:role/etl.policies',
      'principals.arn:aws:iam::444455556666:role/etl.permissionsBoundary',
      'sessions.arn:aws:sts::444455556666:assumed-role/etl/run.sessionPolicy',
      'accounts.444455556666.serviceControlPolicies',
      'accounts.111122223333.resourceControlPolicies',
      'vpcEndpoints.vpce-1.policy',
      'buckets.b.policy',
      'buckets.b.publicAccessBlock',
      'buckets.b.requestPayer',
      'buckets.b.objects.k',
    ]);
  });

  it('anonymous: no identity side at all', () => {
    const req = parseSimulateRequest({
      principal: 'anonymous',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      context: {},
    });
    const paths = logsOnlyUnknowns(req).map((u) => u.path);
    expect(paths.some((p) => p.startsWith('principals.') || p.includes('serviceControlPolicies'))).toBe(
      false,
    );
    expect(paths).toContain('buckets.b.publicAccessBlock');
  });

  it('a bucket, key and session name with dots: each is one quoted path segment, and the collect hints name them whole', () => {
    const req = parseSimulateRequest({
      principal: 'arn:aws:sts::444455556666:assumed-role/etl/john.doe',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::my.bucket/reports/q1.v2.csv',
      resourceAccount: '111122223333',
      context: {},
    });
    const paths = logsOnlyUnknowns(req).map((u) => u.path);
    expect(paths).toContain('buckets["my.bucket"].policy');
    expect(paths).toContain('buckets["my.bucket"].objects["reports/q1.v2.csv"]');
    expect(paths).toContain('sessions["arn:aws:sts::444455556666:assumed-role/etl/john.doe"].sessionPolicy');
    const commands = paths.map((p) => collectHintParts(p).command).filter((c) => c !== undefined);
    expect(commands).toContainEqual([
      's3doctor',
      'collect',
      '--bucket',
      'my.bucket',
      '--out',
      's3doctor-snapshot.json',
    ]);
    expect(commands).toContainEqual([
      'aws',
      's3api',
      'head-object',
      '--bucket',
      'my.bucket',
      '--key',
      'reports/q1.v2.csv',
    ]);
    expect(commands.flat()).not.toContain('my');
  });

  it('narrowed to the layer an enhanced message names', () => {
    const req = parseSimulateRequest({
      principal: 'arn:aws:iam::111122223333:user/alice',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      context: {},
    });
    expect(logsOnlyUnknowns(req, 'missing-allow-bucket-policy')).toEqual([
      { path: 'buckets.b.policy', couldExplain: ['missing-allow-bucket-policy'] },
    ]);
  });
});

describe('diagnose with a request override', () => {
  it('evaluates the given request but keeps the record for input and error-based rules', () => {
    const record: LogRecord = {
      input: { source: 'err.txt', line: 3 },
      format: 'error-message',
      errorCode: 'ExpiredToken',
      apiName: 'GetObject',
    };
    const request = parseSimulateRequest({
      principal: 'arn:aws:iam::111122223333:user/alice',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      context: {},
    });
    const r = diagnose(record, undefined, { request });
    expect(r.input).toEqual({ source: 'err.txt', line: 3 });
    expect(r.request.principal).toBe('arn:aws:iam::111122223333:user/alice');
    expect(r.causes.map((c) => c.code)).toEqual(['expired-credentials']);
  });
});

describe('explicit-deny rules without a statement to cite', () => {
  // A layer whose own evidence is unknown, left open to a deny, with no policy in the trace.
  function openLayerEvaluation(req: ReturnType<typeof parseSimulateRequest>): Evaluation {
    const auth = req.authorizations[0]!;
    return {
      request: req,
      decision: 'Allowed',
      certain: false,
      possibleDecisions: ['Allowed', 'ExplicitDeny'],
      unknowns: [],
      authorizations: [
        {
          request: auth,
          decision: 'Allowed',
          certain: false,
          possibleDecisions: ['Allowed', 'ExplicitDeny'],
          layers: [
            {
              layer: 'vpc-endpoint-policy',
              applies: 'unknown',
              outcome: 'unknown',
              possible: ['allow', 'explicit-deny'],
              policies: [],
            },
          ],
        },
      ],
    };
  }
  const req = parseSimulateRequest({
    principal: 'arn:aws:iam::111122223333:role/app',
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::b/k',
    context: { 'aws:SourceVpce': 'vpce-1' },
  });
  const rule = getRule('vpc-endpoint/explicit-deny-vpc-endpoint-policy')!;

  it('prints no "Statement ? of the policy of VPC endpoint ?": no finding from the trace alone', () => {
    const ctx = makeContext({ request: req, evaluation: openLayerEvaluation(req), principalLabel: 'app' });
    expect(rule.match(ctx)).toEqual([]);
  });

  it('falls back to the enhanced message, free of placeholders, when AWS named the endpoint policy', () => {
    const record = enhanced('VPC endpoint policy', 'explicit-deny');
    const ctx = makeContext({
      record,
      request: req,
      evaluation: openLayerEvaluation(req),
      principalLabel: 'app',
    });
    const found = rule.match(ctx);
    expect(found.map((f) => [f.messageId, f.confidence])).toEqual([['enhanced', 'possible']]);
    const text = fillMessage((rule.messages as Record<string, string>)['enhanced']!, found[0]!.data);
    expect(text).toBe(
      'AWS reported an explicit deny in a VPC endpoint policy for s3:GetObject on arn:aws:s3:::b/k.',
    );
  });
});
