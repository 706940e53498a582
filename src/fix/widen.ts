// Whether one policy document only adds Allow to another, so a request certainly allowed with the first stays allowed.

import { isPublicPolicy } from '../authz/index.js';
import type { PolicyDocument, PolicyStatement } from '../model/policy.js';
import { canonicalJson, statementsOf, toList } from './statements.js';

/** Statement fields a widening may grow: the Action and Resource lists of an Allow (Not* lists narrow, so they must stay). */
const GROWABLE = new Set(['Sid', 'Action', 'Resource', 'Condition']);

/** Whether a condition operator matches less as its value list grows (StringNotEquals, ArnNotLike, NotIpAddress...). */
function negated(op: string): boolean {
  return /not/i.test(op.replace(/^for(all|any)values?:/i, ''));
}

/** Whether every value of `a` is also in `b` (values compared as JSON, so `true` and `"true"` differ). */
function covers(b: unknown, a: unknown): boolean {
  const have = new Set(toList(b as unknown[] | undefined).map((v) => JSON.stringify(v)));
  return toList(a as unknown[] | undefined).every((v) => have.has(JSON.stringify(v)));
}

/**
 * Whether Allow statement `wide` matches every request `narrow` matches: same principal, Not* lists and
 * condition operators and keys, with Action, Resource and the values of non-negated operators each a superset.
 */
function widensStatement(narrow: PolicyStatement, wide: PolicyStatement): boolean {
  if (narrow.Effect !== 'Allow' || wide.Effect !== 'Allow') return false;
  const rest = (s: PolicyStatement) =>
    canonicalJson(Object.fromEntries(Object.entries(s).filter(([k]) => !GROWABLE.has(k))));
  if (rest(narrow) !== rest(wide)) return false;
  for (const f of ['Action', 'Resource'] as const) {
    if ((narrow[f] === undefined) !== (wide[f] === undefined)) return false;
    if (!covers(wide[f], narrow[f])) return false;
  }
  const nc = narrow.Condition ?? {};
  const wc = wide.Condition ?? {};
  if (canonicalJson(Object.keys(nc).sort()) !== canonicalJson(Object.keys(wc).sort())) return false;
  for (const [op, keys] of Object.entries(nc)) {
    const wkeys = wc[op]!;
    if (canonicalJson(Object.keys(keys).sort()) !== canonicalJson(Object.keys(wkeys).sort())) return false;
    for (const [key, vals] of Object.entries(keys)) {
      if (negated(op) ? canonicalJson(vals) !== canonicalJson(wkeys[key]) : !covers(wkeys[key], vals))
        return false;
    }
  }
  return true;
}

/**
 * Whether `wide` (a merge of fixes into `narrow`) only widens what `narrow` allows: the same top-level
 * fields, each statement of `narrow` at its place with Deny statements unchanged and Allow statements
 * grown (see {@link widensStatement}), and only Allow statements after them. A bucket or access point
 * policy must also keep its Block Public Access standing (RestrictPublicBuckets treats grants of a
 * public policy differently), so one that turns public is not a widening. When this holds, every
 * request certainly allowed with `narrow` in place is certainly allowed with `wide` (the IAM and S3
 * evaluation logic only grows with more Allow: test/fix/widen.test.ts checks it against the evaluator).
 */
export function widens(narrow: PolicyDocument, wide: PolicyDocument, targetType: string): boolean {
  const top = (d: PolicyDocument) =>
    canonicalJson(Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'Statement')));
  if (top(narrow) !== top(wide)) return false;
  const a = statementsOf(narrow);
  const b = statementsOf(wide);
  if (b.length < a.length) return false;
  for (const [i, s] of a.entries()) {
    const w = b[i]!;
    if (s.Effect === 'Allow' ? !widensStatement(s, w) : canonicalJson(s) !== canonicalJson(w)) return false;
  }
  for (let i = a.length; i < b.length; i++) if (b[i]!.Effect !== 'Allow') return false;
  if (targetType === 'bucket-policy' || targetType === 'access-point-policy') {
    const ap = { accessPoint: targetType === 'access-point-policy' };
    if (isPublicPolicy(wide, ap) !== isPublicPolicy(narrow, ap)) return false;
  }
  return true;
}
