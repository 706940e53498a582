// Policy variables: parsing `${key}`, `${key, 'default'}` and the `${*}` `${?}` `${$}` escapes, and resolving
// them against a request context.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

import type { PatternPart } from './wildcard.js';
import type { KeyLookup } from './context.js';

/** One piece of a policy value: policy text, a literal escape, or a variable. */
export type TemplatePiece = PatternPart | { t: 'var'; key: string; keyLower: string; def?: string };

/** A policy value split into pieces; `vars` is false when nothing needs resolving. */
export interface Template {
  raw: string;
  pieces: TemplatePiece[];
  vars: boolean;
}

const VAR_RE = /\$\{([^}]*)\}/g;
const DEFAULT_RE = /^\s*([^,\s][^,]*?)\s*,\s*'([^']*)'\s*$/;

/**
 * Splits a value into pieces. With `enabled` false (Version 2008-10-17 or no Version) the text stays as
 * written: `${aws:username}` is literal text.
 */
export function parseTemplate(raw: string, enabled: boolean): Template {
  if (!enabled || !raw.includes('${')) return { raw, pieces: [{ t: 'text', s: raw }], vars: false };
  const pieces: TemplatePiece[] = [];
  let last = 0;
  let vars = false;
  for (const m of raw.matchAll(VAR_RE)) {
    const start = m.index;
    if (start > last) pieces.push({ t: 'text', s: raw.slice(last, start) });
    last = start + m[0].length;
    const inner = m[1]!;
    if (inner === '*' || inner === '?' || inner === '$') {
      pieces.push({ t: 'literal', s: inner });
      continue;
    }
    const withDefault = DEFAULT_RE.exec(inner);
    const key = (withDefault ? withDefault[1]! : inner).trim();
    if (key === '') {
      pieces.push({ t: 'text', s: m[0] });
      continue;
    }
    vars = true;
    const piece: TemplatePiece = { t: 'var', key, keyLower: key.toLowerCase() };
    if (withDefault) piece.def = withDefault[2]!;
    pieces.push(piece);
  }
  if (last < raw.length) pieces.push({ t: 'text', s: raw.slice(last) });
  return { raw, pieces, vars };
}

/** The result of resolving a template against one request. */
export type Resolved =
  | { ok: true; parts: PatternPart[]; text: string }
  | { ok: false; state: 'unresolved' | 'unknown'; key: string };

/**
 * Substitutes variables: a present single-valued key gives its value (literal text, never a wildcard); an
 * absent key gives the default or leaves the value unusable; a multi-valued key cannot be a variable; a key
 * whose presence is unknown makes the value unknown.
 */
export function resolveTemplate(tpl: Template, lookup: KeyLookup): Resolved {
  const parts: PatternPart[] = [];
  let text = '';
  for (const p of tpl.pieces) {
    if (p.t !== 'var') {
      parts.push(p);
      text += p.s;
      continue;
    }
    const st = lookup(p.keyLower);
    let value: string | undefined;
    if (st.state === 'present') {
      const v = st.value;
      if (typeof v === 'string') value = v;
      else return { ok: false, state: 'unresolved', key: p.key };
    } else if (st.state === 'unknown') {
      return { ok: false, state: 'unknown', key: p.key };
    } else if (p.def !== undefined) {
      value = p.def;
    } else {
      return { ok: false, state: 'unresolved', key: p.key };
    }
    parts.push({ t: 'literal', s: value });
    text += value;
  }
  return { ok: true, parts, text };
}

/**
 * The resolved text only (no parts allocated): a string, or why the value is unusable. Same rules as
 * {@link resolveTemplate}.
 */
export function resolveText(
  tpl: Template,
  lookup: KeyLookup,
): string | { state: 'unresolved' | 'unknown'; key: string } {
  let text = '';
  for (const p of tpl.pieces) {
    if (p.t !== 'var') {
      text += p.s;
      continue;
    }
    const st = lookup(p.keyLower);
    if (st.state === 'present') {
      if (typeof st.value !== 'string') return { state: 'unresolved', key: p.key };
      text += st.value;
    } else if (st.state === 'unknown') return { state: 'unknown', key: p.key };
    else if (p.def !== undefined) text += p.def;
    else return { state: 'unresolved', key: p.key };
  }
  return text;
}
