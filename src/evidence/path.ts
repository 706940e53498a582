// Snapshot paths: one spelling for "where in the evidence" shared by the loader, the engine and the report.

/**
 * Joins path segments the way problems and unknowns name them: `buckets.b.policy.Statement[0].Effect`.
 * Numbers become `[n]`; a string segment that holds `.`, `[`, `]`, `"` or whitespace is quoted as
 * `["my.bucket"]` so that bucket names with dots stay unambiguous.
 */
export function evidencePath(...segments: (string | number)[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (seg === '' || needsQuotes(seg)) out += `[${JSON.stringify(seg)}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

function needsQuotes(seg: string): boolean {
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    // . [ ] " and whitespace
    if (c === 46 || c === 91 || c === 93 || c === 34 || c <= 32) return true;
  }
  return false;
}

/** Appends segments to an existing path produced by {@link evidencePath}. */
export function childPath(base: string, ...segments: (string | number)[]): string {
  const tail = evidencePath(...segments);
  if (base === '') return tail;
  if (tail === '') return base;
  return tail.startsWith('[') ? base + tail : `${base}.${tail}`;
}
