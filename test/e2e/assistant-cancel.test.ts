// End-to-end in a pseudo-terminal (tmux): cancelling the assistant (Ctrl-C or Ctrl-D at a prompt, at the paste prompt, in a spinner) exits 130 with one line, and a paste is read to its explicit end.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, NODE, assertBuilt } from './helpers.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `s3doctor-e2e-cancel-${process.pid}`;
let sessions = 0;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

/** A terminal running the assistant (with `env` added), then `EXIT=<code>`. */
async function assistant(env: Record<string, string> = {}): Promise<Terminal> {
  assertBuilt();
  const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-cancel-'));
  const name = `a${(sessions += 1)}`;
  const vars = Object.entries(env)
    .map(([k, v]) => `${k}='${v}'`)
    .join(' ');
  const cmd = [
    `cd '${dir}'`,
    `env -u CI -u AWS_PROFILE NO_COLOR=1 AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent ${vars} '${NODE}' '${BIN}'`,
    'echo "EXIT=$?"',
    'sleep 60',
  ].join('; ');
  tmux('new-session', '-d', '-x', '150', '-y', '50', '-s', name, cmd);
  return new Terminal(name);
}

class Terminal {
  constructor(readonly name: string) {}

  screen(): string {
    return tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', this.name);
  }

  async waitFor(text: string | RegExp, timeoutMs = 25000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < until) {
      last = this.screen();
      if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`timed out waiting for ${String(text)}; the screen shows:\n${last}`);
  }

  keys(...k: string[]): void {
    tmux('send-keys', '-t', this.name, ...k);
  }

  type(text: string): void {
    tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** What the program printed after `marker`'s last occurrence, up to `EXIT=`, as non-empty lines. */
  async exit(marker: string): Promise<{ code: number; after: string[] }> {
    const s = await this.waitFor(/EXIT=\d+/);
    const code = Number(/EXIT=(\d+)/.exec(s)![1]);
    const tail = s.slice(s.lastIndexOf(marker) + marker.length, s.indexOf('EXIT='));
    const lines = tail.split('\n').filter((l) => l.trim() !== '');
    // The terminal's own echo of Ctrl-C (^C) and what is left of the last prompt are not the program's lines.
    return {
      code,
      after: lines
        .filter((l) => !/^\s*(❯|↑↓|\s{2}\S)/.test(l))
        .map((l) => l.replace(/^\^C/, ''))
        .filter((l) => l.trim() !== ''),
    };
  }
}

const PASTE_PROMPT = 'Paste it below, then press Enter twice on empty lines (or Ctrl-D):';
const FIRST = 'How do you want to give the denied request?';

/**
 * Answers the questions a pasted error that names no bucket raises (bucket, key, caller), then waits
 * for the evidence question.
 */
async function answerParts(t: Terminal): Promise<void> {
  t.type('reports-bucket');
  t.keys('Enter');
  await t.waitFor('? Object key:');
  t.type('2026/q3.csv');
  t.keys('Enter');
  await t.waitFor('Who made the request');
  t.keys('Enter'); // anonymous (the default)
  await t.waitFor('Where should the evidence');
}

describe.skipIf(!hasTmux)('cancelling the assistant (tmux)', () => {
  const servers: Server[] = [];
  afterAll(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    for (const s of servers) s.close();
  });

  it('Ctrl-C at a choice prompt: exit 130 and one line', async () => {
    const t = await assistant();
    await t.waitFor(FIRST);
    t.keys('C-c');
    const { code, after } = await t.exit('select');
    expect(code).toBe(130);
    expect(after).toEqual(['s3doctor: Cancelled: nothing was changed.']);
  }, 60000);

  it('Ctrl-D at the paste prompt before anything was pasted: exit 130 and one line, never 0', async () => {
    const t = await assistant();
    await t.waitFor(FIRST);
    t.keys('Enter');
    await t.waitFor(PASTE_PROMPT);
    t.keys('C-d');
    const { code, after } = await t.exit(PASTE_PROMPT);
    expect(code).toBe(130);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(/^s3doctor: Cancelled\b.*nothing was changed\.$/);
  }, 60000);

  it('Ctrl-C at the paste prompt: exit 130 and one line', async () => {
    const t = await assistant();
    await t.waitFor(FIRST);
    t.keys('Enter');
    await t.waitFor(PASTE_PROMPT);
    t.type('half a line');
    t.keys('C-c');
    const { code, after } = await t.exit('half a line');
    expect(code).toBe(130);
    expect(after).toEqual(['s3doctor: cancelled (Ctrl-C).']);
  }, 60000);

  it('a paste with a blank line is read to two empty lines; keys pressed after it do not answer the next prompt', async () => {
    const t = await assistant();
    await t.waitFor(FIRST);
    t.keys('Enter');
    await t.waitFor(PASTE_PROMPT);
    t.type('Traceback (most recent call last):');
    t.keys('Enter');
    t.type('  File "app.py", line 3, in <module>');
    t.keys('Enter', 'Enter'); // one blank line inside the paste, as in every boto3 traceback
    t.type(
      'botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: Access Denied',
    );
    // The end (two empty lines), then a third Enter straight after: the tail of the same paste.
    t.keys('Enter', 'Enter', 'Enter', 'Enter');
    // The error names no bucket, so the next prompt asks for it.
    await t.waitFor('? Bucket:');
    await new Promise((r) => setTimeout(r, 1500));
    const s = t.screen();
    // The next prompt is still waiting: the extra Enter was drained, not taken as an (empty) answer.
    expect(s).not.toContain('Give the bucket name');
    expect(s).not.toContain('✔ Bucket:');
    await answerParts(t);
    // The whole traceback was taken: the last line (after the blank one) is what names the error.
    t.keys('Down', 'Down', 'Enter'); // None: explain from the request alone
    const r = await t.waitFor('What next?');
    expect(r).toContain('(pasted):4  GetObject');
    t.keys('C-c');
    expect((await t.exit('What next?')).code).toBe(130);
  }, 60000);

  it('Ctrl-D ends a paste that has text (the text is used); Ctrl-C at the next prompt exits 130', async () => {
    const t = await assistant();
    await t.waitFor(FIRST);
    t.keys('Enter');
    await t.waitFor(PASTE_PROMPT);
    t.type('An error occurred (AccessDenied) when calling the PutObject operation: Access Denied');
    t.keys('Enter', 'C-d');
    await t.waitFor('? Bucket:');
    // The prompts after it still read the terminal (stdin ended with Ctrl-D; s3doctor once exited 0 here).
    await new Promise((r) => setTimeout(r, 1000));
    await answerParts(t);
    t.keys('Down', 'Down', 'Enter'); // None: explain from the request alone
    const r = await t.waitFor('What next?');
    expect(r).toContain('(pasted):1  PutObject');
    t.keys('C-c');
    const { code, after } = await t.exit('What next?');
    expect(code).toBe(130);
    expect(after.filter((l) => l.startsWith('s3doctor:'))).toEqual([
      's3doctor: Cancelled: nothing was changed.',
    ]);
  }, 60000);

  it('Ctrl-C while a spinner waits for AWS: exit 130 and one line', async () => {
    // An endpoint that accepts connections and never answers: the live read waits under its spinner.
    const sockets: Socket[] = [];
    const server = createServer((s) => void sockets.push(s));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const t = await assistant({
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    });
    await t.waitFor(FIRST);
    t.keys('Enter');
    await t.waitFor(PASTE_PROMPT);
    t.type(
      '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be reports-bucket [24/Nov/2026:10:15:02 +0000] 203.0.113.7 arn:aws:sts::111122223333:assumed-role/reports-app/i-0a1b2c3d4e5f 3E57427F3EXAMPLE REST.GET.OBJECT 2026/q3.csv "GET /reports-bucket/2026/q3.csv HTTP/1.1" 403 AccessDenied 243 - 8 - "-" "aws-cli/2.15.0" - SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader reports-bucket.s3.us-east-1.amazonaws.com TLSv1.2 - -',
    );
    t.keys('Enter', 'Enter', 'Enter');
    await t.waitFor('Where should the evidence');
    t.keys('Enter'); // Live from AWS
    // Whatever it asks before reading (a profile), take the default; then the spinner waits.
    const s = await t.waitFor(/Profile|profile|Reading|Collecting|…|\.\.\./);
    if (/\? [^\n]*[Pp]rofile/.test(s)) t.keys('Enter');
    await new Promise((r) => setTimeout(r, 2500));
    t.keys('C-c');
    const { code, after } = await t.exit('Where should the evidence');
    expect(code).toBe(130);
    expect(after.filter((l) => l.includes('s3doctor:'))).toHaveLength(1);
    expect(after.join('\n')).not.toMatch(/\n\s+at /);
    for (const s of sockets) s.destroy();
  }, 60000);
});
