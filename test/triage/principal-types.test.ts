// Triage names every CloudTrail caller type (userIdentity.type) as CloudTrail does; none falls into `anonymous` but the unsigned one.

import { describe, expect, it } from 'vitest';
import { cloudTrailEventToRecord } from '../../src/logs/cloudtrail.js';
import { principalOf } from '../../src/triage/groups.js';

function event(userIdentity: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: '1.10',
    userIdentity,
    eventTime: '2026-11-24T10:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    requestParameters: { bucketName: 'b', key: 'k' },
    errorCode: 'AccessDenied',
    eventID: 'e-1',
  };
}

const name = (ui: Record<string, unknown>): string =>
  principalOf(cloudTrailEventToRecord(event(ui), { source: 't.json' }, 'cloudtrail-event'));

// userIdentity examples after https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
describe('principalOf on CloudTrail userIdentity types', () => {
  it.each([
    [
      'Root',
      {
        type: 'Root',
        principalId: '111122223333',
        arn: 'arn:aws:iam::111122223333:root',
        accountId: '111122223333',
      },
      'arn:aws:iam::111122223333:root',
    ],
    [
      'IAMUser',
      {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLE',
        arn: 'arn:aws:iam::111122223333:user/Alice',
        accountId: '111122223333',
        userName: 'Alice',
      },
      'arn:aws:iam::111122223333:user/Alice',
    ],
    [
      'AssumedRole',
      {
        type: 'AssumedRole',
        principalId: 'AROAEXAMPLE:s1',
        arn: 'arn:aws:sts::111122223333:assumed-role/app/s1',
        accountId: '111122223333',
      },
      'arn:aws:sts::111122223333:assumed-role/app/*',
    ],
    [
      'FederatedUser',
      {
        type: 'FederatedUser',
        principalId: '111122223333:bob',
        arn: 'arn:aws:sts::111122223333:federated-user/bob',
        accountId: '111122223333',
      },
      'arn:aws:sts::111122223333:federated-user/bob',
    ],
    [
      'AWSAccount',
      { type: 'AWSAccount', principalId: 'AIDAOTHER', accountId: '444455556666' },
      'a principal of account 444455556666',
    ],
    ['AWSAccount (unsigned)', { type: 'AWSAccount', principalId: '', accountId: 'anonymous' }, 'anonymous'],
    [
      'AWSService',
      { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' },
      'service:cloudtrail.amazonaws.com',
    ],
    [
      'Directory',
      { type: 'Directory', principalId: 'dir-user-1', accountId: '111122223333', userName: 'carol' },
      'Directory:carol',
    ],
    [
      'IdentityCenterUser',
      { type: 'IdentityCenterUser', accountId: '111122223333', principalId: 'ic-user-9' },
      'IdentityCenterUser:ic-user-9',
    ],
    ['Unknown', { type: 'Unknown', principalId: 'ext-42', accountId: '111122223333' }, 'Unknown:ext-42'],
  ])('%s', (_, ui, want) => {
    expect(name(ui)).toBe(want);
  });

  it('keeps two accounts and two services apart', () => {
    expect(name({ type: 'AWSAccount', accountId: '444455556666' })).not.toBe(
      name({ type: 'AWSAccount', accountId: '777788889999' }),
    );
    expect(name({ type: 'AWSService', invokedBy: 'a.amazonaws.com' })).not.toBe(
      name({ type: 'AWSService', invokedBy: 'b.amazonaws.com' }),
    );
  });
});
