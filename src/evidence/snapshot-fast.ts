// A fast, zod-free acceptance check of a snapshot against the shipped JSON Schema (generated from the zod schema).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The subset of JSON Schema that `z.toJSONSchema` writes for the snapshot schema, plus its `x-check` marks. */
export interface ShapeSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  properties?: Record<string, ShapeSchema>;
  required?: string[];
  additionalProperties?: ShapeSchema | boolean;
  propertyNames?: ShapeSchema;
  items?: ShapeSchema;
  anyOf?: ShapeSchema[];
  /** A refinement JSON Schema cannot say: `date` (Date.parse accepts it), `present` (not null). */
  'x-check'?: string;
}

/** Keywords the checker understands; a schema with any other keyword is never accepted here (zod decides). */
const KNOWN = new Set([
  'type',
  'const',
  'enum',
  'pattern',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'anyOf',
  'x-check',
  '$schema',
  '$id',
  'title',
  'description',
]);

const NO = Symbol('no');
type Out = unknown | typeof NO;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOk(t: string, v: unknown): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    default:
      return false;
  }
}

const patterns = new Map<string, RegExp>();

/**
 * `v` checked against `s`: a copy with object keys in the schema's order and then the rest (as zod's
 * looseObject returns them), or NO. NO also for anything the checker does not understand, so an
 * accepted value is one zod accepts.
 */
function walk(s: ShapeSchema | boolean, v: unknown): Out {
  if (s === true) return v;
  if (s === false) return NO;
  for (const k of Object.keys(s)) if (!KNOWN.has(k)) return NO;
  if (s.anyOf) {
    for (const alt of s.anyOf) {
      const r = walk(alt, v);
      if (r !== NO) return r;
    }
    return NO;
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => typeOk(t, v))) return NO;
  }
  if ('const' in s && v !== s.const) return NO;
  if (s.enum && !s.enum.includes(v)) return NO;
  if (s.pattern !== undefined) {
    if (typeof v !== 'string') return NO;
    let re = patterns.get(s.pattern);
    if (!re) patterns.set(s.pattern, (re = new RegExp(s.pattern)));
    if (!re.test(v)) return NO;
  }
  const check = s['x-check'];
  if (check === 'date' && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) return NO;
  if (check === 'present' && (v === null || v === undefined)) return NO;
  if (check !== undefined && check !== 'date' && check !== 'present') return NO;
  if (
    s.properties === undefined &&
    s.required === undefined &&
    s.additionalProperties === undefined &&
    s.propertyNames === undefined &&
    s.items === undefined
  )
    return v;
  if (Array.isArray(v)) {
    if (s.properties || s.required || s.additionalProperties !== undefined) return NO;
    if (s.items === undefined) return NO;
    const out: unknown[] = [];
    for (const x of v) {
      const r = walk(s.items, x);
      if (r === NO) return NO;
      out.push(r);
    }
    return out;
  }
  if (isObject(v)) {
    if (s.items !== undefined) return NO;
    if (s.propertyNames && !(s.propertyNames.type === 'string' && Object.keys(s.propertyNames).length === 1))
      return NO;
    const props = s.properties ?? {};
    for (const r of s.required ?? []) if (!Object.hasOwn(v, r)) return NO;
    const out: Record<string, unknown> = {};
    for (const [k, sub] of Object.entries(props)) {
      if (!Object.hasOwn(v, k)) continue;
      const r = walk(sub, v[k]);
      if (r === NO) return NO;
      out[k] = r;
    }
    const extra = s.additionalProperties;
    for (const k of Object.keys(v)) {
      if (Object.hasOwn(props, k)) continue;
      if (extra === undefined) {
        out[k] = v[k];
        continue;
      }
      const r = walk(extra, v[k]);
      if (r === NO) return NO;
      out[k] = r;
    }
    return out;
  }
  return v;
}

/** The checked copy of `json`, or undefined when the checker cannot accept it (zod then gives the problems). */
export function fastSnapshotParse(schema: ShapeSchema, json: unknown): Record<string, unknown> | undefined {
  const r = walk(schema, json);
  return r === NO || !isObject(r) ? undefined : r;
}

let loaded: ShapeSchema | null | undefined;

/** schemas/snapshot.schema.json (next to src/ or dist/), or undefined when it cannot be read. */
export function shippedSnapshotSchema(): ShapeSchema | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  loaded = null;
  const here = dirname(fileURLToPath(import.meta.url));
  // src/evidence -> ../.. ; dist/src/evidence -> ../../..
  for (const up of ['../..', '../../..']) {
    const file = join(here, up, 'schemas', 'snapshot.schema.json');
    if (!existsSync(file)) continue;
    try {
      loaded = JSON.parse(readFileSync(file, 'utf8')) as ShapeSchema;
    } catch {
      loaded = null;
    }
    break;
  }
  return loaded ?? undefined;
}
