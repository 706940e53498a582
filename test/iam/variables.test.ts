// Policy variables in Resource and condition values: substitution, defaults, escapes, versions, unknowns.
import { describe, expect, it } from 'vitest';
import { cond, evaluate, request, session } from './helpers.js';

function resourceDoc(resource: string, version?: string): unknown {
  const doc: Record<string, unknown> = {
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resource }],
  };
  if (version) doc.Version = version;
  return doc;
}

describe('policy variables', () => {
  it('substitutes ${aws:username} in Resource', () => {
    const doc = resourceDoc('arn:aws:s3:::b/home/${aws:username}/*', '2012-10-17');
    const ctx = { 'aws:username': 'alice' };
    expect(evaluate(doc, request({ resource: 'arn:aws:s3:::b/home/alice/x', context: ctx })).allow).toBe(
      'true',
    );
    expect(evaluate(doc, request({ resource: 'arn:aws:s3:::b/home/bob/x', context: ctx })).allow).toBe(
      'false',
    );
  });

  it('does not substitute under Version 2008-10-17 or without a Version', () => {
    for (const version of ['2008-10-17', undefined]) {
      const doc = resourceDoc('arn:aws:s3:::b/home/${aws:username}/*', version);
      const ctx = { 'aws:username': 'alice' };
      expect(evaluate(doc, request({ resource: 'arn:aws:s3:::b/home/alice/x', context: ctx })).allow).toBe(
        'false',
      );
      expect(
        evaluate(doc, request({ resource: 'arn:aws:s3:::b/home/${aws:username}/x', context: ctx })).allow,
      ).toBe('true');
    }
  });

  it('makes a Resource entry unusable when the key is absent, unknown when the key is unknown', () => {
    const doc = resourceDoc('arn:aws:s3:::b/home/${aws:username}/*', '2012-10-17');
    const r = 'arn:aws:s3:::b/home/alice/x';
    const absent = evaluate(doc, request({ principal: session, resource: r }));
    expect(absent.allow).toBe('false');
    expect(absent.statements[0]!.failedOn).toBe('resource');
    const unknown = evaluate(doc, request({ resource: r, unknownKeys: ['aws:username'] }));
    expect(unknown.allow).toBe('unknown');
    expect(unknown.statements[0]!.resource).toEqual({ matched: false, uncertain: true });
  });

  it('uses defaults when the key is absent', () => {
    const doc = resourceDoc("arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*", '2012-10-17');
    expect(evaluate(doc, request({ resource: 'arn:aws:s3:::b/shared/x' })).allow).toBe('true');
    expect(
      evaluate(
        doc,
        request({ resource: 'arn:aws:s3:::b/shared/x', context: { 'aws:PrincipalTag/team': 'data' } }),
      ).allow,
    ).toBe('false');
    expect(
      evaluate(
        doc,
        request({ resource: 'arn:aws:s3:::b/data/x', context: { 'aws:principaltag/TEAM': 'data' } }),
      ).allow,
    ).toBe('true');
  });

  it('treats ${*} ${?} ${$} as literal characters, and substituted values never as wildcards', () => {
    const doc = resourceDoc('arn:aws:s3:::b/${*}/${?}/${$}x', '2012-10-17');
    expect(evaluate(doc, request({ resource: 'arn:aws:s3:::b/*/?/$x' })).allow).toBe('true');
    expect(evaluate(doc, request({ resource: 'arn:aws:s3:::b/a/b/$x' })).allow).toBe('false');
    const star = resourceDoc('arn:aws:s3:::b/${aws:PrincipalTag/p}', '2012-10-17');
    const ctx = { 'aws:PrincipalTag/p': '*' };
    expect(evaluate(star, request({ resource: 'arn:aws:s3:::b/anything', context: ctx })).allow).toBe(
      'false',
    );
    expect(evaluate(star, request({ resource: 'arn:aws:s3:::b/*', context: ctx })).allow).toBe('true');
  });

  it('cannot use a multi-valued key as a variable', () => {
    const doc = resourceDoc('arn:aws:s3:::b/${aws:TagKeys}', '2012-10-17');
    expect(
      evaluate(doc, request({ resource: 'arn:aws:s3:::b/a', context: { 'aws:TagKeys': ['a'] } })).allow,
    ).toBe('false');
  });

  it('substitutes in condition values of string operators', () => {
    expect(
      cond('StringLike', 's3:prefix', 'home/${aws:username}/*', {
        's3:prefix': 'home/alice/x',
        'aws:username': 'alice',
      }),
    ).toBe('true');
    expect(
      cond('StringLike', 's3:prefix', 'home/${aws:username}/*', {
        's3:prefix': 'home/bob/x',
        'aws:username': 'alice',
      }),
    ).toBe('false');
    expect(
      cond('StringEquals', 'aws:ResourceTag/owner', '${aws:PrincipalTag/owner}', {
        'aws:ResourceTag/owner': 'alice',
        'aws:PrincipalTag/owner': 'alice',
      }),
    ).toBe('true');
    expect(
      cond('StringEqualsIgnoreCase', 'aws:ResourceTag/owner', '${aws:username}', {
        'aws:ResourceTag/owner': 'ALICE',
        'aws:username': 'alice',
      }),
    ).toBe('true');
    expect(
      cond('ArnLike', 'aws:SourceArn', 'arn:aws:s3:::${aws:PrincipalTag/b}', {
        'aws:SourceArn': 'arn:aws:s3:::logs',
        'aws:PrincipalTag/b': 'logs',
      }),
    ).toBe('true');
  });

  it('a value with an unresolved variable never matches; negated operators are then not satisfiable', () => {
    expect(
      cond('StringEquals', 'aws:ResourceTag/owner', '${aws:username}', { 'aws:ResourceTag/owner': 'x' }),
    ).toBe('false');
    expect(
      cond('StringEquals', 'aws:ResourceTag/owner', ['${aws:username}', 'x'], {
        'aws:ResourceTag/owner': 'x',
      }),
    ).toBe('true');
    expect(
      cond('StringNotEquals', 'aws:ResourceTag/owner', '${aws:username}', { 'aws:ResourceTag/owner': 'x' }),
    ).toBe('false');
    expect(
      cond('StringEquals', 'aws:ResourceTag/owner', '${aws:username}', { 'aws:ResourceTag/owner': 'x' }, [
        'aws:username',
      ]),
    ).toBe('unknown');
    expect(
      cond(
        'StringEquals',
        'aws:ResourceTag/owner',
        ['${aws:username}', 'x'],
        { 'aws:ResourceTag/owner': 'x' },
        ['aws:username'],
      ),
    ).toBe('true');
  });

  it('substitutes in Bool values', () => {
    const ctx = { 'aws:SecureTransport': 'true', 'aws:PrincipalTag/tls': 'true' };
    expect(cond('Bool', 'aws:SecureTransport', '${aws:PrincipalTag/tls}', ctx)).toBe('true');
    expect(
      cond('Bool', 'aws:SecureTransport', '${aws:PrincipalTag/tls}', {
        ...ctx,
        'aws:PrincipalTag/tls': 'false',
      }),
    ).toBe('false');
    expect(
      cond('Bool', 'aws:SecureTransport', '${aws:PrincipalTag/tls}', { 'aws:SecureTransport': 'true' }),
    ).toBe('false');
  });

  it('does not substitute in Numeric values (not a string or ARN operator)', async () => {
    const { validatePolicy } = await import('../../src/iam/index.js');
    const v = validatePolicy(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: '*',
            Resource: '*',
            Condition: { NumericEquals: { 's3:max-keys': '${aws:x}' } },
          },
        ],
      },
      'p',
    );
    expect(v.problems.map((p) => p.path)).toEqual(['p.Statement[0].Condition.NumericEquals.s3:max-keys']);
  });
});
