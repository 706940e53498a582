// Every scenario under examples/ diagnosed by the engine as the CLI does (`diagnose INPUT
// --snapshot snapshot.json`): the results equal expected.json, and each is explained (exit 0).
// The CLI helper's end-to-end test runs the same folders through the built binary.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { diagnose, explains } from '../../src/engine/index.js';
import { loadSnapshots } from '../../src/evidence/index.js';
import { readInputs } from '../../src/logs/index.js';
import type { Report } from '../../src/model/report.js';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLES = join(ROOT, 'examples');

const scenarios = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(EXAMPLES, d.name, 'snapshot.json')))
  .map((d) => d.name)
  .sort();

function inputOf(name: string): string {
  const files = readdirSync(join(EXAMPLES, name)).filter(
    (f) => !/^(snapshot\.json|expected.*|README\.md)$/.test(f),
  );
  expect(files.length, `${name}: exactly one input file`).toBe(1);
  return `examples/${name}/${files[0]}`;
}

describe('examples', () => {
  it('there are at least 12 scenarios, one of them the bundled default', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(12);
    expect(scenarios).toContain('bpa-anonymous-website');
  });

  it.each(scenarios)('%s: README, input, snapshot, expected', async (name) => {
    const readme = await readFile(join(EXAMPLES, name, 'README.md'), 'utf8');
    for (const h of ['## What happened', '## The command', '## What s3doctor says'])
      expect(readme).toContain(h);
    const input = inputOf(name);
    expect(readme).toContain(`s3doctor diagnose ${input} --snapshot examples/${name}/snapshot.json`);
    // Only the default example may read as the default (npm start picks the first README that does).
    const defaultish = /\bthe (bundled )?default\b|\bdefault example\b|npm start/i.test(readme);
    expect(defaultish).toBe(name === 'bpa-anonymous-website');

    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      const evidence = await loadSnapshots([`examples/${name}/snapshot.json`]);
      const results = [];
      for await (const item of readInputs([input]))
        if (item.kind === 'record') results.push(diagnose(item.record, evidence));
      const expected = JSON.parse(await readFile(join(EXAMPLES, name, 'expected.json'), 'utf8')) as Report;
      expect(expected.schemaVersion).toBe(1);
      expect(JSON.parse(JSON.stringify(results))).toEqual(expected.results);
      for (const r of results) {
        expect(explains(r), `${name} is explained`).toBe(true);
        expect(r.causes.length).toBeGreaterThan(0);
      }
    } finally {
      process.chdir(cwd);
    }
  });
});
