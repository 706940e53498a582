// Policy statement plumbing for fixes: normalise, compare, and add a statement to a document minimally.

import type { OneOrMany, PolicyDocument, PolicyStatement, PrincipalElement } from '../model/policy.js';

/** A statement's `Condition` block. */
export type ConditionBlock = NonNullable<PolicyStatement['Condition']>;

/** A list as a list. */
export function toList<T>(v: OneOrMany<T> | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** One value as a string, several as a list (the form AWS consoles write). */
export function oneOrMany(values: string[]): OneOrMany<string> {
  return values.length === 1 ? (values[0] as string) : values;
}

/** Order-preserving de-duplication. */
export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** JSON with object keys sorted, for structural comparison. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** Whether two lists hold the same strings, in any order. */
export function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/** Whether two principal elements name the same principals. */
export function samePrincipal(a: PrincipalElement | undefined, b: PrincipalElement | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a === '*' || b === '*') return a === b;
  const keys = unique([...Object.keys(a), ...Object.keys(b)]) as (keyof Exclude<PrincipalElement, '*'>)[];
  return keys.every((k) => sameSet(toList(a[k]), toList(b[k])));
}

/** Whether two condition blocks are the same (absent equals empty). */
export function sameConditions(a: ConditionBlock | undefined, b: ConditionBlock | undefined): boolean {
  const norm = (c: ConditionBlock | undefined) => {
    const out: Record<string, Record<string, string[]>> = {};
    for (const [op, keys] of Object.entries(c ?? {})) {
      for (const [key, vals] of Object.entries(keys)) {
        (out[op] ??= {})[key.toLowerCase()] = toList(vals).map(String).sort();
      }
    }
    return canonicalJson(out);
  };
  return norm(a) === norm(b);
}

/** The statements of a document as a list. */
export function statementsOf(doc: PolicyDocument | null | undefined): PolicyStatement[] {
  return doc ? toList(doc.Statement) : [];
}

/** A Sid of letters and digits, unique within the document. */
export function uniqueSid(doc: PolicyDocument | null, base: string): string {
  const clean = base.replace(/[^A-Za-z0-9]/g, '').slice(0, 100) || 'S3doctor';
  const taken = new Set(statementsOf(doc).map((s) => s.Sid));
  if (!taken.has(clean)) return clean;
  for (let i = 2; ; i++) if (!taken.has(`${clean}${i}`)) return `${clean}${i}`;
}

/** `S3doctor` + the action names without their service prefix, e.g. `S3doctorGetObject`. */
export function sidFor(actions: string[]): string {
  const names = actions.map((a) => a.split(':')[1] ?? a).map((n) => n.charAt(0).toUpperCase() + n.slice(1));
  const joined = names.join('');
  return `S3doctor${joined.length > 60 ? `${names[0] ?? ''}And${names.length - 1}More` : joined}`;
}

/** What a fix wants a document to grant. */
export interface GrantSpec {
  actions: string[];
  resources: string[];
  principal?: PrincipalElement;
  conditions?: ConditionBlock;
  sid?: string;
}

/** The statement a grant becomes, elements in the usual order. */
export function grantStatement(doc: PolicyDocument | null, g: GrantSpec): PolicyStatement {
  const st: PolicyStatement = { Sid: g.sid ?? uniqueSid(doc, sidFor(g.actions)), Effect: 'Allow' };
  if (g.principal !== undefined) st.Principal = g.principal;
  st.Action = oneOrMany(unique(g.actions));
  st.Resource = oneOrMany(unique(g.resources));
  if (g.conditions && Object.keys(g.conditions).length > 0) st.Condition = structuredClone(g.conditions);
  return st;
}

/** The result of adding a grant to a document. */
export interface GrantResult {
  document: PolicyDocument;
  /** `extended`: an existing statement with the same principal, resources and conditions got the actions. */
  how: 'new-document' | 'extended' | 'appended' | 'already-granted';
  statementIndex: number;
}

/**
 * Adds a grant to a copy of `doc` the smallest way: when an Allow statement with the same
 * principal, resources and conditions exists (and `canExtend` accepts it), its action list grows;
 * otherwise one new statement is appended. `doc` itself is never modified.
 */
export function addGrant(
  doc: PolicyDocument | null,
  g: GrantSpec,
  canExtend: (st: PolicyStatement) => boolean = () => true,
): GrantResult {
  if (doc === null) {
    return {
      document: { Version: '2012-10-17', Statement: [grantStatement(null, g)] },
      how: 'new-document',
      statementIndex: 0,
    };
  }
  const copy = structuredClone(doc);
  const list = toList(copy.Statement);
  copy.Statement = list;
  const idx = list.findIndex(
    (st) =>
      st.Effect === 'Allow' &&
      st.Action !== undefined &&
      st.NotAction === undefined &&
      st.Resource !== undefined &&
      st.NotResource === undefined &&
      st.NotPrincipal === undefined &&
      samePrincipal(st.Principal, g.principal) &&
      sameSet(toList(st.Resource), g.resources) &&
      sameConditions(st.Condition, g.conditions) &&
      canExtend(st),
  );
  const found = idx >= 0 ? list[idx] : undefined;
  if (found) {
    const have = toList(found.Action);
    const missing = unique(g.actions).filter((a) => !have.some((h) => h.toLowerCase() === a.toLowerCase()));
    if (missing.length === 0) return { document: copy, how: 'already-granted', statementIndex: idx };
    found.Action = oneOrMany([...have, ...missing]);
    return { document: copy, how: 'extended', statementIndex: idx };
  }
  list.push(grantStatement(copy, g));
  return { document: copy, how: 'appended', statementIndex: list.length - 1 };
}
