// The library API and the CLI give the same documents: diagnose() of every shipped example with its snapshot
// equals `diagnose --format json`, simulate() equals `simulate --format json`'s evaluation, triage() equals
// `triage --format json`.

import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose, loadSnapshot, simulate, triage } from '../../src/api/index.js';
import { FIXTURES, ROOT, runCli } from './helpers.js';

const EXAMPLES = join(ROOT, 'examples');
const scenarios = readdirSync(EXAMPLES)
  .filter((n) => statSync(join(EXAMPLES, n)).isDirectory() && existsSync(join(EXAMPLES, n, 'snapshot.json')))
  .sort();

/** The document without the evaluation time (the request names none, so each run evaluates at its own now). */
function timeless(doc: unknown): unknown {
  return JSON.parse(JSON.stringify(doc), (k, v: unknown) =>
    k === 'time' || k === 'aws:CurrentTime' || k === 'aws:EpochTime' ? undefined : v,
  );
}

describe('the API gives the documents the CLI prints as JSON', () => {
  it.each(scenarios)('diagnose of example %s', async (name) => {
    const dir = join('examples', name);
    const input = readdirSync(join(ROOT, dir))
      .filter((f) => !/^(snapshot\.json|expected.*|README\.md)$/i.test(f))
      .sort()[0]!;
    const args = [join(dir, input), '--snapshot', join(dir, 'snapshot.json')];
    const cli = await runCli(['diagnose', ...args, '--format', 'json'], { cwd: ROOT });
    expect(cli.code, cli.stderr).not.toBe(2);
    const evidence = await loadSnapshot(join(ROOT, dir, 'snapshot.json'));
    const prev = process.cwd();
    process.chdir(ROOT);
    try {
      const api = await diagnose(join(dir, input), { evidence });
      expect(JSON.parse(JSON.stringify(api))).toEqual(JSON.parse(cli.stdout));
    } finally {
      process.chdir(prev);
    }
  });

  it('simulate of the request fixture', async () => {
    const request = join(FIXTURES, 'request.json');
    const snapshot = join(FIXTURES, 'snapshot.json');
    const cli = await runCli(['simulate', '--request', request, '--snapshot', snapshot, '--format', 'json']);
    expect(cli.code, cli.stderr).not.toBe(2);
    const api = await simulate(JSON.parse(readFileSync(request, 'utf8')), await loadSnapshot(snapshot));
    expect(timeless(api)).toEqual(timeless((JSON.parse(cli.stdout) as { evaluation: unknown }).evaluation));
  });

  it('triage of an access log with a snapshot', async () => {
    const log = join(FIXTURES, 'access.log');
    const snapshot = join(FIXTURES, 'snapshot.json');
    const cli = await runCli(['triage', log, '--snapshot', snapshot, '--workers', '1', '--format', 'json']);
    expect(cli.code, cli.stderr).not.toBe(2);
    const api = await triage(log, { evidence: await loadSnapshot(snapshot), workers: 1 });
    expect(JSON.parse(JSON.stringify(api))).toEqual(JSON.parse(cli.stdout));
  });
});
