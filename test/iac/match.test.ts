// Matching live policies to sources: several candidates are all listed, unresolved names are named and settled by state.

import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTwoFilesPatch } from 'diff';
import { writableIacPatches, writeIacPatches, IacWriteError } from '../../src/iac/index.js';
import type { IacPatch, Result } from '../../src/model/index.js';
import { diagnoseIac, exampleFiles, FIXTURES, fixesOf } from './helpers.js';

async function tempCopy(fixture: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 's3doctor-iac-match-'));
  await cp(join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

async function kmsFix(dir: string, state?: string[]) {
  const { input, snapshot } = await exampleFiles('kms-cross-account');
  const { results } = await diagnoseIac(input, snapshot, dir, state);
  return fixesOf(results[0]!).find((f) => f.fix.patch?.target.type === 'kms-key-policy')!.fix;
}

describe('matching sources', () => {
  it('a key whose id only state knows: unconfirmed and named without state, confirmed with it', async () => {
    const dir = await tempCopy('tf-kms');
    const state = join(dir, 'terraform.tfstate');
    const elsewhere = join(await mkdtemp(join(tmpdir(), 's3doctor-iac-state-')), 'show.json');
    await cp(state, elsewhere);
    await rm(state);
    const without = await kmsFix(dir);
    expect(without.iac!.patches[0]).toMatchObject({ confirmed: false, verified: true });
    expect(without.iac!.patches[0]!.notes?.join(' ')).toContain(
      'the key id (generated: give terraform state)',
    );
    const withState = await kmsFix(dir, [elsewhere]);
    expect(withState.iac!.patches[0]).toMatchObject({ confirmed: true, verified: true });
  });

  it('a CloudFormation key: the stack resources file settles the physical id', async () => {
    const dir = await tempCopy('cfn-kms');
    const stack = join(dir, 'stack-resources.json');
    const elsewhere = join(await mkdtemp(join(tmpdir(), 's3doctor-iac-stack-')), 'stack.json');
    await cp(stack, elsewhere);
    await rm(stack);
    expect((await kmsFix(dir)).iac!.patches[0]!.confirmed).toBe(false);
    expect((await kmsFix(dir, [elsewhere])).iac!.patches[0]!.confirmed).toBe(true);
  });

  it('two sources defining the same bucket policy are both listed, each with its diff', async () => {
    const dir = await tempCopy('cfn-json');
    await cp(join(FIXTURES, 'tf-heredoc/main.tf'), join(dir, 'main.tf'));
    const { input, snapshot } = await exampleFiles('cross-account-no-bucket-policy');
    const { results } = await diagnoseIac(input, snapshot, dir);
    const fix = fixesOf(results[0]!).find((f) => f.fix.patch?.target.type === 'bucket-policy')!.fix;
    expect(fix.iac!.patches.map((p) => `${p.tool} ${p.file}`).sort()).toEqual([
      'cloudformation template.json',
      'terraform main.tf',
    ]);
    expect(fix.iac!.patches.every((p) => p.verified && p.confirmed)).toBe(true);
  });

  it('a parameter without a value is named as unresolved; the match is unconfirmed', async () => {
    const dir = await tempCopy('cfn-nested');
    await rm(join(dir, 'root.yaml'));
    const { input, snapshot } = await exampleFiles('access-point-no-delegation');
    const { results } = await diagnoseIac(input, snapshot, dir);
    const fix = fixesOf(results[0]!).find((f) => f.fix.patch?.target.type === 'bucket-policy')!.fix;
    const p = fix.iac!.patches[0]!;
    expect(p.confirmed).toBe(false);
    expect(p.notes?.join(' ')).toContain('!Ref BucketName (a parameter without a default or a given value)');
    expect(p.unresolved?.join(' ')).toContain('!Ref ReaderArn');
  });

  it('a bucket in no source: says why', async () => {
    const dir = await tempCopy('tf-kms');
    const { input, snapshot } = await exampleFiles('cross-account-no-bucket-policy');
    const { results } = await diagnoseIac(input, snapshot, dir);
    const fix = fixesOf(results[0]!).find((f) => f.fix.patch?.target.type === 'bucket-policy')!.fix;
    expect(fix.iac).toEqual({
      patches: [],
      unmatched: 'no bucket is defined in the sources; the JSON patch above is the fix',
    });
  });
});

describe('writeIacPatches', () => {
  it('refuses a folder outside git, and a file that resolves outside the folder', async () => {
    const dir = await tempCopy('tf-kms');
    await expect(writeIacPatches(dir, [])).rejects.toBeInstanceOf(IacWriteError);
    const { execFileSync } = await import('node:child_process');
    const git = (...a: string[]) =>
      execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], {
        stdio: 'pipe',
      });
    const outside = join(await mkdtemp(join(tmpdir(), 's3doctor-iac-outside-')), 'x.tf');
    await writeFile(outside, 'x\n');
    await symlink(outside, join(dir, 'link.tf'));
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'init');
    const diff = '--- a/link.tf\n+++ b/link.tf\n@@ -1,1 +1,2 @@\n x\n+y\n';
    const r = await writeIacPatches(dir, [
      { file: 'link.tf', line: 2, tool: 'terraform', address: 'x', diff, verified: true, confirmed: true },
      { file: '../x.tf', line: 2, tool: 'terraform', address: 'x', diff, verified: true, confirmed: true },
    ]);
    expect(r.map((x) => x.written)).toEqual([false, false]);
    expect(r[0]!.why).toContain('outside the --iac folder');
  });

  it('a fix of two documents in one file: both diffs are written, one per document', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3doctor-iac-two-'));
    const text = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', ''].join('\n');
    await writeFile(join(dir, 'main.tf'), text);
    const { execFileSync } = await import('node:child_process');
    const git = (...a: string[]) =>
      execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], {
        stdio: 'pipe',
      });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'init');
    const edit = (from: string, to: string, document: string, verified = true): IacPatch => ({
      file: 'main.tf',
      line: 1,
      tool: 'terraform',
      address: `x.${from}`,
      document,
      diff: createTwoFilesPatch('a/main.tf', 'b/main.tf', text, text.replace(`${from}\n`, `${to}\n`)),
      verified,
      confirmed: true,
    });
    const patches = [
      edit('a', 'A0', 'key'),
      edit('a', 'A1', 'key'),
      edit('b', 'B', 'role', false),
      edit('j', 'J', 'role'),
    ];
    const result = {
      causes: [{ fixes: [{ kind: 'policy-patch', iac: { patches } }] }],
    } as unknown as Result;
    const chosen = writableIacPatches([result]);
    expect(chosen.map((p) => p.address)).toEqual(['x.a', 'x.j']);
    expect(chosen.map((p) => p.document)).toEqual(['key', 'role']);
    const r = await writeIacPatches(dir, chosen, { backupDir: join(dir, '.bak') });
    expect(r).toMatchObject([{ file: 'main.tf', written: true }]);
    expect(await readFile(join(dir, 'main.tf'), 'utf8')).toBe(
      text.replace('a\n', 'A0\n').replace('j\n', 'J\n'),
    );
  });
});
