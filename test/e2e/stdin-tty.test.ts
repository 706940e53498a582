// End-to-end: reading stdin on a terminal says so on stderr ("reading stdin, end with Ctrl-D"); a pipe gets no such line.

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, baseEnv, BIN, FIXTURES, ROOT, runCli } from './helpers.js';

const HINT = 'reading stdin, end with Ctrl-D';
/** util-linux `script` runs a command on a pseudo-terminal; the piped input reaches it, then end of input. */
const hasScript = spawnSync('script', ['-V']).status === 0;

function onTerminal(args: string[], input: string): string {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', quoted, '/dev/null'], {
    cwd: ROOT,
    env: baseEnv(),
    input,
    encoding: 'utf8',
    timeout: 20000,
  });
  return r.stdout;
}

describe('stdin', () => {
  assertBuilt();
  const log = `${FIXTURES}/access.log`;
  const out = join(mkdtempSync(join(tmpdir(), 's3d-stdin-')), 'snap.json');
  const cases: [string, string[]][] = [
    ['diagnose -', ['diagnose', '-', '--no-interactive']],
    ['triage -', ['triage', '-']],
    ['collect -', ['collect', '-', '--out', out]],
    ['simulate --request -', ['simulate', '--request', '-', '--snapshot', `${FIXTURES}/snapshot.json`]],
  ];
  for (const [name, args] of cases) {
    it.skipIf(!hasScript)(`${name} on a terminal says it reads stdin until Ctrl-D`, () => {
      expect(onTerminal(args, '')).toContain(HINT);
    });
  }

  it('piped stdin: no hint', async () => {
    const { readFileSync } = await import('node:fs');
    const r = await runCli(['diagnose', '-'], { input: readFileSync(log, 'utf8') });
    expect(r.stderr).not.toContain(HINT);
    expect(r.stdout).toContain('denied request');
  });
});
