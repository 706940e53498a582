// End-to-end helpers: run the built binary as a subprocess, and a fake AWS endpoint that also records writes.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { delimiter, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { schemaProblems } from '../helpers/json-schemas.js';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built binary (npm test builds before running the suite). */
export const BIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
/**
 * The Node binary the CLI runs on: `S3DOCTOR_TEST_NODE` when set (CI runs the end-to-end tests with the lowest
 * Node the package supports, while vitest itself needs a newer one), else the Node running the tests.
 */
export const NODE = process.env.S3DOCTOR_TEST_NODE || process.execPath;
/** Test fixtures of the end-to-end tests. */
export const FIXTURES = join(ROOT, 'test', 'e2e', 'fixtures');

/** Fails early with the fix when the build is missing. */
export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build (npm test builds first).`);
}

/** What a run printed and returned. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Options of one run. */
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. */
  input?: string;
  /** Keep stdin an open pipe with no data (a run must not wait on it). */
  keepStdinOpen?: boolean;
  timeoutMs?: number;
}

/** A clean environment: no colour, no AWS profile or keys from the machine, no CI marker unless asked. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT'])
    if (process.env[k] !== undefined) env[k] = process.env[k];
  // `#!/usr/bin/env node` (the installed binary, npm) finds the chosen Node first.
  if (NODE !== process.execPath) env.PATH = `${dirname(NODE)}${delimiter}${env.PATH ?? ''}`;
  env.NO_COLOR = '1';
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
  env.AWS_EC2_METADATA_DISABLED = 'true';
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** The commands whose `--format json` prints a document that names its schema in `$schema`. */
const DOCUMENT_COMMANDS = new Set(['diagnose', 'triage', 'simulate']);

/**
 * Every JSON document a run prints is checked against the shipped schemas (schemas/*.schema.json): a
 * document that names one of them must validate, and diagnose/triage/simulate `--format json` to stdout
 * must name one. Returns what is wrong, or undefined.
 */
function documentProblems(args: string[], stdout: string): string | undefined {
  const t = stdout.trim();
  if (!t.startsWith('{')) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(t);
  } catch {
    return undefined;
  }
  const problems = schemaProblems(doc);
  if (problems && problems.length > 0)
    return `the JSON document does not validate against its schema (${String((doc as { $schema: string }).$schema)}): ${problems.slice(0, 5).join('; ')}. If the field is new, add it to src/model/document-schemas.ts and regenerate with UPDATE_SCHEMAS=1 npx vitest run test/model.`;
  const fi = args.indexOf('--format');
  const json = fi >= 0 ? args[fi + 1] === 'json' : args.includes('--format=json');
  if (!problems && json && DOCUMENT_COMMANDS.has(args[0] ?? '') && 'schemaVersion' in (doc as object))
    return 'a --format json document without a $schema naming one of schemas/*.schema.json';
  return undefined;
}

/** Runs `node dist/src/cli/main.js ARGS` (a JSON document it prints is validated against its schema). */
export function runCli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(NODE, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: baseEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `s3doctor ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 20000} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, opts.timeoutMs ?? 20000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const bad = documentProblems(args, stdout);
      if (bad) reject(new Error(`s3doctor ${args.join(' ')}: ${bad}`));
      else resolvePromise({ code, stdout, stderr, ms: Date.now() - started });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else if (!opts.keepStdinOpen) child.stdin.end();
  });
}

/** One write call the fake saw. */
export interface WriteCall {
  service: string;
  op: string;
  params: Record<string, string>;
  body: string;
}

/** The repo's fake AWS endpoint (test/helpers, a copy of ../shared/examples/fake-aws-endpoint.mjs), plus the writes it received. */
export interface FakeAws {
  url: string;
  calls: { service: string; op: string }[];
  writes: WriteCall[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Starts the fake AWS endpoint (the repo's own copy, so a clone without ../shared runs it) and wraps its handler so that write calls it does not know
 * (PutRolePolicy, PutUserPolicy, S3 PUT ?policy) are recorded with their body and answered as AWS does
 * (with `failWrites`, IAM writes are answered with a 500 ServiceFailure).
 */
export async function startFake(
  world: Record<string, unknown>,
  opts: { failWrites?: boolean } = {},
): Promise<FakeAws> {
  const modUrl = pathToFileURL(resolve(ROOT, 'test', 'helpers', 'shared-fake-aws-endpoint.mjs')).href;
  const { startFakeAws } = (await import(modUrl)) as {
    startFakeAws(w: unknown): Promise<{
      url: string;
      calls: { service: string; op: string }[];
      server: Server;
      close(): Promise<void>;
    }>;
  };
  const fake = await startFakeAws(world);
  const writes: WriteCall[] = [];
  const [original] = fake.server.listeners('request') as Handler[];
  fake.server.removeAllListeners('request');
  fake.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://fake');
      const svc =
        /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ??
        's3';
      if (svc === 'iam') {
        const p = new URLSearchParams(body);
        const action = p.get('Action') ?? '';
        if (action === 'PutRolePolicy' || action === 'PutUserPolicy') {
          writes.push({ service: 'iam', op: action, params: Object.fromEntries(p), body });
          if (opts.failWrites) {
            // A 500 is what the SDK retries; a write that may have landed must still be sent once.
            res.writeHead(500, { 'content-type': 'text/xml' });
            res.end(
              '<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceFailure</Code><Message>fake failure</Message></Error><RequestId>FAKE</RequestId></ErrorResponse>',
            );
            return;
          }
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.end(
            `<?xml version="1.0"?><${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>FAKE</RequestId></ResponseMetadata></${action}Response>`,
          );
          return;
        }
      }
      if (svc === 's3' && req.method === 'PUT' && url.searchParams.has('policy')) {
        writes.push({
          service: 's3',
          op: 'PutBucketPolicy',
          params: { bucket: url.pathname.split('/')[1] ?? '' },
          body,
        });
        res.writeHead(204);
        res.end();
        return;
      }
      // Replay the buffered body to the fake's own handler.
      const replay = Readable.from(body ? [Buffer.from(body)] : []) as unknown as IncomingMessage;
      Object.assign(replay, { url: req.url, method: req.method, headers: req.headers });
      original!(replay, res);
    });
  });
  return { url: fake.url, calls: fake.calls, writes, close: () => fake.close() };
}

/** Environment pointing the AWS SDK at the fake with dummy static credentials. */
export function fakeAwsEnv(url: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: 'AKIDFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret',
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
  };
}
