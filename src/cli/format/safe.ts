// Output hygiene for values from the input (keys, user agents, URIs, session names): no terminal control, no raw HTML.

// C0 controls except tab and newline, DEL, C1 controls, and the bidirectional overrides and isolates
// (text that reads differently from what it is). ESC is matched on its own or as one of the SGR
// sequences the text formatter writes itself (style.ts), which are kept.
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /\u001b\[(?:1|2|7|22|27|3[1-9])m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_ALL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// Values from the input (a key with %0A in its Request-URI) lose their newlines too: one value, one line.
// eslint-disable-next-line no-control-regex
const CONTROL_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function escaped(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Replaces control characters with their `\uXXXX` spelling so that printed text cannot move the cursor,
 * retitle or clear the terminal, or write the clipboard (OSC 52). Tab and newline stay. The colour
 * sequences s3doctor writes itself stay when `keepStyles` (values from the input were cleaned before
 * styling, see {@link safeDeep}). JSON stays valid and equal: `\uXXXX` is how JSON spells those characters.
 */
export function terminalSafe(s: string, keepStyles = true): string {
  if (keepStyles) return s.replace(CONTROL, (m) => (m.length > 1 ? m : escaped(m)));
  return s.replace(CONTROL_ALL, escaped);
}

/** A value from the input made safe for one line of a terminal: control characters and newlines spelled `\uXXXX`. */
export function valueSafe(s: string): string {
  return s.replace(CONTROL_VALUE, escaped);
}

/** Report fields that are several lines by design (a fix's unified diff): they keep their newlines. */
const MULTI_LINE: ReadonlySet<string> = new Set(['diff']);

/** The objects {@link safeDeep} changed, to the objects they were copied from. */
const originals = new WeakMap<object, object>();

/**
 * The object a {@link safeDeep} copy was made from, when the copy differs from it (else `v` itself):
 * a printed command needs the real value (a key with a newline), which the shell quoting spells safely.
 */
export function originalOf<T extends object>(v: T): T {
  return (originals.get(v) as T | undefined) ?? v;
}

/**
 * A copy of a report (plain data: objects, arrays, strings) with every string made {@link valueSafe},
 * colour sequences and newlines included (a fix's `diff` keeps its newlines): run on the data before a
 * text or Markdown formatter styles it.
 */
export function safeDeep<T>(v: T, depth = 0, field = ''): T {
  if (typeof v === 'string') return (MULTI_LINE.has(field) ? terminalSafe(v, false) : valueSafe(v)) as T;
  if (v === null || typeof v !== 'object' || depth > 200) return v;
  if (Array.isArray(v)) return v.map((x: unknown) => safeDeep(x, depth + 1)) as T;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = {};
  let changed = false;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const y = safeDeep(x, depth + 1, k);
    if (typeof x === 'string' && y !== x) changed = true;
    out[valueSafe(k)] = y;
  }
  if (changed) originals.set(out, v);
  return out as T;
}

/**
 * Escapes text from the input for Markdown prose and table cells: HTML (`<img onerror=...>` stays
 * text), link and emphasis syntax and code spans (table cells escape their pipes themselves).
 */
export function mdEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]]/g, (c) => `\\${c}`);
}

/** A code span that shows `s` exactly: its delimiter is one backtick longer than any run inside, and it is padded
 * with a space where CommonMark would otherwise read or strip one
 * (https://spec.commonmark.org/0.31.2/#code-spans). Log fields may hold backticks; replacing them would show a key
 * other than the one requested. */
export function mdCode(s: string): string {
  const longest = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  const pad =
    s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ') && s.trim() !== '')
      ? ' '
      : '';
  return f + pad + s + pad + f;
}
