// The zod-free snapshot check: what it accepts zod accepts, in the same shape (key order included), and it
// accepts every snapshot the repository ships (so a valid snapshot never loads zod).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import fc from 'fast-check';
import type * as Z from 'zod';
import { describe, expect, it } from 'vitest';
import { fastSnapshotParse, shippedSnapshotSchema } from '../../src/evidence/snapshot-fast.js';
import { buildSnapshotSchema } from '../../src/evidence/snapshot-schema.js';

const ROOT = join(import.meta.dirname, '..', '..');
const z = createRequire(import.meta.url)('zod') as typeof Z;
const zodSchema = buildSnapshotSchema(z);
const shape = shippedSnapshotSchema()!;

function snapshots(): string[] {
  const out: string[] = [];
  for (const n of readdirSync(join(ROOT, 'examples'))) {
    const f = join(ROOT, 'examples', n, 'snapshot.json');
    if (existsSync(f)) out.push(f);
  }
  for (const f of readdirSync(join(ROOT, 'test', 'e2e', 'fixtures')))
    if (/^snapshot.*\.json$/.test(f)) out.push(join(ROOT, 'test', 'e2e', 'fixtures', f));
  return out;
}
const docs = snapshots().map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>);

/** Every path to a value inside `v` (objects and arrays), as segment lists. */
function paths(
  v: unknown,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (typeof v === 'object' && v !== null)
    for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function mutate(doc: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(doc);
  if (path.length === 0) return value;
  let cur = copy as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && !Array.isArray(cur)) delete cur[last];
  else cur[last] = value;
  return copy;
}

describe('fastSnapshotParse', () => {
  it('finds schemas/snapshot.schema.json', () => {
    expect(shape.properties).toHaveProperty('buckets');
  });

  it.each(snapshots().map((f, i) => [f.slice(ROOT.length + 1), i] as const))(
    'accepts %s as zod does, same data and key order',
    (_name, i) => {
      const doc = docs[i]!;
      const z = zodSchema.safeParse(doc);
      const fast = fastSnapshotParse(shape, doc);
      if (!z.success) {
        expect(fast).toBeUndefined();
        return;
      }
      expect(fast).toBeDefined();
      expect(JSON.stringify(fast)).toBe(JSON.stringify(z.data));
    },
  );

  it('refuses what zod refuses: a bad date, a null policy document, a wrong enum, a non-account id', () => {
    const base = { schemaVersion: 1 };
    for (const bad of [
      { ...base, collectedAt: 'yesterday' },
      { ...base, principals: { a: { policies: [{ name: 'p', kind: 'inline', document: null }] } } },
      { ...base, buckets: { b: { objectOwnership: 'Nobody' } } },
      { ...base, buckets: { b: { accountId: '12345' } } },
      { ...base, buckets: [] },
      { schemaVersion: 2 },
    ]) {
      expect(zodSchema.safeParse(bad).success).toBe(false);
      expect(fastSnapshotParse(shape, bad)).toBeUndefined();
    }
  });

  it('never accepts what zod refuses, and gives zod data when both accept (mutated shipped snapshots)', () => {
    const withPaths = docs.map((d) => ({ d, ps: paths(d) }));
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constantFrom(null, '2026-01-01T00:00:00Z', 'Requester', '111122223333', 1, true, {}, []),
        ),
        fc.boolean(),
        (i, j, value, remove) => {
          const { d, ps } = withPaths[i % withPaths.length]!;
          const doc = mutate(d, ps[j % ps.length]!, value, remove);
          const fast = fastSnapshotParse(shape, doc);
          const z = zodSchema.safeParse(doc);
          if (fast !== undefined) {
            expect(z.success).toBe(true);
            expect(JSON.stringify(fast)).toBe(JSON.stringify(z.data));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
