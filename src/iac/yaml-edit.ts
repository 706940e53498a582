// Text edits of a YAML or JSON file at node spans (yaml's ranges): the rest of the file stays byte for byte.

import { Document, isMap, isScalar, isSeq, Scalar, type Node, type YAMLMap, type YAMLSeq } from 'yaml';

/** A CloudFormation intrinsic to write in the file's style: `!Ref X` in YAML, `{"Ref": "X"}` in JSON. */
export class Intrinsic {
  constructor(
    /** Short-form tag without `!`: `Ref`, `GetAtt`, `Sub`. */
    readonly fn: string,
    readonly arg: string,
  ) {}
  /** The long (JSON) form. */
  toJSON(): Record<string, unknown> {
    return this.fn === 'Ref' ? { Ref: this.arg } : { [`Fn::${this.fn}`]: this.arg };
  }
}

/** One text replacement: [start, end) replaced by `text`. */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

/** Applies splices (non-overlapping) from the last to the first. */
export function applySplices(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start || b.end - a.end))
    out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

/** The indentation unit of a file: the smallest step between its lines' indentations (a tab, or 1 to 8 spaces; 2 by default). */
export function indentUnit(text: string): string {
  if (/\n\t+\S/.test(text)) return '\t';
  const sizes = [...new Set([...text.matchAll(/^( *)\S/gm)].map((m) => m[1]!.length))].sort((a, b) => a - b);
  let step = Infinity;
  for (let i = 1; i < sizes.length; i++) step = Math.min(step, sizes[i]! - sizes[i - 1]!);
  return Number.isFinite(step) && step <= 8 ? ' '.repeat(step) : '  ';
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function lineEnd(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  return i < 0 ? text.length : i;
}

/** Leading whitespace of the line holding `pos`. */
function lineIndent(text: string, pos: number): string {
  const s = lineStart(text, pos);
  return /^[ \t]*/.exec(text.slice(s))![0];
}

function column(text: string, pos: number): number {
  return pos - lineStart(text, pos);
}

/** Whether a node is written in flow (JSON-like) style. */
export function isFlow(node: Node): boolean {
  return (isMap(node) || isSeq(node)) && Boolean((node as YAMLMap | YAMLSeq).flow);
}

const AMBIGUOUS = /^(?:\d[\d_:.-]*|[-+]?\.?\d.*|y|n|yes|no|on|off|true|false|null|~)$/i;

function toYamlDoc(value: unknown): Document {
  const doc = new Document();
  const conv = (v: unknown): Node => {
    if (v instanceof Intrinsic) {
      const n = new Scalar(v.arg);
      n.tag = `!${v.fn}`;
      return n;
    }
    if (Array.isArray(v)) {
      const seq = doc.createNode([]) as YAMLSeq;
      for (const i of v) seq.items.push(conv(i));
      return seq;
    }
    if (v && typeof v === 'object') {
      const map = doc.createNode({}) as YAMLMap;
      for (const [k, x] of Object.entries(v)) map.items.push(doc.createPair(k, conv(x)));
      return map;
    }
    const n = doc.createNode(v) as Node;
    // Strings other YAML readers (YAML 1.1, CloudFormation) would take for dates, numbers or booleans stay strings.
    if (typeof v === 'string' && isScalar(n) && AMBIGUOUS.test(v)) n.type = Scalar.QUOTE_SINGLE;
    // A block scalar (`|+`) spliced into a file would take the blank lines after it as its own text:
    // strings with line breaks are written double-quoted, escapes and all.
    if (typeof v === 'string' && isScalar(n) && /[\r\n]/.test(v)) n.type = Scalar.QUOTE_DOUBLE;
    return n;
  };
  doc.contents = conv(value) as never;
  return doc;
}

/** `value` as block YAML lines (no trailing newline), nested with `unit`. */
export function yamlBlock(value: unknown, unit: string): string {
  return toYamlDoc(value)
    .toString({ indent: unit === '\t' ? 2 : unit.length, lineWidth: 0, minContentWidth: 0 })
    .replace(/\n$/, '');
}

/** `value` as JSON lines nested with `unit`. */
export function jsonBlock(value: unknown, unit: string): string {
  return JSON.stringify(value, null, unit);
}

/** Indents every line but the first by `prefix`. */
function hang(block: string, prefix: string): string {
  return block.split('\n').join(`\n${prefix}`);
}

/** Start of a node's text including its tag and anchor (yaml's range starts at the value). */
function nodeStart(text: string, node: Node): number {
  let s = node.range![0];
  // Walk back over `!Tag ` and `&anchor ` written before the value on the same line.
  const before = text.slice(lineStart(text, s), s);
  const m = /((?:[!&][^\s]+\s+)+)$/.exec(before);
  if (m) s -= m[1]!.length;
  return s;
}

/** The splice that appends `value` to a sequence (block or flow). */
export function appendToSeq(text: string, seq: YAMLSeq, value: unknown, unit: string): Splice {
  const items = seq.items as Node[];
  const last = items[items.length - 1];
  if (seq.flow) {
    const close = text.lastIndexOf(']', seq.range![1] - 1);
    if (!last) {
      const ind = lineIndent(text, seq.range![0]);
      return {
        start: close,
        end: close,
        text: `\n${ind}${unit}${hang(jsonBlock(value, unit), ind + unit)}\n${ind}`,
      };
    }
    const end = last.range![1];
    const multiline = text.slice(seq.range![0], close).includes('\n');
    if (!multiline) return { start: end, end, text: `, ${JSON.stringify(value)}` };
    const ind = lineIndent(text, nodeStart(text, last));
    return { start: end, end, text: `,\n${ind}${hang(jsonBlock(value, unit), ind)}` };
  }
  if (!last) throw new Error('an empty block sequence');
  const dash = text.lastIndexOf('-', nodeStart(text, last));
  const ind = text.slice(lineStart(text, dash), dash);
  const at = lineEnd(text, Math.max(last.range![1] - 1, dash));
  const block = yamlBlock(value, unit);
  return { start: at, end: at, text: `\n${ind}- ${hang(block, `${ind}  `)}` };
}

/** The splice that adds `key: value` as the last entry of a map (block or flow). */
export function addToMap(text: string, map: YAMLMap, key: string, value: unknown, unit: string): Splice {
  const pairs = map.items;
  const last = pairs[pairs.length - 1];
  if (map.flow) {
    const close = text.lastIndexOf('}', map.range![1] - 1);
    const lastValue = last?.value as Node | null | undefined;
    const lastKey = last?.key as Node | undefined;
    const ind = lastKey ? lineIndent(text, lastKey.range![0]) : lineIndent(text, map.range![0]) + unit;
    const entry = `${JSON.stringify(key)}: ${hang(jsonBlock(value, unit), ind)}`;
    if (!last) return { start: close, end: close, text: `\n${ind}${entry}\n${lineIndent(text, close)}` };
    const end = (lastValue ?? lastKey)!.range![1];
    return { start: end, end, text: `,\n${ind}${entry}` };
  }
  if (!last) throw new Error('an empty block map');
  const k = last.key as Node;
  const ind = text.slice(lineStart(text, k.range![0]), k.range![0]);
  const lastNode = (last.value as Node | null) ?? k;
  const at = lineEnd(text, Math.max(lastNode.range![1] - 1, k.range![0]));
  const block = yamlBlock({ [key]: value }, unit);
  // Entries separated by blank lines (resources, usually) get one too.
  const prev = pairs[pairs.length - 2];
  const gap = prev && /\n[ \t]*\n/.test(text.slice((prev.key as Node).range![0], k.range![0])) ? '\n' : '';
  return { start: at, end: at, text: `\n${gap}${ind}${hang(block, ind)}` };
}

/** The splice that replaces a node's value (an item of a sequence, a map value) with `value`. */
export function replaceNode(text: string, node: Node, value: unknown, unit: string): Splice {
  const start = nodeStart(text, node);
  const end = node.range![1];
  if (isFlow(node)) {
    return { start, end, text: hang(jsonBlock(value, unit), lineIndent(text, start)) };
  }
  const col = ' '.repeat(column(text, start));
  // A block node's text ends at its last line; keep what follows (comments, the next key) in place.
  const body = yamlBlock(value, unit);
  const endAt = text.slice(start, end).replace(/\s+$/, '').length + start;
  return { start, end: endAt, text: hang(body, col) };
}

/** The splice that removes an item of a sequence (with its dash line, or its comma). */
export function removeFromSeq(text: string, seq: YAMLSeq, index: number): Splice {
  const items = seq.items as Node[];
  const item = items[index]!;
  if (seq.flow) {
    const start = nodeStart(text, item);
    if (index + 1 < items.length) return { start, end: nodeStart(text, items[index + 1]!), text: '' };
    if (index > 0) return { start: items[index - 1]!.range![1], end: item.range![1], text: '' };
    return { start, end: item.range![1], text: '' };
  }
  const dash = text.lastIndexOf('-', nodeStart(text, item));
  const s = lineStart(text, dash);
  const e = lineEnd(text, Math.max(item.range![1] - 1, dash));
  return { start: s, end: Math.min(text.length, e + 1), text: '' };
}
