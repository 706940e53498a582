// End-to-end: the AWS CLI habits on every command that calls AWS: --endpoint-url, AWS_CA_BUNDLE (HTTPS with a
// certificate Node does not trust) and --debug (requests and responses on stderr, secrets redacted).

import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, assertBuilt, fakeAwsEnv, runCli, startFake, type FakeAws } from './helpers.js';

const LOG = join(FIXTURES, 'access.log');
const WORLD = {
  caller: {
    userId: 'AROAFAKE:dev',
    account: '111122223333',
    arn: 'arn:aws:sts::111122223333:assumed-role/dev/dev',
  },
  canonicalId: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
  buckets: { 'reports-bucket': { ownership: 'BucketOwnerEnforced' } },
  roles: { app: { inline: {} } },
};

/** The fake's credentials without AWS_ENDPOINT_URL: only --endpoint-url can lead the calls to the fake. */
function envWithoutEndpoint(url: string, extra: Record<string, string | undefined> = {}) {
  return { ...fakeAwsEnv(url), AWS_ENDPOINT_URL: undefined, ...extra };
}

describe('--endpoint-url', () => {
  let fake: FakeAws;
  let dir: string;
  beforeAll(async () => {
    assertBuilt();
    fake = await startFake(structuredClone(WORLD));
    dir = await mkdtemp(join(tmpdir(), 's3d-e2e-endpoint-'));
  });
  afterAll(async () => fake?.close());

  it('diagnose --live sends every call to it, over AWS_ENDPOINT_URL', async () => {
    const before = fake.calls.length;
    const r = await runCli(['diagnose', LOG, '--live', '--format', 'json', '--endpoint-url', fake.url], {
      // A refused AWS_ENDPOINT_URL: the flag wins, as the AWS CLI's does.
      env: envWithoutEndpoint(fake.url, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }),
      timeoutMs: 40000,
    });
    expect(r.code, r.stderr).not.toBe(2);
    expect(JSON.parse(r.stdout).results[0].evidence).toBe('live');
    const ops = fake.calls.slice(before).map((c) => `${c.service} ${c.op}`);
    expect(ops).toContain('sts GetCallerIdentity');
    expect(ops.some((o) => o.startsWith('s3 '))).toBe(true);
    expect(ops.some((o) => o.startsWith('iam '))).toBe(true);
  });

  it('collect writes the snapshot read through it', async () => {
    const out = join(dir, 'snap.json');
    const r = await runCli(
      ['collect', '--bucket', 'reports-bucket', '--out', out, '--endpoint-url', fake.url],
      {
        env: envWithoutEndpoint(fake.url),
        timeoutMs: 40000,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(JSON.parse(await readFile(out, 'utf8')).buckets)).toContain('reports-bucket');
  });

  it('diagnose --apply --yes reads and writes through it', async () => {
    const r = await runCli(
      [
        'diagnose',
        join(FIXTURES, 'https.log'),
        '--snapshot',
        join(FIXTURES, 'snapshot-no-allow.json'),
        '--apply',
        '--yes',
        '--backup-dir',
        dir,
        '--endpoint-url',
        fake.url,
      ],
      { cwd: dir, env: envWithoutEndpoint(fake.url), timeoutMs: 40000 },
    );
    expect(r.stderr).toContain('Applied the change to identity-policy arn:aws:iam::111122223333:role/app');
    expect(fake.writes.map((w) => w.op)).toEqual(['PutRolePolicy']);
  });

  it('athena run sends its calls to it', async () => {
    const { startFakeAthena } = await import('../helpers/fake-athena.mjs');
    const athena = await startFakeAthena({ rows: [['bucket_name'], ['reports-bucket']] });
    try {
      const r = await runCli(
        ['athena', 'run', '--live', '--workgroup', 'primary', '--endpoint-url', athena.url],
        { env: envWithoutEndpoint(athena.url, { S3DOCTOR_ATHENA_POLL_MS: '10' }) },
      );
      expect(r.stderr).not.toMatch(/cannot reach|internal error/);
      expect(athena.calls.map((c) => c.target)).toContain('StartQueryExecution');
    } finally {
      await athena.close();
    }
  });

  it('refuses a value that is no http(s) URL, in one line', async () => {
    const r = await runCli(['diagnose', LOG, '--live', '--endpoint-url', 'localhost:4566']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--endpoint-url.*expected an http:\/\/ or https:\/\/ URL, got "localhost:4566"/);
  });
});

/** Whether the openssl command is there to make a self-signed certificate. */
function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('AWS_CA_BUNDLE', () => {
  let fake: { url: string; server: Server; close(): Promise<void> };
  let tls: HttpsServer;
  let url: string;
  let caFile: string;
  let dir: string;
  beforeAll(async () => {
    assertBuilt();
    dir = await mkdtemp(join(tmpdir(), 's3d-e2e-ca-'));
    caFile = join(dir, 'ca.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        caFile,
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const modUrl = pathToFileURL(join(ROOT, 'test', 'helpers', 'shared-fake-aws-endpoint.mjs')).href;
    const { startFakeAws } = (await import(modUrl)) as {
      startFakeAws(w: unknown): Promise<{ url: string; server: Server; close(): Promise<void> }>;
    };
    fake = await startFakeAws(structuredClone(WORLD));
    // The fake behind HTTPS with the self-signed certificate.
    tls = createHttpsServer({ key: await readFile(keyFile), cert: await readFile(caFile) }, (req, res) =>
      fake.server.emit('request', req, res),
    );
    await new Promise<void>((ok) => tls.listen(0, '127.0.0.1', ok));
    const addr = tls.address();
    url = `https://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    tls?.closeAllConnections();
    await new Promise((ok) => tls?.close(ok));
    await fake?.close();
  });

  it('without it, an untrusted certificate is one line that names AWS_CA_BUNDLE', async () => {
    const r = await runCli(['diagnose', LOG, '--live'], { env: fakeAwsEnv(url), timeoutMs: 40000 });
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.trim());
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^s3doctor: cannot verify the TLS certificate of AWS STS .*set AWS_CA_BUNDLE/);
  });

  it('with it, diagnose --live and collect trust that CA for every call', async () => {
    const d = await runCli(['diagnose', LOG, '--live', '--format', 'json'], {
      env: { ...fakeAwsEnv(url), AWS_CA_BUNDLE: caFile },
      timeoutMs: 40000,
    });
    expect(d.code, d.stderr).not.toBe(2);
    expect(JSON.parse(d.stdout).results[0].evidence).toBe('live');
    const out = join(dir, 'snap.json');
    const c = await runCli(['collect', '--bucket', 'reports-bucket', '--out', out, '--endpoint-url', url], {
      env: envWithoutEndpoint(url, { AWS_CA_BUNDLE: caFile }),
      timeoutMs: 40000,
    });
    expect(c.code, c.stderr).toBe(0);
    expect(Object.keys(JSON.parse(await readFile(out, 'utf8')).buckets)).toContain('reports-bucket');
  });

  it('a bundle that cannot be read or holds no certificate is one line, before any call', async () => {
    const notPem = join(dir, 'not.pem');
    await writeFile(notPem, 'hello\n');
    for (const [bundle, why] of [
      [join(dir, 'missing.pem'), /cannot be read \(ENOENT\)/],
      [notPem, /holds no PEM certificate/],
    ] as const) {
      const r = await runCli(['diagnose', LOG, '--live'], {
        env: { ...fakeAwsEnv(url), AWS_CA_BUNDLE: bundle },
      });
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(new RegExp(`^s3doctor: AWS_CA_BUNDLE names \\S+, which ${why.source}`));
    }
  });
});

describe('--debug', () => {
  let fake: FakeAws;
  beforeAll(async () => {
    assertBuilt();
    fake = await startFake(structuredClone(WORLD));
  });
  afterAll(async () => fake?.close());

  const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  const SECRET = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY';
  const TOKEN = 'IQoJb3JpZ2luX2VjEFAKESESSIONTOKEN0123456789';

  it('prints each request and response on stderr with every secret redacted', async () => {
    const r = await runCli(['diagnose', LOG, '--live', '--format', 'json', '--debug'], {
      env: {
        ...fakeAwsEnv(fake.url),
        AWS_ACCESS_KEY_ID: KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_SESSION_TOKEN: TOKEN,
      },
      timeoutMs: 40000,
    });
    expect(r.code, r.stderr).not.toBe(2);
    // stdout keeps the report alone.
    expect(JSON.parse(r.stdout).results[0].evidence).toBe('live');
    expect(r.stderr).toMatch(
      /s3doctor debug: request sts GetCallerIdentity: POST http:\/\/127\.0\.0\.1:\d+\//,
    );
    expect(r.stderr).toMatch(/s3doctor debug: response sts GetCallerIdentity: 200 after \d+ ms/);
    expect(r.stderr).toContain('<Account>111122223333</Account>');
    expect(r.stderr).toMatch(/s3doctor debug: request s3 \w+: GET /);
    expect(r.stderr).toMatch(
      /authorization: AWS4-HMAC-SHA256 Credential=AKIA\*\*\*\*\/\d{8}\/us-east-1\/sts\/aws4_request, SignedHeaders=[^,]+, Signature=\[redacted\]/,
    );
    expect(r.stderr).toContain('x-amz-security-token: [redacted]');
    for (const secret of [KEY_ID, SECRET, TOKEN, TOKEN.slice(0, 24)]) expect(r.stderr).not.toContain(secret);
    expect(r.stderr).not.toMatch(/Signature=[0-9a-f]{16,}/);
  });

  it('prints nothing without --debug', async () => {
    const r = await runCli(['diagnose', LOG, '--live', '--format', 'json'], {
      env: fakeAwsEnv(fake.url),
      timeoutMs: 40000,
    });
    expect(r.stderr).not.toContain('s3doctor debug');
  });
});
