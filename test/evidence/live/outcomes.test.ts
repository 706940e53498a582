// Unit tests (aws-sdk-client-mock) of how each AWS answer is recorded: "not configured" -> null,
// our own AccessDenied -> absent key + a note naming the permission, NoSuchEntity -> deleted,
// HEAD replies told apart by status; and which calls each kind of request makes.

import 'aws-sdk-client-mock-vitest/extend';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketRequestPaymentCommand,
  GetObjectAclCommand,
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  GetObjectTaggingCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import {
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import { EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { collectEvidence } from '../../../src/evidence/live/index.js';
import { CALLER, KEY_ARN, objectRequest, session } from './world.js';

const s3 = mockClient(S3Client);
const s3c = mockClient(S3ControlClient);
const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const org = mockClient(OrganizationsClient);
const kms = mockClient(KMSClient);
const ec2 = mockClient(EC2Client);
const mocks = [s3, s3c, iam, sts, org, kms, ec2];

/** An error shaped as the SDK throws it: `name` = code, `$metadata.httpStatusCode`, `Code` for XML services. */
function awsError(name: string, status: number, xml = true): Error {
  const e = new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });
  return xml ? Object.assign(e, { Code: name }) : e;
}

beforeEach(() => {
  for (const m of mocks) m.reset();
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: CALLER, Arn: `arn:aws:sts::${CALLER}:assumed-role/admin/me` });
  s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'eu-west-1' });
  s3.on(GetBucketPolicyCommand).resolves({
    Policy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
  });
  s3.on(GetBucketAclCommand).resolves({ Owner: { ID: 'c'.repeat(64) }, Grants: [] });
  s3.on(GetBucketOwnershipControlsCommand).resolves({
    OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
  });
  s3.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: { BlockPublicAcls: true } });
  s3.on(HeadObjectCommand).resolves({
    StorageClass: 'GLACIER',
    Restore: 'ongoing-request="false", expiry-date="Fri, 21 Dec 2029 00:00:00 GMT"',
  });
  s3.on(GetObjectAclCommand).resolves({ Owner: { ID: 'd'.repeat(64) }, Grants: [] });
  // Every command gets an explicit answer (an onAnyCommand default does not mix with specific ones).
  s3.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
  s3.on(GetBucketRequestPaymentCommand).resolves({ Payer: 'BucketOwner' });
  s3.on(GetBucketEncryptionCommand).resolves({});
  s3.on(GetObjectLockConfigurationCommand).resolves({});
  s3.on(GetObjectRetentionCommand).resolves({});
  s3.on(GetObjectLegalHoldCommand).resolves({});
  kms.on(DescribeKeyCommand).resolves({});
  kms.on(GetKeyPolicyCommand).resolves({});
  kms.on(ListAliasesCommand).resolves({ Aliases: [] });
  s3c.on(GetAccountPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
  iam.on(GetRoleCommand).resolves({
    Role: {
      RoleName: 'app',
      Arn: `arn:aws:iam::${CALLER}:role/app`,
      Path: '/',
      RoleId: 'AROA1',
      CreateDate: new Date(),
      Tags: [],
    },
  });
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
  org.on(DescribeOrganizationCommand).rejects(awsError('AWSOrganizationsNotInUseException', 400, false));
});
afterEach(() => {
  for (const m of mocks) m.reset();
});

const read = objectRequest(session('app'), 'b', 'k');
const collect = (reqs = [read]) => collectEvidence(reqs, { region: 'us-east-1' });

describe('bucket outcomes', () => {
  const cases: {
    name: string;
    command: 'policy' | 'ownership' | 'bpa' | 'acl';
    error: Error;
    field: string;
    value?: unknown;
    note?: string;
  }[] = [
    {
      name: 'NoSuchBucketPolicy',
      command: 'policy',
      error: awsError('NoSuchBucketPolicy', 404),
      field: 'policy',
      value: null,
    },
    {
      name: 'OwnershipControlsNotFoundError',
      command: 'ownership',
      error: awsError('OwnershipControlsNotFoundError', 404),
      field: 'objectOwnership',
      value: null,
    },
    {
      name: 'NoSuchPublicAccessBlockConfiguration',
      command: 'bpa',
      error: awsError('NoSuchPublicAccessBlockConfiguration', 404),
      field: 'publicAccessBlock',
      value: null,
    },
    {
      name: 'AccessDenied on the ACL',
      command: 'acl',
      error: awsError('AccessDenied', 403),
      field: 'acl',
      note: 'AccessDenied on s3:GetBucketAcl',
    },
    {
      name: 'AccessDenied on ownership',
      command: 'ownership',
      error: awsError('AccessDenied', 403),
      field: 'objectOwnership',
      note: 'AccessDenied on s3:GetBucketOwnershipControls',
    },
    {
      name: 'AccessDenied on BPA',
      command: 'bpa',
      error: awsError('AccessDenied', 403),
      field: 'publicAccessBlock',
      note: 'AccessDenied on s3:GetBucketPublicAccessBlock',
    },
  ];
  test.each(cases)('$name', async (c) => {
    const reject = {
      policy: () => s3.on(GetBucketPolicyCommand).rejects(c.error),
      ownership: () => s3.on(GetBucketOwnershipControlsCommand).rejects(c.error),
      bpa: () => s3.on(GetPublicAccessBlockCommand).rejects(c.error),
      acl: () => s3.on(GetBucketAclCommand).rejects(c.error),
    };
    reject[c.command]();
    const ev = await collect();
    const b = ev.buckets.b as Record<string, unknown>;
    if (c.note) {
      expect(b).not.toHaveProperty(c.field);
      expect(ev.notes).toContainEqual({ path: `buckets.b.${c.field}`, reason: c.note });
    } else {
      expect(b[c.field]).toEqual(c.value);
      expect(ev.notes.filter((n) => n.path.startsWith('buckets.b'))).toEqual([]);
    }
  });

  test('a 405 on GetBucketPolicy (not the owner account) is unknown, not "no policy"', async () => {
    s3.on(GetBucketPolicyCommand).rejects(awsError('MethodNotAllowed', 405));
    const ev = await collect();
    expect(ev.buckets.b).not.toHaveProperty('policy');
    expect(ev.buckets.b).not.toHaveProperty('accountId');
    expect(ev.notes).toContainEqual({
      path: 'buckets.b.policy',
      reason: 'MethodNotAllowed on s3:GetBucketPolicy: only the bucket owner account can read it',
    });
  });

  test('a policy answer makes the caller the owner; the region comes from LocationConstraint', async () => {
    const ev = await collect();
    expect(ev.buckets.b).toMatchObject({
      accountId: CALLER,
      region: 'eu-west-1',
      policy: { Statement: [] },
      objectOwnership: 'ObjectWriter',
    });
    expect(ev.buckets.b?.publicAccessBlock).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
    expect(ev.accounts[CALLER]?.publicAccessBlock).toBeNull();
    expect(ev.canonicalIds).toEqual({ ['c'.repeat(64)]: CALLER });
    expect(s3).toHaveReceivedCommandWith(GetBucketPolicyCommand, { Bucket: 'b' });
    expect(s3c).toHaveReceivedCommandWith(GetAccountPublicAccessBlockCommand, { AccountId: CALLER });
    expect(s3).not.toHaveReceivedCommand(GetBucketRequestPaymentCommand); // same account
    expect(s3).not.toHaveReceivedCommand(GetBucketEncryptionCommand); // a read
    expect(s3).not.toHaveReceivedCommand(GetObjectLockConfigurationCommand); // not a delete
  });

  test('legacy LocationConstraint EU is eu-west-1, empty is us-east-1', async () => {
    s3.on(GetBucketLocationCommand).resolves({ LocationConstraint: 'EU' });
    expect((await collect()).buckets.b?.region).toBe('eu-west-1');
    s3.on(GetBucketLocationCommand).resolves({});
    expect((await collect()).buckets.b?.region).toBe('us-east-1');
  });

  test('NoSuchBucket: only a note', async () => {
    s3.on(GetBucketLocationCommand).rejects(awsError('NoSuchBucket', 404));
    const ev = await collect();
    expect(ev.buckets).toEqual({});
    expect(ev.notes).toContainEqual({
      path: 'buckets.b',
      reason: 'NoSuchBucket on s3:GetBucketLocation: the bucket does not exist',
    });
  });
});

describe('object outcomes (HEAD replies have no body: the status decides)', () => {
  test('HeadObject 403 (name "Unknown") is unknown with a note on s3:GetObject', async () => {
    s3.on(HeadObjectCommand).rejects(awsError('Unknown', 403, false));
    const ev = await collect();
    expect(ev.buckets.b?.objects?.k).not.toHaveProperty('exists');
    expect(ev.notes).toContainEqual({ path: 'buckets.b.objects.k', reason: 'AccessDenied on s3:GetObject' });
  });

  test('a versioned read is noted with the version action', async () => {
    s3.on(HeadObjectCommand).rejects(awsError('Unknown', 403, false));
    const req = objectRequest(session('app'), 'b', 'k');
    req.s3.versionId = 'v1';
    const ev = await collect([req]);
    expect(ev.notes).toContainEqual({
      path: 'buckets.b.objects.k',
      reason: 'AccessDenied on s3:GetObjectVersion',
    });
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: 'b', Key: 'k', VersionId: 'v1' });
  });

  test('HeadObject 404 (name "NotFound") is exists: false', async () => {
    s3.on(HeadObjectCommand).rejects(awsError('NotFound', 404, false));
    const ev = await collect();
    expect(ev.buckets.b?.objects?.k).toEqual({ exists: false });
    expect(s3).not.toHaveReceivedCommand(GetObjectAclCommand);
  });

  test('storage class, restore status and owner are read', async () => {
    const ev = await collect();
    expect(ev.buckets.b?.objects?.k).toMatchObject({
      exists: true,
      storageClass: 'GLACIER',
      restoreStatus: 'restored',
      ownerCanonicalId: 'd'.repeat(64),
      serverSideEncryption: null,
    });
  });

  test('an SSE-KMS object: the key is described, its policy and aliases read', async () => {
    s3.on(HeadObjectCommand).resolves({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: KEY_ARN.replace('444455556666', CALLER),
    });
    const arn = KEY_ARN.replace('444455556666', CALLER);
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: 'x',
        Arn: arn,
        AWSAccountId: CALLER,
        KeyManager: 'CUSTOMER',
        KeyState: 'PendingDeletion',
      },
    });
    kms.on(GetKeyPolicyCommand).rejects(awsError('AccessDeniedException', 400, false));
    kms.on(ListAliasesCommand).resolves({ Aliases: [{ AliasName: 'alias/x' }] });
    const ev = await collect();
    expect(ev.kmsKeys[arn]).toEqual({
      accountId: CALLER,
      keyManager: 'CUSTOMER',
      keyState: 'PendingDeletion',
      aliases: ['alias/x'],
    });
    expect(ev.notes).toContainEqual({
      path: `kmsKeys.${arn}.policy`,
      reason: 'AccessDeniedException on kms:GetKeyPolicy',
    });
    expect(kms).toHaveReceivedCommandWith(GetKeyPolicyCommand, { KeyId: arn, PolicyName: 'default' });
  });
});

describe('principal and organization outcomes', () => {
  test('NoSuchEntity (IAM: name NoSuchEntityException, Code NoSuchEntity) marks the role deleted', async () => {
    const e = Object.assign(awsError('NoSuchEntityException', 404, false), { Code: 'NoSuchEntity' });
    iam.on(GetRoleCommand).rejects(e);
    iam.on(ListRolePoliciesCommand).rejects(e);
    iam.on(ListAttachedRolePoliciesCommand).rejects(e);
    const ev = await collect();
    expect(ev.principals[`arn:aws:iam::${CALLER}:role/app`]).toEqual({ deleted: true });
    expect(ev.notes.map((n) => n.reason)).toContain(
      `NoSuchEntity on iam:GetRole: the role app no longer exists in account ${CALLER}`,
    );
  });

  test('AccessDenied on GetRole: the principal is unknown, with a note', async () => {
    iam.on(GetRoleCommand).rejects(awsError('AccessDenied', 403));
    const ev = await collect();
    expect(ev.principals).toEqual({});
    expect(ev.notes).toContainEqual({
      path: `principals.arn:aws:iam::${CALLER}:role/app`,
      reason: 'AccessDenied on iam:GetRole',
    });
  });

  test('AWSOrganizationsNotInUseException: organizationId, SCPs and RCPs are null', async () => {
    const ev = await collect();
    expect(ev.accounts[CALLER]).toMatchObject({
      organizationId: null,
      serviceControlPolicies: null,
      resourceControlPolicies: null,
    });
  });

  test('AccessDeniedException on DescribeOrganization: all three unknown, noted', async () => {
    org.on(DescribeOrganizationCommand).rejects(awsError('AccessDeniedException', 400, false));
    const ev = await collect();
    expect(ev.accounts[CALLER]).not.toHaveProperty('organizationId');
    expect(ev.accounts[CALLER]).not.toHaveProperty('serviceControlPolicies');
    expect(ev.notes).toContainEqual({
      path: `accounts.${CALLER}.organizationId`,
      reason: 'AccessDeniedException on organizations:DescribeOrganization',
    });
    expect(ev.notes).toContainEqual({
      path: `accounts.${CALLER}.serviceControlPolicies`,
      reason: 'AccessDeniedException on organizations:DescribeOrganization',
    });
  });
});

describe('what each request needs', () => {
  test('a write reads the default encryption; a delete reads Object Lock; cross-account reads Requester Pays', async () => {
    s3.on(GetBucketEncryptionCommand).rejects(
      awsError('ServerSideEncryptionConfigurationNotFoundError', 404),
    );
    s3.on(GetObjectLockConfigurationCommand).rejects(awsError('ObjectLockConfigurationNotFoundError', 404));
    s3.on(GetBucketRequestPaymentCommand).resolves({ Payer: 'Requester' });
    const put = objectRequest(session('app'), 'b', 'new', {
      operation: 'PutObject',
      action: 's3:PutObject',
      dataAccess: 'write',
    });
    const del = objectRequest(session('app'), 'b', 'k', {
      operation: 'DeleteObject',
      action: 's3:DeleteObject',
      dataAccess: 'none',
    });
    const foreign = objectRequest(session('x', '777777777777'), 'b', 'k');
    const ev = await collect([put, del, foreign]);
    expect(ev.buckets.b).toMatchObject({ encryption: null, objectLock: null, requestPayer: 'Requester' });
    expect(Object.keys(ev.buckets.b?.objects ?? {})).toEqual(['k']);
    expect(ev.buckets.b?.objects?.k).toMatchObject({ retention: null, legalHold: 'OFF' });
    expect(s3).toHaveReceivedCommandTimes(GetBucketPolicyCommand, 1);
    expect(s3).toHaveReceivedCommandTimes(HeadObjectCommand, 1);
    expect(ev.notes).toContainEqual({
      path: 'principals.arn:aws:iam::777777777777:role/x',
      reason:
        'the role is in account 777777777777, where s3doctor has no credentials (pass --role-arn for that account)',
    });
  });
});
