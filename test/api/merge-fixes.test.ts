// Fixes for one policy document are merged the same way by the library's diagnose() and triage() as by the CLI: following every printed fix in order leaves every request allowed.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose, loadSnapshot, triage } from '../../src/api/index.js';
import type { Fix, PolicyPatch, Result } from '../../src/model/index.js';
import { runCli } from '../e2e/helpers.js';

const events = join(import.meta.dirname, 'fixtures', 'two-fixes-one-role.events.json');
const snapshot = join(import.meta.dirname, 'fixtures', 'two-fixes-one-role.snapshot.json');
const POLICY = 'arn:aws:iam::111122223333:role/reports-app';

/** The statements (action on resource) of the identity policy the result's first fix writes. */
function granted(r: Result): string[] {
  const fix = r.causes[0]!.fixes[0]! as Fix & { patch?: PolicyPatch };
  expect(fix.patch?.target).toMatchObject({ type: 'identity-policy', id: POLICY });
  const doc = fix.patch!.after as { Statement: { Action: string; Resource: string }[] };
  return doc.Statement.map((s) => `${s.Action} ${s.Resource}`).sort();
}

const BOTH = [
  's3:GetObject arn:aws:s3:::reports-bucket/2026/q3.csv',
  's3:PutObject arn:aws:s3:::reports-bucket/2026/q4.csv',
];

describe('fixes of one target document, merged', () => {
  it('diagnose(): the second fix carries the first one too, as diagnose --format json', async () => {
    const evidence = await loadSnapshot(snapshot);
    const report = await diagnose(events, { evidence });
    expect(report.results).toHaveLength(2);
    expect(granted(report.results[0]!)).toEqual([BOTH[0]]);
    expect(granted(report.results[1]!)).toEqual(BOTH);
    const cli = await runCli(['diagnose', events, '--snapshot', snapshot, '--format', 'json']);
    const doc = JSON.parse(cli.stdout) as { results: Result[] };
    expect(doc.results.map(granted)).toEqual(report.results.map(granted));
  });

  it('triage(): the groups diagnosed last carry every earlier fix to the same policy, as triage --format json', async () => {
    const evidence = await loadSnapshot(snapshot);
    const report = await triage(events, { evidence, workers: 1 });
    const results = report.groups.map((g) => g.diagnosis).filter((d): d is Result => d !== undefined);
    expect(results).toHaveLength(2);
    // Whatever the group order, one of the two fixes grants both requests.
    expect(results.map(granted).some((g) => g.length === 2)).toBe(true);
    expect(results.map(granted).flat()).toEqual(expect.arrayContaining(BOTH));
    const cli = await runCli([
      'triage',
      events,
      '--snapshot',
      snapshot,
      '--format',
      'json',
      '--workers',
      '1',
    ]);
    const doc = JSON.parse(cli.stdout) as { groups: { diagnosis?: Result }[] };
    expect(doc.groups.map((g) => granted(g.diagnosis!))).toEqual(results.map(granted));
  });
});
