// A small HCL (Terraform) reader for the shapes policies are written in: bodies, blocks, attributes and expressions, with spans.

/** An HCL expression with its span [start, end) in the file. */
export type Expr =
  | {
      t: 'str';
      parts: (string | Expr)[];
      start: number;
      end: number;
      heredoc?: { bodyStart: number; bodyEnd: number };
    }
  | { t: 'num'; value: number; start: number; end: number }
  | { t: 'bool'; value: boolean; start: number; end: number }
  | { t: 'null'; start: number; end: number }
  | { t: 'tuple'; items: Expr[]; start: number; end: number }
  | { t: 'object'; items: ObjectItem[]; start: number; end: number }
  | { t: 'call'; name: string; args: Expr[]; start: number; end: number }
  | { t: 'ref'; parts: (string | number)[]; start: number; end: number }
  | {
      t: 'for';
      /** `[for ...]` makes a tuple, `{for ...}` an object. */
      into: 'tuple' | 'object';
      /** `for k, v in`: keyVar `k`; `for v in`: none. */
      keyVar?: string;
      valVar: string;
      coll: Expr;
      /** Objects: the key expression (before `=>`). */
      key?: Expr;
      value: Expr;
      /** Objects: `...` groups values of the same key into lists. */
      group?: boolean;
      cond?: Expr;
      start: number;
      end: number;
    }
  | { t: 'compare'; op: '==' | '!='; left: Expr; right: Expr; start: number; end: number }
  | { t: 'opaque'; start: number; end: number };

/** One `key = value` of an object expression. */
export interface ObjectItem {
  key: string | Expr;
  value: Expr;
  start: number;
  end: number;
}

/** An attribute `name = expr` of a body. */
export interface Attribute {
  name: string;
  expr: Expr;
  start: number;
  end: number;
}

/** A block `type "label" ... { body }`. */
export interface Block {
  type: string;
  labels: string[];
  body: Body;
  start: number;
  /** Offset of `{` and of `}`. */
  open: number;
  close: number;
  end: number;
}

/** A body: attributes and blocks in source order. */
export interface Body {
  attrs: Attribute[];
  blocks: Block[];
}

/** Thrown for text that is not HCL this reader understands. */
export class HclError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parses a Terraform file's body (throws `HclError`). */
export function parseHcl(text: string): Body {
  const p = new Parser(text);
  const body = p.body(false);
  p.skip(true);
  if (p.pos < text.length) throw new HclError('unexpected text', p.pos);
  return body;
}

class Parser {
  pos = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  /** Skips spaces and comments; newlines too when `nl`. */
  skip(nl: boolean): void {
    const s = this.s;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || (nl && c === '\n')) this.pos++;
      else if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        const e = s.indexOf('\n', this.pos);
        this.pos = e < 0 ? s.length : e;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const e = s.indexOf('*/', this.pos + 2);
        if (e < 0) throw new HclError('unclosed comment', this.pos);
        this.pos = e + 2;
      } else return;
    }
  }

  private ident(): string | undefined {
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.s);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  private expect(c: string): void {
    if (this.s[this.pos] !== c) throw new HclError(`expected ${c}`, this.pos);
    this.pos++;
  }

  body(inBlock: boolean): Body {
    const body: Body = { attrs: [], blocks: [] };
    for (;;) {
      this.skip(true);
      if (this.pos >= this.s.length) {
        if (inBlock) throw new HclError('unclosed block', this.pos);
        return body;
      }
      if (this.s[this.pos] === '}') {
        if (!inBlock) throw new HclError('unexpected }', this.pos);
        return body;
      }
      const start = this.pos;
      const name = this.ident();
      if (!name) throw new HclError('expected an attribute or block', this.pos);
      this.skip(false);
      if (this.s[this.pos] === '=' && this.s[this.pos + 1] !== '=') {
        this.pos++;
        const expr = this.expr();
        body.attrs.push({ name, expr, start, end: expr.end });
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        this.skip(false);
        const c = this.s[this.pos];
        if (c === '"') {
          const e = this.template();
          labels.push(e.parts.map((x) => (typeof x === 'string' ? x : '')).join(''));
        } else if (c === '{') break;
        else {
          const l = this.ident();
          if (!l) throw new HclError('expected a block label or {', this.pos);
          labels.push(l);
        }
      }
      const open = this.pos;
      this.pos++;
      if (++this.depth > 100) throw new HclError('nested too deep', this.pos);
      const inner = this.body(true);
      this.depth--;
      const close = this.pos;
      this.pos++;
      body.blocks.push({ type: name, labels, body: inner, start, open, close, end: this.pos });
    }
  }

  /** An expression: a term, then (on the same line) operators and terms, kept opaque when they occur. */
  expr(stopAtColon = false): Expr {
    this.skip(false);
    const first = this.term();
    let last = first;
    let opaque = false;
    const ops: string[] = [];
    for (;;) {
      const save = this.pos;
      this.skip(stopAtColon);
      const rest = this.s.slice(this.pos, this.pos + 2);
      const op = /^(==|!=|<=|>=|&&|\|\||[-+*/%<>?:])/.exec(rest)?.[0];
      if (!op || (stopAtColon && op === ':') || rest === '=>') {
        this.pos = save;
        break;
      }
      this.pos += op.length;
      ops.push(op);
      this.skip(true);
      last = this.term();
      opaque = true;
    }
    // One comparison (`b != "tmp"`, as for expression conditions use it) is kept; other operators are opaque.
    if (ops.length === 1 && (ops[0] === '==' || ops[0] === '!='))
      return { t: 'compare', op: ops[0], left: first, right: last, start: first.start, end: last.end };
    return opaque ? { t: 'opaque', start: first.start, end: last.end } : first;
  }

  private term(): Expr {
    this.skip(false);
    const start = this.pos;
    const c = this.s[this.pos];
    if (c === undefined) throw new HclError('expected an expression', this.pos);
    if (++this.depth > 200) throw new HclError('nested too deep', this.pos);
    try {
      let e: Expr;
      if (c === '"') e = this.template();
      else if (c === '<' && this.s[this.pos + 1] === '<') e = this.heredoc();
      else if (c === '[') e = this.tuple();
      else if (c === '{') e = this.object();
      else if (c === '(') {
        this.pos++;
        this.skip(true);
        const inner = this.expr();
        this.skip(true);
        this.expect(')');
        e = { ...inner, start, end: this.pos };
        if (inner.t !== 'opaque') e = { t: 'opaque', start, end: this.pos };
      } else if (c === '-' || c === '!') {
        this.pos++;
        const inner = this.term();
        e = { t: 'opaque', start, end: inner.end };
      } else if (/[0-9]/.test(c)) {
        NUMBER.lastIndex = this.pos;
        const m = NUMBER.exec(this.s)!;
        this.pos += m[0].length;
        e = { t: 'num', value: Number(m[0]), start, end: this.pos };
      } else {
        const name = this.ident();
        if (!name) throw new HclError(`unexpected ${JSON.stringify(c)}`, this.pos);
        if (name === 'true' || name === 'false')
          e = { t: 'bool', value: name === 'true', start, end: this.pos };
        else if (name === 'null') e = { t: 'null', start, end: this.pos };
        else if (this.s[this.pos] === '(') e = this.call(name, start);
        else e = { t: 'ref', parts: [name], start, end: this.pos };
      }
      return this.traversal(e);
    } finally {
      this.depth--;
    }
  }

  /** `.attr`, `[index]`, `.*`, `[*]` after a term. */
  private traversal(e: Expr): Expr {
    for (;;) {
      const c = this.s[this.pos];
      if (c === '.' && this.s[this.pos + 1] !== '.') {
        this.pos++;
        if (this.s[this.pos] === '*') {
          this.pos++;
          e = { t: 'opaque', start: e.start, end: this.pos };
          continue;
        }
        NUMBER.lastIndex = this.pos;
        const num = NUMBER.exec(this.s);
        const name = num ? undefined : this.ident();
        if (num) this.pos += num[0].length;
        const part = num ? Number(num[0]) : name;
        if (part === undefined) throw new HclError('expected an attribute name', this.pos);
        e =
          e.t === 'ref'
            ? { ...e, parts: [...e.parts, part], end: this.pos }
            : { t: 'opaque', start: e.start, end: this.pos };
      } else if (c === '[') {
        this.pos++;
        this.skip(true);
        if (this.s[this.pos] === '*') {
          this.pos++;
          this.skip(true);
          this.expect(']');
          e = { t: 'opaque', start: e.start, end: this.pos };
          continue;
        }
        const idx = this.expr();
        this.skip(true);
        this.expect(']');
        const key =
          idx.t === 'num'
            ? idx.value
            : idx.t === 'str' && idx.parts.every((p) => typeof p === 'string')
              ? idx.parts.join('')
              : undefined;
        e =
          e.t === 'ref' && key !== undefined
            ? { ...e, parts: [...e.parts, key], end: this.pos }
            : { t: 'opaque', start: e.start, end: this.pos };
      } else return e;
    }
  }

  private call(name: string, start: number): Expr {
    this.expect('(');
    const args: Expr[] = [];
    for (;;) {
      this.skip(true);
      if (this.s[this.pos] === ')') break;
      args.push(this.expr());
      this.skip(true);
      if (this.s.startsWith('...', this.pos)) this.pos += 3;
      this.skip(true);
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== ')') throw new HclError('expected , or )', this.pos);
    }
    this.pos++;
    return { t: 'call', name, args, start, end: this.pos };
  }

  private tuple(): Expr {
    const start = this.pos;
    this.pos++;
    this.skip(true);
    if (this.s.startsWith('for', this.pos) && /\s/.test(this.s[this.pos + 3] ?? ''))
      return this.forExpr(start, 'tuple');
    const items: Expr[] = [];
    for (;;) {
      this.skip(true);
      if (this.s[this.pos] === ']') break;
      items.push(this.expr());
      this.skip(true);
      if (this.s[this.pos] === ',') this.pos++;
      else if (this.s[this.pos] !== ']') throw new HclError('expected , or ]', this.pos);
    }
    this.pos++;
    return { t: 'tuple', items, start, end: this.pos };
  }

  private object(): Expr {
    const start = this.pos;
    this.pos++;
    this.skip(true);
    if (this.s.startsWith('for', this.pos) && /\s/.test(this.s[this.pos + 3] ?? ''))
      return this.forExpr(start, 'object');
    const items: ObjectItem[] = [];
    for (;;) {
      this.skip(true);
      if (this.s[this.pos] === '}') break;
      const istart = this.pos;
      let key: string | Expr;
      const c = this.s[this.pos];
      if (c === '"') {
        const k = this.template();
        key = k.parts.every((p) => typeof p === 'string') ? k.parts.join('') : k;
      } else if (c === '(') key = this.term();
      else {
        const save = this.pos;
        const id = this.ident();
        if (!id) throw new HclError('expected an object key', this.pos);
        if (this.s[this.pos] === '.') {
          this.pos = save;
          key = this.term();
        } else key = id;
      }
      this.skip(false);
      if (this.s[this.pos] !== '=' && this.s[this.pos] !== ':')
        throw new HclError('expected = or :', this.pos);
      this.pos++;
      const value = this.expr();
      items.push({ key, value, start: istart, end: value.end });
      this.skip(false);
      if (this.s[this.pos] === ',') this.pos++;
    }
    this.pos++;
    return { t: 'object', items, start, end: this.pos };
  }

  /**
   * `[for k, v in coll : value if cond]` / `{for k, v in coll : key => value... if cond}` (the opening
   * bracket and `for` already read up to `for`); a shape this reader does not follow is kept opaque.
   */
  private forExpr(start: number, into: 'tuple' | 'object'): Expr {
    const close = into === 'tuple' ? ']' : '}';
    const body = this.pos;
    try {
      this.pos += 3;
      this.skip(true);
      const first = this.ident();
      if (!first) throw new HclError('expected a for variable', this.pos);
      this.skip(true);
      let keyVar: string | undefined;
      let valVar = first;
      if (this.s[this.pos] === ',') {
        this.pos++;
        this.skip(true);
        const second = this.ident();
        if (!second) throw new HclError('expected a for variable', this.pos);
        keyVar = first;
        valVar = second;
        this.skip(true);
      }
      if (this.ident() !== 'in') throw new HclError('expected in', this.pos);
      const coll = this.expr(true);
      this.skip(true);
      this.expect(':');
      this.skip(true);
      let key: Expr | undefined;
      if (into === 'object') {
        key = this.expr(true);
        this.skip(true);
        if (!this.s.startsWith('=>', this.pos)) throw new HclError('expected =>', this.pos);
        this.pos += 2;
        this.skip(true);
      }
      const value = this.expr(true);
      this.skip(true);
      let group = false;
      if (into === 'object' && this.s.startsWith('...', this.pos)) {
        group = true;
        this.pos += 3;
        this.skip(true);
      }
      let cond: Expr | undefined;
      const save = this.pos;
      if (this.ident() === 'if') {
        cond = this.expr(true);
        this.skip(true);
      } else this.pos = save;
      this.expect(close);
      return {
        t: 'for',
        into,
        ...(keyVar !== undefined ? { keyVar } : {}),
        valVar,
        coll,
        ...(key ? { key } : {}),
        value,
        ...(group ? { group } : {}),
        ...(cond ? { cond } : {}),
        start,
        end: this.pos,
      };
    } catch (e) {
      if (!(e instanceof HclError)) throw e;
      this.pos = body;
      return this.skipBalanced(start, into === 'tuple' ? '[' : '{', close);
    }
  }

  /** Text kept opaque: brackets balanced (strings respected). */
  private skipBalanced(start: number, open: string, close: string): Expr {
    let depth = 1;
    while (this.pos < this.s.length && depth > 0) {
      const c = this.s[this.pos];
      if (c === '"') {
        this.template();
        continue;
      }
      if (c === open) depth++;
      else if (c === close) depth--;
      this.pos++;
    }
    return { t: 'opaque', start, end: this.pos };
  }

  /** A quoted template `"...${expr}..."`. */
  private template(): Extract<Expr, { t: 'str' }> {
    const start = this.pos;
    this.pos++;
    const parts: (string | Expr)[] = [];
    let lit = '';
    const s = this.s;
    for (;;) {
      const c = s[this.pos];
      if (c === undefined || c === '\n') throw new HclError('unclosed string', start);
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const n = s[this.pos + 1];
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (n === 'u') {
          lit += String.fromCharCode(parseInt(s.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          lit += map[n ?? ''] ?? n ?? '';
          this.pos += 2;
        }
        continue;
      }
      if ((c === '$' || c === '%') && s[this.pos + 1] === c && s[this.pos + 2] === '{') {
        lit += `${c}{`;
        this.pos += 3;
        continue;
      }
      if ((c === '$' || c === '%') && s[this.pos + 1] === '{') {
        if (lit) parts.push(lit);
        lit = '';
        parts.push(this.interpolation(c === '%'));
        continue;
      }
      lit += c;
      this.pos++;
    }
    if (lit || parts.length === 0) parts.push(lit);
    return { t: 'str', parts, start, end: this.pos };
  }

  private interpolation(directive: boolean): Expr {
    const start = this.pos;
    this.pos += 2;
    this.skip(true);
    if (this.s[this.pos] === '~') this.pos++;
    const e = directive ? this.skipBalanced(start, '{', '}') : this.expr();
    if (directive) return { t: 'opaque', start, end: this.pos };
    this.skip(true);
    if (this.s[this.pos] === '~') this.pos++;
    this.expect('}');
    return e;
  }

  /** Text [from, to) as a template: literal text and `${...}` interpolations (`$${` is a literal `${`). */
  templateParts(from: number, to: number): (string | Expr)[] {
    this.pos = from;
    const parts: (string | Expr)[] = [];
    let lit = '';
    while (this.pos < to) {
      const c = this.s[this.pos]!;
      if ((c === '$' || c === '%') && this.s[this.pos + 1] === c && this.s[this.pos + 2] === '{') {
        lit += `${c}{`;
        this.pos += 3;
      } else if ((c === '$' || c === '%') && this.s[this.pos + 1] === '{') {
        if (lit) parts.push(lit);
        lit = '';
        parts.push(this.interpolation(c === '%'));
      } else {
        lit += c;
        this.pos++;
      }
    }
    if (lit || parts.length === 0) parts.push(lit);
    return parts;
  }

  /** `<<EOF` / `<<-EOF` heredoc: a template over the lines up to the marker line. */
  private heredoc(): Expr {
    const start = this.pos;
    const m = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;
    m.lastIndex = this.pos;
    const h = m.exec(this.s);
    if (!h) throw new HclError('malformed heredoc', this.pos);
    const bodyStart = this.pos + h[0].length;
    const marker = new RegExp(`^[ \\t]*${h[2]}[ \\t]*$`, 'm');
    marker.lastIndex = 0;
    const rest = this.s.slice(bodyStart);
    const mm = marker.exec(rest);
    if (!mm) throw new HclError('unclosed heredoc', start);
    const bodyEnd = bodyStart + mm.index;
    const parts = new Parser(this.s).templateParts(bodyStart, bodyEnd);
    this.pos = bodyEnd + mm[0].length;
    let text = parts;
    if (h[1] === '-') {
      // <<- strips the smallest indentation of the lines.
      const joined = parts.map((p) => (typeof p === 'string' ? p : '\u0000')).join('');
      const ind = Math.min(
        ...joined
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => /^[ \t]*/.exec(l)![0].length),
      );
      if (Number.isFinite(ind) && ind > 0)
        text = parts.map((p) =>
          typeof p === 'string' ? p.replace(new RegExp(`(^|\\n)[ \\t]{0,${ind}}`, 'g'), '$1') : p,
        );
    }
    return { t: 'str', parts: text, start, end: this.pos, heredoc: { bodyStart, bodyEnd } };
  }
}

/** A template file's text (templatefile()) as a template expression (throws `HclError`). */
export function parseTemplate(text: string): Extract<Expr, { t: 'str' }> {
  return { t: 'str', parts: new Parser(text).templateParts(0, text.length), start: 0, end: text.length };
}

/** The attribute of a body by name. */
export function attr(body: Body, name: string): Attribute | undefined {
  return body.attrs.find((a) => a.name === name);
}
