// End-to-end: output piped into a reader that goes away (`s3doctor simulate --help | head -1`) ends quietly, without an EPIPE stack.

import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assertBuilt, baseEnv, BIN, FIXTURES, ROOT } from './helpers.js';

/** Runs the CLI with its stdout's reading end closed before it writes; resolves with exit code and stderr. */
function runIntoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: baseEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone, as `| head -1` once it has its line
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a closed stdout pipe', () => {
  assertBuilt();
  const commands = [
    [],
    ['diagnose'],
    ['triage'],
    ['simulate'],
    ['collect'],
    ['rules'],
    ['athena'],
    ['logging'],
    ['test'],
    ['alerts'],
  ];
  for (const cmd of commands) {
    it(`s3doctor ${[...cmd, '--help'].join(' ')} | head -1: exit 0, no EPIPE`, async () => {
      const r = await runIntoClosedPipe([...cmd, '--help']);
      expect(r.stderr).not.toMatch(/EPIPE|internal error|node:events/);
      expect(r.code).toBe(0);
    });
  }

  it('a report piped into a reader that left: no EPIPE stack', async () => {
    const r = await runIntoClosedPipe(['diagnose', `${FIXTURES}/access.log`, '--format', 'json']);
    expect(r.stderr).not.toMatch(/EPIPE|internal error|node:events/);
    expect(r.code).toBe(0);
  });
});
