// End-to-end: `s3doctor logging` on the built CLI with the example evidence.

import { describe, expect, it, beforeAll } from 'vitest';
import { assertBuilt, runCli } from './helpers.js';

const EV = ['--snapshot', 'examples/logging-readiness/evidence.json'];
beforeAll(() => assertBuilt());

describe('s3doctor logging', () => {
  it('names the layer that blocks log delivery, the gaps and their commands; exit 1', async () => {
    const r = await runCli(['logging', 'app-data', ...EV]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /GAP +delivery-permission +logging\.s3\.amazonaws\.com cannot write .*blocked by bucket-policy: missing-allow/,
    );
    expect(r.stdout).toContain("aws s3api put-bucket-policy --bucket app-logs --policy '");
    expect(r.stdout).toContain('GAP  target-encryption');
    expect(r.stdout).toContain('Log delivery PutObject s3://app-logs/app-data/');
    expect(r.stdout).toContain('1 bucket: 4 gaps, 0 unknown');
  });

  it('every bucket of the snapshot without a name; --format json', async () => {
    const r = await runCli(['logging', ...EV, '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as {
      buckets: { bucket: string; checks: { id: string; status: string }[] }[];
    };
    expect(j.buckets.map((b) => b.bucket)).toEqual(['app-data', 'app-logs', 'static-site']);
    expect(j.buckets[2]!.checks[0]).toMatchObject({ id: 'access-logging', status: 'gap' });
  });

  it('a bucket not in the evidence, or no evidence, is a usage error (exit 2)', async () => {
    const r = await runCli(['logging', 'nope', ...EV]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bucket nope is not in the evidence');
    const n = await runCli(['logging', 'app-data']);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('logging needs evidence');
  });
});
