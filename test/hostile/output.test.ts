// Hostile log fields end to end: printed commands run nothing when pasted, terminals get no control sequences,
// Markdown renders no HTML from the input, and secrets in any encoding are never printed.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { marked } from 'marked';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../e2e/helpers.js';

const KEY = '2026/report$(touch pwned1)`touch pwned2`;touch pwned3 <img src=x onerror=alert(1)>.csv';
const SESSION = "s1$(touch pwned4)'x";
const AKID = 'AKIAIOSFODNN7EXAMPLE';
const SIG = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const TOKEN = 'IQoJb3JpZ2luX2VjEJrSecretSessionTokenValue0123456789';
const ESCAPES = '\u001b]0;pwned\u0007\u001b[2J\u001b]52;c;ZXZpbA==\u0007\u009b31m';

function encodeKey(k: string): string {
  return encodeURIComponent(k).replace(/%2F/g, '/');
}

/** One access-log line whose key, requester, referrer and user agent were chosen by the requester. */
function hostileLine(): string {
  const presigned = `https://b.s3.amazonaws.com/k?X-Amz-Credential=${AKID}%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=${encodeURIComponent(TOKEN)}&X-Amz-Signature=${SIG}`;
  const referrer = `https://x.example/?once=${encodeURIComponent(presigned)}&twice=${encodeURIComponent(encodeURIComponent(presigned))}`;
  const uri = `/reports-bucket/${encodeKey(KEY)}`;
  return [
    '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be reports-bucket [06/Feb/2026:00:00:38 +0000] 192.0.2.3',
    `arn:aws:sts::111122223333:assumed-role/app/${encodeURIComponent(SESSION)}`,
    `3E57427F3EXAMPLE REST.GET.OBJECT ${encodeKey(KEY)} "GET ${uri} HTTP/1.1" 403 AccessDenied 243 - 42 -`,
    `"${referrer}" "aws-cli/2.15.0 ${ESCAPES}" - hostid= SigV4 - AuthHeader s3.us-east-1.amazonaws.com - - -`,
  ].join(' ');
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let dir: string;
const out: Record<string, string> = {};

beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 's3doctor-hostile-'));
  writeFileSync(join(dir, 'hostile.log'), hostileLine() + '\n');
  for (const format of ['text', 'markdown', 'json']) {
    const d = await runCli(['diagnose', join(dir, 'hostile.log'), '--format', format], { cwd: dir });
    out[`diagnose-${format}`] = d.stdout + d.stderr;
    const t = await runCli(['triage', join(dir, 'hostile.log'), '--format', format], { cwd: dir });
    out[`triage-${format}`] = t.stdout + t.stderr;
  }
  const o = await runCli(['diagnose', join(dir, 'hostile.log'), '--out', join(dir, 'report.txt')], {
    cwd: dir,
  });
  out['diagnose-out-file'] = readFileSync(join(dir, 'report.txt'), 'utf8') + o.stderr;
}, 120_000);

describe('hostile access-log fields', () => {
  it('the report shows the request (the fields reached every output)', () => {
    expect(out['diagnose-text']).toContain('touch pwned1');
    expect(out['diagnose-json']).toContain('touch pwned1');
    expect(out['triage-text']).toContain('reports-bucket');
  });

  it('no control character reaches a terminal or an --out file (text and markdown)', () => {
    for (const k of [
      'diagnose-text',
      'diagnose-markdown',
      'triage-text',
      'triage-markdown',
      'diagnose-out-file',
    ]) {
      expect(out[k], k).not.toMatch(CONTROL);
      expect(out[k], k).not.toContain('\u009b');
    }
    // JSON spells them as escapes (still the same value when parsed).
    expect(out['diagnose-json']).not.toMatch(CONTROL);
  });

  it('no secret is printed in any format, whether the presigned URL was encoded once or twice', () => {
    for (const [k, v] of Object.entries(out)) {
      expect(v, k).not.toContain(AKID);
      expect(v, k).not.toContain(SIG);
      expect(v, k).not.toContain(TOKEN.slice(0, 24));
    }
  });

  it('Markdown renders no HTML element from the input', () => {
    for (const k of ['diagnose-markdown', 'triage-markdown']) {
      const html = marked.parse(out[k]!, { async: false });
      expect(html, k).not.toMatch(/<img/i);
    }
    expect(marked.parse(out['diagnose-markdown']!, { async: false })).toContain(
      '&lt;img src=x onerror=alert(1)&gt;',
    );
  });

  it('every printed command, pasted into bash, runs no substitution and passes the key through literally', () => {
    const text = out['diagnose-text']!;
    const commands = [
      ...text.matchAll(/(?:^|: )((?:aws|s3doctor) [^\n]*?)(?= \((?:or|credentials|run from)\b|$)/gm),
    ].map((m) => m[1]!);
    expect(commands.some((c) => c.includes('head-object'))).toBe(true);
    const run = mkdtempSync(join(tmpdir(), 's3doctor-paste-'));
    const bin = join(run, 'bin');
    execFileSync('mkdir', [bin]);
    for (const name of ['aws', 's3doctor']) {
      writeFileSync(
        join(bin, name),
        `#!/usr/bin/env node\nrequire('fs').appendFileSync(${JSON.stringify(join(run, 'argv.jsonl'))}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`,
      );
      chmodSync(join(bin, name), 0o755);
    }
    for (const c of commands)
      execFileSync('bash', ['-c', c], {
        cwd: run,
        env: { PATH: `${bin}:${process.env.PATH}` },
        stdio: 'pipe',
      });
    expect(readdirSync(run).filter((f) => f.startsWith('pwned'))).toEqual([]);
    expect(existsSync(join(run, 'pwned1'))).toBe(false);
    const argvs = readFileSync(join(run, 'argv.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[]);
    const head = argvs.find((a) => a[1] === 'head-object')!;
    expect(head[head.indexOf('--key') + 1]).toBe(KEY);
  });
});

describe('a key with a newline and control characters (%0A, %1B in the Request-URI)', () => {
  const key = 'dir/line\nbreak\u001b[2J\u0007.csv';
  let text = '';
  let markdown = '';

  beforeAll(async () => {
    const d = mkdtempSync(join(tmpdir(), 's3doctor-hostile-nl-'));
    const line = [
      '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be reports-bucket [06/Feb/2026:00:00:38 +0000] 192.0.2.3',
      'arn:aws:sts::111122223333:assumed-role/app/s1',
      `3E57427F3EXAMPLE REST.GET.OBJECT ${encodeKey(key)} "GET /reports-bucket/${encodeKey(key)} HTTP/1.1" 403 AccessDenied 243 - 42 -`,
      '"-" "aws-cli/2.15.0" - hostid= SigV4 - AuthHeader s3.us-east-1.amazonaws.com - - -',
    ].join(' ');
    writeFileSync(join(d, 'nl.log'), line + '\n');
    text = (await runCli(['diagnose', join(d, 'nl.log')], { cwd: d })).stdout;
    markdown = (await runCli(['diagnose', join(d, 'nl.log'), '--format', 'markdown'], { cwd: d })).stdout;
  }, 60_000);

  it('does not break a line of the text report: every line naming the key shows it whole, newline spelled \\u000a', () => {
    expect(text).toContain('dir/line\\u000abreak\\u001b[2J\\u0007.csv');
    expect(text.split('\n').some((l) => l.startsWith('break'))).toBe(false);
    expect(text).not.toMatch(CONTROL);
    expect(markdown).not.toMatch(CONTROL);
    expect(markdown.split('\n').some((l) => l.startsWith('break'))).toBe(false);
  });

  it('the printed head-object command, pasted into bash, names the real key (ANSI-C quoted), byte for byte', () => {
    const commands = [
      ...text.matchAll(/(?:^|: )((?:aws|s3doctor) [^\n]*?)(?= \((?:or|credentials|run from)\b|$)/gm),
    ].map((m) => m[1]!);
    const head = commands.find((c) => c.includes('head-object'));
    expect(head).toContain("--key $'dir/line\\x0abreak\\x1b[2J\\x07.csv'");
    const run = mkdtempSync(join(tmpdir(), 's3doctor-paste-nl-'));
    const bin = join(run, 'bin');
    execFileSync('mkdir', [bin]);
    // The stub prints each argument's bytes in hex: what the shell really passed.
    writeFileSync(
      join(bin, 'aws'),
      `#!/usr/bin/env node\nrequire('fs').appendFileSync(${JSON.stringify(join(run, 'argv.jsonl'))}, JSON.stringify(process.argv.slice(2).map((a) => Buffer.from(a).toString('hex'))) + '\\n');\n`,
    );
    chmodSync(join(bin, 'aws'), 0o755);
    execFileSync('bash', ['-c', head!], { cwd: run, env: { PATH: `${bin}:${process.env.PATH}` } });
    const argv = (JSON.parse(readFileSync(join(run, 'argv.jsonl'), 'utf8')) as string[]).map((h) =>
      Buffer.from(h, 'hex').toString('utf8'),
    );
    expect(argv[argv.indexOf('--key') + 1]).toBe(key);
    expect(readdirSync(run).sort()).toEqual(['argv.jsonl', 'bin']);
  });
});
