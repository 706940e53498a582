// The shipped JSON Schemas (schemas/*.schema.json) compiled once with ajv, for tests that validate documents.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { SCHEMA_IDS } from '../../src/model/schema-ids.js';

const DIR = join(import.meta.dirname, '..', '..', 'schemas');
let ajv: Ajv2020 | undefined;

function instance(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    for (const f of readdirSync(DIR).filter((n) => n.endsWith('.schema.json'))) {
      ajv.addSchema(JSON.parse(readFileSync(join(DIR, f), 'utf8')) as object);
    }
  }
  return ajv;
}

/** The validator of one shipped schema, by its `$id` (SCHEMA_IDS). */
export function schemaValidator(id: string): ValidateFunction {
  const v = instance().getSchema(id);
  if (!v) throw new Error(`no schema with $id ${id} in schemas/`);
  return v;
}

/**
 * Checks a JSON document that names one of s3doctor's schemas in `$schema`: returns the problems (empty when
 * it validates), or undefined when the value does not name one.
 */
export function schemaProblems(doc: unknown): string[] | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const id = (doc as { $schema?: unknown }).$schema;
  if (typeof id !== 'string' || !(Object.values(SCHEMA_IDS) as string[]).includes(id)) return undefined;
  const v = schemaValidator(id);
  if (v(doc)) return [];
  return (v.errors ?? []).map(
    (e) => `${e.instancePath || '(document)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
