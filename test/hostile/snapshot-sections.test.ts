// Snapshot typos: an unknown top-level section ("bukets") is warned about with the nearest known name, and still loads.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshots, parseSnapshot } from '../../src/evidence/snapshot.js';
import { assertBuilt, FIXTURES, runCli } from '../e2e/helpers.js';

describe('unknown snapshot sections', () => {
  it('parseSnapshot loads the evidence and returns a warning naming the nearest section', () => {
    const r = parseSnapshot({ schemaVersion: 1, bukets: { b: {} }, $schema: 'x' }, 's.json');
    expect(r.problems).toEqual([]);
    expect(r.evidence).toBeDefined();
    expect(r.warnings).toEqual([
      'snapshot s.json: unknown top-level section "bukets" is ignored (did you mean "buckets"?)',
    ]);
  });

  it('loadSnapshots reports warnings through onWarning, not by printing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3doctor-sections-'));
    const f = join(dir, 's.json');
    writeFileSync(f, JSON.stringify({ schemaVersion: 1, principal: {}, 'zz\u001b[2J': 1 }));
    const warnings: string[] = [];
    const ev = await loadSnapshots([f], { onWarning: (w) => warnings.push(w) });
    expect(ev.schemaVersion).toBe(1);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/"principal" is ignored \(did you mean "principals"\?\)/);
    expect(warnings[1]!.includes('\u001b')).toBe(false);
  });

  it('diagnose --snapshot with "bukets" warns on stderr and still diagnoses', async () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), 's3doctor-sections-'));
    const snap = JSON.parse(readFileSync(join(FIXTURES, 'snapshot.json'), 'utf8')) as Record<string, unknown>;
    const f = join(dir, 'typo.json');
    writeFileSync(f, JSON.stringify({ ...snap, bukets: {} }));
    const r = await runCli(['diagnose', join(FIXTURES, 'access.log'), '--snapshot', f]);
    expect(r.stderr).toMatch(
      /warning: snapshot .*typo\.json: unknown top-level section "bukets" is ignored \(did you mean "buckets"\?\)/,
    );
    expect(r.code).not.toBe(2);
  });
});
