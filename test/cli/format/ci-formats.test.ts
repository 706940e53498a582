// SARIF (validated against the vendored SARIF 2.1.0 schema), GitHub workflow commands, NDJSON and --fail-on.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parseFailOn } from '../../../src/cli/fail-on.js';
import { reportFailOnExit, triageFailOnExit } from '../../../src/cli/fail-on-exit.js';
import {
  escapeData,
  escapeProperty,
  renderReportGithub,
  renderTriageGithub,
  workflowCommand,
} from '../../../src/cli/format/github.js';
import { ndjsonLine, renderTriageNdjson } from '../../../src/cli/format/ndjson.js';
import {
  renderReportSarif,
  renderTriageSarif,
  ruleDocPath,
  sarifLocation,
} from '../../../src/cli/format/sarif.js';
import { sarifOptions } from '../../../src/cli/sarif-rules.js';
import type { SecurityFinding, TriageReport } from '../../../src/model/index.js';
import { denyResult, sampleReport, sampleTriage, unexplainedResult } from '../fixtures.js';

// The schema from github:oasis-tcs/sarif-spec (sarif-2.1/prose/sarif-schema-2.1.0.json, draft-07, commit e0583813).
const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'),
) as object;
const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
// unicodeRegExp: false because the schema's "language" pattern has a stray "]" that the u flag rejects.
const ajv = addFormats(new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }));
const validate = ajv.compile(schema);

function valid(text: string): unknown {
  const doc = JSON.parse(text) as unknown;
  const ok = validate(doc);
  if (!ok) throw new Error(JSON.stringify(validate.errors, null, 2));
  return doc;
}

const finding: SecurityFinding = {
  kind: 'anonymous-key-enumeration',
  severity: 'high',
  summary: 'Anonymous requests from 203.0.113.66 were denied on 40 distinct keys of reports-bucket.',
  sourceIp: '203.0.113.66',
  bucket: 'reports-bucket',
  count: 40,
  distinct: 40,
  threshold: 25,
  samples: [
    {
      input: { source: 'logs/a b.log', line: 3002 },
      principal: 'anonymous',
      bucket: 'reports-bucket',
      key: 'secret/1',
      errorCode: 'AccessDenied',
    },
  ],
};

function triageWithFinding(): TriageReport {
  return { ...sampleTriage(), findings: [finding] };
}

describe('SARIF', () => {
  it('the schema itself is the draft-07 SARIF 2.1.0 schema and rejects a wrong document', () => {
    expect((schema as { $schema: string }).$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
  });

  it('diagnose: one result per cause plus the unexplained one, rule ids from the catalogue with helpUri and docs', async () => {
    const opts = await sarifOptions();
    const doc = valid(renderReportSarif(sampleReport(), opts)) as {
      runs: {
        tool: {
          driver: {
            rules: {
              id: string;
              helpUri?: string;
              help?: { markdown: string };
              properties?: { ruleDoc?: string };
            }[];
          };
        };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          locations: unknown[];
          message: { text: string };
        }[];
      }[];
    };
    const run = doc.runs[0]!;
    const ids = run.results.map((r) => `${r.ruleId}:${r.level}`);
    expect(ids).toEqual([
      'bucket-policy/deny-insecure-transport:error',
      'identity/missing-allow-identity-policy:note',
      's3doctor/unexplained:warning',
    ]);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    const rule = run.tool.driver.rules.find((r) => r.id === 'bucket-policy/deny-insecure-transport')!;
    // No documentation site is published: no helpUri without --rule-docs-url, the doc's path in the package instead.
    expect(rule.helpUri).toBeUndefined();
    expect(rule.properties?.ruleDoc).toBe('rules/bucket-policy/deny-insecure-transport.md');
    expect(rule.help?.markdown).toContain('aws:SecureTransport');
    expect(run.results[2]!.message.text).toContain(
      'missing evidence: principals.arn:aws:iam::111122223333:user/alice.policies',
    );
    // A CloudTrail event has no line: the file without a region, and the resource as a logical location.
    expect(run.results[2]!.locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: 'trail.json' } },
      logicalLocations: [{ fullyQualifiedName: 'arn:aws:s3:::uploads/x|y.txt', kind: 'resource' }],
    });
  });

  it('--rule-docs-url moves helpUri', async () => {
    const doc = valid(
      renderReportSarif({ results: [denyResult()] }, await sarifOptions('https://example.com/docs')),
    ) as {
      runs: { tool: { driver: { rules: { helpUri: string }[] } } }[];
    };
    expect(doc.runs[0]!.tool.driver.rules[0]!.helpUri).toBe(
      'https://example.com/docs/bucket-policy/deny-insecure-transport.md',
    );
  });

  it('every catalogued rule names a rule doc the package ships (rules/<id>.md exists)', async () => {
    const { allRules } = await import('../../../src/engine/registry.js');
    const { existsSync } = await import('node:fs');
    const root = join(import.meta.dirname, '..', '..', '..');
    const rules = allRules();
    expect(rules.length).toBeGreaterThan(10);
    for (const r of rules) expect(existsSync(join(root, ruleDocPath(r.id))), r.id).toBe(true);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('rules/**/*.md');
  });

  it('triage: group diagnoses and security findings, valid with odd paths (spaces, stdin, absolute)', async () => {
    const t = triageWithFinding();
    t.groups[0]!.diagnosis = { ...denyResult(), input: { source: '/var/log/my logs/a.log', line: 3 } };
    const doc = valid(renderTriageSarif(t, await sarifOptions())) as {
      runs: {
        results: {
          ruleId: string;
          level: string;
          locations: { physicalLocation?: { artifactLocation: { uri: string } } }[];
          properties: Record<string, unknown>;
        }[];
      }[];
    };
    const results = doc.runs[0]!.results;
    expect(results.map((r) => r.ruleId)).toEqual([
      'bucket-policy/deny-insecure-transport',
      'security/anonymous-key-enumeration',
    ]);
    expect(results[0]!.properties.denials).toBe(2);
    expect(results[0]!.locations[0]!.physicalLocation!.artifactLocation.uri).toBe(
      'file:///var/log/my%20logs/a.log',
    );
    expect(results[1]!.level).toBe('error');
    expect(results[1]!.locations[0]!.physicalLocation!.artifactLocation.uri).toBe('logs/a%20b.log');
    expect(sarifLocation('-', undefined)).toEqual({
      logicalLocations: [{ fullyQualifiedName: '-', kind: 'module' }],
    });
  });

  it('an empty report is a valid log with no results', async () => {
    const doc = valid(renderReportSarif({ results: [] }, await sarifOptions())) as {
      runs: { results: unknown[] }[];
    };
    expect(doc.runs[0]!.results).toEqual([]);
  });
});

describe('GitHub workflow commands', () => {
  it('escapes %, CR and LF in data, and also : and , in properties; drops other control characters', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    expect(escapeData('x\u001b[31mred\u0007')).toBe('x[31mred');
    expect(
      workflowCommand('error', { file: 'a,b:c.log', line: 3, title: 't' }, 'm\n::stop-commands::x'),
    ).toBe('::error file=a%2Cb%3Ac.log,line=3,title=t::m%0A::stop-commands::x\n');
  });

  it('a hostile key cannot start a new command line', () => {
    const r = denyResult();
    r.request.resource = 'arn:aws:s3:::reports-bucket/x\n::error::pwned';
    const out = renderReportGithub({ results: [r] });
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
    expect(out).toContain('x%0A::error::pwned');
  });

  it('diagnose: certain cause is an error on file and line; unexplained is a warning naming the missing evidence', () => {
    const out = renderReportGithub(sampleReport()).split('\n').filter(Boolean);
    expect(out[0]).toMatch(
      /^::error file=access.log,line=42,title=explicit-deny-bucket-policy \(certain\)::/,
    );
    expect(out[1]).toMatch(/^::notice file=trail.json,title=missing-allow-identity-policy \(possible\)::/);
    expect(out[2]).toMatch(
      /^::warning file=trail.json,title=unexplained denial::.*missing evidence: principals\.arn/,
    );
  });

  it('triage: groups with and without diagnosis, and findings', () => {
    const out = renderTriageGithub(triageWithFinding()).split('\n').filter(Boolean);
    expect(out).toHaveLength(3);
    expect(out[0]).toContain('(2 denials)');
    expect(out[1]).toMatch(
      /^::warning file=b.log,line=1,title=AccessDenied \(1 denials\)::anonymous -> s3%3AListBucket|^::warning file=b.log,line=1,title=AccessDenied \(1 denials\)::anonymous -> s3:ListBucket/,
    );
    expect(out[2]).toMatch(
      /^::error file=logs\/a b.log,line=3002,title=security%3A anonymous-key-enumeration::Anonymous/,
    );
  });
});

describe('NDJSON', () => {
  it('one object per line, record kinds scan/group/finding, JSON fields kept', () => {
    const lines = renderTriageNdjson(triageWithFinding()).split('\n');
    expect(lines.pop()).toBe('');
    const objs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs.map((o) => o.record)).toEqual(['scan', 'group', 'group', 'finding']);
    expect(objs[0]).toMatchObject({ scanned: { denied: 3 }, malformed: 1 });
    expect(objs[1]).toMatchObject({
      count: 2,
      principal: 'arn:aws:iam::111122223333:user/alice',
      diagnosis: { decision: 'ExplicitDeny' },
    });
    expect(objs[3]).toMatchObject({ kind: 'anonymous-key-enumeration', sourceIp: '203.0.113.66' });
  });

  it('line separators inside values stay escaped', () => {
    expect(ndjsonLine({ k: 'a\nb\u2028c' })).toBe('{"k":"a\\nb\\u2028c"}\n');
  });
});

describe('--fail-on', () => {
  it('parses, dedupes and rejects unknown outcomes', () => {
    expect(parseFailOn('denied, finding,denied')).toEqual(['denied', 'finding']);
    expect(() => parseFailOn('sometimes')).toThrow(
      /unknown --fail-on outcome "sometimes": use unexplained, denied, finding, none/,
    );
    expect(() => parseFailOn('none,denied')).toThrow(/cannot be combined/);
  });

  it('default keeps the contract: 1 only when a request is unexplained', () => {
    expect(reportFailOnExit({ schemaVersion: 1, results: [denyResult()] })).toBe(0);
    expect(reportFailOnExit(sampleReport())).toBe(1);
    expect(reportFailOnExit(sampleReport(), ['none'])).toBe(0);
    expect(reportFailOnExit({ schemaVersion: 1, results: [denyResult()] }, ['denied'])).toBe(1);
    expect(reportFailOnExit({ schemaVersion: 1, results: [] }, ['denied'])).toBe(0);
    expect(reportFailOnExit({ schemaVersion: 1, results: [unexplainedResult()] }, ['denied'])).toBe(1);
  });

  it('triage: finding and denied', () => {
    expect(triageFailOnExit(sampleTriage())).toBe(0);
    expect(triageFailOnExit(sampleTriage(), ['finding'])).toBe(0);
    expect(triageFailOnExit(triageWithFinding(), ['finding'])).toBe(1);
    expect(triageFailOnExit(sampleTriage(), ['denied'])).toBe(1);
    expect(
      triageFailOnExit({ ...sampleTriage(), scanned: { ...sampleTriage().scanned, denied: 0 }, groups: [] }, [
        'denied',
      ]),
    ).toBe(0);
  });
});
