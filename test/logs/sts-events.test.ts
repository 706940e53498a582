// STS AssumeRole* CloudTrail events: the session each created and its session policy, read alongside S3 events.

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/logs/index.js';
import { accessKeyFingerprint, sessionGrantOf } from '../../src/logs/sts-events.js';
import type { SessionGrant } from '../../src/model/index.js';

// Event shape: https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html (AssumeRole example);
// Policy / PolicyArns: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
const assumeRole = (requestParameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' },
  eventTime: '2026-11-24T08:00:00Z',
  eventSource: 'sts.amazonaws.com',
  eventName: 'AssumeRole',
  requestParameters: {
    roleArn: 'arn:aws:iam::111122223333:role/service/app',
    roleSessionName: 'worker-7',
    ...requestParameters,
  },
  responseElements: {
    credentials: {
      accessKeyId: 'ASIAEXAMPLESESSION01',
      sessionToken: 'IQoJb3JpZ2luX2VjTOKEN',
      expiration: 'x',
    },
    assumedRoleUser: {
      assumedRoleId: 'AROAAPP:worker-7',
      arn: 'arn:aws:sts::111122223333:assumed-role/app/worker-7',
    },
  },
  ...extra,
});

describe('sessionGrantOf', () => {
  it('reads the inline policy (a JSON string in CloudTrail) and the policy ARNs', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
    };
    const g = sessionGrantOf(
      assumeRole({
        policy: JSON.stringify(doc),
        policyArns: [{ arn: 'arn:aws:iam::111122223333:policy/P' }],
      }),
    );
    expect(g).toMatchObject({
      sessionArn: 'arn:aws:sts::111122223333:assumed-role/app/worker-7',
      time: '2026-11-24T08:00:00Z',
      policy: doc,
      policyArns: ['arn:aws:iam::111122223333:policy/P'],
      accessKeyIdHash: accessKeyFingerprint('ASIAEXAMPLESESSION01'),
    });
  });

  it('an event without policy or policyArns proves the session has no session policy', () => {
    expect(sessionGrantOf(assumeRole({}))).toMatchObject({ policy: null, policyArns: [] });
  });

  it('never keeps the access key id itself', () => {
    expect(JSON.stringify(sessionGrantOf(assumeRole({})))).not.toContain('ASIAEXAMPLESESSION01');
  });

  it('builds the session ARN from roleArn and roleSessionName when the response is absent', () => {
    const g = sessionGrantOf({ ...assumeRole({}), responseElements: null });
    expect(g?.sessionArn).toBe('arn:aws:sts::111122223333:assumed-role/app/worker-7');
  });

  it('reads AssumeRoleWithWebIdentity and AssumeRoleWithSAML, not failed calls or other events', () => {
    expect(sessionGrantOf({ ...assumeRole({}), eventName: 'AssumeRoleWithWebIdentity' })).toBeDefined();
    expect(sessionGrantOf({ ...assumeRole({}), eventName: 'AssumeRoleWithSAML' })).toBeDefined();
    expect(sessionGrantOf({ ...assumeRole({}), errorCode: 'AccessDenied' })).toBeUndefined();
    expect(sessionGrantOf({ ...assumeRole({}), eventName: 'GetCallerIdentity' })).toBeUndefined();
    expect(sessionGrantOf({ ...assumeRole({}), eventSource: 's3.amazonaws.com' })).toBeUndefined();
  });
});

describe('readInputs with onSessionGrant', () => {
  it('hands over the AssumeRole events of a trail file and still yields only the denied S3 records', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-sts-'));
    const file = join(dir, 'trail.json');
    const denied = {
      eventVersion: '1.10',
      eventSource: 's3.amazonaws.com',
      eventName: 'GetObject',
      eventTime: '2026-11-24T10:00:00Z',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/app/worker-7',
        accountId: '111122223333',
        accessKeyId: 'ASIAEXAMPLESESSION01',
      },
      errorCode: 'AccessDenied',
      errorMessage: 'Access Denied',
      requestParameters: { bucketName: 'b', key: 'k' },
    };
    await writeFile(file, JSON.stringify({ Records: [assumeRole({}), denied] }));
    const grants: SessionGrant[] = [];
    const records = [];
    for await (const item of readInputs([file], { onSessionGrant: (g) => grants.push(g) }))
      if (item.kind === 'record') records.push(item.record);
    expect(records).toHaveLength(1);
    expect(records[0]!.identity?.accessKeyIdHash).toBe(accessKeyFingerprint('ASIAEXAMPLESESSION01'));
    expect(grants.map((g) => [g.sessionArn, g.policy])).toEqual([
      ['arn:aws:sts::111122223333:assumed-role/app/worker-7', null],
    ]);
  });
});
