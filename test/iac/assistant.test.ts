// The assistant's real dependencies with a --iac folder: its diagnosis carries the diff of the source that defines the policy.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realAssistantDeps } from '../../src/cli/commands/assistant.js';
import { loadSnapshot } from '../../src/api/index.js';
import { readInputs } from '../../src/logs/index.js';
import type { LogRecord } from '../../src/model/index.js';
import { exampleFiles, FIXTURES } from './helpers.js';

describe('assistant --iac (real dependencies)', () => {
  it('diagnoses with the folder: the verified bucket-policy fix gets the heredoc diff', async () => {
    const { input, snapshot } = await exampleFiles('cross-account-no-bucket-policy');
    const evidence = await loadSnapshot(snapshot);
    const records: LogRecord[] = [];
    for await (const item of readInputs([input], { deniedOnly: true }))
      if (item.kind === 'record') records.push(item.record);
    const deps = await realAssistantDeps(false);
    const ev = { evidence, kind: 'snapshot' as const };
    const without = await deps.diagnose(records, ev, {});
    const fixes = (rs: typeof without) => rs.flatMap((r) => r.causes.flatMap((c) => c.fixes));
    expect(fixes(without).some((f) => f.iac)).toBe(false);
    const withIac = await deps.diagnose(records, ev, {}, { dir: join(FIXTURES, 'tf-heredoc') });
    const p = fixes(withIac).flatMap((f) => f.iac?.patches ?? [])[0];
    expect(p).toMatchObject({ file: 'main.tf', address: 'aws_s3_bucket_policy.reports', verified: true });
    expect(deps.renderText({ schemaVersion: 1, results: withIac }, evidence)).toContain(
      'Infrastructure as code (--iac):',
    );
  }, 60_000);
});

describe('library API with iac', () => {
  it('triage() gives each group diagnosis the IaC diff, as diagnose() does', async () => {
    const { triage, diagnose } = await import('../../src/api/index.js');
    const { input, snapshot } = await exampleFiles('cross-account-no-bucket-policy');
    const evidence = await loadSnapshot(snapshot);
    const iac = join(FIXTURES, 'tf-heredoc');
    const patchesOf = (rs: { causes: { fixes: { iac?: { patches: { file: string }[] } }[] }[] }[]) =>
      rs.flatMap((r) => r.causes.flatMap((c) => c.fixes.flatMap((f) => f.iac?.patches ?? [])));
    const t = await triage(input, { workers: 1, evidence, iac });
    const diagnosed = t.groups.flatMap((g) => (g.diagnosis ? [g.diagnosis] : []));
    expect(diagnosed.length).toBeGreaterThan(0);
    expect(patchesOf(diagnosed).map((p) => p.file)).toContain('main.tf');
    const d = await diagnose(input, { evidence, iac });
    expect(patchesOf(d.results).map((p) => p.file)).toContain('main.tf');
    const without = await triage(input, { workers: 1, evidence });
    expect(patchesOf(without.groups.flatMap((g) => (g.diagnosis ? [g.diagnosis] : [])))).toEqual([]);
  }, 60_000);
});
