// Unit tests of the formatters: text (colour on/off), JSON (CONTRACT shapes), Markdown (runbook sections).

import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { renderReportJson, renderTriageJson } from '../../src/cli/format/json.js';
import { evidenceRows, renderReportMarkdown, renderTriageMarkdown } from '../../src/cli/format/markdown.js';
import { colourWanted, makeStyler, stripAnsi } from '../../src/cli/format/style.js';
import { colourDiff, formatBytes, renderReportText, renderTriageText } from '../../src/cli/format/text.js';
import { collectHint } from '../../src/cli/format/hints.js';
import { isExplained } from '../../src/cli/format/common.js';
import { findPolicyStatement } from '../../src/evidence/policy-lookup.js';
import { denyResult, sampleEvidence, sampleReport, sampleTriage, unexplainedResult } from './fixtures.js';
import { SCHEMA_IDS } from '../../src/model/schema-ids.js';

const ESC = '\u001b[';

describe('style', () => {
  it('colours only when enabled', () => {
    expect(makeStyler(false)('red', 'x')).toBe('x');
    expect(makeStyler(true)(['bold', 'red'], 'x')).toBe(`${ESC}1m${ESC}31mx${ESC}39m${ESC}22m`);
    expect(stripAnsi(makeStyler(true)(['bold', 'red'], 'x'))).toBe('x');
  });
  it('wants colour on a TTY without NO_COLOR, never with it', () => {
    expect(colourWanted({ isTTY: true }, {})).toBe(true);
    expect(colourWanted({ isTTY: false }, {})).toBe(false);
    expect(colourWanted({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourWanted({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourWanted({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});

describe('text formatter', () => {
  it('shows the request, the verdict, the cause with its condition, the fix and the unknowns', () => {
    const out = renderReportText(sampleReport(), { colour: false, evidence: sampleEvidence() });
    expect(out).not.toContain(ESC);
    expect(out).toContain('access.log:42');
    expect(out).toContain('arn:aws:sts::111122223333:assumed-role/app/s1');
    expect(out).toContain('Explicit deny');
    expect(out).toContain('explicit-deny-bucket-policy (certain)');
    expect(out).toContain('condition: Bool aws:SecureTransport [false]; request value: false');
    // The deciding statement is shown verbatim from the evidence.
    expect(out).toContain('"Sid": "DenyHttp"');
    expect(out).toContain('verified: the request is allowed after this change');
    expect(out).toContain('grants nothing beyond the denied request (24 probes checked)');
    expect(out).toContain('aws s3api put-bucket-policy --bucket reports-bucket');
    expect(out).toContain(
      'accounts.111122223333.serviceControlPolicies could explain explicit-deny-scp, missing-allow-scp',
    );
    expect(out).toContain('organizations:ListPoliciesForTarget');
    expect(out).toContain('skipped access.log:7: too few fields');
    expect(out).toContain('2 denied requests: 1 explained, 1 not explained; 1 malformed entry skipped');
  });
  it('colours the diff and highlights the condition when colour is on', () => {
    const out = renderReportText(sampleReport(), { colour: true, evidence: sampleEvidence() });
    expect(out).toContain(`${ESC}32m+  "Sid": "DenyHttpX"`);
    expect(out).toContain(`${ESC}31m-  "Sid": "DenyHttp"`);
    expect(stripAnsi(out)).toBe(
      renderReportText(sampleReport(), { colour: false, evidence: sampleEvidence() }),
    );
  });
  it('says when no denied request was found', () => {
    expect(renderReportText({ schemaVersion: 1, results: [] }, { colour: false })).toContain(
      'No denied request found',
    );
  });
  it('colours diff lines by kind', () => {
    const s = makeStyler(true);
    expect(colourDiff('+a\n-b\n c\n@@ x', s).split('\n')).toEqual([
      `${ESC}32m+a${ESC}39m`,
      `${ESC}31m-b${ESC}39m`,
      ' c',
      `${ESC}36m@@ x${ESC}39m`,
    ]);
  });
  it('renders a ranked triage summary', () => {
    const out = renderTriageText(sampleTriage(), { colour: false });
    expect(out).toContain('Scanned 2 files, 100 lines (2.0 KiB): 3 denied, 1 malformed');
    const first = out.indexOf('#1');
    const second = out.indexOf('#2');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(out).toContain('#1 2 66.7%  AccessDenied  s3:GetObject  s3://reports-bucket/finance/');
    expect(out).toContain('2026-11-01T00:00:04Z .. 2026-11-24T23:59:58Z');
    expect(out).toContain('cause       explicit-deny-bucket-policy (certain)');
    expect(out).toContain('skipped a.log:9: unterminated quoted field');
  });
  it('formats byte counts', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1073741824)).toBe('1.0 GiB');
  });
});

describe('json formatter', () => {
  it('prints the Report exactly, schemaVersion 1', () => {
    const r = sampleReport();
    const parsed = JSON.parse(renderReportJson(r));
    expect(parsed).toEqual({ $schema: SCHEMA_IDS.result, ...r });
    expect(parsed.schemaVersion).toBe(1);
    expect(parsed.results[0].causes[0].policy).toEqual({
      type: 'bucket-policy',
      id: 'reports-bucket',
      statementIndex: 0,
      sid: 'DenyHttp',
    });
  });
  it('prints the TriageReport exactly', () => {
    const t = sampleTriage();
    expect(JSON.parse(renderTriageJson(t))).toEqual({ $schema: SCHEMA_IDS.triage, ...t });
  });
});

describe('markdown formatter', () => {
  const md = renderReportMarkdown(sampleReport(), { evidence: sampleEvidence() });
  it('has the runbook sections in order', () => {
    const sections = [
      '### Request',
      '### Verdict',
      '### Evidence',
      '### Causes',
      '### Fixes',
      '### Unknowns and how to collect them',
    ];
    let at = 0;
    for (const s of sections) {
      const i = md.indexOf(s, at);
      expect(i, s).toBeGreaterThanOrEqual(at);
      at = i;
    }
  });
  it('includes the diff, the commands and the statement in fenced blocks', () => {
    expect(md).toContain('```diff\n--- before');
    expect(md).toContain('```sh\naws s3api put-bucket-policy');
    expect(md).toContain('```json\n{\n  "Sid": "DenyHttp"');
  });
  it('escapes table cells', () => {
    expect(md).toContain('arn:aws:s3:::uploads/x\\|y.txt');
  });
  it('tells how to collect each unknown', () => {
    expect(md).toContain(
      '| `context.aws:SecureTransport` | `explicit-deny-bucket-policy` | say whether the client used HTTPS: --https yes\\|no',
    );
  });
  it('lists what the evidence knew, unknown and not configured apart', () => {
    const rows = Object.fromEntries(evidenceRows(denyResult(), sampleEvidence()));
    expect(rows['Identity policies of arn:aws:iam::111122223333:role/app']).toBe('1 policy');
    expect(rows['Permissions boundary of arn:aws:iam::111122223333:role/app']).toBe('none');
    expect(rows['Bucket ACL']).toBe('unknown');
    expect(rows['SCPs of 111122223333']).toBe('unknown');
    expect(rows['Block Public Access (account 111122223333)']).toBe('none');
    expect(evidenceRows(unexplainedResult(), undefined)).toEqual([
      ['Evidence', 'none: diagnosed from the logs alone'],
    ]);
  });
  it('shows a key with backticks and edge spaces exactly as requested once rendered', () => {
    // A requester chooses the key: replacing its backticks would name another object. CommonMark code spans:
    // https://spec.commonmark.org/0.31.2/#code-spans
    for (const key of ['a`b', '``x`', '`lead', 'trail`', ' both ', 'pipe|and``two']) {
      const r = unexplainedResult();
      r.request.resource = `arn:aws:s3:::uploads/${key}`;
      const html = marked.parse(renderReportMarkdown({ ...sampleReport(), results: [r] }), { async: false });
      const spans = [...html.matchAll(/<code>([^<]*)<\/code>/g)].map((m) =>
        m[1]!
          .replace(/&#39;/g, "'")
          .replace(/&quot;/g, '"')
          .replace(/&amp;/g, '&')
          .replace(/&lt;/g, '<'),
      );
      expect(spans, key).toContain(`arn:aws:s3:::uploads/${key}`);
    }
  });
  it('renders triage as a table', () => {
    const t = renderTriageMarkdown(sampleTriage());
    expect(t).toContain('| 1 | 2 | AccessDenied | `s3:GetObject` | `reports-bucket/finance/` |');
  });
});

describe('helpers', () => {
  it('counts a result as explained when allowed or with a certain/likely cause', () => {
    expect(isExplained(denyResult())).toBe(true);
    expect(isExplained(unexplainedResult())).toBe(false);
    expect(isExplained({ ...unexplainedResult(), decision: 'Allowed' })).toBe(false);
    expect(isExplained({ ...unexplainedResult(), decision: 'Allowed', causes: [], unknowns: [] })).toBe(true);
    // Allowed, but an unknown could still explain a denial: not explained.
    expect(isExplained({ ...unexplainedResult(), decision: 'Allowed', causes: [] })).toBe(false);
  });
  it('counts explained exactly as the engine does', async () => {
    const { explains } = await import('../../src/engine/index.js');
    const cases = [
      denyResult(),
      unexplainedResult(),
      { ...unexplainedResult(), decision: 'Allowed' as const },
      { ...unexplainedResult(), decision: 'Allowed' as const, causes: [], unknowns: [] },
      { ...unexplainedResult(), decision: 'Allowed' as const, causes: [] },
    ];
    for (const c of cases) expect(isExplained(c)).toBe(explains(c));
  });
  it('finds the statement a cause points at', () => {
    expect(
      findPolicyStatement(sampleEvidence(), {
        type: 'bucket-policy',
        id: 'reports-bucket',
        statementIndex: 0,
      })?.Sid,
    ).toBe('DenyHttp');
    expect(
      findPolicyStatement(sampleEvidence(), { type: 'bucket-policy', id: 'other', statementIndex: 0 }),
    ).toBeUndefined();
    expect(
      findPolicyStatement(sampleEvidence(), {
        type: 'identity-policy',
        id: 'arn:aws:iam::111122223333:role/app',
        name: 'ReadReports',
        statementIndex: 0,
      })?.Action,
    ).toBe('s3:GetObject');
  });
  it('hints how to collect unknowns by path', () => {
    expect(collectHint('buckets.b1.policy')).toContain(
      's3doctor collect --bucket b1 --out s3doctor-snapshot.json',
    );
    expect(collectHint('kmsKeys.arn:aws:kms:us-east-1:1:key/k')).toContain(
      'aws kms get-key-policy --key-id arn:aws:kms:us-east-1:1:key/k',
    );
    // GetKeyPolicy takes no alias: a key known by alias is first resolved with DescribeKey.
    // https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
    expect(collectHint('kmsKeys.arn:aws:kms:us-east-1:1:alias/aws/s3')).toContain(
      'aws kms describe-key --key-id arn:aws:kms:us-east-1:1:alias/aws/s3',
    );
    expect(collectHint('context.s3:x-amz-acl')).toContain('s3:x-amz-acl');
    expect(collectHint('weird')).toContain('add weird to a snapshot');
  });
});
