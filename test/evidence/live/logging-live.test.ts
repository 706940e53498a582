// `s3doctor logging --live` against the fake AWS endpoint: bucket logging, lifecycle, the target's settings and
// CloudTrail trails/event data stores are collected, so the checks come out as from the equivalent snapshot
// (examples/logging-readiness/evidence.json) instead of unknown; a refused CloudTrail read leaves that check unknown.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, test } from 'vitest';
import { collectFor } from '../../../src/evidence/live/index.js';
import { startFake, type FakeAws, type FakeWorld } from '../../helpers/fake-aws.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(root, 'dist/src/cli/main.js');
const dir = mkdtempSync(path.join(tmpdir(), 's3doctor-logging-live-'));
const ACCOUNT = '111122223333';
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/management';
const snapshot = JSON.parse(
  readFileSync(path.join(root, 'examples', 'logging-readiness', 'evidence.json'), 'utf8'),
) as { buckets: Record<string, Record<string, unknown>> };

/** The account examples/logging-readiness/evidence.json describes, as the fake's world. */
function world(): FakeWorld {
  const logs = snapshot.buckets['app-logs']!;
  return {
    caller: { userId: 'AIDAOPS', account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/ops` },
    accounts: { [ACCOUNT]: {} },
    buckets: {
      'app-data': {
        account: ACCOUNT,
        region: 'us-east-1',
        logging: { TargetBucket: 'app-logs', TargetPrefix: 'app-data/' },
      },
      'static-site': { account: ACCOUNT, region: 'us-east-1' },
      'app-logs': {
        account: ACCOUNT,
        region: 'us-east-1',
        policy: logs.policy,
        ownership: 'BucketOwnerEnforced',
        publicAccessBlock: logs.publicAccessBlock,
        encryption: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY },
        requestPayment: 'BucketOwner',
        lifecycle: [],
      },
    },
    kmsKeys: { [KEY]: { account: ACCOUNT, region: 'us-east-1', aliases: [] } },
    cloudtrail: {
      trails: [
        {
          name: 'management',
          arn: TRAIL,
          homeRegion: 'us-east-1',
          isMultiRegion: true,
          isLogging: true,
          eventSelectors: [{ ReadWriteType: 'All', DataResources: [] }],
        },
      ],
      eventDataStores: [],
    },
  };
}

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function s3doctor(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    NO_COLOR: '1',
    CI: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(fake ? { AWS_ENDPOINT_URL: fake.url } : {}),
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
  };
  try {
    const r = await run(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

type Checks = Record<string, Record<string, string>>;
function statuses(stdout: string): Checks {
  const doc = JSON.parse(stdout) as {
    buckets: { bucket: string; checks: { id: string; status: string }[] }[];
  };
  return Object.fromEntries(
    doc.buckets.map((b) => [b.bucket, Object.fromEntries(b.checks.map((c) => [c.id, c.status]))]),
  );
}

const EDS = 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/s3-data';
const edsSelectors = [
  {
    Name: 'S3 data events of app-data',
    FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::app-data/'] },
    ],
  },
];

test('collectFor with logging and trails reads logging, lifecycle, trails and event data stores', async () => {
  const w = world();
  (w.cloudtrail as Record<string, unknown>).eventDataStores = [
    { arn: EDS, name: 's3-data', advancedEventSelectors: edsSelectors },
  ];
  fake = await startFake(w);
  const ev = await collectFor(
    { buckets: ['app-data', 'app-logs'], logging: true, trails: true },
    { clientOptions: fake.clientOptions(), region: 'us-east-1' },
  );
  expect(ev.buckets['app-data']?.logging).toEqual({ TargetBucket: 'app-logs', TargetPrefix: 'app-data/' });
  expect(ev.buckets['app-logs']?.logging).toBeNull();
  expect(ev.buckets['app-logs']?.lifecycle).toEqual([]);
  expect(ev.buckets['app-data']?.lifecycle).toBeNull();
  expect(ev.trails).toEqual({
    [TRAIL]: {
      kind: 'trail',
      name: 'management',
      homeRegion: 'us-east-1',
      isMultiRegion: true,
      isLogging: true,
      eventSelectors: [{ ReadWriteType: 'All', DataResources: [] }],
    },
    [EDS]: {
      kind: 'event-data-store',
      name: 's3-data',
      isMultiRegion: true,
      isLogging: true,
      advancedEventSelectors: edsSelectors,
    },
  });
  const ops = fake.ops();
  for (const op of [
    's3:GetBucketLogging',
    's3:GetBucketLifecycleConfiguration',
    'cloudtrail:DescribeTrails',
    'cloudtrail:GetEventSelectors',
    'cloudtrail:GetTrailStatus',
    'cloudtrail:ListEventDataStores',
    'cloudtrail:GetEventDataStore',
  ])
    expect(ops, op).toContain(op);
  // Without the logging flags, collect reads none of it (its call count is unchanged).
  const before = fake.calls.length;
  const plain = await collectFor(
    { buckets: ['app-data'] },
    { clientOptions: fake.clientOptions(), region: 'us-east-1' },
  );
  const plainOps = fake.calls.slice(before).map((c) => `${c.service}:${c.op}`);
  expect(plainOps.filter((o) => /Logging|Lifecycle|cloudtrail/.test(o))).toEqual([]);
  expect(plain.trails).toBeUndefined();
});

test('logging --live gives the checks logging --snapshot gives for the same account', async () => {
  const fromSnapshot = await s3doctor([
    'logging',
    'app-data',
    'static-site',
    '--snapshot',
    path.join(root, 'examples', 'logging-readiness', 'evidence.json'),
    '--format',
    'json',
  ]);
  fake = await startFake(world());
  const live = await s3doctor(['logging', 'app-data', 'static-site', '--live', '--format', 'json']);
  expect(live.stderr).not.toContain('internal error');
  const want = statuses(fromSnapshot.stdout);
  const got = statuses(live.stdout);
  expect(got).toEqual(want);
  // Nothing the collectors can read is left unknown.
  expect(Object.values(got).flatMap((c) => Object.entries(c).filter(([, s]) => s === 'unknown'))).toEqual([]);
  expect(live.code).toBe(fromSnapshot.code);
});

test('a refused CloudTrail read leaves only the CloudTrail check unknown, naming the permission', async () => {
  const w = world();
  (w.cloudtrail as Record<string, unknown>).ListEventDataStores = {
    error: [400, 'AccessDeniedException', 'not authorized to perform cloudtrail:ListEventDataStores'],
  };
  fake = await startFake(w);
  const live = await s3doctor(['logging', 'app-data', '--live', '--format', 'json']);
  const doc = JSON.parse(live.stdout) as {
    buckets: { checks: { id: string; status: string; missing?: string[] }[] }[];
  };
  const unknown = doc.buckets[0]!.checks.filter((c) => c.status === 'unknown');
  expect(unknown.map((c) => c.missing)).toEqual([['trails']]);
  // The evidence notes the refused call (the logging report does not print notes yet).
  const ev = await collectFor(
    { buckets: ['app-data'], trails: true },
    { clientOptions: fake.clientOptions(), region: 'us-east-1' },
  );
  expect(ev.trails).toBeUndefined();
  expect(ev.notes.find((n) => n.path === 'trails')?.reason).toContain('cloudtrail:ListEventDataStores');
});
