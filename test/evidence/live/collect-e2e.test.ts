// End-to-end tests of collectEvidence against the fake AWS endpoint on 127.0.0.1: the snapshot's
// content, the API calls made (and how few), outcomes of errors, redirects, throttling, timeouts.

import { AdaptiveRetryStrategy, DefaultRateLimiter } from '@smithy/core/retry';
import { afterEach, describe, expect, test } from 'vitest';
import { collectEvidence, LiveCredentialsError, toSnapshotJson } from '../../../src/evidence/live/index.js';
import { emptyEvidence, parseSnapshot } from '../../../src/evidence/index.js';
import type { S3Request } from '../../../src/model/request.js';
import { startFake, type FakeAws, type FakeWorld } from '../../helpers/fake-aws.js';
import { SCHEMA_IDS } from '../../../src/model/schema-ids.js';
import {
  appSession,
  CALLER,
  CANONICAL,
  KEY_ARN,
  MANAGEMENT,
  objectRequest,
  OTHER,
  session,
  user,
  world,
} from './world.js';

const ROLE = `arn:aws:iam::${OTHER}:role/s3doctor-read`;
let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function run(w: FakeWorld, requests: S3Request[], opts: Parameters<typeof collectEvidence>[1] = {}) {
  fake = await startFake(w);
  const evidence = await collectEvidence(requests, {
    region: 'us-east-1',
    clientOptions: fake.clientOptions(),
    ...opts,
  });
  return { evidence, fake };
}

const crossAccount = objectRequest(appSession, 'reports-bucket', '2026/q3.csv', { resourceAccount: OTHER });

describe('one cross-account GetObject', () => {
  test('collects every layer, in the right accounts and regions', async () => {
    const { evidence: ev, fake } = await run(world(), [crossAccount], { roleArns: [ROLE] });
    // The role, under the ARN the log names and the real one (path resolved by GetRole).
    const role = ev.principals[`arn:aws:iam::${CALLER}:role/app`];
    expect(role).toBe(ev.principals[`arn:aws:iam::${CALLER}:role/service/app`]);
    expect(role?.policies?.map((p) => [p.name, p.kind])).toEqual([
      ['ReadReports', 'inline'],
      ['AppBase', 'managed'],
    ]);
    expect(role?.policies?.[1]?.document.Statement).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN },
    ]);
    expect(role?.permissionsBoundary?.arn).toBe(`arn:aws:iam::${CALLER}:policy/Boundary`);
    expect(role?.tags).toEqual({ team: 'data' });
    const b = ev.buckets['reports-bucket'];
    expect(b).toMatchObject({
      accountId: OTHER,
      region: 'us-west-2',
      ownerCanonicalId: CANONICAL[OTHER],
      objectOwnership: 'BucketOwnerEnforced',
      publicAccessBlock: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: false,
      },
      requestPayer: 'BucketOwner',
    });
    expect(b?.policy?.Statement).toMatchObject([{ Sid: 'AppRead' }]);
    // Not needed by a read: default encryption, Object Lock.
    expect(b).not.toHaveProperty('encryption');
    expect(b).not.toHaveProperty('objectLock');
    expect(b?.objects?.['2026/q3.csv']).toEqual({
      exists: true,
      storageClass: 'STANDARD',
      restoreStatus: null,
      serverSideEncryption: 'aws:kms',
      kmsKeyId: KEY_ARN,
      ownerCanonicalId: CANONICAL[OTHER],
      tags: { classification: 'internal' },
    });
    expect(ev.kmsKeys[KEY_ARN]).toMatchObject({
      accountId: OTHER,
      keyManager: 'CUSTOMER',
      keyState: 'Enabled',
      aliases: ['alias/reports'],
    });
    expect(ev.kmsKeys[KEY_ARN]?.policy?.Statement).toMatchObject([{ Sid: 'Admin' }]);
    expect(ev.accounts[OTHER]).toEqual({
      organizationId: 'o-abc123',
      isManagementAccount: false,
      publicAccessBlock: null,
    });
    expect(ev.accounts[CALLER]).toEqual({ organizationId: 'o-abc123', isManagementAccount: false });
    expect(ev.canonicalIds).toEqual({ [CANONICAL[OTHER]]: OTHER });
    // SCPs/RCPs cannot be read from member accounts: unknown, with the permission named.
    expect(ev.notes).toEqual([
      {
        path: `accounts.${CALLER}.serviceControlPolicies`,
        reason: 'AccessDeniedException on organizations:ListParents',
      },
      {
        path: `accounts.${OTHER}.resourceControlPolicies`,
        reason: 'AccessDeniedException on organizations:ListParents',
      },
    ]);
    // The calls: every bucket/object/key read with the assumed role, in the bucket's region.
    const inOther = fake.calls.filter((c) => c.account === OTHER);
    expect(
      inOther
        .filter((c) => c.service === 's3' && c.op !== 'GetBucketLocation')
        .every((c) => c.region === 'us-west-2'),
    ).toBe(true);
    expect(
      inOther
        .filter((c) => c.service === 'kms')
        .map((c) => c.op)
        .sort(),
    ).toEqual(['DescribeKey', 'GetKeyPolicy', 'ListAliases']);
    expect(fake.calls.filter((c) => c.service === 'iam').every((c) => c.account === CALLER)).toBe(true);
    expect(fake.ops()).toEqual(
      [
        'sts:GetCallerIdentity',
        'sts:AssumeRole',
        'iam:GetRole',
        'iam:ListRolePolicies',
        'iam:GetRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        's3:GetBucketLocation',
        's3:GetBucketPolicy',
        's3:GetBucketAcl',
        's3:GetBucketOwnershipControls',
        's3:GetPublicAccessBlock',
        's3:GetBucketRequestPayment',
        's3control:GetPublicAccessBlock',
        's3:HeadObject',
        's3:GetObjectTagging',
        'kms:DescribeKey',
        'kms:GetKeyPolicy',
        'kms:ListAliases',
        'organizations:DescribeOrganization',
        'organizations:ListParents',
        'organizations:DescribeOrganization',
        'organizations:ListParents',
      ].sort(),
    );
  });

  test('the snapshot it writes reads back with --snapshot to the same evidence', async () => {
    const { evidence } = await run(world(), [crossAccount], { roleArns: [ROLE] });
    const text = toSnapshotJson(evidence);
    const back = parseSnapshot(JSON.parse(text), 'collected.json');
    expect(back.problems).toEqual([]);
    // Nothing is lost or changed by the snapshot's ordering: it loads like the raw evidence.
    // It names its schema ($schema), which the loader keeps beside the evidence.
    expect(back.evidence).toEqual({
      $schema: SCHEMA_IDS.snapshot,
      ...parseSnapshot(JSON.parse(JSON.stringify(evidence)), 'raw').evidence,
    });
    expect(back.evidence?.buckets['reports-bucket']).toMatchObject({
      accountId: OTHER,
      region: 'us-west-2',
      objectOwnership: 'BucketOwnerEnforced',
    });
    expect(back.evidence?.notes).toEqual(evidence.notes);
    // Stable: the same evidence gives the same text, whatever order it was filled in.
    const reverse = (v: unknown, key = ''): unknown => {
      if (Array.isArray(v)) return v.map((x) => reverse(x));
      if (!v || typeof v !== 'object' || ['document', 'policy', 'sessionPolicy'].includes(key)) return v;
      return Object.fromEntries(
        Object.entries(v)
          .reverse()
          .map(([k, x]) => [k, reverse(x, k)]),
      );
    };
    const reversed = reverse(JSON.parse(JSON.stringify(evidence))) as typeof evidence;
    expect(toSnapshotJson(reversed)).toBe(text);
    expect(text.indexOf('"$schema"')).toBe(4);
    expect(text).toMatch(/^\{\n {2}"\$schema": "[^"]+snapshot\.schema\.json",\n {2}"schemaVersion": 1,/);
  });

  test('without a role for the bucket account: bucket reads with our own credentials, gaps noted', async () => {
    const { evidence: ev, fake } = await run(world(), [crossAccount]);
    expect(fake.ops()).not.toContain('sts:AssumeRole');
    const b = ev.buckets['reports-bucket'];
    expect(b?.region).toBe('us-west-2');
    expect(b).not.toHaveProperty('policy');
    expect(ev.notes).toContainEqual({
      path: 'buckets.reports-bucket.policy',
      reason: 'MethodNotAllowed on s3:GetBucketPolicy: only the bucket owner account can read it',
    });
    expect(ev.notes).toContainEqual({
      path: 'buckets.reports-bucket.acl',
      reason: 'AccessDenied on s3:GetBucketAcl',
    });
    expect(ev.notes).toContainEqual({
      path: `accounts.${OTHER}.publicAccessBlock`,
      reason: `account ${OTHER} is not s3doctor's; pass --role-arn for it to read its Block Public Access`,
    });
    // HeadBucket's x-amz-bucket-region found the region although GetBucketLocation was refused.
    expect(
      fake.calls.filter((c) => c.op === 'GetBucketLocation' || c.op === 'HeadBucket').map((c) => c.op),
    ).toEqual(['GetBucketLocation', 'HeadBucket']);
    // The principal's own account is still fully read.
    expect(
      ev.principals[appSession.kind === 'role-session' ? appSession.roleArn : '']?.policies,
    ).toHaveLength(2);
  });

  test('the bucket owner is found through the configured roles when no request names it', async () => {
    const req = objectRequest(appSession, 'reports-bucket', '2026/q3.csv');
    const { evidence: ev, fake } = await run(world(), [req], { roles: { [OTHER]: ROLE } });
    expect(ev.buckets['reports-bucket']?.accountId).toBe(OTHER);
    expect(ev.buckets['reports-bucket']?.policy).not.toBeUndefined();
    expect(fake.calls).toContainEqual({
      service: 's3',
      op: 'HeadBucket',
      account: OTHER,
      region: 'us-west-2',
    });
  });
});

describe('growth with distinct principals, buckets and objects, not with requests', () => {
  function bigWorld(): FakeWorld {
    const w = world();
    const acct = (w.accounts as Record<string, { roles: Record<string, unknown> }>)[CALLER]!;
    for (let i = 0; i < 20; i += 1)
      acct.roles[`r${i}`] = { inline: { p: { Version: '2012-10-17', Statement: [] } } };
    const buckets = w.buckets as Record<string, unknown>;
    for (let i = 0; i < 10; i += 1) {
      buckets[`b${i}`] = { account: CALLER, region: 'us-east-1', objects: { k0: {}, k1: {} } };
    }
    return w;
  }

  test('1,000 requests over 20 principals and 10 buckets cost the same calls as their distinct set', async () => {
    const many: S3Request[] = [];
    for (let i = 0; i < 1000; i += 1) {
      many.push(
        objectRequest(session(`r${i % 20}`, CALLER, `s${i}`), `b${i % 10}`, `k${Math.floor(i / 10) % 2}`),
      );
    }
    const distinct: S3Request[] = [];
    for (let r = 0; r < 20; r += 1)
      for (let b = 0; b < 10; b += 1)
        for (let k = 0; k < 2; k += 1) distinct.push(objectRequest(session(`r${r}`), `b${b}`, `k${k}`));
    const a = await run(bigWorld(), many);
    const manyCalls = a.fake.calls.length;
    await a.fake.close();
    const b = await run(bigWorld(), distinct);
    expect(manyCalls).toBe(b.fake.calls.length);
    // Per principal: GetRole, ListRolePolicies, GetRolePolicy, ListAttachedRolePolicies (4);
    // per bucket: location, policy, ACL, ownership, BPA (5); per object: HeadObject, GetObjectAcl, tagging (3);
    // once: STS, the account's BPA, DescribeOrganization, ListParents.
    expect(manyCalls).toBe(1 + 20 * 4 + 10 * 5 + 20 * 3 + 3);
    expect(Object.keys(a.evidence.principals)).toHaveLength(20);
    expect(Object.keys(a.evidence.buckets)).toHaveLength(10);
  });

  test('never more than the configured calls in flight', async () => {
    const reqs = Array.from({ length: 40 }, (_, i) =>
      objectRequest(session(`r${i % 20}`), `b${i % 10}`, `k${i % 2}`),
    );
    fake = await startFake(bigWorld(), { latencyMs: 20 });
    await collectEvidence(reqs, { region: 'us-east-1', clientOptions: fake.clientOptions(), concurrency: 5 });
    expect(fake.stats.maxInFlight).toBeLessThanOrEqual(5);
    expect(fake.stats.maxInFlight).toBeGreaterThan(1);
  });
});

describe('recording outcomes (denied, absent, or read)', () => {
  test('"not configured" answers become null, and S3 facts are read as given', async () => {
    const { evidence: ev } = await run(world(), [objectRequest(user('alice'), 'local-bucket', 'a.txt')]);
    const b = ev.buckets['local-bucket'];
    expect(b).toMatchObject({
      accountId: CALLER,
      policy: null,
      objectOwnership: null,
      publicAccessBlock: null,
    });
    expect(b).not.toHaveProperty('requestPayer'); // same-account request: Requester Pays does not apply
    expect(b?.objects?.['a.txt']).toMatchObject({
      exists: true,
      storageClass: 'GLACIER',
      restoreStatus: 'ongoing',
      serverSideEncryption: 'AES256',
      ownerCanonicalId: CANONICAL[OTHER],
      acl: {
        Owner: { ID: CANONICAL[OTHER] },
        Grants: [{ Grantee: { Type: 'CanonicalUser', ID: CANONICAL[OTHER] }, Permission: 'FULL_CONTROL' }],
      },
    });
    expect(ev.accounts[CALLER]?.publicAccessBlock).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    // The user, its group's inline policy and the group's AWS managed policy.
    const alice = ev.principals[`arn:aws:iam::${CALLER}:user/alice`];
    expect(alice?.policies?.map((p) => [p.name, p.kind, p.group])).toEqual([
      ['Own', 'inline', undefined],
      ['DevRead', 'group-inline', 'devs'],
      ['AmazonS3ReadOnlyAccess', 'group-managed', 'devs'],
    ]);
    expect(alice?.permissionsBoundary).toBeNull();
    expect(ev.notes.filter((n) => n.path.startsWith('buckets') || n.path.startsWith('principals'))).toEqual(
      [],
    );
  });

  test('IAM lists are followed page by page (Marker / IsTruncated)', async () => {
    const w = world();
    w.pageSize = 1;
    const roles = (w.accounts as Record<string, { roles: Record<string, Record<string, unknown>> }>)[CALLER]!
      .roles;
    roles.app!.inline = {
      A: { Version: '2012-10-17', Statement: [] },
      B: { Version: '2012-10-17', Statement: [] },
      C: { Version: '2012-10-17', Statement: [] },
    };
    roles.app!.attached = [
      `arn:aws:iam::${CALLER}:policy/AppBase`,
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
    ];
    const { evidence: ev, fake } = await run(w, [objectRequest(appSession, 'local-bucket', 'a.txt')]);
    expect(ev.principals[`arn:aws:iam::${CALLER}:role/app`]?.policies?.map((p) => p.name)).toEqual([
      'A',
      'B',
      'C',
      'AppBase',
      'AmazonS3ReadOnlyAccess',
    ]);
    expect(fake.calls.filter((c) => c.op === 'ListRolePolicies')).toHaveLength(3);
    expect(fake.calls.filter((c) => c.op === 'ListAttachedRolePolicies')).toHaveLength(2);
  });

  test('a missing object is exists: false; a deleted principal is deleted: true with a note', async () => {
    const { evidence: ev, fake } = await run(world(), [
      objectRequest(session('gone'), 'local-bucket', 'nope.txt'),
    ]);
    expect(ev.buckets['local-bucket']?.objects?.['nope.txt']).toEqual({ exists: false });
    expect(fake.calls.filter((c) => c.op.startsWith('GetObject'))).toEqual([]); // nothing more to read about it
    expect(ev.principals[`arn:aws:iam::${CALLER}:role/gone`]).toEqual({ deleted: true });
    expect(ev.notes).toContainEqual({
      path: `principals.arn:aws:iam::${CALLER}:role/gone`,
      reason: `NoSuchEntity on iam:GetRole: the role gone no longer exists in account ${CALLER}`,
    });
  });

  test('AccessDenied on our own reads: the key is absent and a note names the permission', async () => {
    const w = world();
    const buckets = w.buckets as Record<string, Record<string, unknown>>;
    buckets['local-bucket']!.acl = { error: [403, 'AccessDenied'] };
    buckets['local-bucket']!.publicAccessBlock = { error: [403, 'AccessDenied'] };
    const objects = buckets['local-bucket']!.objects as Record<string, Record<string, unknown>>;
    objects['a.txt']!.tags = { error: [403, 'AccessDenied'] };
    const roles = (w.accounts as Record<string, { roles: Record<string, Record<string, unknown>> }>)[CALLER]!
      .roles;
    roles.app!.errors = { ListAttachedRolePolicies: [403, 'AccessDenied', 'not authorized'] };
    const { evidence: ev } = await run(w, [objectRequest(appSession, 'local-bucket', 'a.txt')]);
    const b = ev.buckets['local-bucket'];
    expect(b).not.toHaveProperty('acl');
    expect(b).not.toHaveProperty('publicAccessBlock');
    expect(b?.objects?.['a.txt']).not.toHaveProperty('tags');
    expect(b?.policy).toBeNull();
    const role = ev.principals[`arn:aws:iam::${CALLER}:role/app`];
    expect(role).not.toHaveProperty('policies'); // a partial list would lie: unknown instead
    expect(role?.permissionsBoundary?.arn).toBe(`arn:aws:iam::${CALLER}:policy/Boundary`);
    expect(ev.notes).toEqual(
      expect.arrayContaining([
        { path: 'buckets.local-bucket.acl', reason: 'AccessDenied on s3:GetBucketAcl' },
        {
          path: 'buckets.local-bucket.publicAccessBlock',
          reason: 'AccessDenied on s3:GetBucketPublicAccessBlock',
        },
        { path: 'buckets.local-bucket.objects["a.txt"].tags', reason: 'AccessDenied on s3:GetObjectTagging' },
        {
          path: `principals.arn:aws:iam::${CALLER}:role/app.policies`,
          reason: 'AccessDenied on iam:ListAttachedRolePolicies',
        },
      ]),
    );
  });

  test('KMS: a key in an account we cannot enter is described, its policy noted as unknown', async () => {
    const w = world();
    (w.kmsKeys as Record<string, Record<string, unknown>>)[KEY_ARN]!.crossAccount = true;
    (w.buckets as Record<string, Record<string, unknown>>)['reports-bucket']!.readers = [CALLER];
    const { evidence: ev } = await run(w, [crossAccount]);
    expect(ev.kmsKeys[KEY_ARN]).toEqual({ accountId: OTHER, keyManager: 'CUSTOMER', keyState: 'Enabled' });
    expect(ev.notes).toContainEqual({
      path: `kmsKeys.${KEY_ARN}.policy`,
      reason: `the key is in account ${OTHER}, where s3doctor has no credentials; GetKeyPolicy works only there (pass --role-arn)`,
    });
  });

  test("someone else's Requester Pays bucket: object reads acknowledge the charges", async () => {
    const w = world();
    const b = (w.buckets as Record<string, Record<string, unknown>>)['reports-bucket']!;
    b.readers = [CALLER];
    b.requestPayment = 'Requester';
    const { evidence: ev } = await run(w, [crossAccount]);
    expect(ev.buckets['reports-bucket']?.requestPayer).toBe('Requester');
    expect(ev.buckets['reports-bucket']?.objects?.['2026/q3.csv']).toMatchObject({
      exists: true,
      tags: { classification: 'internal' },
    });
  });

  test('GetKeyPolicy denied: policy unknown with a note, the rest recorded', async () => {
    const w = world();
    (w.kmsKeys as Record<string, Record<string, unknown>>)[KEY_ARN]!.GetKeyPolicy = {
      error: [400, 'AccessDeniedException'],
    };
    const { evidence: ev } = await run(w, [crossAccount], { roleArns: [ROLE] });
    expect(ev.kmsKeys[KEY_ARN]).not.toHaveProperty('policy');
    expect(ev.kmsKeys[KEY_ARN]?.aliases).toEqual(['alias/reports']);
    expect(ev.notes).toContainEqual({
      path: `kmsKeys.${KEY_ARN}.policy`,
      reason: 'AccessDeniedException on kms:GetKeyPolicy',
    });
  });

  test('a write reads the default encryption and its key; Object Lock for a delete', async () => {
    const w = world();
    const put = objectRequest(appSession, 'reports-bucket', 'new.csv', {
      operation: 'PutObject',
      action: 's3:PutObject',
      resourceAccount: OTHER,
      dataAccess: 'write',
    });
    const del = objectRequest(appSession, 'local-bucket', 'a.txt', {
      operation: 'DeleteObject',
      action: 's3:DeleteObject',
      dataAccess: 'none',
    });
    const { evidence: ev, fake } = await run(w, [put, del], { roleArns: [ROLE] });
    expect(ev.buckets['reports-bucket']?.encryption).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: KEY_ARN,
      BucketKeyEnabled: true,
    });
    expect(ev.kmsKeys[KEY_ARN]?.policy).toBeDefined();
    expect(ev.buckets['reports-bucket']?.objects).toBeUndefined(); // a plain PUT creates a new object
    expect(ev.buckets['local-bucket']?.objectLock).toBeNull();
    // Without Object Lock on the bucket no version can be retained: no retention / legal hold calls.
    expect(ev.buckets['local-bucket']?.objects?.['a.txt']).toMatchObject({
      retention: null,
      legalHold: 'OFF',
    });
    expect(fake.ops().filter((o) => /Retention|LegalHold/.test(o))).toEqual([]);
  });

  test('Object Lock enabled: retention and legal hold are read', async () => {
    const w = world();
    const b = (w.buckets as Record<string, Record<string, unknown>>)['local-bucket']!;
    b.objectLock = { defaultRetention: { Mode: 'GOVERNANCE', Days: 30 } };
    (b.objects as Record<string, Record<string, unknown>>)['a.txt']!.retention = {
      Mode: 'COMPLIANCE',
      RetainUntilDate: '2030-01-01T00:00:00.000Z',
    };
    (b.objects as Record<string, Record<string, unknown>>)['a.txt']!.legalHold = 'ON';
    const del = objectRequest(user('alice'), 'local-bucket', 'a.txt', {
      operation: 'DeleteObject',
      action: 's3:DeleteObject',
      dataAccess: 'none',
    });
    const { evidence: ev } = await run(w, [del]);
    expect(ev.buckets['local-bucket']?.objectLock).toEqual({
      enabled: true,
      defaultRetention: { Mode: 'GOVERNANCE', Days: 30 },
    });
    expect(ev.buckets['local-bucket']?.objects?.['a.txt']).toMatchObject({
      retention: { Mode: 'COMPLIANCE', RetainUntilDate: '2030-01-01T00:00:00.000Z' },
      legalHold: 'ON',
    });
    expect(parseSnapshot(JSON.parse(toSnapshotJson(ev)), 'lock.json').problems).toEqual([]);
  });
});

describe('organizations', () => {
  test('read from the management account: SCPs root first for the principal, RCPs for the bucket', async () => {
    const w = world();
    w.caller = { userId: 'AIDAMGMT', account: MANAGEMENT, arn: `arn:aws:iam::${MANAGEMENT}:user/admin` };
    const req = objectRequest(session('app', CALLER), 'reports-bucket', '2026/q3.csv', {
      resourceAccount: OTHER,
    });
    const { evidence: ev, fake } = await run(w, [req]);
    expect(ev.accounts[MANAGEMENT]).toBeUndefined();
    expect(ev.accounts[CALLER]?.organizationId).toBe('o-abc123');
    expect(parseSnapshot(JSON.parse(toSnapshotJson(ev)), 'org.json').problems).toEqual([]);
    expect(ev.accounts[CALLER]?.serviceControlPolicies).toEqual([
      {
        target: 'r-ab12',
        policies: [
          {
            name: 'FullAWSAccess',
            id: 'p-full',
            document: expect.objectContaining({ Statement: expect.any(Array) }),
          },
        ],
      },
      {
        target: 'ou-ab12-11111111',
        policies: [expect.objectContaining({ name: 'DenyLeaveOrg', id: 'p-deny' })],
      },
      { target: CALLER, policies: [] },
    ]);
    expect(ev.accounts[OTHER]?.resourceControlPolicies).toEqual([
      { target: 'r-ab12', policies: [expect.objectContaining({ name: 'RCPFullAWSAccess' })] },
      { target: 'ou-ab12-11111111', policies: [] },
      { target: OTHER, policies: [] },
    ]);
    // The shared OU and root are walked once.
    expect(fake.calls.filter((c) => c.op === 'ListParents')).toHaveLength(3);
    // Principal and key policy are in accounts we have no role for: noted, not guessed.
    expect(ev.notes).toContainEqual({
      path: `principals.arn:aws:iam::${CALLER}:role/app`,
      reason: `the role is in account ${CALLER}, where s3doctor has no credentials (pass --role-arn for that account)`,
    });
    expect(fake.calls.filter((c) => c.service === 'iam')).toEqual([]);
  });

  test('not in an organization: null SCPs and RCPs', async () => {
    const w = world();
    delete w.organization;
    const { evidence: ev } = await run(w, [objectRequest(user('alice'), 'local-bucket', 'a.txt')]);
    expect(ev.accounts[CALLER]).toMatchObject({
      organizationId: null,
      serviceControlPolicies: null,
      resourceControlPolicies: null,
    });
  });
});

describe('access points and VPC endpoints', () => {
  test('an access point request reads the access point, its policy and its bucket', async () => {
    const w = world();
    const acct = (w.accounts as Record<string, Record<string, unknown>>)[CALLER]!;
    acct.accessPoints = {
      ap1: {
        bucket: 'local-bucket',
        region: 'us-east-1',
        vpcId: 'vpc-1',
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
        },
      },
    };
    const arn = `arn:aws:s3:us-east-1:${CALLER}:accesspoint/ap1`;
    const req = objectRequest(user('alice'), 'ap1-abcdefgh-s3alias', 'a.txt', {
      context: { 'aws:SourceVpce': 'vpce-0abc' },
    });
    req.s3.accessPointArn = arn;
    const { evidence: ev, fake } = await run(w, [req]);
    expect(ev.accessPoints[arn]).toMatchObject({
      bucket: 'local-bucket',
      accountId: CALLER,
      networkOrigin: 'VPC',
      vpcId: 'vpc-1',
      publicAccessBlock: null,
    });
    expect(ev.accessPoints[arn]?.policy?.Statement).toHaveLength(1);
    expect(ev.buckets['local-bucket']?.objects?.['a.txt']?.exists).toBe(true);
    expect(ev.buckets['ap1-abcdefgh-s3alias']).toBeUndefined();
    expect(ev.vpcEndpoints['vpce-0abc']).toEqual({
      accountId: CALLER,
      vpcId: 'vpc-1',
      policy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::local-bucket/*' }],
      },
    });
    expect(parseSnapshot(JSON.parse(toSnapshotJson(ev)), 'ap.json').problems).toEqual([]);
    expect(fake.ops().filter((o) => o.startsWith('s3control') || o.startsWith('ec2'))).toEqual([
      'ec2:DescribeVpcEndpoints',
      's3control:GetAccessPoint',
      's3control:GetAccessPointPolicy',
      's3control:GetPublicAccessBlock',
    ]);
  });

  test('EC2 UnauthorizedOperation: the endpoint is unknown, with a note', async () => {
    const w = world();
    (w.accounts as Record<string, Record<string, unknown>>)[CALLER]!.vpcEndpoints = {
      error: [403, 'UnauthorizedOperation'],
    };
    const req = objectRequest(user('alice'), 'local-bucket', 'a.txt', {
      context: { 'aws:SourceVpce': 'vpce-0abc' },
    });
    const { evidence: ev } = await run(w, [req]);
    expect(ev.vpcEndpoints).toEqual({});
    expect(ev.notes).toContainEqual({
      path: 'vpcEndpoints.vpce-0abc',
      reason: 'UnauthorizedOperation on ec2:DescribeVpcEndpoints',
    });
  });
});

describe('regions, throttling, slow answers, credentials', () => {
  test('a 301 PermanentRedirect is followed once into the region S3 names', async () => {
    const w = world();
    // GetBucketLocation refused, HeadBucket names no region: calls start in us-east-1.
    const b = (w.buckets as Record<string, Record<string, unknown>>)['reports-bucket']!;
    b.location = { error: [403, 'AccessDenied'] };
    b.hideRegion = true;
    const { evidence: ev, fake } = await run(w, [crossAccount], { roleArns: [ROLE] });
    expect(ev.buckets['reports-bucket']?.policy).toBeDefined();
    const policyCalls = fake.calls.filter((c) => c.op === 'GetBucketPolicy').map((c) => c.region);
    expect(policyCalls).toEqual(['us-east-1', 'us-west-2']);
    expect(ev.buckets['reports-bucket']?.region).toBe('us-west-2');
    expect(ev.notes.filter((n) => n.path === 'buckets.reports-bucket.region')).toEqual([]);
  });

  test('adaptive retry: one 503 SlowDown, then the answer', async () => {
    const w = world();
    w.faults = [{ op: 'GetBucketPolicy', error: [503, 'SlowDown'], times: 1 }];
    const retryStrategy = new AdaptiveRetryStrategy(3, {
      backoff: { computeNextBackoffDelay: () => 10, setDelayBase: () => undefined },
      rateLimiter: new DefaultRateLimiter({ minFillRate: 100 }),
    });
    expect(retryStrategy.mode).toBe('adaptive');
    fake = await startFake(w);
    const started = performance.now();
    const ev = await collectEvidence(
      [objectRequest(user('alice'), 'reports-bucket', '2026/q3.csv', { resourceAccount: OTHER })],
      {
        region: 'us-east-1',
        roleArns: [ROLE],
        clientOptions: fake.clientOptions({ maxAttempts: 3, retryStrategy }),
      },
    );
    expect(performance.now() - started).toBeLessThan(3000);
    expect(ev.buckets['reports-bucket']?.policy?.Statement).toMatchObject([{ Sid: 'AppRead' }]);
    expect(fake.calls.filter((c) => c.op === 'GetBucketPolicy')).toHaveLength(2);
  });

  test('AWS_DEFAULT_REGION is honoured as the AWS CLI does (after --region and AWS_REGION)', async () => {
    const { LiveContext } = await import('../../../src/evidence/live/context.js');
    const empty = emptyEvidence();
    const saved = { r: process.env.AWS_REGION, d: process.env.AWS_DEFAULT_REGION };
    try {
      delete process.env.AWS_REGION;
      process.env.AWS_DEFAULT_REGION = 'eu-central-1';
      const ctx = new LiveContext({}, structuredClone(empty));
      await ctx.resolveDefaultRegion();
      expect(ctx.defaultRegion).toBe('eu-central-1');
      process.env.AWS_REGION = 'ap-south-1';
      const ctx2 = new LiveContext({}, structuredClone(empty));
      await ctx2.resolveDefaultRegion();
      expect(ctx2.defaultRegion).toBe('ap-south-1');
      const ctx3 = new LiveContext({ region: 'us-west-2' }, structuredClone(empty));
      await ctx3.resolveDefaultRegion();
      expect(ctx3.defaultRegion).toBe('us-west-2');
    } finally {
      if (saved.r === undefined) delete process.env.AWS_REGION;
      else process.env.AWS_REGION = saved.r;
      if (saved.d === undefined) delete process.env.AWS_DEFAULT_REGION;
      else process.env.AWS_DEFAULT_REGION = saved.d;
    }
  });

  test('the default client configuration uses the adaptive retry mode and no endpoint of its own', async () => {
    const { LiveContext } = await import('../../../src/evidence/live/context.js');
    const ctx = new LiveContext({ profile: 'dev' }, emptyEvidence());
    const cfg = ctx.clientConfig('s3', 'eu-west-1');
    expect(cfg).toMatchObject({ retryMode: 'adaptive', profile: 'dev', region: 'eu-west-1' });
    expect(cfg).not.toHaveProperty('endpoint');
    // The user's own retry settings win.
    process.env.AWS_MAX_ATTEMPTS = '2';
    process.env.AWS_RETRY_MODE = 'standard';
    try {
      expect(ctx.clientConfig('s3', 'eu-west-1')).not.toHaveProperty('maxAttempts');
      expect(ctx.clientConfig('s3', 'eu-west-1')).not.toHaveProperty('retryMode');
    } finally {
      delete process.env.AWS_MAX_ATTEMPTS;
      delete process.env.AWS_RETRY_MODE;
    }
    const { S3Client } = await import('@aws-sdk/client-s3');
    const client = new S3Client(cfg);
    const strategy = await client.config.retryStrategy();
    expect((strategy as { mode?: string }).mode).toBe('adaptive');
    client.destroy();
  });

  test('a slow answer times out: that piece is unknown, the rest is collected', async () => {
    const w = world();
    w.slow = { GetBucketAcl: 3000 };
    fake = await startFake(w);
    const started = performance.now();
    const ev = await collectEvidence([objectRequest(user('alice'), 'local-bucket', 'a.txt')], {
      region: 'us-east-1',
      timeoutMs: 300,
      clientOptions: fake.clientOptions(),
    });
    expect(performance.now() - started).toBeLessThan(2500);
    expect(ev.buckets['local-bucket']).not.toHaveProperty('acl');
    expect(ev.buckets['local-bucket']?.policy).toBeNull();
    expect(ev.notes).toContainEqual({
      path: 'buckets.local-bucket.acl',
      reason: 'Timeout after 300 ms on s3:GetBucketAcl',
    });
  });

  test('expired credentials stop the run with one message saying how to refresh them', async () => {
    const w = world();
    w.caller = {
      error: [403, 'ExpiredToken', 'The security token included in the request is expired'],
    } as unknown as FakeWorld['caller'];
    fake = await startFake(w);
    const err = await collectEvidence([crossAccount], {
      region: 'us-east-1',
      profile: 'dev',
      clientOptions: fake.clientOptions(),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveCredentialsError);
    expect((err as Error).message).toContain('aws sso login --profile dev');
    expect((err as Error).message).toContain('ExpiredToken');
    expect(fake.calls).toHaveLength(1);
  });

  test('credentials expiring mid-run end it with LiveCredentialsError (and nothing left dangling)', async () => {
    const w = world();
    const expired = [400, 'ExpiredTokenException', 'The security token included in the request is expired'];
    w.faults = ['DescribeKey', 'GetKeyPolicy', 'ListAliases'].map((op) => ({ op, error: expired, times: 1 }));
    fake = await startFake(w);
    const err = await collectEvidence([crossAccount], {
      region: 'us-east-1',
      clientOptions: fake.clientOptions(),
      roles: { [OTHER]: ROLE },
    }).catch((e: unknown) => e);
    // The assumed role's session expired: that is noted per call, not fatal. The caller's own is fatal:
    expect(err).not.toBeInstanceOf(Error);
    expect((err as Awaited<ReturnType<typeof collectEvidence>>).notes).toContainEqual({
      path: `kmsKeys.${KEY_ARN}.policy`,
      reason: 'ExpiredTokenException on kms:GetKeyPolicy',
    });
    const w2 = world();
    w2.faults = [{ op: 'GetBucketAcl', error: [400, 'ExpiredToken', 'expired'], times: 1 }];
    await fake.close();
    fake = await startFake(w2);
    const err2 = await collectEvidence([objectRequest(user('alice'), 'local-bucket', 'a.txt')], {
      region: 'us-east-1',
      clientOptions: fake.clientOptions(),
    }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(LiveCredentialsError);
    await new Promise((ok) => setTimeout(ok, 200)); // let the other calls settle: no unhandled rejection
  });

  test('missing credentials (the provider chain finds none) give the same clear error', async () => {
    fake = await startFake(world());
    const noCreds = async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      });
    };
    const err = await collectEvidence([crossAccount], {
      region: 'us-east-1',
      clientOptions: fake.clientOptions({ credentials: noCreds }),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LiveCredentialsError);
    expect((err as Error).message).toMatch(/AWS_PROFILE/);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('endpoint settings', () => {
  test('AWS_ENDPOINT_URL is honoured: no endpoint passed, every client reaches the fake', async () => {
    fake = await startFake(world());
    const saved = { ...process.env };
    process.env.AWS_ENDPOINT_URL = fake.url;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    delete process.env.AWS_PROFILE;
    try {
      // No client options at all (S3 Control's account-id host prefix is skipped for an IP endpoint).
      const ev = await collectEvidence([objectRequest(user('alice'), 'local-bucket', 'a.txt')], {
        region: 'us-east-1',
      });
      expect(ev.buckets['local-bucket']?.policy).toBeNull();
      expect(ev.principals[`arn:aws:iam::${CALLER}:user/alice`]?.policies).toHaveLength(3);
      expect(ev.accounts[CALLER]?.publicAccessBlock).toBeDefined();
      expect(new Set(fake.calls.map((c) => c.service))).toEqual(
        new Set(['sts', 'iam', 's3', 's3control', 'organizations']),
      );
    } finally {
      process.env = saved;
    }
  });
});

describe('collectFor and progress', () => {
  test('collect --bucket --principal: every bucket setting, the principal, and the org policies', async () => {
    const { collectFor } = await import('../../../src/evidence/live/index.js');
    fake = await startFake(world());
    const progress: string[] = [];
    const ev = await collectFor(
      { buckets: ['local-bucket'], principals: [`arn:aws:iam::${CALLER}:user/alice`, 'not-an-arn'] },
      { region: 'us-east-1', clientOptions: fake.clientOptions(), onProgress: (m) => progress.push(m) },
    );
    expect(ev.buckets['local-bucket']).toMatchObject({
      accountId: CALLER,
      region: 'us-east-1',
      policy: null,
      encryption: null,
      objectLock: null,
      requestPayer: 'BucketOwner',
    });
    expect(ev.principals[`arn:aws:iam::${CALLER}:user/alice`]?.policies).toHaveLength(3);
    expect(ev.notes).toContainEqual({
      path: 'principals.not-an-arn',
      reason: 'not an IAM user, role or assumed-role ARN',
    });
    expect(progress).toContain('s3:GetBucketPolicy bucket local-bucket');
    expect(progress).toContain('iam:GetUser user alice');
    expect(progress.length).toBe(fake.calls.length);
  });

  test('a role ARN that is not one is refused up front', async () => {
    await expect(collectEvidence([], { roleArns: ['arn:aws:iam::444455556666:user/x'] })).rejects.toThrow(
      /--role-arn/,
    );
  });
});

test('an unreachable STS endpoint stops the run with LiveCollectError naming the problem', async () => {
  const { LiveCollectError } = await import('../../../src/evidence/live/index.js');
  const err = await collectEvidence([crossAccount], {
    region: 'us-east-1',
    timeoutMs: 2000,
    clientOptions: {
      all: {
        endpoint: 'http://127.0.0.1:9',
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' },
        maxAttempts: 1,
      },
    },
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LiveCollectError);
  expect((err as Error).message).toMatch(/cannot reach AWS STS.*ECONNREFUSED/);
});
