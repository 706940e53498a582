// Policy test files: validation with paths and lines, defaults, and sound pass/fail/undetermined outcomes.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateRequest, parseSimulateRequest } from '../../src/authz/index.js';
import { loadSnapshots } from '../../src/evidence/index.js';
import type { Evidence } from '../../src/model/index.js';
import {
  PolicyTestFileError,
  parsePolicyTestFile,
  runPolicyTests,
  type PolicyTestFile,
} from '../../src/policy-test/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SNAP = join(ROOT, 'examples', 'deny-http', 'snapshot.json');
const SESSION = 'arn:aws:sts::111122223333:assumed-role/reports-app/i-0a1b2c3d4e5f';
const KEY = 'arn:aws:s3:::reports-bucket/2026/q3.csv';

function parse(doc: unknown, text = JSON.stringify(doc, null, 2)): PolicyTestFile {
  return parsePolicyTestFile(doc, '/tmp/t/tests.json', text, parseSimulateRequest);
}

function problems(doc: unknown): string[] {
  try {
    parse(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyTestFileError);
    return (e as PolicyTestFileError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the file to be rejected');
}

describe('parsePolicyTestFile', () => {
  it('lists every problem with its path: unknown keys, bad expect, request problems', () => {
    const ps = problems({
      snapshot: 3,
      tests: [
        { principal: SESSION, action: 's3:GetObject', resource: KEY, expected: 'Allowed', expect: 'Allowed' },
        { principal: SESSION, action: 's3:GetObject', resource: KEY, expect: 'allowed' },
        { principal: SESSION, action: 'GetObject', resource: KEY, expect: 'denied' },
      ],
    });
    expect(ps).toEqual([
      'snapshot: must be a file path or an array of file paths',
      expect.stringMatching(/^tests\[0\]\.expected: unknown key/),
      'tests[1].expect: must be one of Allowed, ImplicitDeny, ExplicitDeny, NotAuthenticated, denied',
      'tests[2].action: must be service:Action, e.g. s3:GetObject (no wildcards)',
    ]);
    expect(problems({ tests: [] })).toEqual(['tests: must be a non-empty array of tests']);
  });

  it('resolves snapshots against the file, merges defaults (context key by key) and finds each test line', () => {
    const text = `{
  "snapshot": ["a.json", "/abs/b.json"],
  "defaults": { "principal": "${SESSION}", "context": { "aws:SecureTransport": "true", "aws:SourceIp": "192.0.2.1" } },
  "tests": [
    { "action": "s3:GetObject", "resource": "${KEY}",
      "expect": "Allowed" },
    { "name": "http", "action": "s3:GetObject", "resource": "${KEY}", "context": { "aws:SecureTransport": "false" }, "expect": "denied" }
  ]
}`;
    const f = parsePolicyTestFile(JSON.parse(text), '/tmp/t/tests.json', text, parseSimulateRequest);
    expect(f.snapshots).toEqual(['/tmp/t/a.json', '/abs/b.json']);
    expect(f.tests.map((t) => [t.name, t.line, t.expect])).toEqual([
      ['test 1', 6, 'Allowed'],
      ['http', 7, 'denied'],
    ]);
    const ctx = f.tests[1]!.request.authorizations[0]!.context;
    expect(ctx['aws:SecureTransport']).toBe('false');
    expect(ctx['aws:SourceIp']).toBe('192.0.2.1');
  });
});

describe('runPolicyTests', () => {
  async function evidence(): Promise<Evidence> {
    return loadSnapshots([SNAP]);
  }
  const tests = {
    defaults: { principal: SESSION, context: { 'aws:SecureTransport': 'true' } },
    tests: [
      { name: 'reads', action: 's3:GetObject', resource: KEY, expect: 'Allowed' },
      {
        name: 'http',
        action: 's3:GetObject',
        resource: KEY,
        context: { 'aws:SecureTransport': 'false' },
        expect: 'ExplicitDeny',
      },
      { name: 'wrong', action: 's3:PutObject', resource: KEY, expect: 'Allowed' },
      { name: 'denied covers ImplicitDeny', action: 's3:PutObject', resource: KEY, expect: 'denied' },
    ],
  };

  it('passes what the evidence proves and fails what it contradicts', async () => {
    const out = runPolicyTests(parse(tests).tests, await evidence(), evaluateRequest);
    expect(out.map((o) => `${o.test.name}:${o.status}:${o.evaluation.decision}`)).toEqual([
      'reads:pass:Allowed',
      'http:pass:ExplicitDeny',
      'wrong:fail:ImplicitDeny',
      'denied covers ImplicitDeny:pass:ImplicitDeny',
    ]);
  });

  it('unknown service control policies leave an Allowed expectation undetermined, but "denied" still passes', async () => {
    const ev = await evidence();
    // Unknown: whether the account is in an organization, and its SCPs.
    const account = ev.accounts['111122223333'] as {
      serviceControlPolicies?: unknown;
      organizationId?: unknown;
    };
    delete account.serviceControlPolicies;
    delete account.organizationId;
    const out = runPolicyTests(parse(tests).tests, ev, evaluateRequest);
    expect(out[0]!.status).toBe('undetermined');
    expect(out[0]!.evaluation.possibleDecisions).toContain('ExplicitDeny');
    expect(out[3]!.status).toBe('pass');
  });
});

describe('the example test file', () => {
  it('is valid against docs/policy-test.schema.json and parses', async () => {
    const { Ajv } = await import('ajv');
    const schema = JSON.parse(readFileSync(join(ROOT, 'docs', 'policy-test.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: true }).compile(schema);
    const file = join(ROOT, 'examples', 'policy-tests', 'tests.json');
    const text = readFileSync(file, 'utf8');
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ tests: [{ expect: 'Allowed', expected: 'x' }] })).toBe(false);
    expect(parsePolicyTestFile(JSON.parse(text), file, text, parseSimulateRequest).tests).toHaveLength(4);
  });
});
