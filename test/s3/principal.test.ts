// Tests for principal parsing from access-log requesters and CloudTrail identities, and its ARN/account/label views.
import { describe, expect, it } from 'vitest';
import {
  principalAccount,
  principalArn,
  principalFromString,
  principalLabel,
  principalType,
} from '../../src/s3/index.js';

const CANON = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

describe('principalFromString', () => {
  it('IAM user, with and without a path', () => {
    const p = principalFromString('arn:aws:iam::111122223333:user/alice');
    expect(p).toEqual({
      kind: 'iam-user',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      name: 'alice',
    });
    const withPath = principalFromString('arn:aws:iam::111122223333:user/dev/team/bob');
    expect(withPath).toMatchObject({ kind: 'iam-user', name: 'bob' });
    expect(principalArn(withPath)).toBe('arn:aws:iam::111122223333:user/dev/team/bob');
    expect(principalType(withPath)).toBe('User');
  });

  it('assumed-role session from an access log: role ARN derived, path unknown', () => {
    const p = principalFromString('arn:aws:sts::111122223333:assumed-role/reporting-app/i-0abc123');
    expect(p).toEqual({
      kind: 'role-session',
      arn: 'arn:aws:sts::111122223333:assumed-role/reporting-app/i-0abc123',
      roleArn: 'arn:aws:iam::111122223333:role/reporting-app',
      rolePathKnown: false,
      roleName: 'reporting-app',
      sessionName: 'i-0abc123',
      accountId: '111122223333',
    });
    expect(principalArn(p)).toBe('arn:aws:iam::111122223333:role/reporting-app');
    expect(principalType(p)).toBe('AssumedRole');
  });

  it('assumed-role session from CloudTrail: the session issuer gives the role path', () => {
    const p = principalFromString('arn:aws:sts::111122223333:assumed-role/reporting-app/i-0abc123', {
      type: 'AssumedRole',
      sessionIssuerArn: 'arn:aws:iam::111122223333:role/service/reporting-app',
    });
    expect(p).toMatchObject({
      roleArn: 'arn:aws:iam::111122223333:role/service/reporting-app',
      rolePathKnown: true,
    });
  });

  it('ignores a session issuer that names another role', () => {
    const p = principalFromString('arn:aws:sts::111122223333:assumed-role/app/s', {
      sessionIssuerArn: 'arn:aws:iam::111122223333:role/other',
    });
    expect(p).toMatchObject({ roleArn: 'arn:aws:iam::111122223333:role/app', rolePathKnown: false });
  });

  it('session names may contain @ and = and the partition is kept', () => {
    const p = principalFromString(
      'arn:aws-cn:sts::111122223333:assumed-role/AWSReservedSSO_Admin_1a2b/alice@example.com',
    );
    expect(p).toMatchObject({
      kind: 'role-session',
      roleArn: 'arn:aws-cn:iam::111122223333:role/AWSReservedSSO_Admin_1a2b',
      sessionName: 'alice@example.com',
    });
  });

  it('federated user', () => {
    const p = principalFromString('arn:aws:sts::111122223333:federated-user/bob');
    expect(p).toEqual({
      kind: 'federated-user',
      arn: 'arn:aws:sts::111122223333:federated-user/bob',
      accountId: '111122223333',
      name: 'bob',
    });
    expect(principalType(p)).toBe('FederatedUser');
  });

  it('root', () => {
    const p = principalFromString('arn:aws:iam::111122223333:root');
    expect(p).toEqual({ kind: 'root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' });
    expect(principalType(p)).toBe('Account');
    expect(principalAccount(p)).toBe('111122223333');
  });

  it('canonical user id', () => {
    const p = principalFromString(CANON);
    expect(p).toEqual({ kind: 'canonical-user', canonicalId: CANON });
    expect(principalArn(p)).toBeUndefined();
    expect(principalAccount(p)).toBeUndefined();
    expect(principalLabel({ ...p, accountId: '111122223333' } as typeof p)).toContain('111122223333');
  });

  it('service principals: svc: prefix, AmazonS3, bare service names, CloudTrail AWSService', () => {
    expect(principalFromString('svc:delivery.logs.amazonaws.com')).toEqual({
      kind: 'service',
      service: 'delivery.logs.amazonaws.com',
    });
    expect(principalFromString('AmazonS3')).toEqual({ kind: 'service', service: 's3.amazonaws.com' });
    expect(principalFromString('logging.s3.amazonaws.com')).toEqual({
      kind: 'service',
      service: 'logging.s3.amazonaws.com',
    });
    expect(principalFromString('', { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' })).toEqual({
      kind: 'service',
      service: 'cloudtrail.amazonaws.com',
    });
    expect(principalLabel({ kind: 'service', service: 'x.amazonaws.com' })).toBe('service:x.amazonaws.com');
  });

  it('anonymous: dash, empty, CloudTrail AWSAccount anonymous', () => {
    expect(principalFromString('-')).toEqual({ kind: 'anonymous' });
    expect(principalFromString('')).toEqual({ kind: 'anonymous' });
    expect(principalFromString('', { type: 'AWSAccount', principalId: '', accountId: 'anonymous' })).toEqual({
      kind: 'anonymous',
    });
    expect(principalType({ kind: 'anonymous' })).toBe('Anonymous');
    expect(principalArn({ kind: 'anonymous' })).toBeUndefined();
    expect(principalLabel({ kind: 'anonymous' })).toBe('anonymous');
  });

  it('CloudTrail AWSAccount with a real account: caller of another account, identity not shown', () => {
    const p = principalFromString('', { type: 'AWSAccount', accountId: '444455556666' });
    expect(p).toEqual({ kind: 'unknown', raw: '444455556666' });
    expect(principalAccount(p)).toBe('444455556666');
    expect(principalLabel(p)).toBe('a principal of account 444455556666');
  });

  it('anything else is unknown, kept raw', () => {
    expect(principalFromString('AIDAEXAMPLE')).toEqual({ kind: 'unknown', raw: 'AIDAEXAMPLE' });
    expect(principalFromString('arn:aws:iam::111122223333:group/g')).toMatchObject({ kind: 'unknown' });
    expect(principalFromString('arn:aws:sts::111122223333:assumed-role/only-role')).toMatchObject({
      kind: 'unknown',
    });
    expect(principalAccount({ kind: 'unknown', raw: 'arn:aws:iam::111122223333:group/g' })).toBe(
      '111122223333',
    );
  });

  it('an IAM role ARN as requester (seen in some integrations)', () => {
    const p = principalFromString('arn:aws:iam::111122223333:role/path/r1');
    expect(p).toEqual({
      kind: 'iam-role',
      arn: 'arn:aws:iam::111122223333:role/path/r1',
      accountId: '111122223333',
      name: 'r1',
    });
    expect(principalArn(p)).toBe('arn:aws:iam::111122223333:role/path/r1');
  });
});
