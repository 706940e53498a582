// A deterministic work counter for parsers: characters each regular-expression execution and string search may scan.

/**
 * Runs `f` with every `RegExp.prototype.exec` (which `test`, `match`, `matchAll`, `replace`, `split` and
 * `search` call once it is replaced) and every `String.prototype.indexOf`/`includes`/`lastIndexOf`
 * charged with the characters it may scan: from where the search starts to the end of the match, or to
 * the end of the input when nothing matched. Not a timer: the same input always costs the same.
 * A parser that rescans a long run once per anchor or per position shows up here as quadratic work; the
 * backtracking inside one regular expression does not (the error-text timing tests cover that).
 */
export function countWork<T>(f: () => T): { result: T; work: number } {
  let work = 0;
  const rp = RegExp.prototype;
  const sp = String.prototype;
  const exec = rp.exec;
  const indexOf = sp.indexOf;
  const lastIndexOf = sp.lastIndexOf;
  const includes = sp.includes;
  rp.exec = function (this: RegExp, s: string): RegExpExecArray | null {
    const str = String(s);
    const start = this.global || this.sticky ? Math.min(this.lastIndex, str.length) : 0;
    const m = exec.call(this, str);
    work += 1 + (m ? m.index + m[0].length - start : this.sticky ? 1 : str.length - start);
    return m;
  };
  sp.indexOf = function (this: string, search: string, from?: number): number {
    const at = indexOf.call(this, search, from);
    const f0 = Math.max(0, Math.min(from ?? 0, this.length));
    work += 1 + (at < 0 ? this.length - f0 : at - f0) + String(search).length;
    return at;
  };
  sp.lastIndexOf = function (this: string, search: string, from?: number): number {
    const at = lastIndexOf.call(this, search, from);
    const f0 = Math.max(0, Math.min(from ?? this.length, this.length));
    work += 1 + (at < 0 ? f0 : f0 - at) + String(search).length;
    return at;
  };
  sp.includes = function (this: string, search: string, from?: number): boolean {
    const at = indexOf.call(this, search, from);
    const f0 = Math.max(0, Math.min(from ?? 0, this.length));
    work += 1 + (at < 0 ? this.length - f0 : at - f0) + String(search).length;
    return at >= 0;
  };
  try {
    return { result: f(), work };
  } finally {
    rp.exec = exec;
    sp.indexOf = indexOf;
    sp.lastIndexOf = lastIndexOf;
    sp.includes = includes;
  }
}

/** `unit` repeated and cut to exactly `n` characters. */
export const fill = (unit: string, n: number): string =>
  unit.repeat(Math.ceil(n / Math.max(1, unit.length))).slice(0, n);
