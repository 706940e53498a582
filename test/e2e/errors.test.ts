// Every failure a user meets at the edge is one clear line with the right exit code: no credentials,
// expired ones, a profile that does not exist, an endpoint that refuses or never answers, usage errors.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURES,
  NODE,
  ROOT,
  assertBuilt,
  fakeAwsEnv,
  runCli,
  startFake,
  type RunResult,
} from './helpers.js';

const EX = join(ROOT, 'examples', 'missing-identity-allow');
const LOG = join(FIXTURES, 'access.log');

/** One line on stderr, prefixed, with no stack frame and no SDK notice. */
function expectOneLine(r: RunResult, code: number, pattern: RegExp): void {
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^s3doctor: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error|NodeVersionSupportWarning/);
  expect(r.code).toBe(code);
}

/** Every command that calls AWS, as a user would run it (with the SDK's Node notice not disabled). */
function awsCommands(dir: string): [string, string[]][] {
  return [
    ['diagnose --live', ['diagnose', LOG, '--live']],
    ['triage --live', ['triage', LOG, '--live']],
    ['simulate --live', ['simulate', '--request', join(FIXTURES, 'request.json'), '--live']],
    ['collect', ['collect', '--bucket', 'reports-bucket', '--out', join(dir, `snap-${Math.random()}.json`)]],
    ['athena run --live', ['athena', 'run', '--live', '--workgroup', 'primary']],
    [
      'diagnose --apply --yes',
      [
        'diagnose',
        join(EX, 'event.json'),
        '--snapshot',
        join(EX, 'snapshot.json'),
        '--apply',
        '--yes',
        '--backup-dir',
        dir,
      ],
    ],
  ];
}

const SHOW_SDK_NOTICE = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined };

let dir: string;
beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 's3d-errors-'));
});

describe('every AWS command fails in one line', () => {
  it('with no credentials at all', async () => {
    const runs = await Promise.all(
      awsCommands(dir).map(async ([name, args]) => [
        name,
        await runCli(args, { env: { ...SHOW_SDK_NOTICE, AWS_REGION: 'us-east-1' }, timeoutMs: 40000 }),
      ]),
    );
    for (const [name, r] of runs as [string, RunResult][]) {
      expect(name && r.stderr, name).toMatch(/credentials|nothing was changed/i);
      expectOneLine(r, 2, /AWS credentials from the default credential chain are expired or missing/);
    }
  }, 60000);

  it('with a --profile that does not exist: says so, before any call', async () => {
    const config = join(dir, 'config');
    await writeFile(config, '[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n');
    const runs = await Promise.all(
      awsCommands(dir).map(async ([name, args]) => [
        name,
        await runCli([...args, '--profile', 'prod'], { env: { AWS_CONFIG_FILE: config } }),
      ]),
    );
    for (const [name, r] of runs as [string, RunResult][]) {
      expect(r.stderr, name).toContain('AWS profile "prod" does not exist');
      expectOneLine(r, 2, /profiles there: default, dev/);
      expect(r.stderr).not.toMatch(/expired/);
    }
  }, 60000);

  it('against an endpoint that refuses connections', async () => {
    const env = { ...fakeAwsEnv('http://127.0.0.1:1'), ...SHOW_SDK_NOTICE };
    const runs = await Promise.all(
      awsCommands(dir).map(async ([name, args]) => [name, await runCli(args, { env, timeoutMs: 40000 })]),
    );
    for (const [name, r] of runs as [string, RunResult][]) {
      expect(r.stderr, name).toContain('ECONNREFUSED');
      expectOneLine(r, 2, /cannot reach AWS (STS|Athena|IAM)/);
    }
  }, 60000);

  it('against an endpoint that never answers: a timeout, not a hang', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const env = fakeAwsEnv(`http://127.0.0.1:${port}`);
      const picked = awsCommands(dir).filter(([n]) => n === 'diagnose --live' || n === 'athena run --live');
      const runs = await Promise.all(picked.map(([, args]) => runCli(args, { env, timeoutMs: 55000 })));
      for (const r of runs) expectOneLine(r, 2, /cannot reach AWS (STS|Athena)/);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  }, 60000);

  it('with expired credentials (the STS answer): how to refresh them, and --apply says nothing changed', async () => {
    const fake = await startFake({
      caller: { error: [403, 'ExpiredToken', 'The security token included in the request is expired'] },
      roles: {
        'reports-app': {
          error: [403, 'ExpiredToken', 'The security token included in the request is expired'],
        },
      },
    });
    try {
      const env = { ...fakeAwsEnv(fake.url), ...SHOW_SDK_NOTICE };
      const runs = await Promise.all(
        awsCommands(dir)
          .filter(([n]) => n !== 'athena run --live')
          .map(async ([name, args]) => [name, await runCli(args, { env, timeoutMs: 40000 })]),
      );
      for (const [name, r] of runs as [string, RunResult][]) {
        expect(r.stderr, name).toContain('ExpiredToken');
        expectOneLine(r, 2, /expired or missing/);
        if (name.includes('--apply')) expect(r.stderr).toMatch(/nothing was changed/);
      }
      expect(fake.writes).toHaveLength(0);
    } finally {
      await fake.close();
    }
  }, 60000);
});

describe('usage errors are one line with exit 2', () => {
  it.each([
    [['athena'], /athena needs a subcommand: ddl, query or run/],
    [['athena', 'quer'], /did you mean "athena query"/],
    [['athena', 'ddl', '--type', 'access-log', '--location', 'notaurl'], /--location must be an S3 URL/],
    [['athena', 'query', '--since', 'garbage'], /--since must look like 7d/],
    [['athena', 'run', '--workgroup', 'w'], /athena run calls AWS: add --live/],
    [['diagnos', 'x'], /unknown command "diagnos": did you mean "diagnose"\?/],
    [['help', 'diagnos'], /did you mean "diagnose"/],
    [
      ['diagnose', '--operation', 'GetObjcet', '--bucket', 'b'],
      /GetObjcet is not an S3 API operation: did you mean GetObject\?/,
    ],
    [
      ['diagnose', '--operation', 'GetObject', '--bucket', 'Not A Bucket!'],
      /"Not A Bucket!" is not a bucket name/,
    ],
  ])('%j', async (args, pattern) => {
    expectOneLine(await runCli(args as string[]), 2, pattern);
  });

  it('simulate rejects a mistyped S3 action with the nearest one, and takes any letter case', async () => {
    const bad = join(dir, 'typo.json');
    await writeFile(
      bad,
      JSON.stringify({ principal: 'anonymous', action: 's3:GetObjcet', resource: 'arn:aws:s3:::b/k' }),
    );
    const r = await runCli(['simulate', '--request', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('s3:GetObjcet is not an S3 action: did you mean s3:GetObject?');
    const lower = join(dir, 'lower.json');
    await writeFile(
      lower,
      JSON.stringify({ principal: 'anonymous', action: 's3:getobject', resource: 'arn:aws:s3:::b/k' }),
    );
    expect((await runCli(['simulate', '--request', lower])).code).not.toBe(2);
  });

  it('help and help COMMAND print the help and exit 0', async () => {
    const top = await runCli(['help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: s3doctor');
    const sub = await runCli(['help', 'athena', 'run']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('Usage: s3doctor athena run');
    const d = await runCli(['help', 'diagnose']);
    expect(d.stdout).toContain('Usage: s3doctor diagnose');
    expect(d.stdout).toContain('Exit codes:');
  });
});

describe('collect', () => {
  it('checks --out before any AWS call', async () => {
    const fake = await startFake({ buckets: { 'reports-bucket': {} } });
    try {
      const out = join(dir, 'exists.json');
      await writeFile(out, 'old');
      const r = await runCli(['collect', '--bucket', 'reports-bucket', '--out', out], {
        env: fakeAwsEnv(fake.url),
      });
      expectOneLine(r, 2, /exists.json already exists: pass --force/);
      expect(fake.calls).toHaveLength(0);
      expect(await readFile(out, 'utf8')).toBe('old');
    } finally {
      await fake.close();
    }
  });

  it('exits non-zero and names the missing permissions when every read was refused', async () => {
    const D = { error: [403, 'AccessDenied'] };
    const fake = await startFake({
      caller: { userId: 'AIDAX', account: '111122223333', arn: 'arn:aws:iam::111122223333:user/dev' },
      canonicalId: 'abc',
      buckets: { b: { policy: D, acl: D, publicAccessBlock: D, ownership: D, region: D, head: D } },
    });
    try {
      const out = join(dir, 'denied.json');
      const r = await runCli(['collect', '--bucket', 'b', '--out', out], {
        env: fakeAwsEnv(fake.url),
        timeoutMs: 30000,
      });
      expectOneLine(r, 2, /nothing could be collected, so no snapshot was written/);
      expect(r.stderr).toContain('s3:GetBucketPolicy');
      expect(r.stderr).toContain('examples/collector-policy.json');
      await expect(readFile(out, 'utf8')).rejects.toThrow();
    } finally {
      await fake.close();
    }
  }, 40000);
});

describe('athena run polling', () => {
  const athenaEnv = (url: string): Record<string, string> => ({
    ...fakeAwsEnv(url),
    S3DOCTOR_ATHENA_POLL_MS: '10',
  });

  it('backs off between polls, and stops the query when --timeout passes', async () => {
    const { startFakeAthena } = await import('../helpers/fake-athena.mjs');
    const fake = await startFakeAthena({ rows: [['a']], runningPolls: 100000 });
    try {
      const r = await runCli(['athena', 'run', '--live', '--workgroup', 'primary', '--timeout', '1'], {
        env: athenaEnv(fake.url),
      });
      expectOneLine(r, 2, /Athena query q-1 did not finish within 1 s and was stopped/);
      const targets = fake.calls.map((c: { target: string }) => c.target);
      // 10 ms growing by half each poll: about ten polls in a second, not a hundred.
      expect(targets.filter((t: string) => t === 'GetQueryExecution').length).toBeLessThan(20);
      expect(targets.at(-1)).toBe('StopQueryExecution');
    } finally {
      await fake.close();
    }
  });

  it('Ctrl-C stops the query in Athena and exits 130 with one line', async () => {
    const { startFakeAthena } = await import('../helpers/fake-athena.mjs');
    const { spawn } = await import('node:child_process');
    const { BIN, baseEnv } = await import('./helpers.js');
    const fake = await startFakeAthena({ rows: [['a']], runningPolls: 100000 });
    try {
      const child = spawn(NODE, [BIN, 'athena', 'run', '--live', '--workgroup', 'primary'], {
        env: baseEnv(athenaEnv(fake.url)),
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
      const started = Date.now();
      while (!fake.calls.some((c: { target: string }) => c.target === 'GetQueryExecution')) {
        if (Date.now() - started > 15000) throw new Error('athena run never polled');
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGINT');
      expect(await code).toBe(130);
      expect(stderr.trim()).toBe('s3doctor: Cancelled: Athena query q-1 was stopped.');
      expect(fake.calls.map((c: { target: string }) => c.target)).toContain('StopQueryExecution');
    } finally {
      await fake.close();
    }
  }, 30000);
});

// A full disk (/dev/full answers every write with ENOSPC): one line naming the failure, exit 2, never a stack
// trace, and never "Report written" for a report that was not.
describe('a report that cannot be written', () => {
  const args = [
    'diagnose',
    join(FIXTURES, 'https.log'),
    '--snapshot',
    join(FIXTURES, 'snapshot-no-allow.json'),
  ];

  it.runIf(existsSync('/dev/full'))('stdout on a full disk', async () => {
    const r = spawnSync(
      'bash',
      ['-c', `"${NODE}" "${join(ROOT, 'dist/src/cli/main.js')}" "$@" > /dev/full`, 'bash', ...args],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      's3doctor: cannot write standard output: the disk is full (ENOSPC); the report is incomplete.',
    );
  });

  it.runIf(existsSync('/dev/full'))('--out on a full device with --force', async () => {
    const r = await runCli([...args, '--out', '/dev/full', '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write /dev/full: the disk is full (ENOSPC)');
    expect(r.stderr).not.toContain('Report written');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
