// Cold start: what the built CLI loads for --help and for diagnose / simulate of a few requests with a snapshot
// (module hooks list every file), and that Node's compile cache is on where Node has one.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, baseEnv, BIN, FIXTURES, NODE, ROOT } from './helpers.js';

let dir: string;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 's3doctor-cold-'));
  // Module hooks run on their own thread in Node 20+: each loaded URL is appended to the file the env names.
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.S3DOCTOR_TEST_LOADS, url + '\\n');
  return next(url, context);
}
`,
  );
  writeFileSync(
    join(dir, 'register.mjs'),
    `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The files (not Node's built-ins) a run of the CLI with `args` loads, relative to the package root. */
function loads(name: string, args: string[]): { files: string[]; code: number | null } {
  const list = join(dir, `${name}.txt`);
  const r = spawnSync(NODE, ['--import', join(dir, 'register.mjs'), BIN, ...args], {
    env: baseEnv({ S3DOCTOR_TEST_LOADS: list }),
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 60_000,
  });
  const files = readFileSync(list, 'utf8')
    .split('\n')
    .filter((u) => u.startsWith('file:'))
    .map((u) => fileURLToPath(u).slice(ROOT.length + 1));
  return { files, code: r.status };
}

const NOT_NEEDED = /node_modules\/(@aws-sdk|@smithy|zod|ora|@inquirer|cli-progress|yaml|csv-parse)\//;

describe('cold start', () => {
  it('--help loads commander and the program, none of the commands', () => {
    const { files, code } = loads('help', ['--help']);
    expect(code).toBe(0);
    const own = files.filter((f) => f.startsWith('dist/'));
    // main.js, the start chunk (and its facade): the command modules, rules and formats stay unread.
    expect(own.length).toBeLessThanOrEqual(3);
    expect(
      files.filter((f) => !f.startsWith('dist/')).every((f) => f.startsWith('node_modules/commander/')),
    ).toBe(true);
  });

  it('diagnose with a snapshot loads no AWS SDK, zod, prompt or spinner package and few files of its own', () => {
    const { files, code } = loads('diagnose', [
      'diagnose',
      join(FIXTURES, 'access.log'),
      '--snapshot',
      join(FIXTURES, 'snapshot.json'),
      '--no-interactive',
    ]);
    expect(code).toBe(0);
    expect(files.filter((f) => NOT_NEEDED.test(f))).toEqual([]);
    // One core chunk and a few small ones (64 files before the core chunk, ~180 unbundled).
    expect(files.filter((f) => f.startsWith('dist/')).length).toBeLessThanOrEqual(30);
  });

  it('simulate with a snapshot loads no AWS SDK, zod, prompt or spinner package and few files of its own', () => {
    const { files, code } = loads('simulate', [
      'simulate',
      '--request',
      join(FIXTURES, 'request.json'),
      '--snapshot',
      join(FIXTURES, 'snapshot.json'),
      '--no-interactive',
    ]);
    expect(code).toBe(0);
    expect(files.filter((f) => NOT_NEEDED.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/')).length).toBeLessThanOrEqual(30);
  });

  it.skipIf(!('enableCompileCache' in module) || NODE !== process.execPath)(
    "turns on Node's compile cache (Node 22.1+), in the folder NODE_COMPILE_CACHE names",
    () => {
      const cache = join(dir, 'compile-cache');
      const r = spawnSync(NODE, [BIN, '--version'], {
        env: baseEnv({ NODE_COMPILE_CACHE: cache }),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).toBe(0);
      expect(readdirSync(cache, { recursive: true }).length).toBeGreaterThan(0);
    },
  );
});
