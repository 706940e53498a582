// End-to-end in a pseudo-terminal: tmux drives the real built binary through a guided diagnosis from a snapshot, saving the patch.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, NODE, assertBuilt } from './helpers.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `s3doctor-e2e-${process.pid}`;
const session = 'assistant';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', session);
}

async function waitFor(text: string | RegExp, timeoutMs = 20000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    last = screen();
    if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${String(text)}; the screen shows:\n${last}`);
}

function keys(...k: string[]): void {
  tmux('send-keys', '-t', session, ...k);
}

function type(text: string): void {
  tmux('send-keys', '-t', session, '-l', text);
}

describe.skipIf(!hasTmux)('the assistant on a terminal (tmux)', () => {
  afterAll(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  });

  it('picks a file, a snapshot, shows the cause and the fix, and saves the patch', async () => {
    assertBuilt();
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-tmux-'));
    const cmd = [
      `cd '${dir}'`,
      `env -u CI NO_COLOR=1 AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent '${NODE}' '${BIN}'`,
      'echo "EXIT=$?"',
      'sleep 60',
    ].join('; ');
    tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', session, cmd);

    await waitFor('How do you want to give the denied request?');
    keys('Down', 'Enter'); // Pick a file
    await waitFor('File or folder:');
    type(join(FIXTURES, 'https.log'));
    keys('Enter');
    await waitFor('Where should the evidence');
    keys('Down', 'Enter'); // A snapshot file
    await waitFor('Snapshot file:');
    type(join(FIXTURES, 'snapshot-no-allow.json'));
    keys('Enter');

    const result = await waitFor('What next?');
    expect(result).toContain('missing-allow-identity-policy (certain)');
    expect(result).toContain('verified: the request is allowed after this change');
    expect(result).toContain('+      "Action": "s3:GetObject",');
    keys('Enter'); // Save the patch (the first action)
    const saved = await waitFor('Patch saved to');
    expect(saved).toContain(join(dir, 's3doctor-patch-111122223333-role-app-s3doctor-reports-bucket.json'));
    await waitFor(/What next\?[\s\S]*What next\?/);
    keys('Up', 'Enter'); // Done (the list wraps to its last entry)
    await waitFor('EXIT=0');

    expect(await readdir(dir)).toEqual(['s3doctor-patch-111122223333-role-app-s3doctor-reports-bucket.json']);
    const doc = JSON.parse(
      await readFile(join(dir, 's3doctor-patch-111122223333-role-app-s3doctor-reports-bucket.json'), 'utf8'),
    );
    expect(doc.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::reports-bucket/finance/2026/q3.csv',
    });
    expect(existsSync(join(dir, 's3doctor-report.md'))).toBe(false);
  }, 60000);
});
