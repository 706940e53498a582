// The README stays true: every command and flag it documents exists in --help, its examples run, and its snapshot sample loads.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, NODE, ROOT, assertBuilt, baseEnv, runCli } from './helpers.js';

const run = promisify(execFile);
const COMMANDS = ['diagnose', 'triage', 'simulate', 'collect', 'rules', 'test', 'logging'];

let readme = '';
const help: Record<string, string> = {};

beforeAll(async () => {
  assertBuilt();
  readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  help[''] = (await runCli(['--help'])).stdout;
  for (const c of COMMANDS) help[c] = (await runCli([c, '--help'])).stdout;
  help['rules list'] = (await runCli(['rules', 'list', '--help'])).stdout;
});

/** Fenced code blocks: language and body. */
function blocks(md: string): { lang: string; body: string }[] {
  return [...md.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** Every `s3doctor ...` command line in code blocks (`$ s3doctor` in text blocks, plain lines in sh blocks). */
function commandLines(md: string): string[] {
  const out: string[] = [];
  for (const b of blocks(md)) {
    for (const line of b.body.split('\n')) {
      const m = /^(?:\$ )?(s3doctor(?: .*)?)$/.exec(line.trim());
      if (m && (line.startsWith('$ ') || b.lang === 'sh')) out.push(m[1]!);
    }
  }
  return out;
}

describe('README', () => {
  it('has the Quick start with exactly the two commands', () => {
    const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Usage'));
    const cmds = blocks(quick).map((b) => b.body.trim());
    expect(cmds).toEqual(['npm install && npm start', 'npm test']);
  });

  it('documents only commands and flags that exist in --help', () => {
    const lines = commandLines(readme);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      const [, cmd] = line.split(/\s+/);
      if (cmd && !cmd.startsWith('-')) expect(COMMANDS, line).toContain(cmd);
      const text =
        cmd && COMMANDS.includes(cmd) ? help[cmd]! + (cmd === 'rules' ? help['rules list']! : '') : help['']!;
      for (const flag of line.match(/(?<=\s)--[a-z][a-z-]*/g) ?? [])
        expect(text, `${flag} in: ${line}`).toContain(flag);
    }
    // Every flag mentioned anywhere in the README is a real flag of some command.
    const all = Object.values(help).join('\n');
    // AWS CLI commands quoted in the README (and in pasted output) have flags of their own.
    const ours = readme
      .replace(/\baws [a-z0-9-]+ [a-z0-9-]+[^\n`]*/g, '')
      .replace(/--endpoint-url http/g, '');
    for (const flag of new Set(ours.match(/(?<![\w-])--[a-z][a-z-]+/g) ?? [])) {
      expect(all, flag).toContain(flag);
    }
  });

  it('runs its example commands, with the whole output each shows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-readme-'));
    // A `$ cat FILE` block provides FILE for the command after it.
    for (const b of blocks(readme)) {
      const m = /^\$ cat (\S+)\n([\s\S]*?)\n\$ /m.exec(b.body);
      if (m) await writeFile(join(dir, m[1]!), m[2]!);
    }
    const ran: string[] = [];
    for (const b of blocks(readme)) {
      if (b.lang !== 'text') continue;
      const lines = b.body.replace(/\n$/, '').split('\n');
      const at = lines.findIndex((l) => l.startsWith('$ s3doctor '));
      if (at < 0) continue;
      const cmd = lines[at]!.slice(2);
      // Every line after the command is output; a last line `...` means the output goes on.
      const shown = lines.slice(at + 1);
      const truncated = shown.at(-1) === '...';
      if (truncated) shown.pop();
      const shell = cmd
        .replace(/^s3doctor/, `'${NODE}' '${BIN}'`)
        .replace(/(^|\s)request\.json/, ` '${join(dir, 'request.json')}'`);
      const { stdout, code } = await run('sh', ['-c', `${shell}; echo "EXIT=$?"`], {
        cwd: ROOT,
        env: baseEnv(),
        maxBuffer: 16 * 1024 * 1024,
      }).then((r) => ({ stdout: r.stdout, code: Number(/EXIT=(\d+)\s*$/.exec(r.stdout)?.[1]) }));
      expect(code, cmd).not.toBe(2);
      const actual = stdout
        .replace(/EXIT=\d+\s*$/, '')
        .replace(/\s+$/, '')
        .split('\n')
        .map((l) => l.trimEnd());
      expect(truncated ? actual.slice(0, shown.length) : actual, cmd).toEqual(shown.map((l) => l.trimEnd()));
      ran.push(cmd.split(' ')[1]!);
    }
    // Every command with output shown in the README: diagnose (text and github), triage, simulate, test,
    // logging, rules.
    expect(new Set(ran)).toEqual(new Set(['diagnose', 'triage', 'simulate', 'test', 'logging', 'rules']));
    expect(ran.length).toBeGreaterThanOrEqual(7);
  }, 120000);

  it('shows a snapshot sample that s3doctor accepts', async () => {
    const section = readme.slice(readme.indexOf('## Evidence snapshots'));
    const sample = blocks(section).find((b) => b.lang === 'json');
    expect(sample).toBeDefined();
    const dir = await mkdtemp(join(tmpdir(), 's3d-readme-snap-'));
    await writeFile(join(dir, 'snapshot.json'), sample!.body);
    const r = await runCli([
      'diagnose',
      join(ROOT, 'examples', 'deny-http', 'input.log'),
      '--snapshot',
      join(dir, 'snapshot.json'),
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).not.toBe(2);
  });

  it('lists every cause code, linking the rule catalogue', async () => {
    const { CAUSE_CODES } = await import('../../src/model/cause.js');
    const section = readme.slice(readme.indexOf('## Cause codes'), readme.indexOf('## Input formats'));
    expect(section).toContain('](docs/rules.md)');
    for (const code of CAUSE_CODES) expect(section, code).toContain(`\`${code}\``);
  });

  it('links the rule catalogue and the collector policy that exist', () => {
    expect(readme).toContain('(docs/rules.md)');
    expect(existsSync(join(ROOT, 'docs', 'rules.md'))).toBe(true);
    expect(readme).toContain('examples/collector-policy.json');
    expect(existsSync(join(ROOT, 'examples', 'collector-policy.json'))).toBe(true);
  });
});
