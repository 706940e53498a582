// diagnose --iac DIR as a user runs it: the diff in text and JSON, --write only with --yes in a clean git tree, with a backup.

import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT, runCli } from './helpers.js';

const EX = join(ROOT, 'examples', 'missing-identity-allow');
const args = (dir: string) => [
  'diagnose',
  join(EX, 'event.json'),
  '--snapshot',
  join(EX, 'snapshot.json'),
  '--iac',
  dir,
];

async function gitCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 's3doctor-iac-e2e-'));
  await cp(join(ROOT, 'test/fixtures/iac/cfn-yaml'), dir, { recursive: true });
  const git = (...a: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], {
      stdio: 'pipe',
    });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  return dir;
}

describe('diagnose --iac', () => {
  beforeAll(assertBuilt);

  it('prints the template diff under the fix, verified, and adds fixes[].iac to the JSON', async () => {
    const dir = join(ROOT, 'test/fixtures/iac/cfn-yaml');
    const text = await runCli(args(dir));
    expect(text.stdout).toContain('Infrastructure as code (--iac):');
    expect(text.stdout).toContain(
      'cloudformation template.yaml:30 Resources.ReportsRole: verified: the edited source allows the request, grants nothing beyond it',
    );
    expect(text.stdout).toContain('+        - PolicyName: s3doctor-reports-bucket');
    const json = await runCli([...args(dir), '--format', 'json']);
    const fix = JSON.parse(json.stdout).results[0].causes[0].fixes[0];
    expect(fix.iac.patches[0]).toMatchObject({
      file: 'template.yaml',
      line: 30,
      verified: true,
      confirmed: true,
    });
    const md = await runCli([...args(dir), '--format', 'markdown']);
    expect(md.stdout).toContain('```diff\n--- a/template.yaml');
  }, 120_000);

  it('says why when no source defines the policy, and keeps the JSON patch', async () => {
    const empty = await mkdtemp(join(tmpdir(), 's3doctor-iac-none-'));
    await writeFile(join(empty, 'main.tf'), '# nothing here\n');
    const r = await runCli(args(empty));
    expect(r.stdout).toContain(
      'no source matched: no role is defined in the sources; the JSON patch above is the fix',
    );
    expect(r.stdout).toContain('aws iam put-role-policy');
  });

  it('a fix of several documents: each document under its own heading, the unmatched one saying why', async () => {
    const kms = join(ROOT, 'examples', 'kms-cross-account');
    const base = [
      'diagnose',
      join(kms, 'input.log'),
      '--snapshot',
      join(kms, 'snapshot.json'),
      '--iac',
      join(ROOT, 'test/fixtures/iac/cfn-kms'),
    ];
    const key = 'arn:aws:kms:us-east-1:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
    const role = 'arn:aws:iam::444455556666:role/partner-etl';
    const lines = (await runCli(base)).stdout.split('\n');
    const at = (prefix: string) => lines.findIndex((l) => l.trimStart().startsWith(prefix));
    const iac = at('Infrastructure as code (--iac):');
    const keyHead = at(`kms key policy of ${key}:`);
    const roleHead = at(`identity policy of ${role} (s3doctor-kms-0b1c2d3e):`);
    const patch = at('cloudformation template.yaml:15 Resources.ReportsKey.Properties.KeyPolicy: verified');
    const none = at(
      'no source matched: no role is defined in the sources; the JSON patch above is the fix for it',
    );
    // The template's patch sits under the key policy's heading; "no source matched" only under the role's.
    expect(iac).toBeGreaterThan(0);
    expect([iac < keyHead, keyHead < patch, patch < roleHead, roleHead < none]).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(lines.filter((l) => l.includes('no source matched'))).toHaveLength(1);
    const md = (await runCli([...base, '--format', 'markdown'])).stdout;
    expect(md).toContain(
      `- Infrastructure as code (kms key policy of ${key}): cloudformation template.yaml:15 Resources.ReportsKey.Properties.KeyPolicy: verified`,
    );
    expect(md).toContain(
      `- Infrastructure as code (identity policy of ${role} (s3doctor-kms-0b1c2d3e)): no source matched: no role is defined in the sources`,
    );
    const json = JSON.parse((await runCli([...base, '--format', 'json'])).stdout);
    const fix = json.results[0].causes
      .flatMap((c: { fixes: { iac?: unknown }[] }) => c.fixes)
      .find((f: { iac?: unknown }) => f.iac);
    expect(fix.iac.unmatchedDocuments).toEqual([
      { document: role, why: 'no role is defined in the sources' },
    ]);
  }, 120_000);

  it('--write: a dry run without --yes; with --yes writes the file and a backup; refuses a dirty tree', async () => {
    const dir = await gitCopy();
    const before = await readFile(join(dir, 'template.yaml'), 'utf8');
    const dry = await runCli([...args(dir), '--write']);
    expect(dry.stderr).toContain('would change template.yaml at line 30');
    expect(await readFile(join(dir, 'template.yaml'), 'utf8')).toBe(before);
    await writeFile(join(dir, 'template.yaml'), before + '# uncommitted\n');
    const dirty = await runCli([...args(dir), '--write', '--yes']);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain('has uncommitted changes');
    execFileSync('git', ['-C', dir, 'checkout', '--', 'template.yaml']);
    const done = await runCli([...args(dir), '--write', '--yes']);
    expect(done.stderr).toContain('Wrote template.yaml');
    const after = await readFile(join(dir, 'template.yaml'), 'utf8');
    expect(after).toContain('- PolicyName: s3doctor-reports-bucket');
    const backups = await readdir(join(dir, '.s3doctor-backup'));
    expect(backups).toHaveLength(1);
    expect(await readFile(join(dir, '.s3doctor-backup', backups[0]!), 'utf8')).toBe(before);
    // Re-diagnosed against the written source (the live policy not yet deployed): nothing more to change.
    const again = await runCli([...args(dir), '--format', 'json']);
    const fix = JSON.parse(again.stdout).results[0].causes[0].fixes[0];
    expect(fix.iac.patches).toEqual([]);
    expect(fix.iac.unmatched).toContain('the source already holds the change');
  }, 180_000);

  it('--write and --iac-state need --iac', async () => {
    const r = await runCli([
      'diagnose',
      join(EX, 'event.json'),
      '--snapshot',
      join(EX, 'snapshot.json'),
      '--write',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--write, --iac-state and --iac-stack go with --iac DIR');
  });
});
