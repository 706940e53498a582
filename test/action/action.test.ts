// action.yml: its shell steps run as GitHub runs them (bash -eo pipefail, inputs as INPUT_* env from the step's
// env map, GITHUB_ACTION_PATH, GITHUB_OUTPUT) against the built CLI; the SARIF they write is valid SARIF 2.1.0.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assertBuilt, ROOT } from '../e2e/helpers.js';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  if?: string;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
const schema = JSON.parse(
  readFileSync(join(ROOT, 'test', 'cli', 'format', 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'),
) as object;
const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
const validate = addFormats(new Ajv({ allErrors: true, strict: false, unicodeRegExp: false })).compile(
  schema,
);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  workspace: string;
}

/** Runs one `run` step as the runner does: its env map with `${{ inputs.x }}` replaced by the input (or default). */
function runStep(
  stepId: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
  workspace = mkdtempSync(join(tmpdir(), 's3doctor-action-')),
): Run {
  const step = action.runs.steps.find((s) => s.id === stepId || s.name === stepId)!;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NO_COLOR: '1',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_WORKSPACE: workspace,
    ...extraEnv,
  };
  const outputFile = join(workspace, '.github_output');
  writeFileSync(outputFile, '');
  env.GITHUB_OUTPUT = outputFile;
  for (const [k, v] of Object.entries(step.env ?? {})) {
    const m = /^\$\{\{\s*inputs\.([\w-]+)\s*\}\}$/.exec(v);
    if (!m) throw new Error(`step env ${k} is not a plain input: ${v}`);
    const name = m[1]!;
    expect(action.inputs[name], `input ${name}`).toBeDefined();
    env[k] = inputs[name] ?? action.inputs[name]!.default ?? '';
  }
  const script = join(workspace, '.step.sh');
  writeFileSync(script, step.run!);
  // shell: bash is `bash --noprofile --norc -eo pipefail {0}` on GitHub's runners.
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd: workspace,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(outputFile, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) outputs[line.slice(0, i)] = line.slice(i + 1);
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs, workspace };
}

function sarifOf(r: Run): {
  runs: {
    results: { ruleId: string; level: string }[];
    tool: { driver: { rules: { helpUri?: string }[] } };
  }[];
} {
  const doc = JSON.parse(readFileSync(join(r.workspace, r.outputs['sarif-file']!), 'utf8')) as unknown;
  if (!validate(doc)) throw new Error(JSON.stringify(validate.errors, null, 2));
  return doc as ReturnType<typeof sarifOf>;
}

describe('action.yml', () => {
  beforeAll(assertBuilt);

  it('is a composite action whose run steps hold no ${{ }} expression (inputs come through env only)', () => {
    expect(action.runs.using).toBe('composite');
    const runs = action.runs.steps.filter((s) => s.run);
    expect(runs.length).toBe(2);
    for (const s of runs) {
      expect(s.shell).toBe('bash');
      expect(s.run).not.toContain('${{');
    }
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload.with?.sarif_file).toBe('${{ steps.run.outputs.sarif-file }}');
    expect(upload.if).toContain('always()');
    expect(action.outputs['exit-code']!.value).toBe('${{ steps.run.outputs.exit-code }}');
  });

  it('the build step finds the CLI already built', () => {
    const r = runStep('Build s3doctor', {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('already built');
  });

  it('command test: passing policy tests exit 0 with valid SARIF and the outputs set', () => {
    const r = runStep('run', { file: join(ROOT, 'examples', 'policy-tests', 'tests.json') });
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ 'sarif-file': 's3doctor.sarif', 'exit-code': '0' });
    expect(sarifOf(r).runs[0]!.results).toEqual([]);
  });

  it('command test: a failing expectation exits 1, annotates, and the SARIF names it', () => {
    const ws = mkdtempSync(join(tmpdir(), 's3doctor-action-'));
    const src = JSON.parse(readFileSync(join(ROOT, 'examples', 'policy-tests', 'tests.json'), 'utf8')) as {
      snapshot: string;
      tests: { expect: string }[];
    };
    src.snapshot = join(ROOT, 'examples', 'deny-http', 'snapshot.json');
    src.tests[0]!.expect = 'ExplicitDeny';
    mkdirSync(join(ws, 'policy tests'));
    writeFileSync(join(ws, 'policy tests', 'bucket.json'), JSON.stringify(src));
    const r = runStep('run', { file: 'policy tests/bucket.json', 'sarif-file': 'out/s3.sarif' }, {}, ws);
    expect(r.code).toBe(1);
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.stdout).toMatch(/^::error /m);
    expect(sarifOf(r).runs[0]!.results.length).toBe(1);
  });

  it('command triage: logs one per line (a path with spaces), snapshots, fail-on; helpUri to the action repo', () => {
    const ws = mkdtempSync(join(tmpdir(), 's3doctor-action-'));
    mkdirSync(join(ws, 'my logs'));
    copyFileSync(join(ROOT, 'examples', 'deny-http', 'input.log'), join(ws, 'my logs', 'access.log'));
    const r = runStep(
      'run',
      {
        command: 'triage',
        logs: '\n  my logs/access.log  \n\n',
        snapshot: join(ROOT, 'examples', 'deny-http', 'snapshot.json'),
        'fail-on': 'denied',
      },
      {
        GITHUB_ACTION_REPOSITORY: 'acme/s3doctor',
        GITHUB_ACTION_REF: 'v1',
        GITHUB_SERVER_URL: 'https://github.com',
      },
      ws,
    );
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(1); // --fail-on denied: the log holds a denial
    const doc = sarifOf(r);
    expect(doc.runs[0]!.results.map((x) => x.ruleId)).toContain('bucket-policy/deny-insecure-transport');
    expect(doc.runs[0]!.tool.driver.rules[0]!.helpUri).toMatch(
      /^https:\/\/github\.com\/acme\/s3doctor\/blob\/v1\/rules\/.+\.md$/,
    );
  });

  it('bad inputs exit 2 with an error annotation and no SARIF output; input text is never run as shell', () => {
    const ws = mkdtempSync(join(tmpdir(), 's3doctor-action-'));
    const missing = runStep('run', { command: 'test' }, {}, ws);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain("::error title=s3doctor::input 'file'");
    expect(missing.outputs).toEqual({});
    expect(runStep('run', { command: 'deploy' }, {}, ws).code).toBe(2);
    const hostile = runStep('run', { file: '$(touch pwned)`touch pwned2`; touch pwned3' }, {}, ws);
    expect(hostile.code).toBe(2);
    expect(hostile.outputs).toEqual({ 'sarif-file': '', 'exit-code': '2' });
    for (const f of ['pwned', 'pwned2', 'pwned3']) expect(existsSync(join(ws, f))).toBe(false);
  });
});
