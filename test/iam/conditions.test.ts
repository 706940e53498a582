// Every condition operator: exact semantics, IfExists, set operators, missing keys and three-valued results.
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/model/policy.js';
import { cond, evaluate, request } from './helpers.js';

type Row = [
  operator: string,
  key: string,
  values: unknown,
  context: Record<string, string | string[]>,
  expected: string,
];

const table = (rows: Row[]): void => {
  it.each(rows)('%s %s %j against %j -> %s', (operator, key, values, context, expected) => {
    expect(cond(operator, key, values, context)).toBe(expected);
  });
};

describe('String operators', () => {
  table([
    ['StringEquals', 'aws:PrincipalTag/team', 'data', { 'aws:PrincipalTag/team': 'data' }, 'true'],
    ['StringEquals', 'aws:PrincipalTag/team', 'data', { 'aws:PrincipalTag/team': 'Data' }, 'false'],
    ['StringEquals', 'aws:PrincipalTag/team', ['ml', 'data'], { 'aws:PrincipalTag/team': 'data' }, 'true'],
    ['StringEquals', 'aws:PrincipalTag/team', 'data', {}, 'false'],
    ['StringEquals', 'aws:PrincipalTag/team', 'd*', { 'aws:PrincipalTag/team': 'data' }, 'false'],
    ['StringEquals', 'aws:PrincipalTag/team', 'd*', { 'aws:PrincipalTag/team': 'd*' }, 'true'],
    ['StringNotEquals', 'aws:SourceVpce', 'vpce-1', { 'aws:SourceVpce': 'vpce-2' }, 'true'],
    ['StringNotEquals', 'aws:SourceVpce', 'vpce-1', { 'aws:SourceVpce': 'vpce-1' }, 'false'],
    ['StringNotEquals', 'aws:SourceVpce', ['vpce-1', 'vpce-2'], { 'aws:SourceVpce': 'vpce-2' }, 'false'],
    ['StringNotEquals', 'aws:SourceVpce', 'vpce-1', {}, 'true'],
    ['StringEqualsIgnoreCase', 'aws:PrincipalTag/team', 'DATA', { 'aws:PrincipalTag/team': 'data' }, 'true'],
    ['StringEqualsIgnoreCase', 'aws:PrincipalTag/team', 'DATA', { 'aws:PrincipalTag/team': 'date' }, 'false'],
    [
      'StringNotEqualsIgnoreCase',
      'aws:PrincipalTag/team',
      'DATA',
      { 'aws:PrincipalTag/team': 'data' },
      'false',
    ],
    ['StringNotEqualsIgnoreCase', 'aws:PrincipalTag/team', 'DATA', { 'aws:PrincipalTag/team': 'ml' }, 'true'],
    ['StringNotEqualsIgnoreCase', 'aws:PrincipalTag/team', 'DATA', {}, 'true'],
    ['StringLike', 's3:prefix', 'home/*', { 's3:prefix': 'home/alice/' }, 'true'],
    ['StringLike', 's3:prefix', 'home/*', { 's3:prefix': 'Home/alice/' }, 'false'],
    ['StringLike', 's3:prefix', 'home/?', { 's3:prefix': 'home/a' }, 'true'],
    ['StringLike', 's3:prefix', 'home/?', { 's3:prefix': 'home/ab' }, 'false'],
    ['StringLike', 's3:prefix', ['', 'home/'], { 's3:prefix': '' }, 'true'],
    ['StringLike', 's3:prefix', 'home/*', {}, 'false'],
    ['StringNotLike', 'aws:userid', 'AROA*:*', { 'aws:userid': 'AIDAEXAMPLE' }, 'true'],
    ['StringNotLike', 'aws:userid', 'AROA*:*', { 'aws:userid': 'AROAEXAMPLE:sess' }, 'false'],
    ['StringNotLike', 'aws:userid', 'AROA*:*', {}, 'true'],
  ]);
});

describe('Numeric operators', () => {
  table([
    ['NumericEquals', 's3:max-keys', '10', { 's3:max-keys': '10' }, 'true'],
    ['NumericEquals', 's3:max-keys', '10', { 's3:max-keys': '10.0' }, 'true'],
    ['NumericEquals', 's3:max-keys', 10, { 's3:max-keys': '10' }, 'true'],
    ['NumericNotEquals', 's3:max-keys', '10', { 's3:max-keys': '11' }, 'true'],
    ['NumericNotEquals', 's3:max-keys', '10', { 's3:max-keys': '10' }, 'false'],
    ['NumericNotEquals', 's3:max-keys', '10', {}, 'true'],
    ['NumericLessThan', 's3:TlsVersion', '1.2', { 's3:TlsVersion': '1.1' }, 'true'],
    ['NumericLessThan', 's3:TlsVersion', '1.2', { 's3:TlsVersion': '1.2' }, 'false'],
    ['NumericLessThanEquals', 's3:TlsVersion', '1.2', { 's3:TlsVersion': '1.2' }, 'true'],
    ['NumericGreaterThan', 'aws:MultiFactorAuthAge', '3600', { 'aws:MultiFactorAuthAge': '3601' }, 'true'],
    ['NumericGreaterThan', 'aws:MultiFactorAuthAge', '3600', { 'aws:MultiFactorAuthAge': '3600' }, 'false'],
    [
      'NumericGreaterThanEquals',
      'aws:MultiFactorAuthAge',
      '3600',
      { 'aws:MultiFactorAuthAge': '3600' },
      'true',
    ],
    ['NumericLessThan', 's3:TlsVersion', '1.2', {}, 'false'],
    // A request value that is not a number never satisfies a numeric condition, negated or not.
    ['NumericLessThan', 's3:max-keys', '100', { 's3:max-keys': 'lots' }, 'false'],
    ['NumericNotEquals', 's3:max-keys', '100', { 's3:max-keys': 'lots' }, 'false'],
  ]);
});

describe('Date operators', () => {
  table([
    [
      'DateLessThan',
      'aws:CurrentTime',
      '2027-01-01T00:00:00Z',
      { 'aws:CurrentTime': '2026-12-02T05:00:00Z' },
      'true',
    ],
    [
      'DateLessThan',
      'aws:CurrentTime',
      '2026-01-01T00:00:00Z',
      { 'aws:CurrentTime': '2026-12-02T05:00:00Z' },
      'false',
    ],
    [
      'DateGreaterThan',
      'aws:CurrentTime',
      '2026-01-01',
      { 'aws:CurrentTime': '2026-12-02T05:00:00Z' },
      'true',
    ],
    [
      'DateEquals',
      'aws:CurrentTime',
      '2026-12-02T05:00:00Z',
      { 'aws:CurrentTime': '2026-12-02T06:00:00+01:00' },
      'true',
    ],
    [
      'DateNotEquals',
      'aws:CurrentTime',
      '2026-12-02T05:00:00Z',
      { 'aws:CurrentTime': '2026-12-02T05:00:01Z' },
      'true',
    ],
    [
      'DateLessThanEquals',
      'aws:CurrentTime',
      '2026-12-02T05:00:00Z',
      { 'aws:CurrentTime': '2026-12-02T05:00:00Z' },
      'true',
    ],
    [
      'DateGreaterThanEquals',
      'aws:CurrentTime',
      '2026-12-02T05:00:01Z',
      { 'aws:CurrentTime': '2026-12-02T05:00:00Z' },
      'false',
    ],
    // Epoch seconds on either side.
    ['DateLessThan', 'aws:EpochTime', '1800000000', { 'aws:EpochTime': '1700000000' }, 'true'],
    [
      'DateGreaterThan',
      'aws:CurrentTime',
      '1700000000',
      { 'aws:CurrentTime': '2026-12-02T05:00:00Z' },
      'true',
    ],
    ['DateLessThan', 'aws:TokenIssueTime', '2026-01-01T00:00:00Z', {}, 'false'],
    ['DateLessThan', 'aws:CurrentTime', '2027-01-01T00:00:00Z', { 'aws:CurrentTime': 'yesterday' }, 'false'],
  ]);
});

describe('Bool, Binary, Null', () => {
  table([
    ['Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'false' }, 'true'],
    ['Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'true' }, 'false'],
    ['Bool', 'aws:SecureTransport', false, { 'aws:SecureTransport': 'false' }, 'true'],
    ['Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'TRUE' }, 'true'],
    ['Bool', 'aws:MultiFactorAuthPresent', 'false', {}, 'false'],
    ['BoolIfExists', 'aws:MultiFactorAuthPresent', 'false', {}, 'true'],
    ['BinaryEquals', 'aws:x-bin', 'QmluYXJ5', { 'aws:x-bin': 'QmluYXJ5' }, 'true'],
    ['BinaryEquals', 'aws:x-bin', 'QmluYXJ5', { 'aws:x-bin': 'QmluYXJ6' }, 'false'],
    ['Null', 's3:x-amz-server-side-encryption', 'true', {}, 'true'],
    [
      'Null',
      's3:x-amz-server-side-encryption',
      'true',
      { 's3:x-amz-server-side-encryption': 'AES256' },
      'false',
    ],
    [
      'Null',
      's3:x-amz-server-side-encryption',
      'false',
      { 's3:x-amz-server-side-encryption': 'AES256' },
      'true',
    ],
    ['Null', 's3:x-amz-server-side-encryption', false, {}, 'false'],
  ]);
});

describe('IP operators', () => {
  table([
    ['IpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:SourceIp': '203.0.113.7' }, 'true'],
    ['IpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:SourceIp': '198.51.100.7' }, 'false'],
    [
      'IpAddress',
      'aws:SourceIp',
      ['198.51.100.0/24', '2001:db8::/32'],
      { 'aws:SourceIp': '2001:db8::5' },
      'true',
    ],
    ['IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:SourceIp': '203.0.113.7' }, 'false'],
    ['IpAddress', 'aws:SourceIp', '203.0.113.0/24', {}, 'false'],
    ['NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:SourceIp': '198.51.100.7' }, 'true'],
    ['NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:SourceIp': '203.0.113.7' }, 'false'],
    ['NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', {}, 'true'],
    // A service name in place of an IP never satisfies the condition.
    ['NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:SourceIp': 'athena.amazonaws.com' }, 'false'],
  ]);
});

describe('ARN operators', () => {
  const role = 'arn:aws:iam::111122223333:role/Admin';
  table([
    ['ArnEquals', 'aws:PrincipalArn', role, { 'aws:PrincipalArn': role }, 'true'],
    ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:role/*', { 'aws:PrincipalArn': role }, 'true'],
    ['ArnEquals', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Admin', { 'aws:PrincipalArn': role }, 'true'],
    [
      'ArnLike',
      'aws:PrincipalArn',
      'arn:aws:iam::*:role/Admin',
      { 'aws:PrincipalArn': 'arn:aws:iam::1:2:role/Admin' },
      'false',
    ],
    [
      'ArnLike',
      'aws:SourceArn',
      'arn:aws:s3:::logs-*',
      { 'aws:SourceArn': 'arn:aws:s3:::logs-2026' },
      'true',
    ],
    [
      'ArnLike',
      'aws:PrincipalArn',
      'arn:aws:iam::111122223333:role/admin',
      { 'aws:PrincipalArn': role },
      'false',
    ],
    ['ArnNotEquals', 'aws:PrincipalArn', role, { 'aws:PrincipalArn': role }, 'false'],
    ['ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Break*', { 'aws:PrincipalArn': role }, 'true'],
    ['ArnNotLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/Break*', {}, 'true'],
    ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::*:role/*', {}, 'false'],
    ['ArnLike', 'aws:SourceArn', '*', { 'aws:SourceArn': 'not-an-arn' }, 'false'],
  ]);
});

describe('IfExists', () => {
  table([
    ['StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1', {}, 'true'],
    ['StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1', { 'aws:SourceVpce': 'vpce-2' }, 'false'],
    ['StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1', { 'aws:SourceVpce': 'vpce-1' }, 'true'],
    ['StringNotEqualsIfExists', 'aws:SourceVpce', 'vpce-1', { 'aws:SourceVpce': 'vpce-1' }, 'false'],
    ['NumericLessThanIfExists', 's3:TlsVersion', '1.2', {}, 'true'],
    ['IpAddressIfExists', 'aws:SourceIp', '203.0.113.0/24', {}, 'true'],
    ['ArnLikeIfExists', 'aws:SourceArn', 'arn:aws:s3:::x', {}, 'true'],
    ['DateLessThanIfExists', 'aws:TokenIssueTime', '2026-01-01T00:00:00Z', {}, 'true'],
  ]);
});

describe('set operators (multi-valued keys)', () => {
  table([
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['x', 'b'] }, 'true'],
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['x', 'y'] }, 'false'],
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['a'], {}, 'false'],
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': [] }, 'false'],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['a', 'b'] }, 'true'],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['a', 'c'] }, 'false'],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], {}, 'true'],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': [] }, 'true'],
    [
      'ForAllValues:StringLike',
      'aws:TagKeys',
      'Created*',
      { 'aws:TagKeys': ['CreatedBy', 'CreatedAt'] },
      'true',
    ],
    [
      'ForAnyValue:StringLike',
      'aws:CalledVia',
      'athena.*',
      { 'aws:CalledVia': ['athena.amazonaws.com'] },
      'true',
    ],
    ['ForAllValues:StringNotEquals', 'aws:TagKeys', ['secret'], { 'aws:TagKeys': ['a', 'b'] }, 'true'],
    ['ForAllValues:StringNotEquals', 'aws:TagKeys', ['secret'], { 'aws:TagKeys': ['a', 'secret'] }, 'false'],
    ['ForAnyValue:StringNotEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': ['a', 'b'] }, 'true'],
    ['ForAnyValue:StringNotEquals', 'aws:TagKeys', ['a'], { 'aws:TagKeys': ['a'] }, 'false'],
    ['ForAnyValue:StringNotEquals', 'aws:TagKeys', ['a'], {}, 'false'],
    // A single-valued key under a set operator is a one-element set; absent it is vacuously true.
    ['ForAllValues:StringEquals', 'aws:PrincipalTag/team', 'data', {}, 'true'],
    [
      'ForAllValues:StringEquals',
      'aws:PrincipalTag/team',
      'data',
      { 'aws:PrincipalTag/team': 'data' },
      'true',
    ],
    ['ForAnyValue:StringEquals', 'aws:PrincipalTag/team', 'data', { 'aws:PrincipalTag/team': 'ml' }, 'false'],
    ['ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'a', {}, 'true'],
    [
      'ForAnyValue:ArnLike',
      'aws:PrincipalServiceNamesList',
      'arn:*',
      { 'aws:PrincipalServiceNamesList': ['x'] },
      'false',
    ],
    // A plain operator on a multi-valued value is unsupported by AWS: unknown, never guessed.
    ['StringEquals', 'aws:TagKeys', 'a', { 'aws:TagKeys': ['a', 'b'] }, 'unknown'],
    ['StringEquals', 'aws:TagKeys', 'a', { 'aws:TagKeys': ['a'] }, 'true'],
    // ...unless "any value" and "every value" agree.
    ['StringLike', 'aws:TagKeys', '*', { 'aws:TagKeys': ['a', 'b'] }, 'true'],
    ['StringEquals', 'aws:TagKeys', ['a', 'b'], { 'aws:TagKeys': ['a', 'b'] }, 'true'],
    ['StringEquals', 'aws:TagKeys', ['c'], { 'aws:TagKeys': ['a', 'b'] }, 'false'],
    ['Null', 'aws:TagKeys', 'true', { 'aws:TagKeys': [] }, 'true'],
  ]);
});

describe('condition key names are case-insensitive', () => {
  table([
    ['IpAddress', 'AWS:SOURCEIP', '203.0.113.0/24', { 'aws:SourceIp': '203.0.113.7' }, 'true'],
    ['StringEquals', 'aws:principaltag/Team', 'data', { 'aws:PrincipalTag/team': 'data' }, 'true'],
    ['StringEquals', 'aws:PrincipalTag/team', 'data', { 'AWS:PRINCIPALTAG/TEAM': 'data' }, 'true'],
  ]);
});

describe('several operators and keys are ANDed', () => {
  it('needs every key of every operator', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:PrincipalTag/team': 'data', 'aws:PrincipalTag/env': 'prod' },
            Bool: { 'aws:SecureTransport': 'true' },
          },
        },
      ],
    };
    const ok = {
      'aws:PrincipalTag/team': 'data',
      'aws:PrincipalTag/env': 'prod',
      'aws:SecureTransport': 'true',
    };
    expect(evaluate(doc, request({ context: ok })).allow).toBe('true');
    expect(evaluate(doc, request({ context: { ...ok, 'aws:PrincipalTag/env': 'dev' } })).allow).toBe('false');
    const trace = evaluate(doc, request({ context: { ...ok, 'aws:SecureTransport': 'false' } }));
    expect(trace.statements[0]!.failedOn).toBe('condition');
    expect(trace.statements[0]!.conditions.map((c) => c.result)).toEqual(['true', 'true', 'false']);
  });
});

describe('unknown keys (three-valued)', () => {
  it.each([
    ['StringEquals', 'aws:SourceVpce', 'vpce-1', 'unknown'],
    ['StringNotEquals', 'aws:SourceVpce', 'vpce-1', 'unknown'],
    ['StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1', 'unknown'],
    ['ForAllValues:StringEquals', 'aws:SourceVpce', 'vpce-1', 'unknown'],
    // Null decides from presence alone, and unknown presence is unknown.
    ['Null', 'aws:SourceVpce', 'true', 'unknown'],
    // StringLike "*" is true whenever the key is present; with IfExists it is true either way.
    ['StringLikeIfExists', 'aws:SourceVpce', '*', 'true'],
    ['StringLike', 'aws:SourceVpce', '*', 'unknown'],
    ['StringNotLike', 'aws:SourceVpce', '*', 'unknown'],
  ])('%s on an unknown key -> %s', (operator, key, value, expected) => {
    expect(cond(operator, key, value, {}, [key])).toBe(expected);
  });

  it('records the key state and the request value in the trace', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: {
            StringNotEquals: { 'aws:SourceVpce': 'vpce-1' },
            Bool: { 'aws:SecureTransport': 'false' },
          },
        },
      ],
    };
    const ev = evaluate(
      doc,
      request({ context: { 'aws:SecureTransport': 'false' }, unknownKeys: ['aws:SourceVpce'] }),
    );
    expect(ev.explicitDeny).toBe('unknown');
    expect(ev.statements[0]!.conditions).toEqual([
      {
        operator: 'StringNotEquals',
        key: 'aws:SourceVpce',
        policyValues: ['vpce-1'],
        keyState: 'unknown',
        result: 'unknown',
      },
      {
        operator: 'Bool',
        key: 'aws:SecureTransport',
        policyValues: ['false'],
        keyState: 'present',
        requestValue: 'false',
        result: 'true',
      },
    ]);
    // A false condition settles the statement whatever the unknown key holds.
    const https = evaluate(
      doc,
      request({ context: { 'aws:SecureTransport': 'true' }, unknownKeys: ['aws:SourceVpce'] }),
    );
    expect(https.explicitDeny).toBe('false');
  });

  it('ArnLike "*" on an unknown key stays unknown: a value that is not an ARN matches no ArnLike pattern', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
    // Found by the property test (seed -762235681): the unknown-key shortcut for "*" took ArnLike for StringLike.
    expect(cond('ArnLike', 'aws:username', '*', { 'aws:username': '203.0.113.7' })).toBe('false');
    expect(cond('ArnLike', 'aws:username', '*', { 'aws:username': 'arn:aws:iam::1:user/a' })).toBe('true');
    expect(cond('ArnLike', 'aws:username', '*', {}, ['aws:username'])).toBe('unknown');
    expect(cond('ArnLikeIfExists', 'aws:username', '*', {}, ['aws:username'])).toBe('unknown');
    expect(cond('StringLike', 'aws:username', '*', {}, ['aws:username'])).toBe('unknown');
    expect(cond('StringLikeIfExists', 'aws:username', '*', {}, ['aws:username'])).toBe('true');
  });

  it('treats unknown-key prefixes like aws:PrincipalTag/* as unknown for every tag', () => {
    expect(cond('StringEquals', 'aws:PrincipalTag/team', 'data', {}, ['aws:PrincipalTag/*'])).toBe('unknown');
    expect(cond('StringEquals', 'aws:SourceVpce', 'v', {}, ['aws:PrincipalTag/*'])).toBe('false');
  });
});

describe('unknown operators are never a silent allow or deny', () => {
  it('treats statements without Action and malformed Condition blocks as unknown', async () => {
    const { compilePolicy, evaluatePolicy } = await import('../../src/iam/index.js');
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', Resource: '*' },
        { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: 'x' } },
        { Effect: 'Deny', Action: '*', Resource: '*', Condition: 'x' },
      ],
    } as unknown as PolicyDocument;
    const p = compilePolicy(doc, { type: 'identity-policy', id: 'bad' });
    expect(p.body.problems.map((x) => x.path)).toEqual([
      'Statement[0]',
      'Statement[1].Condition.StringEquals',
      'Statement[2].Condition',
    ]);
    const ev = evaluatePolicy(p, request());
    expect(ev.explicitDeny).toBe('unknown');
    expect(ev.statements.map((s) => s.matched)).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('evaluates an unvalidated document with an unknown operator to unknown, with the error in the trace', async () => {
    const { compilePolicy, evaluatePolicy } = await import('../../src/iam/index.js');
    const doc = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny' as const,
          Action: '*',
          Resource: '*',
          Condition: { StringEqualz: { 'aws:SourceVpce': 'x' } },
        },
      ],
    };
    const p = compilePolicy(doc, { type: 'bucket-policy', id: 'b' });
    expect(p.body.problems[0]!.path).toBe('Statement[0].Condition.StringEqualz.aws:SourceVpce');
    const ev = evaluatePolicy(p, request({ context: { 'aws:SourceVpce': 'x' } }));
    // A bucket policy statement without a Principal never applies, so use an identity policy too.
    expect(ev.statements[0]!.failedOn).toBe('principal');
    const id = evaluatePolicy(
      compilePolicy(doc, { type: 'identity-policy', id: 'i' }),
      request({ context: { 'aws:SourceVpce': 'x' } }),
    );
    expect(id.explicitDeny).toBe('unknown');
    expect(id.statements[0]!.conditions[0]!.error).toMatch(/unknown condition operator "StringEqualz"/);
  });
});
