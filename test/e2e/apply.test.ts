// End-to-end: `diagnose --apply --yes` against the fake AWS endpoint backs up first and sends exactly the patched document.

import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, assertBuilt, fakeAwsEnv, runCli, startFake, type FakeAws } from './helpers.js';

const f = (name: string) => join(FIXTURES, name);

/** The denied request and the snapshot every case diagnoses. */
const DIAGNOSE = ['diagnose', f('https.log'), '--snapshot', f('snapshot-no-allow.json')];

/** The account the fake answers for: the caller's role app, with no inline policy yet, and the bucket. */
const WORLD = {
  caller: {
    userId: 'AROAFAKE:dev',
    account: '111122223333',
    arn: 'arn:aws:sts::111122223333:assumed-role/dev/dev',
  },
  canonicalId: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
  buckets: { 'reports-bucket': { ownership: 'BucketOwnerEnforced' } },
  roles: { app: { inline: {} } },
};

describe('--apply --yes', () => {
  let fake: FakeAws;
  beforeAll(async () => {
    assertBuilt();
    fake = await startFake(WORLD);
  });
  afterAll(async () => fake?.close());

  it('writes the backup, then sends exactly the patched document, then re-diagnoses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-apply-'));
    const planned = JSON.parse((await runCli([...DIAGNOSE, '--format', 'json'])).stdout);
    const fix = planned.results[0].causes[0].fixes[0];
    expect(fix).toMatchObject({
      kind: 'policy-patch',
      verified: true,
      patch: { target: { type: 'identity-policy', id: 'arn:aws:iam::111122223333:role/app' } },
    });

    const r = await runCli([...DIAGNOSE, '--apply', '--yes', '--backup-dir', dir], {
      cwd: dir,
      env: fakeAwsEnv(fake.url),
      timeoutMs: 40000,
    });
    expect(r.stderr).toContain('Applied the change to identity-policy arn:aws:iam::111122223333:role/app');
    // The fake keeps no write, so the evidence collected again still lacks the grant: a script must see that.
    expect(r.stderr).toMatch(
      /After the change: s3:GetObject on arn:aws:s3:::reports-bucket\/finance\/2026\/q3\.csv: ImplicitDeny/,
    );
    expect(r.code).toBe(1);

    // The current document was read first (none), then exactly one write with the patched document.
    const readAt = fake.calls.findIndex((c) => c.service === 'iam' && c.op === 'GetRolePolicy');
    expect(readAt).toBeGreaterThanOrEqual(0);
    expect(fake.writes).toHaveLength(1);
    const w = fake.writes[0]!;
    expect(w.op).toBe('PutRolePolicy');
    expect(w.params.RoleName).toBe('app');
    expect(w.params.PolicyName).toBe(fix.patch.target.name);
    expect(JSON.parse(w.params.PolicyDocument!)).toEqual(fix.patch.after);

    const backups = (await readdir(dir)).filter((n) => n.startsWith('s3doctor-backup-'));
    expect(backups).toHaveLength(1);
    const backup = JSON.parse(await readFile(join(dir, backups[0]!), 'utf8'));
    expect(backup).toEqual({ target: fix.patch.target, document: null });
  }, 90000);

  it('refuses when the document in AWS changed since the evidence was collected, changing nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-stale-'));
    const stale = await startFake({
      caller: {
        userId: 'AROAFAKE:dev',
        account: '111122223333',
        arn: 'arn:aws:sts::111122223333:assumed-role/dev/dev',
      },
      roles: {
        app: {
          inline: {
            's3doctor-reports-bucket': {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
            },
          },
        },
      },
    });
    try {
      const r = await runCli([...DIAGNOSE, '--apply', '--yes', '--backup-dir', dir], {
        cwd: dir,
        env: fakeAwsEnv(stale.url),
        timeoutMs: 30000,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('changed since the evidence was collected');
      expect(stale.writes).toEqual([]);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await stale.close();
    }
  }, 60000);

  it('a write AWS fails is sent once whatever AWS_MAX_ATTEMPTS says, and ends in one line and a non-zero exit', async () => {
    const failing = await startFake(WORLD, { failWrites: true });
    try {
      const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-apply-fail-'));
      const r = await runCli([...DIAGNOSE, '--apply', '--yes', '--backup-dir', dir], {
        cwd: dir,
        env: { ...fakeAwsEnv(failing.url), AWS_MAX_ATTEMPTS: '5' },
        timeoutMs: 40000,
      });
      expect(failing.writes).toHaveLength(1);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(r.stderr).toMatch(/fake failure|ServiceFailure/);
    } finally {
      await failing.close();
    }
  }, 90000);
});
