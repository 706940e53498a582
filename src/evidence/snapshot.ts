// Loading and validating evidence snapshot files: every problem reported at once with its JSON path.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type * as Z from 'zod';
import type { Evidence } from '../model/evidence.js';
import type { PolicyDocument } from '../model/policy.js';
import { UserError } from '../model/user-error.js';
import { validatePolicy } from '../iam/index.js';
import { mergeEvidence, emptyEvidence } from './merge.js';
import { evidencePath } from './path.js';
import { buildSnapshotSchema } from './snapshot-schema.js';
import { fastSnapshotParse, shippedSnapshotSchema } from './snapshot-fast.js';
import { nearestName } from '../s3/nearest.js';

/** One problem found in a snapshot: where (JSON path) and what. */
export interface SnapshotProblem {
  path: string;
  message: string;
}

/** A snapshot that could not be used; `problems` lists every problem, each with its file and JSON path. */
export class SnapshotError extends UserError {
  /** Every problem found, in file order. */
  declare readonly problems: (SnapshotProblem & { source: string })[];
  constructor(problems: (SnapshotProblem & { source: string })[]) {
    const shown = problems.slice(0, 50).map((p) => `  ${p.source}: ${p.path || '(document)'}: ${p.message}`);
    const more = problems.length > 50 ? [`  ... and ${problems.length - 50} more`] : [];
    super(
      `The evidence snapshot is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}); fix the file and retry:\n` +
        [...shown, ...more].join('\n'),
      { problems },
    );
  }
}

type Schema = ReturnType<typeof buildSnapshotSchema>;
let schema: Schema | undefined;

/** zod is loaded on the first parse only (it costs ~90 ms to import); its CommonJS build loads synchronously. */
function snapshotSchema(): Schema {
  if (!schema) {
    const z = createRequire(import.meta.url)('zod') as typeof Z;
    schema = buildSnapshotSchema(z);
  }
  return schema;
}

const KEY_RULES: { map: string; re: RegExp; what: string }[] = [
  {
    map: 'principals',
    re: /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/.+$/,
    what: 'an IAM user or role ARN (arn:aws:iam::ACCOUNT:user/NAME or :role/NAME; not a session ARN)',
  },
  {
    map: 'sessions',
    re: /^arn:aws[a-z-]*:sts::\d{12}:(assumed-role\/[^/]+\/.+|federated-user\/.+)$/,
    what: 'an assumed-role or federated-user session ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION)',
  },
  { map: 'accounts', re: /^\d{12}$/, what: 'a 12-digit account id' },
  {
    map: 'accessPoints',
    re: /^arn:aws[a-z-]*:s3:[a-z0-9-]+:\d{12}:accesspoint\/[a-z0-9-]+$/,
    what: 'an access point ARN (arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME)',
  },
  {
    map: 'kmsKeys',
    re: /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
    what: 'a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID)',
  },
  { map: 'vpcEndpoints', re: /^vpce-[0-9a-z]+$/, what: 'a VPC endpoint id (vpce-...)' },
  { map: 'buckets', re: /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,254}$/, what: 'a bucket name' },
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where policy documents live in a snapshot, as [path segments, value, nullable] triples found in `raw`. */
function policyLocations(raw: Record<string, unknown>): { segs: (string | number)[]; value: unknown }[] {
  const out: { segs: (string | number)[]; value: unknown }[] = [];
  const entries = (map: string) =>
    isRecord(raw[map]) ? Object.entries(raw[map] as Record<string, unknown>) : [];
  for (const [arn, p] of entries('principals')) {
    if (!isRecord(p)) continue;
    if (Array.isArray(p.policies)) {
      p.policies.forEach((pol, i) => {
        if (isRecord(pol) && pol.document !== undefined)
          out.push({ segs: ['principals', arn, 'policies', i, 'document'], value: pol.document });
      });
    }
    if (isRecord(p.permissionsBoundary) && p.permissionsBoundary.document !== undefined)
      out.push({
        segs: ['principals', arn, 'permissionsBoundary', 'document'],
        value: p.permissionsBoundary.document,
      });
  }
  for (const [arn, s] of entries('sessions')) {
    if (isRecord(s) && s.sessionPolicy !== undefined && s.sessionPolicy !== null)
      out.push({ segs: ['sessions', arn, 'sessionPolicy'], value: s.sessionPolicy });
  }
  for (const [id, a] of entries('accounts')) {
    if (!isRecord(a)) continue;
    for (const field of ['serviceControlPolicies', 'resourceControlPolicies']) {
      const levels = a[field];
      if (!Array.isArray(levels)) continue;
      levels.forEach((level, i) => {
        if (!isRecord(level) || !Array.isArray(level.policies)) return;
        level.policies.forEach((pol, j) => {
          if (isRecord(pol) && pol.document !== undefined)
            out.push({ segs: ['accounts', id, field, i, 'policies', j, 'document'], value: pol.document });
        });
      });
    }
  }
  for (const map of ['buckets', 'accessPoints', 'kmsKeys', 'vpcEndpoints']) {
    for (const [key, e] of entries(map)) {
      if (isRecord(e) && e.policy !== undefined && e.policy !== null)
        out.push({ segs: [map, key, 'policy'], value: e.policy });
    }
  }
  return out;
}

function setAt(root: Record<string, unknown>, segs: (string | number)[], value: unknown): void {
  let cur: unknown = root;
  for (const seg of segs.slice(0, -1)) cur = (cur as Record<string | number, unknown>)[seg];
  (cur as Record<string | number, unknown>)[segs[segs.length - 1] as string | number] = value;
}

/** How deep objects and arrays may nest in a snapshot. */
export const MAX_SNAPSHOT_DEPTH = 64;

/** Whether `v` nests objects/arrays more than `max` levels deep (iterative: no recursion to overflow). */
function nestedDeeperThan(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (d > max) return true;
    for (const c of Array.isArray(x) ? x : Object.values(x as Record<string, unknown>))
      stack.push([c, d + 1]);
  }
  return false;
}

/**
 * Validates one parsed snapshot document (CONTRACT.md, schemaVersion 1). Returns the evidence when
 * there is no problem; otherwise every problem, each with its JSON path (`buckets.b.policy.Statement[0].Effect`).
 * Policy documents may be objects, JSON strings, or URL-encoded JSON strings; they come back normalised.
 * Absent keys stay absent (unknown) and `null` stays `null` (known: not configured).
 * `source` names the file in messages only.
 */
export function parseSnapshot(
  json: unknown,
  source: string,
): { evidence?: Evidence; problems: SnapshotProblem[]; warnings?: string[] } {
  const problems: SnapshotProblem[] = [];
  if (!isRecord(json)) {
    return { problems: [{ path: '', message: 'a snapshot must be a JSON object with "schemaVersion": 1' }] };
  }
  // Before any recursive step (schema check, structuredClone): a document nested 100,000 levels deep
  // would overflow the stack. Real snapshots stay far below this (a policy condition is about 10 deep).
  if (nestedDeeperThan(json, MAX_SNAPSHOT_DEPTH)) {
    return {
      problems: [{ path: '', message: `nested more than ${MAX_SNAPSHOT_DEPTH} levels deep: not a snapshot` }],
    };
  }
  // A snapshot the zod-free check accepts (against the JSON Schema generated from the zod schema) is one zod
  // accepts, in the same shape; only otherwise is zod loaded (~90 ms) to name every problem.
  const shape = shippedSnapshotSchema();
  const fast = shape ? fastSnapshotParse(shape, json) : undefined;
  const parsed = fast ? { success: true as const, data: fast } : snapshotSchema().safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({
        path: evidencePath(...issue.path.map((s) => (typeof s === 'number' ? s : String(s)))),
        message: issue.message,
      });
    }
  }
  for (const rule of KEY_RULES) {
    const map = json[rule.map];
    if (!isRecord(map)) continue;
    for (const key of Object.keys(map)) {
      if (!rule.re.test(key))
        problems.push({ path: evidencePath(rule.map, key), message: `key must be ${rule.what}` });
    }
  }
  const normalised: { segs: (string | number)[]; document: PolicyDocument }[] = [];
  for (const loc of policyLocations(json)) {
    const path = evidencePath(...loc.segs);
    const r = validatePolicy(loc.value, path);
    for (const p of r.problems) problems.push({ path: p.path || path, message: p.message });
    if (r.document && r.problems.length === 0) normalised.push({ segs: loc.segs, document: r.document });
    else if (!r.document && r.problems.length === 0)
      problems.push({ path, message: 'not a valid policy document' });
  }
  if (problems.length > 0) return { problems: dedupe(problems) };
  const data = structuredClone(parsed.data) as Record<string, unknown>;
  for (const n of normalised) setAt(data, n.segs, n.document);
  const evidence = { ...emptyEvidence(), ...data } as Evidence;
  for (const map of [
    'principals',
    'sessions',
    'accounts',
    'buckets',
    'accessPoints',
    'kmsKeys',
    'vpcEndpoints',
    'canonicalIds',
  ] as const) {
    if (evidence[map] === undefined) (evidence as unknown as Record<string, unknown>)[map] = {};
  }
  if (evidence.notes === undefined) evidence.notes = [];
  const warnings = unknownSections(
    json,
    source,
    fast && shape?.properties ? Object.keys(shape.properties) : undefined,
  );
  return { evidence, problems: [], ...(warnings.length > 0 ? { warnings } : {}) };
}

/**
 * One warning per top-level key the schema does not know (a typo like "bukets" would otherwise
 * leave that evidence silently unknown), naming the nearest known section. `$`-keys (`$schema`) are allowed.
 */
function unknownSections(json: Record<string, unknown>, source: string, sections?: string[]): string[] {
  const known = sections ?? Object.keys(snapshotSchema().shape);
  const out: string[] = [];
  for (const key of Object.keys(json)) {
    if (known.includes(key) || key.startsWith('$')) continue;
    const near = nearestName(key, known);
    // JSON.stringify escapes quotes and C0 controls; the length cap keeps a hostile key to one short line.
    const shown = JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key).replace(
      /[\u007f-\u009f]/g,
      '?',
    );
    out.push(
      `snapshot ${source}: unknown top-level section ${shown} is ignored${near ? ` (did you mean "${near}"?)` : ''}`,
    );
  }
  return out;
}

/** Options of {@link loadSnapshots}. */
export interface LoadSnapshotOptions {
  /** Called with each warning (an unknown top-level section); the library itself never prints. */
  onWarning?: (message: string) => void;
}

function dedupe(problems: SnapshotProblem[]): SnapshotProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Reads, validates and merges snapshot files in order (later files fill what earlier ones left
 * unknown; on conflict the later wins, with a note). Throws {@link SnapshotError} listing every
 * problem of every file, with the file name, before any evaluation. No paths: empty evidence.
 */
export async function loadSnapshots(paths: string[], options: LoadSnapshotOptions = {}): Promise<Evidence> {
  if (paths.length === 0) return emptyEvidence();
  const problems: (SnapshotProblem & { source: string })[] = [];
  const sets: Evidence[] = [];
  for (const file of paths) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      problems.push({ source: file, path: '', message: `cannot read the file (${code})` });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      problems.push({ source: file, path: '', message: `not valid JSON: ${(err as Error).message}` });
      continue;
    }
    const r = parseSnapshot(json, file);
    if (r.evidence) sets.push(r.evidence);
    for (const w of r.warnings ?? []) options.onWarning?.(w);
    for (const p of r.problems) problems.push({ source: file, ...p });
  }
  if (problems.length > 0) throw new SnapshotError(problems);
  return sets.length === 1 ? (sets[0] as Evidence) : mergeEvidence(...sets);
}
