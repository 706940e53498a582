// Hostile snapshots: a document nested 100,000 levels deep is refused in one line (exit 2), not a stack overflow.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/evidence/snapshot.js';
import { assertBuilt, FIXTURES, runCli } from '../e2e/helpers.js';

const deep = (n: number): string => '{"x":'.repeat(n) + '1' + '}'.repeat(n);

describe('snapshot nesting depth', () => {
  it('parseSnapshot refuses a deeply nested unknown key with a problem, without recursing', () => {
    const json = JSON.parse(`{"schemaVersion":1,"bukets":${deep(5000)}}`) as unknown;
    const r = parseSnapshot(json, 's.json');
    expect(r.evidence).toBeUndefined();
    expect(r.problems[0]!.message).toMatch(/nested more than 64 levels/);
  });

  it('diagnose --snapshot with 100,000 levels exits 2 with one line and no stack trace', async () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), 's3doctor-deep-'));
    const snap = join(dir, 'deep.json');
    writeFileSync(snap, `{"schemaVersion":1,"bukets":${deep(100_000)}}`);
    const r = await runCli(['diagnose', join(FIXTURES, 'access.log'), '--snapshot', snap]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nested more than 64 levels/);
    expect(r.stderr).not.toMatch(/RangeError|internal error|\n\s+at /);
  });
});
