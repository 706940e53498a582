// Fuzz over every input format and output: generated hostile fields (control characters, OSC 52, raw HTML, shell
// metacharacters, secrets in every encoding) in access logs, CloudTrail JSON and .gz, pasted error text, snapshots and
// simulate requests, through the built CLI's diagnose, triage and simulate in text, markdown, json, ndjson and --out.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { marked } from 'marked';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSimulateRequest } from '../../src/authz/index.js';
import { parseAccessLogLine } from '../../src/logs/access-log.js';
import { cloudTrailEventToRecord } from '../../src/logs/cloudtrail.js';
import { parseErrorText } from '../../src/logs/error-text.js';
import { assertBuilt, runCli } from '../e2e/helpers.js';
import { countWork } from './work.js';

const enc = encodeURIComponent;
const chars = (alphabet: string, n: number) =>
  fc.array(fc.constantFrom(...alphabet.split('')), { minLength: n, maxLength: n }).map((a) => a.join(''));

/** Credentials as AWS issues them. */
const secretsArb = fc.record({
  akid: fc
    .tuple(fc.constantFrom('AKIA', 'ASIA'), chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16))
    .map(([p, s]) => p + s),
  secret: chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 40),
  token: chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 100).map(
    (s) => 'IQoJb3JpZ2luX2Vj' + s,
  ),
  signature: chars('0123456789abcdef', 64),
});
type Secrets = typeof secretsArb extends fc.Arbitrary<infer T> ? T : never;

/** What an attacker puts in a field: terminal escapes, HTML, shell syntax, and plain filler. */
const piece = fc.oneof(
  fc.constantFrom(
    '\u001b]52;c;ZXZpbA==\u0007', // OSC 52: write the clipboard
    '\u001b]0;pwned\u0007', // retitle the terminal
    '\u001b[2J\u001b[H', // clear the screen
    '\u009b31m', // C1 CSI
    '\u0085', // C1 NEL
    '\r',
    '\u0008\u0008',
    '\u0000',
    '\u007f',
    '<img src=x onerror=alert(1)>',
    '<script>alert(1)</script>',
    '<svg onload=alert(1)>',
    '$(touch PWNED1)',
    '`touch PWNED2`',
    ';touch PWNED3;',
    '|touch PWNED4',
    '&& touch PWNED5',
    "'$(touch PWNED6)'",
    '"$(touch PWNED7)"',
    '\\',
    '${IFS}',
    '*',
    '~',
    ' ',
    '\t',
    '\n',
    '\n::stop-commands::pwned\n', // a GitHub workflow command on a line of its own
    '\r\n::add-mask::x\r\n',
    '#',
    '!',
  ),
  fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), maxLength: 4 }),
  fc.constantFrom('a', 'report', '2026/', 'x.csv', '%', '%25', '[]', '{}', 'é', '日本'),
);
const hostile = fc.array(piece, { minLength: 1, maxLength: 8 }).map((a) => a.join(''));

/** One generated case: hostile key, user agent, referrer and session-name suffix, and a set of credentials. */
const caseArb = fc.record({
  key: hostile,
  agent: hostile,
  referrer: hostile,
  session: hostile,
  secrets: secretsArb,
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

const N = 6;
const CASES: Case[] = fc.sample(caseArb, { numRuns: N });

/** Every key is made unique and recognisable (`Qn` in front); a key carries no NUL (S3 keys cannot). */
const keyOf = (c: Case, i: number) => `Q${i}Q/${c.key.replace(/\0/g, '')}`;

function presigned(s: Secrets): string {
  return `https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${s.akid}%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=${enc(s.token)}&X-Amz-Signature=${s.signature}`;
}

/** A secret in each encoding and form: plain, once and twice percent-encoded, presigned-URL query, space-separated. */
function secretForms(s: Secrets): string {
  return [
    `once=${enc(presigned(s))}`,
    `twice=${enc(enc(presigned(s)))}`,
    `aws configure set aws_secret_access_key ${s.secret}`,
    `--secret-access-key ${s.secret}`,
    `Secret Access Key: ${s.secret}`,
    `AWS_SESSION_TOKEN=${s.token}`,
  ].join(' ');
}

/** Every spelling that would give a secret away. */
function spellings(s: Secrets): string[] {
  const out: string[] = [];
  for (const v of [s.akid, s.secret, s.token.slice(0, 40), s.signature])
    out.push(v, enc(v), enc(enc(v)), JSON.stringify(v).slice(1, -1).replace(/\//g, '\\/'));
  return [...new Set(out)];
}

/** Percent-encodes everything but unreserved characters and `/` (as S3 writes keys in its log). */
const logEnc = (s: string) => enc(s).replace(/%2F/g, '/');
/** A quoted access-log field: the log escapes `"` and `\` (and S3 hex-escapes control bytes). */
const quoted = (s: string) =>
  // eslint-disable-next-line no-control-regex
  `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;

function accessLogLine(c: Case, i: number): string {
  const key = keyOf(c, i);
  const session = enc(`s${i}${c.session}`.slice(0, 64));
  return [
    '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be reports-bucket [06/Feb/2026:00:00:38 +0000] 192.0.2.3',
    `arn:aws:sts::111122223333:assumed-role/app/${session} REQ${i} REST.GET.OBJECT ${logEnc(key)}`,
    `"GET /reports-bucket/${logEnc(key)}?${presigned(c.secrets).split('?')[1]!} HTTP/1.1" 403 AccessDenied 243 - 42 -`,
    `${quoted(`${c.referrer} ${secretForms(c.secrets)}`)} ${quoted(`aws-cli/2.15.0 ${c.agent} ${secretForms(c.secrets)}`)}`,
    '- hostid= SigV4 - QueryString reports-bucket.s3.us-east-1.amazonaws.com TLSv1.2 - -',
  ].join(' ');
}

function cloudTrailEvent(c: Case, i: number): Record<string, unknown> {
  const key = keyOf(c, i);
  const arn = `arn:aws:sts::111122223333:assumed-role/app/t${i}${c.session}`;
  return {
    eventVersion: '1.10',
    userIdentity: { type: 'AssumedRole', arn, accountId: '111122223333', accessKeyId: c.secrets.akid },
    eventTime: '2026-11-24T10:20:11Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: `${c.agent} ${secretForms(c.secrets)}`,
    errorCode: 'AccessDenied',
    errorMessage: `User: ${arn} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::reports-bucket/${key}" because no identity-based policy allows the s3:GetObject action`,
    requestParameters: {
      bucketName: 'reports-bucket',
      Host: 'reports-bucket.s3.us-east-1.amazonaws.com',
      key,
    },
    additionalEventData: {
      SignatureVersion: 'SigV4',
      note: secretForms(c.secrets),
      url: enc(presigned(c.secrets)),
    },
    requestID: `CT${i}`,
    eventID: `00000000-0000-4000-8000-00000000000${i}`,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  };
}

function errorText(c: Case, i: number): string {
  return [
    `$ aws s3 cp "${presigned(c.secrets)}" ./x ${c.agent}`,
    secretForms(c.secrets),
    `An error occurred (AccessDenied) when calling the GetObject operation: Access Denied ${c.referrer.replace(/\n/g, ' ')}`,
    `<Error><Code>AccessDenied</Code><Message>Access Denied</Message><Key>${keyOf(c, i).replace(/[<&]/g, (x) => (x === '<' ? '&lt;' : '&amp;'))}</Key><SignatureProvided>${c.secrets.signature}</SignatureProvided><AWSAccessKeyId>${c.secrets.akid}</AWSAccessKeyId></Error>`,
  ].join('\n');
}

/** A snapshot whose policy names, Sids and object keys are hostile too. */
function snapshot(cases: Case[]): unknown {
  const objects: Record<string, unknown> = {};
  cases.forEach((c, i) => (objects[keyOf(c, i)] = { owner: '111122223333', storageClass: 'STANDARD' }));
  return {
    schemaVersion: 1,
    principals: {
      'arn:aws:iam::111122223333:role/app': {
        policies: cases.map((c, i) => ({
          name: `p${i}${c.agent}`.slice(0, 128),
          kind: 'inline',
          document: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: `S${i}`,
                Effect: 'Deny',
                Action: 's3:GetObject',
                Resource: `arn:aws:s3:::reports-bucket/${keyOf(c, i)}`,
              },
            ],
          },
        })),
      },
    },
    buckets: { 'reports-bucket': { accountId: '111122223333', region: 'us-east-1', objects } },
  };
}

function simulateRequest(c: Case, i: number): unknown {
  return {
    principal: 'arn:aws:sts::111122223333:assumed-role/app/s1',
    action: 's3:GetObject',
    resource: `arn:aws:s3:::reports-bucket/${keyOf(c, i)}`,
    context: { 'aws:UserAgent': `${c.agent} ${secretForms(c.secrets)}`, 'aws:Referer': c.referrer },
  };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** What each run printed, by `command format`. */
const outputs: Record<string, { text: string; format: string }> = {};
let dir = '';

beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 's3doctor-fuzz-'));
  const inputs = join(dir, 'in');
  mkdirSync(inputs);
  writeFileSync(join(inputs, 'access.log'), CASES.map(accessLogLine).join('\n') + '\n');
  writeFileSync(
    join(inputs, 'trail.json'),
    JSON.stringify({ Records: CASES.map(cloudTrailEvent).slice(0, 3) }),
  );
  writeFileSync(
    join(inputs, 'trail.json.gz'),
    gzipSync(JSON.stringify({ Records: CASES.map(cloudTrailEvent).slice(3) })),
  );
  CASES.forEach((c, i) => writeFileSync(join(inputs, `pasted-${i}.txt`), errorText(c, i)));
  writeFileSync(join(dir, 'snapshot.json'), JSON.stringify(snapshot(CASES)));
  CASES.forEach((c, i) =>
    writeFileSync(join(dir, `request-${i}.json`), JSON.stringify(simulateRequest(c, i))),
  );
  const jobs: [string, string, string[]][] = [];
  for (const format of ['text', 'markdown', 'json', 'ndjson']) {
    jobs.push([`diagnose ${format}`, format, ['diagnose', inputs, '--format', format]]);
    jobs.push([
      `diagnose+snapshot ${format}`,
      format,
      ['diagnose', inputs, '--snapshot', join(dir, 'snapshot.json'), '--format', format],
    ]);
    jobs.push([`triage ${format}`, format, ['triage', inputs, '--format', format]]);
    if (format !== 'ndjson')
      jobs.push([
        `simulate ${format}`,
        format,
        [
          'simulate',
          '--request',
          join(dir, 'request-0.json'),
          '--snapshot',
          join(dir, 'snapshot.json'),
          '--format',
          format,
        ],
      ]); // simulate has no ndjson
  }
  // The machine-read formats: SARIF (JSON), GitHub workflow commands, and triage's HTML page.
  for (const format of ['sarif', 'github']) {
    jobs.push([
      `diagnose+snapshot ${format}`,
      format,
      ['diagnose', inputs, '--snapshot', join(dir, 'snapshot.json'), '--format', format],
    ]);
    jobs.push([`triage ${format}`, format, ['triage', inputs, '--format', format]]);
  }
  jobs.push([
    'triage+snapshot html',
    'html',
    ['triage', inputs, '--snapshot', join(dir, 'snapshot.json'), '--format', 'html'],
  ]);
  for (const [name, cmd] of [
    ['diagnose', ['diagnose', inputs]],
    ['triage', ['triage', inputs]],
    [
      'simulate',
      ['simulate', '--request', join(dir, 'request-1.json'), '--snapshot', join(dir, 'snapshot.json')],
    ],
  ] as const)
    jobs.push([`${name} --out`, 'text', [...cmd, '--out', join(dir, `${name}.out`)]]);
  // Two at a time: the machine is shared.
  for (let at = 0; at < jobs.length; at += 2)
    await Promise.all(
      jobs.slice(at, at + 2).map(async ([name, format, args]) => {
        const r = await runCli(args, { cwd: dir, timeoutMs: 60_000 });
        if (r.code !== 0 && r.code !== 1) throw new Error(`${name} exited ${r.code}: ${r.stderr}`);
        let text = r.stdout + r.stderr;
        if (name.endsWith('--out')) text += readFileSync(join(dir, `${name.split(' ')[0]!}.out`), 'utf8');
        outputs[name] = { text, format };
        if (process.env.S3DOCTOR_FUZZ_KEEP)
          writeFileSync(join(dir, `${name.replace(/\W+/g, '_')}.txt`), text);
      }),
    );
}, 600_000);

describe(`fuzz: ${N} generated hostile cases in every input format, through every command and output`, () => {
  it('the hostile values reached the reports (the inputs were read)', () => {
    expect(Object.keys(outputs).length).toBe(23);
    expect(outputs['diagnose json']!.text).toContain('Q0Q/');
    expect(outputs['triage text']!.text).toContain('reports-bucket');
    expect(outputs['simulate text']!.text).toContain('Q0Q/');
  });

  it('no control character reaches text, markdown or an --out file', () => {
    const bad: string[] = [];
    for (const [name, { text, format }] of Object.entries(outputs)) {
      if (format !== 'text' && format !== 'markdown') continue;
      const m = CONTROL.exec(text);
      if (m) bad.push(`${name}: ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 10))}`);
    }
    expect(bad).toEqual([]);
  });

  it('JSON, NDJSON and SARIF outputs spell control characters as escapes', () => {
    for (const [name, { text, format }] of Object.entries(outputs))
      if (format === 'json' || format === 'ndjson' || format === 'sarif')
        expect(text, name).not.toMatch(CONTROL);
  });

  it('GitHub workflow commands: no control character, and every line starting with :: is an annotation s3doctor wrote', () => {
    // https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions: a line that starts with
    // "::" is a command to the runner (::add-mask::, ::stop-commands::, ...); a value's line break must not start one.
    for (const [name, { text, format }] of Object.entries(outputs)) {
      if (format !== 'github') continue;
      expect(text, name).not.toMatch(CONTROL);
      const commands = text.split('\n').filter((l) => l.startsWith('::'));
      expect(commands.length, name).toBeGreaterThan(0);
      for (const l of commands)
        expect(l, name).toMatch(/^::(error|warning|notice)( [^:]*)?::|^::(group::|endgroup::)/);
    }
  });

  it('the triage HTML page holds no element from the input (its text is escaped: &#60;img ...)', () => {
    const { text } = outputs['triage+snapshot html']!;
    expect(text).toContain('<svg id="timeline"');
    // A handler (onerror=, onload=) only runs inside a raw tag, and every raw tag the input holds starts so.
    expect(text).not.toMatch(/<img\b|<script>alert|<svg onload/i);
  });

  it('markdown rendered by marked holds no HTML element from the input', () => {
    for (const [name, { text, format }] of Object.entries(outputs)) {
      if (format !== 'markdown') continue;
      const html = marked.parse(text, { async: false });
      expect(html, name).not.toMatch(/<(img|script|svg)\b/i);
    }
  });

  it('no secret appears in any output, in any spelling', () => {
    const leaks: string[] = [];
    for (const [name, { text }] of Object.entries(outputs))
      CASES.forEach((c, i) => {
        for (const v of spellings(c.secrets)) {
          const at = text.indexOf(v);
          if (at >= 0)
            leaks.push(
              `${name}: case ${i}: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + v.length))}`,
            );
        }
      });
    expect(leaks).toEqual([]);
  });

  it('every printed command, run by bash with stub aws and s3doctor first on PATH, creates no file and gets each hostile key as one argument', () => {
    // What a user copies: the text report's lines, and the rendered Markdown's text (tags dropped, entities read).
    const unescape = (h: string) =>
      h
        .replace(/<[^>]*>/g, '')
        .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    const commands = new Set<string>();
    for (const { text, format } of Object.values(outputs)) {
      if (format !== 'text' && format !== 'markdown') continue;
      const shown = format === 'markdown' ? unescape(marked.parse(text, { async: false })) : text;
      for (const m of shown.matchAll(
        /(?:^|: )((?:aws|s3doctor) [^\n]*?)(?= \((?:or|credentials|run from)\b|$)/gm,
      ))
        commands.add(m[1]!);
    }
    expect([...commands].some((c) => c.includes('head-object'))).toBe(true);
    const run = mkdtempSync(join(tmpdir(), 's3doctor-fuzz-paste-'));
    const bin = join(run, 'bin');
    const record = join(run, 'argv.rec');
    mkdirSync(bin);
    // A stub records its argument count and each argument NUL-terminated (bash cannot pass a NUL): exact bytes.
    for (const name of ['aws', 's3doctor']) {
      writeFileSync(
        join(bin, name),
        `#!/bin/bash\n{ printf '%d\\0' "$#"; printf '%s\\0' "$@"; } >> ${JSON.stringify(record)}\n`,
      );
      chmodSync(join(bin, name), 0o755);
    }
    const work = join(run, 'cwd');
    mkdirSync(work);
    // One shell runs every command, each on its own line, as a user pasting them would.
    execFileSync('bash', ['--noprofile', '--norc', '-c', [...commands].join('\n')], {
      cwd: work,
      env: { PATH: `${bin}:${process.env.PATH}` },
      stdio: 'pipe',
    });
    // The only files: the backups the printed fixes write by design (`> s3doctor-backup-NAME.json`, a name
    // made of safe characters); nothing a hostile value's `touch` or redirection created.
    const made = readdirSync(work);
    expect(made.filter((f) => !/^s3doctor-backup-[A-Za-z0-9._-]+\.json$/.test(f))).toEqual([]);
    expect(readdirSync(run).sort()).toEqual(['argv.rec', 'bin', 'cwd']);
    const fields = readFileSync(record, 'utf8').split('\0');
    const argvs: string[][] = [];
    for (let at = 0; at < fields.length - 1;) {
      const n = Number(fields[at]);
      argvs.push(fields.slice(at + 1, at + 1 + n));
      at += 1 + n;
    }
    expect(argvs.length).toBe(commands.size);
    const keys = CASES.map(keyOf);
    const seen = new Set<string>();
    for (const argv of argvs)
      for (const a of argv) {
        const m = /Q(\d+)Q\//.exec(a);
        if (!m) continue;
        const key = keys[Number(m[1])]!;
        // The argument is the key itself, or the key inside an ARN or path: never a piece of it.
        expect(a.includes(key), JSON.stringify(a)).toBe(true);
        if (argv[argv.indexOf(a) - 1] === '--key') seen.add(key);
      }
    expect(seen.size).toBeGreaterThan(0);
  });

  it('parsing these inputs does linear work: at most 64 counted steps per input character', () => {
    CASES.forEach((c, i) => {
      const line = accessLogLine(c, i);
      expect(countWork(() => parseAccessLogLine(line, 'x', 1)).work).toBeLessThanOrEqual(64 * line.length);
      const ev = cloudTrailEvent(c, i);
      const size = JSON.stringify(ev).length;
      expect(
        countWork(() => cloudTrailEventToRecord(ev, { source: 'x' }, 'cloudtrail-event')).work,
      ).toBeLessThanOrEqual(64 * size);
      const text = errorText(c, i);
      expect(countWork(() => parseErrorText(text, 'x')).work).toBeLessThanOrEqual(64 * text.length);
    });
  });
});

describe('a simulate request whose key holds a line break (S3 keys may; the access log shows it as %0A)', () => {
  it('is read, with the key whole', () => {
    const key = 'a\r\nb\u001b[2J.csv';
    const req = parseSimulateRequest({
      principal: 'arn:aws:iam::111122223333:user/alice',
      action: 's3:GetObject',
      resource: `arn:aws:s3:::reports-bucket/${key}`,
    });
    expect(req.s3.key).toBe(key);
  });
});
