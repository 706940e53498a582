// End-to-end: `s3doctor test FILE` on the built CLI: pass, a failure with its trace, undetermined, formats, exit codes.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertBuilt, runCli } from './helpers.js';

const EXAMPLE = 'examples/policy-tests/tests.json';
let dir: string;
let failing: string;
let open: string;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 's3d-ptest-'));
  const doc = JSON.parse(readFileSync(join(ROOT, EXAMPLE), 'utf8')) as {
    snapshot: string;
    tests: { expect: string }[];
  };
  doc.snapshot = join(ROOT, 'examples', 'deny-http', 'snapshot.json');
  doc.tests[1]!.expect = 'Allowed';
  failing = join(dir, 'failing.json');
  writeFileSync(failing, JSON.stringify(doc, null, 2));
  const snap = JSON.parse(readFileSync(doc.snapshot, 'utf8')) as {
    accounts: Record<string, Record<string, unknown>>;
  };
  delete snap.accounts['111122223333']!.serviceControlPolicies;
  delete snap.accounts['111122223333']!.organizationId;
  writeFileSync(join(dir, 'snap-open.json'), JSON.stringify(snap));
  const openDoc = {
    snapshot: 'snap-open.json',
    defaults: (doc as { defaults?: unknown }).defaults,
    tests: [doc.tests[0]],
  };
  open = join(dir, 'open.json');
  writeFileSync(open, JSON.stringify(openDoc, null, 2));
});

describe('s3doctor test', () => {
  it('the example passes: exit 0, one PASS line per test and the counts', async () => {
    const r = await runCli(['test', EXAMPLE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^PASS {2}/gm)).toHaveLength(4);
    expect(r.stdout).toContain('4 tests: 4 passed, 0 failed');
  });

  it('a failing expectation: exit 1, the file line and the deciding statement', async () => {
    const r = await runCli(['test', failing]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL  plain HTTP is refused by the bucket policy (${failing}:`);
    expect(r.stdout).toContain('expected Allowed, got ExplicitDeny');
    expect(r.stdout).toContain('"DenyInsecureTransport": Deny matched');
    expect(r.stdout).toContain('Bool aws:SecureTransport [false] vs request false -> true');
    expect(r.stdout).toContain('4 tests: 3 passed, 1 failed');
  });

  it('unknown evidence: undetermined, not passed (exit 1), naming the unknown', async () => {
    const r = await runCli(['test', open, '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as {
      summary: Record<string, number>;
      tests: { status: string; reason: string }[];
    };
    expect(j.summary).toEqual({ total: 1, passed: 0, failed: 0, undetermined: 1 });
    expect(j.tests[0]!.status).toBe('undetermined');
    expect(j.tests[0]!.reason).toContain('accounts.111122223333.serviceControlPolicies');
  });

  it('--format json: every test with status; the failed one carries its evaluation trace', async () => {
    const r = await runCli(['test', failing, '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { tests: { status: string; evaluation?: unknown; line?: number }[] };
    expect(j.tests.map((t) => t.status)).toEqual(['pass', 'fail', 'pass', 'pass']);
    expect(j.tests[1]!.evaluation).toBeDefined();
    expect(j.tests[0]!.evaluation).toBeUndefined();
    expect(j.tests[1]!.line).toBeGreaterThan(1);
  });

  it('--format sarif is valid SARIF 2.1.0 with the failure at the test line; --format github annotates it', async () => {
    const r = await runCli(['test', failing, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const schema = JSON.parse(
      readFileSync(join(ROOT, 'test', 'cli', 'format', 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'),
    ) as object;
    const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
    const validate = addFormats(new Ajv({ strict: false, unicodeRegExp: false })).compile(schema);
    const doc = JSON.parse(r.stdout) as {
      runs: {
        results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
      }[];
    };
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.runs[0]!.results).toHaveLength(1);
    expect(doc.runs[0]!.results[0]!.ruleId).toBe('policy-test/failed');
    const g = await runCli(['test', failing, '--format', 'github']);
    expect(g.code).toBe(1);
    expect(g.stdout).toMatch(
      /^::error file=.*failing.json,line=\d+,title=policy test%3A plain HTTP is refused/m,
    );
    expect(g.stdout).toMatch(/^::notice title=s3doctor test::4 tests: 3 passed, 1 failed, 0 undetermined$/m);
  });

  it('a bad file or no evidence is a usage error (exit 2) naming the problem', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ tests: [{ action: 's3:GetObject', expect: 'allow' }] }));
    const r = await runCli(['test', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tests[0].expect: must be one of Allowed, ImplicitDeny');
    const noEv = join(dir, 'noev.json');
    writeFileSync(
      noEv,
      JSON.stringify({
        tests: [
          { principal: 'anonymous', action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', expect: 'denied' },
        ],
      }),
    );
    const n = await runCli(['test', noEv]);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('names no evidence');
  });
});
