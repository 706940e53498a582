// Unit tests of the CLI's small modules: AWS profile names, TTY decisions, user errors, output files, patch files.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAwsProfiles, profileNames } from '../../src/cli/aws-profiles.js';
import { UsageError, asUserError, userErrorMessage } from '../../src/cli/errors.js';
import { CancelledError, UserError } from '../../src/model/user-error.js';
import { emitReport, writeNewFile } from '../../src/cli/output.js';
import { patchFixes, savePatches } from '../../src/cli/patches.js';
import { canPrompt, canShowProgress, canSpin, isCI } from '../../src/cli/tty.js';
import { sameDocument, notApplicableReason, backupFileName, targetRegion } from '../../src/cli/apply.js';
import { denyResult, sampleEvidence } from './fixtures.js';

describe('AWS profile names', () => {
  it('reads section names only', () => {
    const config =
      '[default]\nregion = us-east-1\n[profile dev]\nsso_session = x\n[sso-session x]\nsso_region=us-east-1\n[services s]\n[ profile  prod ] ; comment\n';
    expect(profileNames(config, 'config')).toEqual(['default', 'dev', 'prod']);
    expect(profileNames('[default]\naws_secret_access_key = SECRET\n[ci]\n', 'credentials')).toEqual([
      'default',
      'ci',
    ]);
  });
  it('merges config and credentials, default first, never returning values', async () => {
    const d = await mkdtemp(join(tmpdir(), 's3d-prof-'));
    await writeFile(join(d, 'config'), '[profile zed]\n[default]\n');
    await writeFile(join(d, 'credentials'), '[alpha]\naws_secret_access_key = wJalrXUtnFEMI\n[zed]\n');
    const names = await listAwsProfiles(
      { AWS_CONFIG_FILE: join(d, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(d, 'credentials') },
      d,
    );
    expect(names).toEqual(['default', 'alpha', 'zed']);
    expect(JSON.stringify(names)).not.toContain('wJalr');
    expect(await listAwsProfiles({}, join(d, 'nowhere'))).toEqual([]);
  });
});

describe('terminal decisions', () => {
  const tty = { isTTY: true, columns: 80 };
  it('prompts only with both ends a TTY, no CI, and not --no-interactive', () => {
    expect(canPrompt({ stdin: tty, stdout: tty, stderr: tty, env: {} }, true)).toBe(true);
    expect(canPrompt({ stdin: {}, stdout: tty, stderr: tty, env: {} }, true)).toBe(false);
    expect(canPrompt({ stdin: tty, stdout: {}, stderr: tty, env: {} }, true)).toBe(false);
    expect(canPrompt({ stdin: tty, stdout: tty, stderr: tty, env: { CI: 'true' } }, true)).toBe(false);
    expect(canPrompt({ stdin: tty, stdout: tty, stderr: tty, env: {} }, false)).toBe(false);
    expect(isCI({ CI: 'false' })).toBe(false);
  });
  it('spins only on a TTY with columns (ora loops at 0 columns)', () => {
    expect(canSpin({ stdin: tty, stdout: tty, stderr: { isTTY: true, columns: 0 }, env: {} })).toBe(false);
    expect(canSpin({ stdin: tty, stdout: tty, stderr: tty, env: {} })).toBe(true);
    expect(canShowProgress({ stdin: tty, stdout: tty, stderr: {}, env: {} })).toBe(false);
  });
});

describe('user errors', () => {
  it("recognises every area's errors by their UserError base class and lists their problems", async () => {
    const { SnapshotError } = await import('../../src/evidence/snapshot.js');
    const { InputError } = await import('../../src/logs/errors.js');
    const { ApplyError } = await import('../../src/cli/apply.js');
    const { AthenaQueryError } = await import('../../src/triage/athena-run.js');
    const { LiveCollectError } = await import('../../src/evidence/live/errors.js');
    const { SimulateRequestError } = await import('../../src/authz/simulate.js');
    const e = new SnapshotError([
      { source: 'snap.json', path: 'buckets.b.policy', message: 'not an object' },
    ]);
    expect(asUserError(e)).toBe(e);
    expect(userErrorMessage(e)).toContain('snap.json: buckets.b.policy: not an object');
    const input = new InputError('Nothing could be read.', ['a.log: binary data']);
    expect(userErrorMessage(asUserError(input)!)).toBe('Nothing could be read.\n  a.log: binary data');
    for (const u of [
      new ApplyError('x'),
      new AthenaQueryError('x'),
      new LiveCollectError('x'),
      new SimulateRequestError([{ path: 'action', message: 'x' }]),
      new UsageError('x'),
    ]) {
      expect(u).toBeInstanceOf(UserError);
      expect(asUserError(u)?.exitCode).toBe(2);
    }
    // A class merely named like a user error is a bug, not a user error.
    class ApplyErrorLookalike extends Error {
      override name = 'ApplyError';
    }
    expect(asUserError(new ApplyErrorLookalike('x'))).toBeUndefined();
    expect(asUserError(new TypeError('x'))).toBeUndefined();
  });

  it('turns a prompt cancelled with Ctrl-C into exit 130', () => {
    const ctrlC = Object.assign(new Error('User force closed the prompt with SIGINT'), {
      name: 'ExitPromptError',
    });
    const u = asUserError(ctrlC);
    expect(u).toBeInstanceOf(CancelledError);
    expect(u?.exitCode).toBe(130);
    expect(userErrorMessage(u!)).toBe('Cancelled: nothing was changed.');
  });
});

describe('output files', () => {
  it('never overwrites silently, and redacts secrets', async () => {
    const d = await mkdtemp(join(tmpdir(), 's3d-out-'));
    const f = join(d, 'r.txt');
    await writeNewFile(f, 'key AKIAIOSFODNN7EXAMPLE\n');
    expect(await readFile(f, 'utf8')).not.toContain('IOSFODNN7EXAMPLE');
    await expect(writeNewFile(f, 'again')).rejects.toThrow(/already exists: pass --force/);
    await writeNewFile(f, 'forced', true);
    expect(await readFile(f, 'utf8')).toBe('forced');
    const lines: string[] = [];
    const target = {
      stdout: { write: (s: string) => lines.push(`out:${s}`) },
      stderr: { write: (s: string) => lines.push(`err:${s}`) },
    };
    await emitReport('report', { out: join(d, 'r2.txt') }, target);
    expect(lines).toEqual([`err:Report written to ${join(d, 'r2.txt')}\n`]);
    await emitReport('report', {}, target);
    expect(lines[1]).toBe('out:report');
  });
});

describe('patch files', () => {
  it("saves each patch's after document under the name the AWS CLI commands use", async () => {
    const d = await mkdtemp(join(tmpdir(), 's3d-patch-'));
    const items = patchFixes([denyResult()]);
    expect(items).toHaveLength(1);
    const [p] = await savePatches(items, { dir: d });
    expect(p).toBe(join(d, 's3doctor-patch-bucket-reports-bucket.json'));
    expect(JSON.parse(await readFile(p!, 'utf8'))).toEqual(items[0]!.patch.after);
    await expect(savePatches(items, { dir: d })).rejects.toThrow(/already exists/);
  });

  it('--save-patch FILE with several patches: FILE-1, FILE-2 (never ignored), or a folder under the default names', async () => {
    const d = await mkdtemp(join(tmpdir(), 's3d-patch-'));
    const [one] = patchFixes([denyResult()]);
    const other = { ...one!, patch: { ...one!.patch, target: { ...one!.patch.target, id: 'other-bucket' } } };
    const items = [one!, other];
    expect(await savePatches(items, { file: join(d, 'fix.json') })).toEqual([
      join(d, 'fix-1.json'),
      join(d, 'fix-2.json'),
    ]);
    expect(await savePatches(items, { file: `${d}/` })).toEqual([
      join(d, 's3doctor-patch-bucket-reports-bucket.json'),
      join(d, 's3doctor-patch-bucket-other-bucket.json'),
    ]);
    expect(await savePatches([one!], { file: join(d, 'only.json') })).toEqual([join(d, 'only.json')]);
  });

  it('two patches with the same default name are both saved (-2), not refused', async () => {
    const d = await mkdtemp(join(tmpdir(), 's3d-patch-'));
    const [one] = patchFixes([denyResult()]);
    const twin = { ...one!, patch: { ...one!.patch, after: { Version: '2012-10-17', Statement: [] } } };
    const got = await savePatches([one!, twin], { dir: d });
    expect(got).toEqual([
      join(d, 's3doctor-patch-bucket-reports-bucket.json'),
      join(d, 's3doctor-patch-bucket-reports-bucket-2.json'),
    ]);
  });
});

describe('names cut to fit', () => {
  it('end in a hash of the whole name, so two long names sharing a prefix differ', async () => {
    const { slug } = await import('../../src/fix/resources.js');
    const a = 'analytics-team-shared-data-lake-raw-events-prod-eu-west-1-bucket-a';
    const b = 'analytics-team-shared-data-lake-raw-events-prod-eu-west-1-bucket-b';
    expect(slug(a)).not.toBe(slug(b));
    expect(slug(a).length).toBeLessThanOrEqual(48);
    expect(slug(a)).toMatch(/^analytics-team-shared-data-lake-raw-/);
    expect(slug(a)).toMatch(/-[0-9a-f]{8}$/);
    expect(slug('reports-bucket')).toBe('reports-bucket');
  });
});

describe('apply helpers', () => {
  it('compares documents regardless of key order, one-element lists and bool spelling', () => {
    expect(sameDocument({ a: ['x'], b: true }, { b: 'true', a: 'x' })).toBe(true);
    expect(sameDocument({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameDocument(null, undefined)).toBe(true);
  });
  it('refuses unverified, unknown-before and guard-rail targets', () => {
    const fix = denyResult().causes[0]!.fixes[1]!;
    expect(notApplicableReason(fix, fix.patch!)).toBeUndefined();
    expect(notApplicableReason({ ...fix, verified: false }, fix.patch!)).toMatch(/not verified/);
    expect(notApplicableReason(fix, { ...fix.patch!, beforeUnknown: true })).toMatch(/merged by hand/);
    expect(notApplicableReason(fix, { ...fix.patch!, target: { type: 'scp', id: 'r-1/x' } })).toMatch(
      /organization/,
    );
    expect(backupFileName(fix.patch!, new Date('2026-01-02T03:04:05.006Z'))).toBe(
      's3doctor-backup-bucket-reports-bucket-2026-01-02T03-04-05-006Z.json',
    );
  });
  it("writes in the bucket's region, the key ARN's region, or the flag's", () => {
    const bucketPatch = { target: { type: 'bucket-policy', id: 'reports-bucket' }, before: null, after: {} };
    const ev = sampleEvidence();
    ev.buckets['reports-bucket']!.region = 'eu-west-1';
    expect(targetRegion(bucketPatch, { evidence: ev })).toBe('eu-west-1');
    expect(targetRegion(bucketPatch, { evidence: ev, region: 'us-west-2' })).toBe('us-west-2');
    const keyPatch = {
      target: { type: 'kms-key-policy', id: 'arn:aws:kms:ap-south-1:111122223333:key/k' },
      before: null,
      after: {},
    };
    expect(targetRegion(keyPatch, {})).toBe('ap-south-1');
  });
});
