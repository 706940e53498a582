// Policy tests (`s3doctor test FILE`): requests with the decision each must get, checked against the evidence like unit tests.

import { dirname, isAbsolute, resolve } from 'node:path';
import type { Decision, Evaluation, Evidence, S3Request } from '../model/index.js';

/** What a test expects: one decision, or `denied` (any decision but Allowed). */
export type Expectation = Decision | 'denied';

/** The expectations a test file may use. */
export const EXPECTATIONS: readonly Expectation[] = [
  'Allowed',
  'ImplicitDeny',
  'ExplicitDeny',
  'NotAuthenticated',
  'denied',
];

/** One test of a policy test file, validated. */
export interface PolicyTest {
  /** The test's name (default `test N`, 1-based). */
  name: string;
  /** 0-based position in `tests`. */
  index: number;
  /** 1-based line of the test's `expect` in the file, when it could be located. */
  line?: number;
  expect: Expectation;
  request: S3Request;
  /** `principal -> action on resource`, as the file writes them. */
  label: string;
}

/** A validated policy test file. */
export interface PolicyTestFile {
  /** Snapshot files named by the file, resolved against the file's folder. */
  snapshots: string[];
  tests: PolicyTest[];
}

/** A test file that cannot be used; `problems` lists each with its JSON path. */
export class PolicyTestFileError extends Error {
  readonly problems: { path: string; message: string }[];
  constructor(file: string, problems: { path: string; message: string }[]) {
    super(
      `${file} is not a valid policy test file; fix it and retry:\n` +
        problems.map((p) => `  ${p.path || '(document)'}: ${p.message}`).join('\n'),
    );
    this.name = 'PolicyTestFileError';
    this.problems = problems;
  }
}

/** Keys a test may have: the simulate request's, plus `name` and `expect`. */
const TEST_KEYS = new Set([
  'name',
  'expect',
  'principal',
  'action',
  'resource',
  'context',
  'resourceAccount',
  'unknownKeys',
  'time',
  'errorCode',
  'errorMessage',
  's3',
]);
const FILE_KEYS = new Set(['$schema', 'description', 'snapshot', 'defaults', 'tests']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** 1-based lines of each `"expect":` key in the raw text, in order (linear scan). */
function expectLines(text: string): number[] {
  const out: number[] = [];
  let line = 1;
  const re = /"expect"\s*:|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '\n') line++;
    else out.push(line);
  }
  return out;
}

/**
 * Validates a parsed test file (`json`, read from `file`, raw `text` for line numbers) and turns each test
 * into an S3 request with `parseRequest` (the simulate request parser). Throws {@link PolicyTestFileError}
 * listing every problem.
 */
export function parsePolicyTestFile(
  json: unknown,
  file: string,
  text: string,
  parseRequest: (json: unknown) => S3Request,
): PolicyTestFile {
  const problems: { path: string; message: string }[] = [];
  if (!isRecord(json)) throw new PolicyTestFileError(file, [{ path: '', message: 'must be a JSON object' }]);
  for (const k of Object.keys(json))
    if (!FILE_KEYS.has(k))
      problems.push({ path: k, message: `unknown key (known: ${[...FILE_KEYS].join(', ')})` });
  const snapshots: string[] = [];
  const snap = json.snapshot;
  if (snap !== undefined) {
    const list = typeof snap === 'string' ? [snap] : Array.isArray(snap) ? snap : undefined;
    if (!list || !list.every((s) => typeof s === 'string' && s !== ''))
      problems.push({ path: 'snapshot', message: 'must be a file path or an array of file paths' });
    else for (const s of list as string[]) snapshots.push(isAbsolute(s) ? s : resolve(dirname(file), s));
  }
  let defaults: Record<string, unknown> = {};
  if (json.defaults !== undefined) {
    if (!isRecord(json.defaults)) problems.push({ path: 'defaults', message: 'must be an object' });
    else {
      defaults = json.defaults;
      for (const k of Object.keys(defaults))
        if (!TEST_KEYS.has(k) || k === 'name' || k === 'expect')
          problems.push({ path: `defaults.${k}`, message: 'not a request field' });
    }
  }
  if (!Array.isArray(json.tests) || json.tests.length === 0) {
    problems.push({ path: 'tests', message: 'must be a non-empty array of tests' });
    throw new PolicyTestFileError(file, problems);
  }
  const lines = expectLines(text);
  const located = lines.length === json.tests.length;
  const tests: PolicyTest[] = [];
  json.tests.forEach((t: unknown, index) => {
    const at = `tests[${index}]`;
    if (!isRecord(t)) {
      problems.push({ path: at, message: 'must be an object' });
      return;
    }
    for (const k of Object.keys(t))
      if (!TEST_KEYS.has(k))
        problems.push({ path: `${at}.${k}`, message: `unknown key (known: ${[...TEST_KEYS].join(', ')})` });
    const name = t.name === undefined ? `test ${index + 1}` : t.name;
    if (typeof name !== 'string' || name.trim() === '')
      problems.push({ path: `${at}.name`, message: 'must be a non-empty string' });
    const expect = t.expect;
    if (typeof expect !== 'string' || !(EXPECTATIONS as readonly string[]).includes(expect)) {
      problems.push({ path: `${at}.expect`, message: `must be one of ${EXPECTATIONS.join(', ')}` });
      return;
    }
    const merged: Record<string, unknown> = { ...defaults, ...t };
    if (isRecord(defaults.context) && isRecord(t.context))
      merged.context = { ...defaults.context, ...t.context };
    delete merged.name;
    delete merged.expect;
    let request: S3Request;
    try {
      request = parseRequest(merged);
    } catch (e) {
      const ps = (e as { problems?: { path: string; message: string }[] }).problems;
      if (ps?.length) for (const p of ps) problems.push({ path: `${at}.${p.path}`, message: p.message });
      else problems.push({ path: at, message: (e as Error).message });
      return;
    }
    tests.push({
      name: String(name),
      index,
      ...(located ? { line: lines[index]! } : {}),
      expect: expect as Expectation,
      request,
      label: `${String(merged.principal)} -> ${String(merged.action)} on ${String(merged.resource)}`,
    });
  });
  if (problems.length) throw new PolicyTestFileError(file, problems);
  return { snapshots, tests };
}

/** The outcome of one test. */
export interface PolicyTestOutcome {
  test: PolicyTest;
  /** `pass`: every decision the evidence leaves possible meets the expectation; `fail`: none does; `undetermined`: unknown evidence decides. */
  status: 'pass' | 'fail' | 'undetermined';
  evaluation: Evaluation;
}

/** Whether `decision` meets `expect`. */
export function meets(expect: Expectation, decision: Decision): boolean {
  return expect === 'denied' ? decision !== 'Allowed' : decision === expect;
}

/**
 * Runs the tests. Sound under unknown evidence: a test passes only when every decision still possible
 * meets its expectation, fails when none does, and is undetermined (which counts as not passing) otherwise.
 */
export function runPolicyTests(
  tests: PolicyTest[],
  evidence: Evidence,
  evaluate: (r: S3Request, e: Evidence) => Evaluation,
): PolicyTestOutcome[] {
  return tests.map((test) => {
    const evaluation = evaluate(test.request, evidence);
    const possible = evaluation.possibleDecisions.length
      ? evaluation.possibleDecisions
      : [evaluation.decision];
    const ok = possible.map((d) => meets(test.expect, d));
    const status = ok.every(Boolean) ? 'pass' : ok.some(Boolean) ? 'undetermined' : 'fail';
    return { test, status, evaluation };
  });
}
