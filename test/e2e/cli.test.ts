// End-to-end: the built binary as a user runs it: every command, exit codes 0/1/2, JSON shapes, stdin, no prompts off a TTY.

import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, assertBuilt, fakeAwsEnv, runCli, startFake, type FakeAws } from './helpers.js';

const f = (name: string) => join(FIXTURES, name);
const STACK = /\n\s+at .+:\d+:\d+/;

beforeAll(() => assertBuilt());

describe('help', () => {
  it('lists every command and the exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['diagnose', 'triage', 'simulate', 'collect', 'rules'])
      expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(r.stdout).toContain('Exit codes:');
    expect(r.stdout).toContain('--https yes|no|unknown');
  });
  it('has help for each command', async () => {
    for (const c of ['diagnose', 'triage', 'simulate', 'collect', 'rules']) {
      const r = await runCli([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout).toContain(`Usage: s3doctor ${c}`);
    }
  });
});

describe('exit code 2: could not run, with one clear message', () => {
  it('rejects a bad flag value', async () => {
    const r = await runCli(['diagnose', f('access.log'), '--format', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'yaml' is invalid. Allowed choices are text, json, markdown");
  });
  it('rejects an unknown flag and an unknown command', async () => {
    expect((await runCli(['diagnose', '--frobnicate'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const r = await runCli(['diagnose', f('access.log'), '--https', 'maybe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected yes, no or unknown');
  });
  it('names an unreadable input, without a stack trace', async () => {
    const r = await runCli(['diagnose', f('no-such.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^s3doctor: .*no-such\.log/);
    expect(r.stderr).not.toMatch(STACK);
  });
  it('says what it reads when the input is binary, empty or unrecognised', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-bin-'));
    await writeFile(join(dir, 'x.bin'), Buffer.from([0, 1, 2, 0, 255, 0, 10]));
    for (const [args, input] of [
      [['diagnose', join(dir, 'x.bin')], undefined],
      [['diagnose', '-'], ''],
      [['triage', '-'], 'hello world\n'],
    ] as [string[], string | undefined][]) {
      const r = await runCli(args, input === undefined ? {} : { input });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^s3doctor: Nothing could be read from the input/);
      expect(r.stderr).toContain('S3 server access log lines');
      expect(r.stderr).not.toMatch(STACK);
    }
  });
  it('lists every problem of an invalid snapshot by path', async () => {
    const r = await runCli(['diagnose', f('access.log'), '--snapshot', f('bad-snapshot.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('buckets.b.policy.Statement[0].Effect');
    expect(r.stderr).toContain('buckets.b.objectOwnership');
    expect(r.stderr).toContain('principals.not-an-arn');
    expect(r.stderr).not.toMatch(STACK);
  });
  it('says what to do when there is no credential for --live', async () => {
    const r = await runCli(['diagnose', f('https.log'), '--live'], {
      env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' },
      timeoutMs: 30000,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/credentials/i);
    expect(r.stderr).not.toMatch(STACK);
  });
  it('does not overwrite an --out file without --force', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-out-'));
    const out = join(dir, 'report.json');
    await writeFile(out, 'keep me');
    const r = await runCli([
      'diagnose',
      f('access.log'),
      '--snapshot',
      f('snapshot.json'),
      '--format',
      'json',
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists: pass --force');
    expect(await readFile(out, 'utf8')).toBe('keep me');
    const forced = await runCli([
      'diagnose',
      f('access.log'),
      '--snapshot',
      f('snapshot.json'),
      '--format',
      'json',
      '--out',
      out,
      '--force',
    ]);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain(`Report written to ${out}`);
    expect(forced.stdout).toBe('');
    expect(JSON.parse(await readFile(out, 'utf8')).schemaVersion).toBe(1);
  });
});

describe('diagnose', () => {
  it('exits 1 from the logs alone, listing what evidence is missing', async () => {
    const r = await runCli(['diagnose', f('access.log')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('not explained with the evidence at hand');
    expect(r.stdout).toContain('buckets.reports-bucket.policy');
    expect(r.stdout).toContain('skipped');
    expect(r.stdout).not.toContain('\u001b[');
  });
  it('exits 0 with a snapshot that explains it, and prints the contract JSON', async () => {
    const r = await runCli([
      'diagnose',
      f('access.log'),
      '--snapshot',
      f('snapshot.json'),
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schemaVersion).toBe(1);
    expect(j.results).toHaveLength(2);
    const [first] = j.results;
    expect(Object.keys(first)).toEqual(
      expect.arrayContaining(['input', 'request', 'decision', 'reproduced', 'causes', 'unknowns']),
    );
    expect(first.input).toEqual({ source: f('access.log'), line: 1 });
    expect(first.request).toMatchObject({
      principal: 'arn:aws:sts::111122223333:assumed-role/app/s1',
      action: 's3:GetObject',
      errorCode: 'AccessDenied',
    });
    expect(first.decision).toBe('ExplicitDeny');
    expect(first.reproduced).toBe(true);
    expect(first.causes[0]).toMatchObject({
      code: 'explicit-deny-bucket-policy',
      confidence: 'certain',
      rule: 'bucket-policy/deny-insecure-transport',
      policy: { type: 'bucket-policy', id: 'reports-bucket', statementIndex: 0, sid: 'DenyHttp' },
      condition: { operator: 'Bool', key: 'aws:SecureTransport', requestValue: 'false' },
    });
    for (const c of first.causes)
      for (const fx of c.fixes)
        expect(['client-change', 'policy-patch', 'config-change', 'credential-refresh']).toContain(fx.kind);
    expect(j.malformed).toEqual([{ source: f('access.log'), line: 4, reason: expect.any(String) }]);
  });
  it('reads stdin for -', async () => {
    const text = await readFile(f('access.log'), 'utf8');
    const r = await runCli(['diagnose', '-', '--snapshot', f('snapshot.json'), '--format', 'json'], {
      input: text,
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.results.map((x: { input: { source: string } }) => x.input.source)).toEqual(['-', '-']);
  });
  it('reads pasted error text, and a credential error is certain from the text alone', async () => {
    const r = await runCli(['diagnose', f('expired.txt'), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0].causes[0]).toMatchObject({
      code: 'expired-credentials',
      confidence: 'certain',
    });
  });
  it('takes an answer flag that changes the verdict (--https yes on a plain-HTTP log line)', async () => {
    const before = JSON.parse(
      (await runCli(['diagnose', f('access.log'), '--snapshot', f('snapshot.json'), '--format', 'json']))
        .stdout,
    );
    const after = JSON.parse(
      (
        await runCli([
          'diagnose',
          f('access.log'),
          '--snapshot',
          f('snapshot.json'),
          '--format',
          'json',
          '--https',
          'yes',
        ])
      ).stdout,
    );
    expect(before.results[0].decision).toBe('ExplicitDeny');
    expect(after.results[0].decision).not.toBe('ExplicitDeny');
    expect(after.results[0].request.context['aws:SecureTransport']).toBe('true');
    expect(after.results[0].input).toEqual(before.results[0].input);
  });
  it('describes a request with flags instead of a log', async () => {
    const r = await runCli([
      'diagnose',
      '--principal',
      'arn:aws:iam::111122223333:role/app',
      '--operation',
      'GetObject',
      '--bucket',
      'reports-bucket',
      '--key',
      'finance/2026/q3.csv',
      '--snapshot',
      f('snapshot-no-allow.json'),
      '--format',
      'json',
    ]);
    const j = JSON.parse(r.stdout);
    expect(j.results[0].request).toMatchObject({
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::reports-bucket/finance/2026/q3.csv',
    });
    expect(j.results[0].input.source).toBe('(described)');
  });
  it('prints a runbook-ready Markdown report', async () => {
    const r = await runCli([
      'diagnose',
      f('https.log'),
      '--snapshot',
      f('snapshot-no-allow.json'),
      '--format',
      'markdown',
    ]);
    expect(r.code).toBe(0);
    for (const s of [
      '# s3doctor report',
      '### Request',
      '### Verdict',
      '### Evidence',
      '### Causes',
      '### Fixes',
      '```diff',
      '```sh',
      '### Unknowns',
    ]) {
      expect(r.stdout).toContain(s);
    }
  });
  it('saves the verified patch under the name its AWS CLI command reads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-patch-'));
    const r = await runCli(
      [
        'diagnose',
        f('https.log'),
        '--snapshot',
        f('snapshot-no-allow.json'),
        '--save-patch',
        '--format',
        'json',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const files = await readdir(dir);
    expect(files).toEqual(['s3doctor-patch-111122223333-role-app-s3doctor-reports-bucket.json']);
    const fix = JSON.parse(r.stdout).results[0].causes[0].fixes[0];
    expect(JSON.parse(await readFile(join(dir, files[0]!), 'utf8'))).toEqual(fix.patch.after);
    expect(fix.commands.join('\n')).toContain(`file://${files[0]}`);
    expect(r.stderr).toContain(`Patch saved to ${join(dir, files[0]!)}`);
  });
  it('never prints secrets from the input', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-secret-'));
    const line = (await readFile(f('access.log'), 'utf8'))
      .split('\n')[0]!
      .replace(
        'finance/2026/q3.csv HTTP/1.1',
        'finance/2026/q3.csv?X-Amz-Credential=ASIAXYZXYZXYZXYZXYZ1%2F20260206%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=deadbeefcafef00d1234567890 HTTP/1.1',
      );
    await writeFile(join(dir, 'presigned.log'), `${line}\n`);
    for (const format of ['text', 'json', 'markdown']) {
      const r = await runCli(['diagnose', join(dir, 'presigned.log'), '--format', format]);
      expect(r.stdout + r.stderr).not.toContain('deadbeefcafef00d');
      expect(r.stdout + r.stderr).not.toContain('ASIAXYZXYZXYZXYZXYZ1');
    }
  });
});

describe('diagnose: pasted error text the snapshot leaves open', () => {
  // examples/deny-http: the bucket denies requests without TLS; pasted text cannot show TLS.
  const snapshot = join(FIXTURES, '..', '..', '..', 'examples', 'deny-http', 'snapshot.json');
  const text =
    'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:sts::111122223333:assumed-role/reports-app/i-0a1b2c3d4e5f ' +
    'is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::reports-bucket/2026/q3.csv" with an explicit deny in a resource-based policy';
  it('reports the explicit deny the input proves, not "Allowed", and names what leaves it open', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-open-'));
    await writeFile(join(dir, 'error.txt'), `${text}\n`);
    const j = JSON.parse(
      (await runCli(['diagnose', join(dir, 'error.txt'), '--snapshot', snapshot, '--format', 'json'])).stdout,
    );
    expect(j.results[0].decision).toBe('ExplicitDeny');
    expect(j.results[0].reproduced).toBe(true);
    expect(j.results[0].decisionOpen).toContain('context.aws:SecureTransport');
    const t = await runCli(['diagnose', join(dir, 'error.txt'), '--snapshot', snapshot]);
    expect(t.stdout).not.toContain('would allow this request');
    expect(t.stdout).toContain('Explicit deny: the input reports the denial; the evidence leaves it open');
    expect(t.stdout).toContain('context.aws:SecureTransport');
  });
});

describe('nothing prompts or hangs off a terminal', () => {
  it('finishes with stdin an open pipe: no arguments, diagnose with open questions, --apply', async () => {
    const bare = await runCli([], { keepStdinOpen: true, timeoutMs: 10000 });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: s3doctor');
    const d = await runCli(['diagnose', f('access.log')], { keepStdinOpen: true, timeoutMs: 10000 });
    expect(d.code).toBe(1);
    expect(d.stdout).not.toContain('?');
    const a = await runCli(
      ['diagnose', f('https.log'), '--snapshot', f('snapshot-no-allow.json'), '--apply'],
      { keepStdinOpen: true, timeoutMs: 10000 },
    );
    expect(a.code).toBe(0);
    expect(a.stderr).toContain('Dry run');
  });
});

describe('triage', () => {
  it('without evidence exits 0 on denials it did not explain, as its help and the README say (a scan, not a why)', async () => {
    const r = await runCli(['triage', f('access.log'), '--format', 'json']);
    expect(JSON.parse(r.stdout).scanned.denied).toBeGreaterThan(0);
    expect(r.code).toBe(0);
    const help = (await runCli(['triage', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('Without --snapshot or --live, triage only finds, groups and counts the denials');
    expect(help).toContain('it then exits 0 unless it could not run');
    const readme = (await readFile(join(ROOT, 'README.md'), 'utf8')).replace(/\s+/g, ' ');
    expect(readme).toContain(
      '`triage` without `--snapshot` or `--live` only finds, groups and counts denials',
    );
  });

  it('groups denied entries and the counts add up to scanned.denied', async () => {
    const r = await runCli(['triage', f('access.log'), f('https.log'), '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schemaVersion).toBe(1);
    expect(j.scanned).toMatchObject({ files: 2, denied: 3 });
    expect(j.groups.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(j.scanned.denied);
    // Sessions of one role form one group (s1 in both files, s2 in access.log).
    expect(j.groups[0]).toMatchObject({
      count: 3,
      principal: 'arn:aws:sts::111122223333:assumed-role/app/*',
      action: 's3:GetObject',
      bucket: 'reports-bucket',
      keyPrefix: 'finance/',
      errorCode: 'AccessDenied',
    });
    expect(j.groups[0].firstSeen <= j.groups[0].lastSeen).toBe(true);
    expect(j.groups[0].diagnosis).toBeUndefined();
  });
  it('diagnoses each group once with a snapshot', async () => {
    const r = await runCli(['triage', f('access.log'), '--snapshot', f('snapshot.json'), '--format', 'json']);
    expect(r.code).toBe(0);
    for (const g of JSON.parse(r.stdout).groups)
      expect(g.diagnosis.causes[0].code).toBe('explicit-deny-bucket-policy');
  });
  it('keeps the first 100 malformed entries and counts them all', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-mal-'));
    const good = (await readFile(f('access.log'), 'utf8')).split('\n')[0]!;
    const cut = good.slice(0, good.indexOf('AccessDenied') + 'AccessDenied'.length);
    await writeFile(join(dir, 'mal.log'), `${Array.from({ length: 150 }, () => cut).join('\n')}\n${good}\n`);
    const r = await runCli(['triage', join(dir, 'mal.log'), '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.scanned).toMatchObject({ lines: 151, denied: 1, malformed: 150 });
    expect(j.malformed).toHaveLength(100);
    expect(j.malformed[0]).toMatchObject({ source: join(dir, 'mal.log'), line: 1 });
    expect(j.groups).toHaveLength(1);
  });
  it('prints a ranked text summary', async () => {
    const r = await runCli(['triage', f('access.log')]);
    expect(r.stdout).toMatch(/^Scanned 1 file, 4 lines/);
    expect(r.stdout).toMatch(/#1 2 +100\.0% +AccessDenied +s3:GetObject +s3:\/\/reports-bucket\/finance\//);
    expect(r.stdout).toContain('principal   arn:aws:sts::111122223333:assumed-role/app/*');
  });
});

describe('simulate', () => {
  it('prints the decision and a readable trace', async () => {
    const r = await runCli(['simulate', '--request', f('request.json'), '--snapshot', f('snapshot.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Decision: ExplicitDeny/);
    expect(r.stdout).toContain('Bool aws:SecureTransport [false] vs request false -> true');
  });
  it('prints the trace as JSON', async () => {
    const r = await runCli([
      'simulate',
      '--request',
      f('request.json'),
      '--snapshot',
      f('snapshot.json'),
      '--format',
      'json',
    ]);
    const j = JSON.parse(r.stdout);
    expect(j.$schema).toBe('urn:s3doctor:schemas/simulate.schema.json');
    expect(j.schemaVersion).toBe(1);
    expect(j.evaluation.decision).toBe('ExplicitDeny');
    expect(j.evaluation.authorizations[0].layers.length).toBeGreaterThan(0);
  });
  it('exits 2 on a request file that is not JSON', async () => {
    const r = await runCli(['simulate', '--request', f('access.log')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not JSON');
  });
});

describe('rules', () => {
  it('lists the catalogue as JSON: id, code, title', async () => {
    const r = await runCli(['rules', 'list', '--format', 'json']);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout);
    expect(rules.length).toBeGreaterThanOrEqual(31);
    for (const x of rules) expect(Object.keys(x).sort()).toEqual(['code', 'id', 'title']);
    expect((await runCli(['rules'])).stdout).toContain('bucket-policy/deny-insecure-transport');
  });
  it('shows one rule, and exits 2 for an unknown one', async () => {
    const r = await runCli(['rules', 'show', 'bucket-policy/deny-insecure-transport']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('explicit-deny-bucket-policy');
    // Text (the default) is plain: no Markdown headings, emphasis, code spans or link syntax.
    expect(r.stdout).not.toMatch(/^#|`|\*\*|\]\(/m);
    expect(r.stdout).toMatch(/^Messages\n-+$/m);
    expect(
      (await runCli(['rules', 'show', 'bucket-policy/deny-insecure-transport', '--format', 'text'])).stdout,
    ).toBe(r.stdout);
    const md = await runCli([
      'rules',
      'show',
      'bucket-policy/deny-insecure-transport',
      '--format',
      'markdown',
    ]);
    expect(md.stdout).toMatch(/^## Messages$/m);
    expect(md.stdout).toContain('`explicit-deny-bucket-policy`');
    const bad = await runCli(['rules', 'show', 'nope/nothing']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('s3doctor rules list');
  });
});

describe('against the fake AWS endpoint', () => {
  let fake: FakeAws;
  beforeAll(async () => {
    fake = await startFake({
      caller: {
        userId: 'AROAFAKE:dev',
        account: '111122223333',
        arn: 'arn:aws:sts::111122223333:assumed-role/dev/dev',
      },
      canonicalId: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
      buckets: {
        'reports-bucket': {
          policy: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'DenyHttp',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: 'arn:aws:s3:::reports-bucket/*',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          },
          ownership: 'BucketOwnerEnforced',
        },
      },
      roles: { app: { inline: {} } },
    });
  });
  afterAll(async () => fake?.close());

  it('collect writes a snapshot that diagnose accepts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-collect-'));
    const out = join(dir, 'snap.json');
    const r = await runCli(['collect', '--bucket', 'reports-bucket', '--out', out], {
      env: fakeAwsEnv(fake.url),
      timeoutMs: 30000,
    });
    expect(r.stderr).toContain(`Snapshot written to ${out}`);
    expect(r.code).toBe(0);
    const snap = JSON.parse(await readFile(out, 'utf8'));
    expect(snap.schemaVersion).toBe(1);
    expect(snap.buckets['reports-bucket'].objectOwnership).toBe('BucketOwnerEnforced');
    const d = await runCli(['diagnose', f('access.log'), '--snapshot', out, '--format', 'json']);
    expect(d.code).not.toBe(2);
    expect(JSON.parse(d.stdout).results[0].causes.map((c: { code: string }) => c.code)).toContain(
      'explicit-deny-bucket-policy',
    );
  }, 60000);

  it('diagnose and triage with --live read the evidence from AWS', async () => {
    const d = await runCli(['diagnose', f('access.log'), '--live', '--format', 'json'], {
      env: fakeAwsEnv(fake.url),
      timeoutMs: 30000,
    });
    expect(d.code, d.stderr).toBe(0);
    const r0 = JSON.parse(d.stdout).results[0];
    expect(r0.evidence).toBe('live');
    expect(r0.causes[0]).toMatchObject({ code: 'explicit-deny-bucket-policy', confidence: 'certain' });
    const t = await runCli(['triage', f('access.log'), '--live', '--format', 'json'], {
      env: fakeAwsEnv(fake.url),
      timeoutMs: 30000,
    });
    expect(t.code, t.stderr).toBe(0);
    for (const g of JSON.parse(t.stdout).groups)
      expect(g.diagnosis.causes[0].code).toBe('explicit-deny-bucket-policy');
    // Read-only: nothing was written.
    expect(fake.writes).toEqual([]);
  }, 90000);

  it('--apply without --yes changes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3d-e2e-dry-'));
    const before = fake.calls.length;
    const r = await runCli(
      ['diagnose', f('https.log'), '--snapshot', f('snapshot-no-allow.json'), '--apply'],
      { cwd: dir, env: fakeAwsEnv(fake.url) },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Dry run: nothing was changed. Add --yes to apply');
    expect(r.stderr).toContain('"Sid": "S3doctorGetObject"');
    expect(fake.calls.length).toBe(before);
    expect(fake.writes).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  }, 60000);
});

describe('a one-line {"Records": [...]} file', () => {
  it('labels each event by its index and eventID in text, and keeps the JSON input fields', async () => {
    const ev = JSON.parse(
      await readFile(
        join(FIXTURES, '..', '..', 'logs', 'fixtures', 'cloudtrail-event-denied-getobject.json'),
        'utf8',
      ),
    );
    const dir = await mkdtemp(join(tmpdir(), 's3doctor-records-'));
    const p = join(dir, 'trail.json');
    const ids = ['11111111-aaaa-4a2b-9c3d-000000000001', '22222222-bbbb-4a2b-9c3d-000000000002'];
    await writeFile(p, JSON.stringify({ Records: ids.map((eventID) => ({ ...ev, eventID })) }));
    const text = await runCli(['diagnose', p, '--format', 'text']);
    expect(text.stdout).toContain(`${p}#1 (eventID ${ids[0]})`);
    expect(text.stdout).toContain(`${p}#2 (eventID ${ids[1]})`);
    expect(text.stdout).not.toContain(`${p}:1`);
    const json = JSON.parse((await runCli(['diagnose', p, '--format', 'json'])).stdout);
    expect(json.results.map((r: { input: unknown }) => r.input)).toEqual(
      ids.map((eventId, i) => ({ source: p, line: 1, eventId, index: i + 1 })),
    );
  });
});
