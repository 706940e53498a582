// The library API returns the same documents as the CLI's --format json: each names its schema and validates against it.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose, loadSnapshot, triage, SCHEMA_IDS } from '../../src/api/index.js';
import { schemaProblems } from '../helpers/json-schemas.js';

const FIXTURES = join(import.meta.dirname, '..', 'e2e', 'fixtures');

describe('library documents', () => {
  it('diagnose() returns a result document that validates against result.schema.json', async () => {
    const evidence = await loadSnapshot(join(FIXTURES, 'snapshot.json'));
    const report = await diagnose(join(FIXTURES, 'access.log'), { evidence });
    expect(report.$schema).toBe(SCHEMA_IDS.result);
    expect(report.results.length).toBeGreaterThan(0);
    expect(schemaProblems(JSON.parse(JSON.stringify(report)))).toEqual([]);
  });

  it.each([
    ['without evidence', false],
    ['with evidence', true],
  ])(
    'triage() %s returns a triage document that validates against triage.schema.json',
    async (_n, withEvidence) => {
      const evidence = withEvidence ? await loadSnapshot(join(FIXTURES, 'snapshot.json')) : undefined;
      const t = await triage(join(FIXTURES, 'access.log'), { workers: 1, ...(evidence ? { evidence } : {}) });
      expect(t.$schema).toBe(SCHEMA_IDS.triage);
      expect(t.scanned.denied).toBeGreaterThan(0);
      expect(t.groups.length).toBeGreaterThan(0);
      expect(schemaProblems(JSON.parse(JSON.stringify(t)))).toEqual([]);
    },
  );
});
