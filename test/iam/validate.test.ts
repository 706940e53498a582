// validatePolicy: input forms, normalisation, and every problem reported at once with its JSON path.
import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../../src/iam/index.js';

const good = {
  Version: '2012-10-17',
  Statement: {
    Sid: 'A',
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::b/*',
    Condition: { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 's3:max-keys': 10 } },
  },
};

describe('validatePolicy input forms', () => {
  it('normalises single values to arrays and stringifies boolean/number condition values', () => {
    const v = validatePolicy(good, 'p');
    expect(v.problems).toEqual([]);
    expect(v.document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'A',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: ['arn:aws:s3:::b/*'],
          Condition: {
            Bool: { 'aws:SecureTransport': ['true'] },
            NumericLessThan: { 's3:max-keys': ['10'] },
          },
        },
      ],
    });
  });

  it('accepts JSON text and URL-encoded JSON text, as S3 and IAM return them', () => {
    const text = JSON.stringify(good);
    expect(validatePolicy(text, 'p').document).toEqual(validatePolicy(good, 'p').document);
    expect(validatePolicy(encodeURIComponent(text), 'p').document).toEqual(
      validatePolicy(good, 'p').document,
    );
  });

  it('reports bad JSON at the given path', () => {
    const v = validatePolicy('{"Version": "2012-10-17", "Statement": [', 'buckets.b.policy');
    expect(v.document).toBeUndefined();
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]!.path).toBe('buckets.b.policy');
    expect(v.problems[0]!.message).toMatch(/invalid JSON/);
    expect(validatePolicy(42, 'x').problems[0]!.message).toMatch(/JSON object/);
  });

  it('normalises Principal values and keeps unique-id principals', () => {
    const v = validatePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'AROAEXAMPLEID1234567', Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: 'arn:aws:s3:::b/*',
          },
        ],
      },
      'p',
    );
    expect(v.problems).toEqual([]);
    expect(v.document!.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: ['AROAEXAMPLEID1234567'], Service: ['logging.s3.amazonaws.com'] },
      }),
    ]);
  });
});

describe('validatePolicy problems', () => {
  it('reports every problem at once, with JSON paths', () => {
    const v = validatePolicy(
      {
        Version: '2012-10-18',
        Statement: [
          { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
          {
            Effect: 'allow',
            Action: 's3:GetObject',
            NotAction: 's3:PutObject',
            Resource: 'arn:aws:s3:::b/*',
          },
          {
            Effect: 'Deny',
            Action: 's3:*',
            Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3:b'],
            Condition: {
              StringEqualz: { 'aws:SourceVpce': 'v' },
              IpAddress: { 'aws:SourceIp': '10.0.0.0/33' },
            },
          },
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:role/*', Group: 'x' },
            Action: 'GetObject',
            Resource: 'arn:aws:s3:::b',
          },
          { Action: 's3:GetObject', Resource: '*', Extra: 1 },
        ],
      },
      'buckets.b.policy',
    );
    expect(v.document).toBeUndefined();
    expect(v.problems.map((p) => p.path)).toEqual([
      'buckets.b.policy.Version',
      'buckets.b.policy.Statement[1].Effect',
      'buckets.b.policy.Statement[1]',
      'buckets.b.policy.Statement[2].Resource[1]',
      'buckets.b.policy.Statement[2].Condition.StringEqualz',
      'buckets.b.policy.Statement[2].Condition.IpAddress.aws:SourceIp',
      'buckets.b.policy.Statement[3].Action',
      'buckets.b.policy.Statement[3].Principal.AWS',
      'buckets.b.policy.Statement[3].Principal.Group',
      'buckets.b.policy.Statement[4].Extra',
      'buckets.b.policy.Statement[4].Effect',
    ]);
    const msg = (path: string) => v.problems.find((p) => p.path === path)!.message;
    expect(msg('buckets.b.policy.Statement[2].Condition.StringEqualz')).toMatch(/unknown condition operator/);
    expect(msg('buckets.b.policy.Statement[2].Resource[1]')).toMatch(/malformed ARN/);
    expect(msg('buckets.b.policy.Statement[3].Principal.AWS')).toMatch(/partial wildcards/);
  });

  it.each([
    [{ Statement: [] }, 'p.Statement', /at least one/],
    [{ Version: '2012-10-17' }, 'p.Statement', /missing/],
    [{ Statement: [{ Effect: 'Allow', Resource: '*' }] }, 'p.Statement[0]', /Action or NotAction/],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: 'b/k' }] },
      'p.Statement[0].Resource',
      /malformed ARN/,
    ],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::' }] },
      'p.Statement[0].Resource',
      /resource part is empty/,
    ],
    [
      { Statement: [{ Effect: 'Allow', Action: [], Resource: '*' }] },
      'p.Statement[0].Action',
      /at least one/,
    ],
    [{ Statement: [{ Effect: 'Allow', Action: [3], Resource: '*' }] }, 'p.Statement[0].Action[0]', /string/],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', NotResource: '*' }] },
      'p.Statement[0]',
      /not both/,
    ],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Principal: '*', NotPrincipal: '*' }] },
      'p.Statement[0]',
      /not both/,
    ],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Principal: 'everyone' }] },
      'p.Statement[0].Principal',
      /"\*" or an object/,
    ],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Principal: { AWS: '12345' } }] },
      'p.Statement[0].Principal.AWS',
      /bad AWS principal/,
    ],
    [
      {
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*', Condition: { NullIfExists: { 'aws:x': 'true' } } },
        ],
      },
      'p.Statement[0].Condition.NullIfExists',
      /Null cannot/,
    ],
    [
      {
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*', Condition: { stringequals: { 'aws:x': 'a' } } },
        ],
      },
      'p.Statement[0].Condition.stringequals',
      /did you mean StringEquals/,
    ],
    [
      {
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:x': [] } } },
        ],
      },
      'p.Statement[0].Condition.StringEquals.aws:x',
      /at least one/,
    ],
    [
      {
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { nokey: 'a' } } },
        ],
      },
      'p.Statement[0].Condition.StringEquals.nokey',
      /not a condition key/,
    ],
    [
      {
        Statement: [
          {
            Effect: 'Allow',
            Action: '*',
            Resource: '*',
            Condition: { DateLessThan: { 'aws:CurrentTime': 'soon' } },
          },
        ],
      },
      'p.Statement[0].Condition.DateLessThan.aws:CurrentTime',
      /not an ISO 8601/,
    ],
    [
      {
        Statement: [
          {
            Effect: 'Allow',
            Action: '*',
            Resource: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'yes' } },
          },
        ],
      },
      'p.Statement[0].Condition.Bool.aws:SecureTransport',
      /"true" or "false"/,
    ],
    [
      {
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:x': [null] } } },
        ],
      },
      'p.Statement[0].Condition.StringEquals.aws:x[0]',
      /strings, numbers or booleans/,
    ],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: 'x' } }] },
      'p.Statement[0].Condition.StringEquals',
      /object of condition key/,
    ],
    [
      { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }], Version: 1 },
      'p.Version',
      /Version must be/,
    ],
    [{ Statement: ['x'] }, 'p.Statement[0]', /must be an object/],
  ])('%j -> %s', (doc, path, message) => {
    const v = validatePolicy(doc, 'p');
    expect(v.document).toBeUndefined();
    expect(v.problems).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('accepts tag keys with spaces in condition key names', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/cost center': 'x' } },
        },
      ],
    };
    expect(validatePolicy(doc, 'p').problems).toEqual([]);
  });

  it('accepts both versions and a missing Version', () => {
    for (const Version of ['2012-10-17', '2008-10-17', undefined]) {
      expect(
        validatePolicy({ Version, Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'p')
          .problems,
      ).toEqual([]);
    }
  });
});
