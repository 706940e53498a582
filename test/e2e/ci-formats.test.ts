// End-to-end: diagnose and triage in CI formats (sarif, github, ndjson) and --fail-on, run on the built CLI.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from './helpers.js';

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
function line(i: number, requester: string, key: string, code: string, ip: string): string {
  const s = String(i % 60).padStart(2, '0');
  return `${OWNER} reports [01/Nov/2026:10:0${Math.floor(i / 60)}:${s} +0000] ${ip} ${requester} REQ${i} REST.GET.OBJECT ${key} "GET /${key} HTTP/1.1" 403 ${code} 243 - 12 - "-" "curl/8" - HOST${i}= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader reports.s3.us-east-1.amazonaws.com TLSv1.2 - -`;
}

let log: string;
beforeAll(() => {
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), 's3d-ci-'));
  log = join(dir, 'access.log');
  const lines: string[] = [];
  for (let i = 0; i < 30; i++) lines.push(line(i, '-', `secret/${i}.txt`, 'AccessDenied', '203.0.113.66'));
  writeFileSync(log, lines.join('\n') + '\n');
});

const example = ['examples/deny-http/input.log', '--snapshot', 'examples/deny-http/snapshot.json'];

describe('diagnose in CI formats', () => {
  it('--format sarif: a SARIF 2.1.0 log naming the catalogue rule, file and line', async () => {
    const r = await runCli(['diagnose', ...example, '--format', 'sarif']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      version: string;
      runs: { results: { ruleId: string; level: string; locations: { physicalLocation: unknown }[] }[] }[];
    };
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs[0]!.results[0]).toMatchObject({
      ruleId: 'bucket-policy/deny-insecure-transport',
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'examples/deny-http/input.log' },
            region: { startLine: 1 },
          },
        },
      ],
    });
  });

  it('--format github: one error annotation; --fail-on denied turns the explained denial into exit 1', async () => {
    const r = await runCli(['diagnose', ...example, '--format', 'github']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^::error file=examples\/deny-http\/input.log,line=1,title=explicit-deny-bucket-policy \(certain\)::/,
    );
    const gate = await runCli(['diagnose', ...example, '--format', 'github', '--fail-on', 'denied']);
    expect(gate.code).toBe(1);
  });

  it('--fail-on none: an unexplained request (no evidence) exits 0 instead of 1', async () => {
    const plain = await runCli(['diagnose', 'examples/deny-http/input.log', '--format', 'json']);
    expect(plain.code).toBe(1);
    const none = await runCli([
      'diagnose',
      'examples/deny-http/input.log',
      '--format',
      'json',
      '--fail-on',
      'none',
    ]);
    expect(none.code).toBe(0);
  });

  it('a bad --fail-on value is a usage error (exit 2)', async () => {
    const r = await runCli(['diagnose', ...example, '--fail-on', 'often']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown --fail-on outcome "often"');
  });
});

describe('triage in CI formats', () => {
  it('--format sarif carries the security finding; --fail-on finding exits 1', async () => {
    const r = await runCli(['triage', log, '--format', 'sarif', '--workers', '1']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
    expect(doc.runs[0]!.results).toEqual([
      expect.objectContaining({ ruleId: 'security/anonymous-key-enumeration', level: 'error' }),
    ]);
    const gate = await runCli(['triage', log, '--format', 'sarif', '--workers', '1', '--fail-on', 'finding']);
    expect(gate.code).toBe(1);
  });

  it('--format ndjson: a scan line, the group and the finding, one JSON object per line', async () => {
    const r = await runCli(['triage', log, '--format', 'ndjson', '--workers', '1']);
    expect(r.code).toBe(0);
    const recs = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { record: string; count?: number; kind?: string });
    expect(recs.map((x) => x.record)).toEqual(['scan', 'group', 'finding']);
    expect(recs[1]!.count).toBe(30);
    expect(recs[2]!.kind).toBe('anonymous-key-enumeration');
  });

  it('--format github: the undiagnosed group and the finding as annotations', async () => {
    const r = await runCli(['triage', log, '--format', 'github', '--workers', '1']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('(30 denials)');
    expect(lines[1]).toMatch(
      /^::error file=.*access.log,line=1,title=security%3A anonymous-key-enumeration::/,
    );
  });
});
