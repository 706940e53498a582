// Plans a policy patch as statement operations on a located document: what to append, replace or remove.

import type { Resolved, StatementOp } from './types.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A statement in a canonical form: keys sorted, one-element lists as scalars, lists of strings sorted. */
export function canonical(v: unknown): string {
  return JSON.stringify(norm(v));
}

function norm(v: unknown): Json {
  if (Array.isArray(v)) {
    const items = v.map(norm);
    if (items.length === 1) return items[0]!;
    return items.every((i) => typeof i === 'string') ? [...(items as string[])].sort() : items;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(v).sort()) out[k] = norm((v as Record<string, unknown>)[k]);
    return out;
  }
  return v as Json;
}

/** The statements of a document as a list (`Statement` may be one object). */
export function statementList(doc: unknown): Record<string, unknown>[] {
  if (!doc || typeof doc !== 'object') return [];
  const s = (doc as { Statement?: unknown }).Statement;
  if (Array.isArray(s)) return s as Record<string, unknown>[];
  return s && typeof s === 'object' ? [s as Record<string, unknown>] : [];
}

/** The operations and what could not be carried over (plain sentences). */
export interface Plan {
  ops: StatementOp[];
  notes: string[];
}

/**
 * The statement operations that turn the source's document into the patched one: statements the
 * patch removes or changes are found in the source by their resolved value (a changed statement is
 * replaced where it stands, paired by Sid, else by position); statements it adds are appended. The
 * source may differ from the live `before` (drift): only the patch's own change is carried over.
 */
export function planOps(source: Resolved[], before: unknown, after: unknown): Plan {
  const b = statementList(before);
  const a = statementList(after);
  const bc = b.map(canonical);
  const ac = a.map(canonical);
  const removed = b.map((s, i) => ({ s, i })).filter((x) => !ac.includes(bc[x.i]!));
  const added = a.map((s, i) => ({ s, i })).filter((x) => !bc.includes(ac[x.i]!));
  const paired = new Map<number, Record<string, unknown>>();
  const used = new Set<number>();
  for (const r of removed) {
    const sid = r.s.Sid;
    let j = added.findIndex((x, k) => !used.has(k) && sid !== undefined && x.s.Sid === sid);
    if (j < 0 && b.length === a.length) j = added.findIndex((x, k) => !used.has(k) && x.i === r.i);
    if (j >= 0) {
      used.add(j);
      paired.set(r.i, added[j]!.s);
    }
  }
  const sc = source.map((s) => canonical(s.value));
  const ops: StatementOp[] = [];
  const notes: string[] = [];
  const taken = new Set<number>();
  for (const r of removed) {
    const k = sc.findIndex((c, idx) => !taken.has(idx) && c === bc[r.i]);
    const repl = paired.get(r.i);
    if (k < 0) {
      notes.push(
        `The source has no statement equal to the live ${r.s.Sid ? `statement ${String(r.s.Sid)}` : `statement ${r.i + 1}`}${source.some((s) => s.unresolved.length) ? ' (some of its values are unresolved)' : ''}: ${repl ? 'the changed statement is appended instead' : 'it is left as is'}.`,
      );
      if (repl) ops.push({ op: 'append', statement: repl });
      continue;
    }
    taken.add(k);
    ops.push(repl ? { op: 'replace', index: k, statement: repl } : { op: 'remove', index: k });
  }
  added.forEach((x, k) => {
    if (used.has(k)) return;
    if (sc.includes(ac[x.i]!)) return; // the source has it already (the live policy lags behind)
    ops.push({ op: 'append', statement: x.s });
  });
  return { ops, notes };
}
