// End-to-end: every examples/<scenario>/ runs through the built CLI and matches its expected.json; `npm start` off a terminal.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE, ROOT, assertBuilt, baseEnv, runCli } from './helpers.js';

const EXAMPLES = join(ROOT, 'examples');
const scenarios = existsSync(EXAMPLES)
  ? readdirSync(EXAMPLES)
      .filter(
        (n) => statSync(join(EXAMPLES, n)).isDirectory() && existsSync(join(EXAMPLES, n, 'snapshot.json')),
      )
      .sort()
  : [];

function inputOf(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => !/^(snapshot\.json|expected.*|README\.md)$/i.test(f))
    .sort();
  const f = files.find((x) => /^input/i.test(x)) ?? files[0];
  if (!f) throw new Error(`${dir} has no input file`);
  return join(dir, f);
}

beforeAll(() => assertBuilt());

describe('examples', () => {
  it('has the scenario folders (issue 5: at least 12)', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(12);
  });

  it.each(scenarios)('%s matches expected.json', async (name) => {
    const dir = join(EXAMPLES, name);
    const expectedPath = join(dir, 'expected.json');
    expect(existsSync(expectedPath), `${relative(ROOT, expectedPath)} is missing`).toBe(true);
    const input = relative(ROOT, inputOf(dir));
    const r = await runCli(
      ['diagnose', input, '--snapshot', relative(ROOT, join(dir, 'snapshot.json')), '--format', 'json'],
      { cwd: ROOT },
    );
    expect(r.code, r.stderr).not.toBe(2);
    const actual = JSON.parse(r.stdout);
    const expected = JSON.parse(await readFile(expectedPath, 'utf8'));
    expect(actual).toMatchObject(expected);
    const explained = actual.results.every(
      (x: { decision: string; causes: { confidence: string }[]; unknowns: { couldExplain: string[] }[] }) =>
        x.causes.some((c) => c.confidence !== 'possible') ||
        (x.decision === 'Allowed' &&
          x.causes.length === 0 &&
          x.unknowns.every((u) => u.couldExplain.length === 0)),
    );
    expect(r.code).toBe(explained ? 0 : 1);
  });
});

describe('npm start off a terminal', () => {
  it('diagnoses the bundled default example', async () => {
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(NODE, [join(ROOT, 'dist', 'src', 'cli', 'start.js')], {
          cwd: ROOT,
          env: baseEnv(),
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end();
      },
    );
    const readme = (n: string) =>
      existsSync(join(EXAMPLES, n, 'README.md')) ? readFileSync(join(EXAMPLES, n, 'README.md'), 'utf8') : '';
    const defaults = scenarios.filter((n) =>
      /\b(bundled )?default example\b|\bthis is the default\b/i.test(readme(n)),
    );
    expect(defaults).toHaveLength(1);
    expect(out.stderr).toContain(`Diagnosing the bundled example examples/${defaults[0]}`);
    expect(out.stdout).toContain('denied request');
    expect(out.code).toBe(0);
  });
});
