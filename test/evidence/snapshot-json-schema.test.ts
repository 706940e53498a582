// The shipped JSON Schema of the evidence snapshot (schemas/snapshot.schema.json) is generated from the
// zod schema the parser uses (drift test), and every snapshot the repository ships or tests with validates.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as prettier from 'prettier';
import type * as Z from 'zod';
import { describe, expect, it } from 'vitest';
import { buildSnapshotSchema } from '../../src/evidence/snapshot-schema.js';
import { parseSnapshot } from '../../src/evidence/index.js';
import { SCHEMA_IDS } from '../../src/model/schema-ids.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FILE = join(ROOT, 'schemas', 'snapshot.schema.json');

/** The schema file's text, from the zod schema (input side: what a snapshot file may contain). */
async function render(): Promise<string> {
  const z = createRequire(import.meta.url)('zod') as typeof Z;
  const generated = z.toJSONSchema(buildSnapshotSchema(z), { io: 'input', unrepresentable: 'any' });
  const { $schema, ...rest } = generated;
  const doc = {
    $schema,
    $id: SCHEMA_IDS.snapshot,
    title: 's3doctor evidence snapshot (schemaVersion 1)',
    description:
      'Generated from src/evidence/snapshot-schema.ts by test/evidence/snapshot-json-schema.test.ts (UPDATE_SCHEMAS=1). ' +
      'Policy documents are checked further by s3doctor (IAM grammar); map keys must be ARNs or account ids as CONTRACT.md says.',
    ...rest,
  };
  return prettier.format(JSON.stringify(doc), { ...(await prettier.resolveConfig(FILE)), filepath: FILE });
}

/** Every snapshot file in examples/ and the test fixtures that s3doctor itself accepts. */
function shippedSnapshots(): string[] {
  const out: string[] = [];
  for (const n of readdirSync(join(ROOT, 'examples'))) {
    const f = join(ROOT, 'examples', n, 'snapshot.json');
    if (existsSync(f)) out.push(f);
  }
  for (const f of readdirSync(join(ROOT, 'test', 'e2e', 'fixtures')))
    if (/^snapshot.*\.json$/.test(f)) out.push(join(ROOT, 'test', 'e2e', 'fixtures', f));
  return out;
}

describe('schemas/snapshot.schema.json', () => {
  it('is generated from the zod schema (UPDATE_SCHEMAS=1 regenerates it)', async () => {
    const expected = await render();
    if (process.env.UPDATE_SCHEMAS) await writeFile(FILE, expected);
    expect(await readFile(FILE, 'utf8')).toBe(expected);
  });

  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(
    JSON.parse(readFileSync(FILE, 'utf8')) as object,
  );

  it.each(shippedSnapshots().map((f) => [f.slice(ROOT.length + 1), f]))('%s validates', (_name, file) => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    expect(parseSnapshot(json, file).problems).toEqual([]);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects what the parser rejects for shape: a wrong schemaVersion, a string where a map belongs', () => {
    expect(validate({ schemaVersion: 2 })).toBe(false);
    expect(validate({ schemaVersion: 1, buckets: 'reports-bucket' })).toBe(false);
    expect(validate({ schemaVersion: 1 })).toBe(true);
  });
});
