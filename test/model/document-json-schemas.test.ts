// The shipped JSON Schemas of the simulate request, the result, triage and simulate documents (schemas/*.schema.json)
// are generated from src/model/document-schemas.ts (drift test); examples and shipped documents validate against them.

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as prettier from 'prettier';
import type * as Z from 'zod';
import { describe, expect, it } from 'vitest';
import { buildDocumentSchemas } from '../../src/model/document-schemas.js';
import { SCHEMA_IDS } from '../../src/model/schema-ids.js';
import { parseSimulateRequest } from '../../src/authz/index.js';
import { schemaValidator } from '../helpers/json-schemas.js';

const ROOT = join(import.meta.dirname, '..', '..');
const z = createRequire(import.meta.url)('zod') as typeof Z;
const schemas = buildDocumentSchemas(z);

const DOCS = [
  {
    key: 'simulateRequest',
    file: 'simulate-request.schema.json',
    io: 'input',
    title: 's3doctor simulate request (simulate --request FILE)',
    note: 'Unknown top-level fields are ignored. Action names and condition keys are checked further by s3doctor.',
  },
  {
    key: 'report',
    id: 'result',
    file: 'result.schema.json',
    io: 'output',
    title: 's3doctor result document (diagnose --format json, schemaVersion 1)',
    note: 'One result per denied request in results[]. Later versions may add optional fields.',
  },
  {
    key: 'triage',
    file: 'triage.schema.json',
    io: 'output',
    title: 's3doctor triage document (triage --format json, schemaVersion 1)',
    note: 'groups[].diagnosis is one result of the result document. Later versions may add optional fields.',
  },
  {
    key: 'simulate',
    file: 'simulate.schema.json',
    io: 'output',
    title: 's3doctor simulate output (simulate --format json, schemaVersion 1)',
    note: 'One evaluation with its full trace (evaluation), not results[] as diagnose prints. Later versions may add optional fields.',
  },
] as const;

async function render(d: (typeof DOCS)[number]): Promise<string> {
  const file = join(ROOT, 'schemas', d.file);
  const generated = z.toJSONSchema(schemas[d.key], { io: d.io, unrepresentable: 'any', reused: 'ref' });
  const { $schema, ...rest } = generated;
  const doc = {
    $schema,
    $id: SCHEMA_IDS[('id' in d ? d.id : d.key) as keyof typeof SCHEMA_IDS],
    title: d.title,
    description: `Generated from src/model/document-schemas.ts by test/model/document-json-schemas.test.ts (UPDATE_SCHEMAS=1). ${d.note}`,
    ...rest,
  };
  return prettier.format(JSON.stringify(doc), { ...(await prettier.resolveConfig(file)), filepath: file });
}

describe.each(DOCS)('schemas/$file', (d) => {
  it('is generated from the zod schema (UPDATE_SCHEMAS=1 regenerates it)', async () => {
    const file = join(ROOT, 'schemas', d.file);
    const expected = await render(d);
    if (process.env.UPDATE_SCHEMAS) await writeFile(file, expected);
    expect(await readFile(file, 'utf8')).toBe(expected);
  });
});

/** Every example's expected result document. */
function expectedDocuments(): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const n of readdirSync(join(ROOT, 'examples'))) {
    const f = join(ROOT, 'examples', n, 'expected.json');
    if (existsSync(f)) out.push([`examples/${n}/expected.json`, JSON.parse(readFileSync(f, 'utf8'))]);
  }
  return out;
}

describe('the documents s3doctor ships validate', () => {
  it.each(expectedDocuments())('%s is a result document', (_name, doc) => {
    const v = schemaValidator(SCHEMA_IDS.result);
    expect(v(doc), JSON.stringify(v.errors)).toBe(true);
  });

  it('the simulate request fixture validates, and the parser accepts it', () => {
    const doc = JSON.parse(
      readFileSync(join(ROOT, 'test', 'e2e', 'fixtures', 'request.json'), 'utf8'),
    ) as unknown;
    const v = schemaValidator(SCHEMA_IDS.simulateRequest);
    expect(v(doc), JSON.stringify(v.errors)).toBe(true);
    expect(() => parseSimulateRequest(doc)).not.toThrow();
  });

  const ok = {
    principal: 'arn:aws:iam::111122223333:role/app',
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::b/k',
  };
  it.each([
    ['no principal', { action: ok.action, resource: ok.resource }],
    ['a wildcard action', { ...ok, action: 's3:Get*' }],
    ['a bucket name instead of an ARN', { ...ok, resource: 'reports-bucket' }],
    ['a short account id', { ...ok, resourceAccount: '1234' }],
    ['a context key without a service', { ...ok, context: { SecureTransport: 'true' } }],
    ['an object as a context value', { ...ok, context: { 'aws:SourceIp': { ip: '1.2.3.4' } } }],
    ['an unknown S3 call fact', { ...ok, s3: { requestPayer: true } }],
    ['a string where an S3 boolean fact belongs', { ...ok, s3: { requestPayerSent: 'yes' } }],
  ])('a simulate request with %s fails both the schema and the parser', (_name, doc) => {
    const v = schemaValidator(SCHEMA_IDS.simulateRequest);
    expect(v(doc)).toBe(false);
    expect(() => parseSimulateRequest(doc)).toThrow(/not valid/);
  });

  it('a result document with a field the schema does not name fails (the schemas are closed)', () => {
    const v = schemaValidator(SCHEMA_IDS.result);
    expect(v({ schemaVersion: 1, results: [] })).toBe(true);
    expect(v({ schemaVersion: 1, results: [], extra: 1 })).toBe(false);
    expect(v({ schemaVersion: 2, results: [] })).toBe(false);
  });
});
