// Incremental JSON splitter: streams the elements of a top-level array or of a `Records`/`Events`/`events`/`results` array without loading the whole document.

/** What the splitter found. */
export type JsonItem =
  /** One element of a streamed array (`container` is the key, or `[]` for a top-level array), as JSON text;
   * `index` is its 1-based position in that array. */
  | { type: 'element'; container: string; text: string; line: number; index: number }
  /** An element the byte filter rejected (not parsed). */
  | { type: 'skipped'; container: string; line: number }
  /** A complete top-level object, with streamed arrays left empty (`"Records":[]`). */
  | { type: 'root'; text: string; line: number; streamed: string[] }
  /** A structural problem; the splitter stops. */
  | { type: 'error'; line: number; reason: string };

/** Options for {@link JsonSplitter}. */
export interface JsonSplitterOptions {
  /** Keys of a top-level object whose array values are streamed element by element. */
  streamKeys?: ReadonlySet<string>;
  /** Largest element or root object kept, in bytes (default 64 MiB). */
  maxValueBytes?: number;
  /** Cheap test on an element's bytes; elements it rejects are reported as `skipped`, not decoded. */
  filter?: (bytes: Buffer) => boolean;
  /** Walk element bytes with the WebAssembly kernel where available (default true; false: JavaScript, for tests). */
  kernel?: boolean;
}

/**
 * Arrays streamed by default: CloudTrail files (`Records`), `lookup-events` (`Events`), `aws logs filter-log-events`
 * (`events`) and `aws logs get-query-results` (`results`).
 */
export const DEFAULT_STREAM_KEYS: ReadonlySet<string> = new Set(['Records', 'Events', 'events', 'results']);

import { jsonSkipKernel, type JsonSkipKernel } from './kernel/json-skip.js';

const QUOTE = 34;
const BACKSLASH = 92;

/**
 * Splits a stream of JSON bytes (one or several concatenated top-level values, e.g. JSON Lines)
 * into elements. A top-level array streams its elements; a top-level object streams the arrays
 * under `streamKeys` and is otherwise returned whole. Elements are validated later by
 * `JSON.parse`; the splitter only tracks strings, escapes and nesting, so memory stays bounded
 * by the largest element.
 */
export class JsonSplitter {
  private readonly streamKeys: ReadonlySet<string>;
  private readonly max: number;
  private readonly filter: ((b: Buffer) => boolean) | undefined;
  private readonly kernel: JsonSkipKernel | null;
  private line = 1;
  private depth = 0;
  private inStr = false;
  /** Inside a string, the previous byte was an unconsumed backslash (it may end a chunk). */
  private esc = false;
  private failed = false;
  private started = false;

  private rootType: 'object' | 'array' | undefined;
  private rootLine = 1;
  private rootParts: Buffer[] = [];
  private rootSize = 0;
  private rootActive = false;
  private rootStart = 0;
  private streamed: string[] = [];

  private expectKey = false;
  private afterColon = false;
  private keyActive = false;
  private keyParts: Buffer[] = [];
  private keyStart = 0;
  private lastKey = '';

  private streamDepth = -1;
  private container = '';
  /** Elements finished so far in the current streamed array. */
  private elemCount = 0;
  private elemActive = false;
  private elemScalar = false;
  private elemString = false;
  private elemParts: Buffer[] = [];
  private elemSize = 0;
  private elemStart = 0;
  private elemLine = 1;

  constructor(opts: JsonSplitterOptions = {}) {
    this.streamKeys = opts.streamKeys ?? DEFAULT_STREAM_KEYS;
    this.max = opts.maxValueBytes ?? 64 * 1024 * 1024;
    this.filter = opts.filter;
    this.kernel = opts.kernel === false ? null : jsonSkipKernel();
  }

  /** Feeds the next chunk; returns what completed in it. */
  push(chunk: Buffer): JsonItem[] {
    const out: JsonItem[] = [];
    if (this.failed) return out;
    let i = 0;
    const n = chunk.length;
    if (!this.started) {
      this.started = true;
      if (n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    this.rootStart = 0;
    this.elemStart = 0;
    this.keyStart = 0;
    const kernel = this.kernel;
    let loaded = false;
    while (i < n) {
      if (
        this.elemActive &&
        !this.elemScalar &&
        !this.elemString &&
        !this.inStr &&
        this.depth > this.streamDepth
      ) {
        // Inside an object/array element: only nesting, strings and newlines matter until it closes.
        const target = this.streamDepth;
        if (kernel) {
          // Most of a CloudTrail file: walked 16 bytes at a time (json-skip.wat), same state as below.
          if (!loaded) {
            kernel.load(chunk);
            loaded = true;
          }
          const r = kernel.skip(i, n, this.depth, target);
          this.depth = r.depth;
          this.line += r.lines;
          if (r.depth !== target) {
            this.inStr = r.inStr;
            this.esc = r.esc;
            i = n;
            break;
          }
          i = r.end;
          if (!this.finishElement(chunk, i, out)) return out;
          continue;
        }
        let d = this.depth;
        let line = this.line;
        let inStr = false;
        let esc = false;
        let j = i;
        while (j < n) {
          if (inStr) {
            // Strings are most of an event's bytes: jump to the next quote natively (memchr), then look back
            // for the backslashes before it (an odd run escapes it). A newline inside a string is not counted.
            const q = chunk.indexOf(QUOTE, j);
            if (q < 0) {
              esc = (backslashesBefore(chunk, n, j) & 1) === 1;
              j = n;
              break;
            }
            j = q + 1;
            if ((backslashesBefore(chunk, q, i) & 1) === 0) inStr = false;
            continue;
          }
          const b = chunk[j];
          if (b === QUOTE) inStr = true;
          else if (b === 123 || b === 91) d++;
          else if (b === 125 || b === 93) {
            d--;
            if (d === target) break;
          } else if (b === 10) line++;
          j++;
        }
        this.depth = d;
        this.line = line;
        if (j >= n) {
          this.inStr = inStr;
          this.esc = esc;
          i = n;
          break;
        }
        i = j + 1;
        if (!this.finishElement(chunk, i, out)) return out;
        continue;
      }
      if (this.inStr) {
        // Tight byte loop: CloudTrail strings are short, so this beats one indexOf call per string.
        let esc = this.esc;
        let q = i;
        for (; q < n; q++) {
          const b = chunk[q];
          if (esc) esc = false;
          else if (b === BACKSLASH) esc = true;
          else if (b === QUOTE) break;
        }
        this.esc = esc;
        if (q >= n) {
          i = n;
          break;
        }
        this.inStr = false;
        if (this.keyActive) {
          this.keyParts.push(chunk.subarray(this.keyStart, q));
          this.lastKey = Buffer.concat(this.keyParts).toString('utf8');
          this.keyParts = [];
          this.keyActive = false;
        }
        i = q + 1;
        if (this.elemActive && this.elemString && this.depth === this.streamDepth) {
          if (!this.finishElement(chunk, i, out)) return out;
        }
        continue;
      }
      const c = chunk[i] as number;
      if (c === 32 || c === 9 || c === 13 || c === 10) {
        if (c === 10) this.line++;
        if (this.elemActive && this.elemScalar && this.depth === this.streamDepth) {
          if (!this.finishElement(chunk, i, out)) return out;
        }
        i++;
        continue;
      }
      if (c === QUOTE) {
        if (this.depth === 0) return this.fail(out, `unexpected string at top level`);
        this.inStr = true;
        this.esc = false;
        if (this.depth === 1 && this.rootType === 'object' && this.expectKey) {
          this.keyActive = true;
          this.keyStart = i + 1;
          this.keyParts = [];
        }
        if (this.depth === this.streamDepth && !this.elemActive) this.startElement(i, false, true);
        this.afterColon = false;
        i++;
        continue;
      }
      if (c === 123 || c === 91) {
        // { or [
        if (this.depth === 0) {
          this.rootType = c === 123 ? 'object' : 'array';
          this.rootLine = this.line;
          this.depth = 1;
          if (c === 123) {
            this.rootActive = true;
            this.rootStart = i;
            this.rootParts = [];
            this.rootSize = 0;
            this.streamed = [];
            this.expectKey = true;
            this.afterColon = false;
          } else {
            this.streamDepth = 1;
            this.container = '[]';
            this.elemCount = 0;
          }
          i++;
          continue;
        }
        if (this.depth === this.streamDepth && !this.elemActive) this.startElement(i, false, false);
        if (
          this.depth === 1 &&
          this.rootType === 'object' &&
          this.afterColon &&
          c === 91 &&
          this.streamKeys.has(this.lastKey)
        ) {
          // Stream this array: keep `[` in the root text, drop the elements from it.
          if (!this.appendRoot(chunk.subarray(this.rootStart, i + 1), out)) return out;
          this.rootActive = false;
          this.streamDepth = 2;
          this.container = this.lastKey;
          this.elemCount = 0;
          this.streamed.push(this.lastKey);
        }
        this.afterColon = false;
        this.depth++;
        i++;
        continue;
      }
      if (c === 125 || c === 93) {
        // } or ]
        if (this.depth === 0) return this.fail(out, `unexpected "${String.fromCharCode(c)}"`);
        if (this.elemActive && this.elemScalar && this.depth === this.streamDepth) {
          if (!this.finishElement(chunk, i, out)) return out;
        }
        this.depth--;
        if (this.depth === 0) {
          if (this.rootType === 'object') {
            if (!this.appendRoot(chunk.subarray(this.rootStart, i + 1), out)) return out;
            this.rootActive = false;
            out.push({
              type: 'root',
              text: Buffer.concat(this.rootParts).toString('utf8'),
              line: this.rootLine,
              streamed: this.streamed,
            });
            this.rootParts = [];
          }
          this.rootType = undefined;
          this.streamDepth = -1;
          this.expectKey = false;
          i++;
          continue;
        }
        if (this.streamDepth > 0 && this.depth === this.streamDepth - 1) {
          // The streamed array closed.
          this.streamDepth = -1;
          if (this.rootType === 'object') {
            this.rootActive = true;
            this.rootStart = i;
          }
        } else if (this.elemActive && this.depth === this.streamDepth) {
          if (!this.finishElement(chunk, i + 1, out)) return out;
        }
        i++;
        continue;
      }
      if (c === 44) {
        // ,
        if (this.depth === 0) return this.fail(out, 'unexpected "," at top level');
        if (this.elemActive && this.elemScalar && this.depth === this.streamDepth) {
          if (!this.finishElement(chunk, i, out)) return out;
        }
        if (this.depth === 1 && this.rootType === 'object') {
          this.expectKey = true;
          this.afterColon = false;
        }
        i++;
        continue;
      }
      if (c === 58) {
        // :
        if (this.depth === 1 && this.rootType === 'object') {
          this.afterColon = true;
          this.expectKey = false;
        }
        i++;
        continue;
      }
      // Any other byte: part of a number or literal.
      if (this.depth === 0) {
        return this.fail(out, `unexpected "${printable(c)}" where a JSON value should start`);
      }
      if (this.depth === this.streamDepth && !this.elemActive) this.startElement(i, true, false);
      this.afterColon = false;
      i++;
    }
    // Carry partial captures into the next chunk.
    if (this.rootActive && !this.appendRoot(chunk.subarray(this.rootStart), out)) return out;
    if (this.elemActive && !this.appendElem(chunk.subarray(this.elemStart), out)) return out;
    if (this.keyActive) this.keyParts.push(chunk.subarray(this.keyStart));
    return out;
  }

  /** Signals the end of input: reports a truncated document. */
  end(): JsonItem[] {
    const out: JsonItem[] = [];
    if (this.failed) return out;
    if (this.elemActive && this.elemScalar && this.depth === this.streamDepth) {
      this.finishElement(Buffer.alloc(0), 0, out);
    }
    if (this.depth > 0 || this.inStr) {
      this.fail(
        out,
        `unexpected end of input inside ${this.inStr ? 'a string' : this.rootType === 'array' ? 'an array' : 'an object'} (truncated JSON?)`,
      );
    }
    return out;
  }

  /** Current 1-based line. */
  get currentLine(): number {
    return this.line;
  }

  private fail(out: JsonItem[], reason: string): JsonItem[] {
    this.failed = true;
    out.push({ type: 'error', line: this.line, reason });
    return out;
  }

  private startElement(i: number, scalar: boolean, isString: boolean): void {
    this.elemActive = true;
    this.elemScalar = scalar;
    this.elemString = isString;
    this.elemParts = [];
    this.elemSize = 0;
    this.elemStart = i;
    this.elemLine = this.line;
  }

  private appendRoot(b: Buffer, out: JsonItem[]): boolean {
    if (b.length === 0) return true;
    this.rootSize += b.length;
    if (this.rootSize > this.max) {
      this.fail(out, `a JSON object larger than ${this.max} bytes`);
      return false;
    }
    this.rootParts.push(b);
    return true;
  }

  private appendElem(b: Buffer, out: JsonItem[]): boolean {
    if (b.length === 0) return true;
    this.elemSize += b.length;
    if (this.elemSize > this.max) {
      this.fail(out, `an array element larger than ${this.max} bytes`);
      return false;
    }
    this.elemParts.push(b);
    return true;
  }

  private finishElement(chunk: Buffer, end: number, out: JsonItem[]): boolean {
    if (!this.appendElem(chunk.subarray(this.elemStart, end), out)) return false;
    this.elemActive = false;
    const bytes = this.elemParts.length === 1 ? (this.elemParts[0] as Buffer) : Buffer.concat(this.elemParts);
    this.elemParts = [];
    this.elemCount++;
    if (this.filter && !this.filter(bytes)) {
      out.push({ type: 'skipped', container: this.container, line: this.elemLine });
    } else {
      out.push({
        type: 'element',
        container: this.container,
        text: bytes.toString('utf8'),
        line: this.elemLine,
        index: this.elemCount,
      });
    }
    return true;
  }
}

/** How many backslashes come right before `end` in `b`, looking no further back than `from`. */
function backslashesBefore(b: Buffer, end: number, from: number): number {
  let k = end - 1;
  while (k >= from && b[k] === BACKSLASH) k--;
  return end - 1 - k;
}

function printable(c: number): string {
  return c >= 32 && c < 127 ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
}
