// fast-check properties of diagnosing under unknown evidence (issue 12): over every example and rule case, making any
// set of evidence fields unknown (deleting them: absent = unknown, CONTRACT) never turns a certain decision into
// another one, never prints "a Deny statement matched" without a Deny matching in the trace, and a cause certain with
// the complete evidence stays a cause (certain, likely or possible) or is named by an unknown that could explain it.
// Three-valued soundness per https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// (a same-account request is allowed by the identity side OR the resource policy; cross-account needs both:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../src/authz/index.js';
import { decisionLabel } from '../../src/cli/format/common.js';
import { diagnose, diagnoseRequest } from '../../src/engine/index.js';
import { readInputs } from '../../src/logs/index.js';
import type { Evidence, LogRecord, Result, S3Request } from '../../src/model/index.js';
import { toS3Request } from '../../src/request/index.js';
import { evidenceOf, recordOf, requestOf, withDefaults } from '../rules/case-kit.js';
import type { CaseDefaults, CaseInput } from '../rules/case-kit.js';

const ROOT = join(import.meta.dirname, '..', '..');
type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** One input with its complete snapshot. */
interface Subject {
  id: string;
  snapshot: Obj;
  record?: LogRecord;
  request?: Obj;
}

/** Paths (as key lists) of every evidence field that `collect` could fail to read: each may be made unknown. */
function fields(snap: Obj): string[][] {
  return allFields(snap);
}

function allFields(snap: Obj): string[][] {
  const out: string[][] = [];
  const each = (map: string, keys: string[] | 'all', nested?: (k: string, v: Obj) => void) => {
    const m = snap[map];
    if (!isObj(m)) return;
    for (const [k, v] of Object.entries(m)) {
      if (!isObj(v)) continue;
      out.push([map, k]);
      for (const f of keys === 'all' ? Object.keys(v) : keys) if (f in v) out.push([map, k, f]);
      nested?.(k, v);
    }
  };
  each('principals', ['policies', 'permissionsBoundary', 'tags']);
  each('sessions', ['sessionPolicy', 'tags']);
  each('accounts', [
    'organizationId',
    'serviceControlPolicies',
    'resourceControlPolicies',
    'publicAccessBlock',
  ]);
  each('buckets', 'all', (b, v) => {
    if (isObj(v.objects))
      for (const [k, o] of Object.entries(v.objects)) {
        out.push(['buckets', b, 'objects', k]);
        if (isObj(o)) for (const f of Object.keys(o)) out.push(['buckets', b, 'objects', k, f]);
      }
  });
  each('accessPoints', ['policy', 'networkOrigin', 'vpcId', 'publicAccessBlock']);
  each('kmsKeys', ['policy', 'keyState', 'keyManager']);
  each('vpcEndpoints', ['policy', 'vpcId']);
  return out;
}

function without(snap: Obj, paths: string[][]): Obj {
  const out = structuredClone(snap);
  for (const p of paths) {
    let cur: unknown = out;
    for (const seg of p.slice(0, -1)) cur = isObj(cur) ? cur[seg] : undefined;
    if (isObj(cur)) delete cur[p[p.length - 1]!];
  }
  return out;
}

interface Run {
  result: Result;
  request: S3Request;
  evidence: Evidence;
}

function run(s: Subject, snap: Obj): Run | undefined {
  let evidence: Evidence;
  try {
    evidence = evidenceOf(snap)!;
  } catch {
    return undefined; // a deletion the schema does not allow (e.g. a required field): not evidence collect writes
  }
  const c = { name: s.id, ...(s.request ? { request: s.request } : {}) } as CaseInput;
  const request = s.record
    ? toS3Request(s.record, {
        canonicalIds: evidence.canonicalIds,
        bucketAccounts: Object.fromEntries(
          Object.entries(evidence.buckets).flatMap(([b, e]) => (e.accountId ? [[b, e.accountId]] : [])),
        ),
      })
    : requestOf(c, undefined, evidence);
  const result = s.record ? diagnose(s.record, evidence) : diagnoseRequest(request, evidence);
  return { result, request, evidence };
}

/** A decision is certain when nothing is left open: one possible decision, no unknown that could explain it. */
const certainDecision = (r: Result) =>
  !r.decisionOpen &&
  (r.possibleDecisions
    ? r.possibleDecisions.length <= 1
    : r.unknowns.every((u) => u.couldExplain.length === 0));

const subjects: Subject[] = [];

beforeAll(async () => {
  const ex = join(ROOT, 'examples');
  for (const name of readdirSync(ex).sort()) {
    const dir = join(ex, name);
    if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'snapshot.json'))) continue;
    const input = readdirSync(dir)
      .filter((f) => !/^(snapshot\.json|expected.*|README\.md)$/i.test(f))
      .sort()[0]!;
    for await (const item of readInputs([join(dir, input)]))
      if (item.kind === 'record') {
        subjects.push({
          id: `examples/${name}`,
          snapshot: JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')) as Obj,
          record: item.record,
        });
        break;
      }
  }
  const rules = join(ROOT, 'test', 'rules');
  const files = (d: string): string[] =>
    readdirSync(d).flatMap((n) =>
      statSync(join(d, n)).isDirectory() ? files(join(d, n)) : n.endsWith('.cases.json') ? [join(d, n)] : [],
    );
  for (const file of files(rules).sort()) {
    const f = JSON.parse(readFileSync(file, 'utf8')) as CaseDefaults & {
      valid: CaseInput[];
      invalid: CaseInput[];
    };
    for (const raw of [...f.valid, ...f.invalid]) {
      const c = withDefaults(raw as CaseInput & { evidence?: Obj | null }, f);
      if (!c.evidence) continue;
      const record = c.request ? undefined : recordOf(c);
      subjects.push({
        id: `${file.slice(rules.length + 1)}: ${c.name}`,
        snapshot: { schemaVersion: 1, ...c.evidence },
        ...(record ? { record } : {}),
        ...(c.request ? { request: c.request } : {}),
      });
    }
  }
});

/** A subject and a set of its fields to make unknown. */
const subjectAndUnknowns = () =>
  fc.integer({ min: 0, max: Math.max(0, subjects.length - 1) }).chain((i) => {
    const s = subjects[i]!;
    const all = fields(s.snapshot);
    return fc.tuple(fc.constant(s), fc.subarray(all, { minLength: 1, maxLength: Math.min(4, all.length) }));
  });

describe('unknown evidence (fast-check)', () => {
  it('has subjects', () => expect(subjects.length).toBeGreaterThan(60));

  it('never turns a certain decision or cause into another one', () => {
    fc.assert(
      fc.property(subjectAndUnknowns(), ([s, paths]) => {
        const full = run(s, s.snapshot);
        const part = run(s, without(s.snapshot, paths));
        if (!full || !part) return;
        const where = `${s.id} with unknown ${paths.map((p) => p.join('.')).join(', ')}`;
        // Soundness: what is certain with less evidence holds with more.
        if (certainDecision(part.result))
          expect(part.result.decision, `${where}: certain decision changed`).toBe(full.result.decision);
        // A cause certain with less evidence is a cause with the complete evidence too.
        const causes = new Set(full.result.causes.map((c) => c.code));
        for (const c of part.result.causes.filter((x) => x.confidence === 'certain'))
          expect(
            causes.has(c.code),
            `${where}: certain cause ${c.code} is no cause with complete evidence`,
          ).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('keeps a certain cause certain or makes it possible', () => {
    fc.assert(
      fc.property(subjectAndUnknowns(), ([s, paths]) => {
        const full = run(s, s.snapshot);
        const part = run(s, without(s.snapshot, paths));
        if (!full || !part) return;
        const where = `${s.id} with unknown ${paths.map((p) => p.join('.')).join(', ')}`;
        const listed = new Set(part.result.causes.map((c) => c.code));
        // "Possible" either as a listed cause or as what an unknown could explain (the report's "could explain").
        const explained = new Set(part.result.unknowns.flatMap((u) => u.couldExplain));
        for (const c of full.result.causes.filter((x) => x.confidence === 'certain'))
          expect(
            listed.has(c.code) || explained.has(c.code),
            `${where}: certain cause ${c.code} vanished (now ${part.result.causes.map((x) => `${x.code} (${x.confidence})`).join(', ') || 'no cause'})`,
          ).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('never says "a Deny statement matched" without a Deny matching in the trace', () => {
    fc.assert(
      fc.property(subjectAndUnknowns(), ([s, paths]) => {
        const part = run(s, without(s.snapshot, paths));
        if (!part || !decisionLabel(part.result).includes('a Deny statement matched')) return;
        const ev = evaluateRequest(part.request, part.evidence);
        const matched = ev.authorizations.some((a) => a.layers.some((l) => l.outcome === 'explicit-deny'));
        expect(matched, `${s.id} with unknown ${paths.map((p) => p.join('.')).join(', ')}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
