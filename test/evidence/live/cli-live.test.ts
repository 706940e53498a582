// The built CLI (dist/) against the fake AWS endpoint, configured only through the SDK's endpoint
// settings (AWS_ENDPOINT_URL) and credentials in the environment: `collect --out` writes a snapshot
// that `diagnose --snapshot` reads back to the same diagnosis as `diagnose --live`; expired
// credentials exit 2 with the refresh hint.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, test } from 'vitest';
import { startFake, type FakeAws } from '../../helpers/fake-aws.js';
import { CALLER, world } from './world.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(root, 'dist/src/cli/main.js');
const dir = mkdtempSync(path.join(tmpdir(), 's3doctor-live-'));
const line =
  'aaaa local-bucket [06/Feb/2026:00:00:38 +0000] 192.0.2.3 arn:aws:iam::111122223333:user/alice 3E57427F3EXAMPLE REST.GET.OBJECT a.txt "GET /local-bucket/a.txt HTTP/1.1" 403 AccessDenied 243 - 42 - "-" "aws-cli/2" - Ox4bQ= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader s3.us-east-1.amazonaws.com TLSv1.2 - -';
const input = path.join(dir, 'access.log');
writeFileSync(input, `${line}\n`);

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
    AWS_ENDPOINT_URL: fake!.url,
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

test('collect --out, then diagnose --snapshot, gives the diagnosis diagnose --live gives', async () => {
  fake = await startFake(world());
  const out = path.join(dir, 'snapshot.json');
  const collected = await s3doctor(['collect', input, '--out', out]);
  expect(collected.stderr).not.toMatch(/AKIDTEST|test\b.*secret/i);
  expect(collected.code).toBe(0);
  const snap = JSON.parse(readFileSync(out, 'utf8')) as Record<
    string,
    Record<string, Record<string, unknown>>
  >;
  expect(snap.schemaVersion).toBe(1);
  expect(snap.buckets?.['local-bucket']).toMatchObject({ accountId: CALLER, policy: null });
  expect(snap.principals?.[`arn:aws:iam::${CALLER}:user/alice`]?.policies).toHaveLength(3);
  const collectCalls = fake.calls.length;
  expect(collectCalls).toBeGreaterThan(10);
  expect(collectCalls).toBeLessThanOrEqual(25);

  const live = await s3doctor(['diagnose', input, '--live', '--format', 'json']);
  const fromSnapshot = await s3doctor(['diagnose', input, '--snapshot', out, '--format', 'json']);
  expect(fake.calls.length).toBe(2 * collectCalls); // --snapshot made no call
  expect(fromSnapshot.code).toBe(live.code);
  const strip = (s: string) => {
    const r = JSON.parse(s) as {
      results: { decision: string; causes: { code: string }[]; unknowns: unknown[] }[];
    };
    return r.results.map((x) => ({
      decision: x.decision,
      causes: x.causes.map((c) => c.code),
      unknowns: x.unknowns,
    }));
  };
  expect(strip(fromSnapshot.stdout)).toEqual(strip(live.stdout));
  expect(strip(live.stdout)[0]?.decision).toBeDefined();
});

test('expired credentials: exit 2 and one message that says how to refresh them', async () => {
  const w = world();
  w.caller = {
    error: [403, 'ExpiredToken', 'The security token included in the request is expired'],
  } as unknown as typeof w.caller;
  fake = await startFake(w);
  const r = await s3doctor(['diagnose', input, '--live']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('ExpiredToken');
  expect(r.stderr).toContain('aws sso login --profile NAME');
  expect(fake.calls).toHaveLength(1);
  // A profile that does not exist: said so before any call (not "expired").
  const p = await s3doctor(['diagnose', input, '--live', '--profile', 'dev']);
  expect(p.code).toBe(2);
  expect(p.stderr).toContain('AWS profile "dev" does not exist');
  expect(fake.calls).toHaveLength(1);
});
