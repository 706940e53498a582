// Streams read items out of files, folders, .gz and stdin: full reading (readInputs) and the fast denied-only scan (scanDenied).

import { StringDecoder } from 'node:string_decoder';
import type { MalformedRecord, ReadItem, ScanStats, SessionGrant } from '../model/input.js';
import { checkAccessLogLine, parseAccessLogLine } from './access-log.js';
import { classifyJsonItem, classifyRecordsArray, type Classified } from './classify.js';
import { readCsv } from './csv.js';
import { isDenied } from './denied.js';
import { detect, SNIFF_BYTES, type Detected } from './detect.js';
import { ACCEPTED_FORMATS, InputError } from './errors.js';
import { DEFAULT_STREAM_KEYS, JsonSplitter } from './json-scanner.js';
import { blankNulLineChunks, blankNulLines, hasNul } from './nul-lines.js';
import { expandInputs, GzipDataError, gunzipIfNeeded, rawChunks } from './source.js';
import { readTextItems } from './text.js';

/** Options for {@link readInputs} and {@link scanDenied}. */
export interface ReadOptions {
  /** Stream read for the input `-` (default `process.stdin`). */
  stdin?: NodeJS.ReadableStream;
  /** Yield only denied records (default true). Malformed entries are always reported. */
  deniedOnly?: boolean;
  /**
   * Receives each malformed entry (file, line, reason). When given, malformed entries go here and
   * are not yielded; when absent, they are yielded as `{ kind: 'malformed' }` items.
   */
  onMalformed?(m: MalformedRecord): void;
  /** Counters updated in place while reading (files, bytes read from disk or stdin, lines or events, denied, malformed). */
  stats?: ScanStats;
  /** Called with the counters after each chunk (about 1 MiB) of input: for progress bars. */
  onProgress?(stats: ScanStats, file: string): void;
  /** Called once with the final counters, when the read ends normally. */
  onStats?(stats: ScanStats): void;
  /**
   * Receives the session each STS AssumeRole* CloudTrail event in the inputs created (with the session policy passed
   * to it), so the session policies of the denied requests' sessions can be filled in. Not called by scanDenied.
   */
  onSessionGrant?(grant: SessionGrant): void;
  /**
   * A one-line JSON input up to this many bytes (decompressed; default 16 MiB) is parsed whole, not split
   * byte by byte: same items, faster. 0 always splits.
   */
  wholeJsonBytes?: number;
}

/** Longest line kept (a longer one is reported malformed and skipped). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Most free text searched for error messages per input. */
const MAX_TEXT_BYTES = 32 * 1024 * 1024;
/** Free text is searched in segments of about this size, cut at line ends. */
const TEXT_SEGMENT_CHARS = 1024 * 1024;

/** Fresh zeroed counters. */
export function newStats(): ScanStats {
  return { files: 0, bytes: 0, lines: 0, denied: 0, malformed: 0 };
}

interface Ctx {
  stdin: NodeJS.ReadableStream | undefined;
  deniedOnly: boolean;
  scan: boolean;
  stats: ScanStats;
  onProgress: ((s: ScanStats, f: string) => void) | undefined;
  /** Something at all was read (a record, or a recognised container). */
  readable: boolean;
  problems: string[];
  onSessionGrant: ((g: SessionGrant) => void) | undefined;
  wholeJsonBytes: number;
}

/**
 * Reads every input (files, folders recursively in sorted order, `.gz` transparently, `-` =
 * stdin), detecting the format per file, and yields records (denied only by default) and
 * malformed entries. Never loads a whole file into memory (free text is searched in 1 MiB
 * segments, up to 32 MiB). Throws {@link InputError} up front for a missing path, and at the
 * end when nothing at all could be read from any input.
 */
export function readInputs(inputs: string[], opts: ReadOptions = {}): AsyncGenerator<ReadItem> {
  return run(inputs, opts, false);
}

/**
 * The fast triage scan: like {@link readInputs} with `deniedOnly`, but access-log lines are
 * only parsed when they contain ` 403 ` or ` 400 ` (every denial status), found by searching
 * whole 1 MiB chunks, and CloudTrail events only when their bytes contain `errorCode`. Lines
 * that are not candidates are counted but not parsed, so a malformed allowed line is not
 * reported. Counters: `opts.stats` / `opts.onStats`.
 */
export function scanDenied(
  inputs: string[],
  opts: Omit<ReadOptions, 'deniedOnly'> = {},
): AsyncGenerator<ReadItem> {
  return run(inputs, { ...opts, deniedOnly: true }, true);
}

async function* run(inputs: string[], opts: ReadOptions, scan: boolean): AsyncGenerator<ReadItem> {
  const files = await expandInputs(inputs.length === 0 ? ['-'] : inputs);
  const ctx: Ctx = {
    stdin: opts.stdin,
    deniedOnly: opts.deniedOnly !== false,
    scan,
    stats: opts.stats ?? newStats(),
    onProgress: opts.onProgress,
    readable: false,
    problems: [],
    onSessionGrant: scan ? undefined : opts.onSessionGrant,
    wholeJsonBytes: opts.wholeJsonBytes ?? WHOLE_JSON_BYTES,
  };
  if (files.length === 0) {
    throw new InputError(`No files found in ${inputs.join(', ')}. s3doctor reads ${ACCEPTED_FORMATS}.`);
  }
  for (const file of files) {
    ctx.stats.files++;
    for await (const item of readOne(file, ctx)) {
      if (item.kind === 'malformed') {
        ctx.stats.malformed++;
        if (opts.onMalformed) opts.onMalformed(item.malformed);
        else yield item;
        continue;
      }
      ctx.readable = true;
      const denied = isDenied(item.record);
      if (denied) ctx.stats.denied++;
      if (denied || !ctx.deniedOnly) yield item;
    }
  }
  finish(ctx, opts);
}

/** The end of a read: throws when nothing at all was read, else reports the counters. */
function finish(ctx: Ctx, opts: ReadOptions): void {
  if (!ctx.readable) {
    const what = ctx.problems.length > 0 ? ctx.problems.join('; ') : 'no records found';
    throw new InputError(
      `Nothing could be read from the input (${what}). s3doctor reads ${ACCEPTED_FORMATS}.`,
      ctx.problems,
    );
  }
  opts.onStats?.(ctx.stats);
}

function label(file: string): string {
  return file === '-' ? 'stdin' : file;
}

function bad(source: string, reason: string, line?: number): ReadItem {
  return { kind: 'malformed', malformed: line === undefined ? { source, reason } : { source, line, reason } };
}

async function* readOne(file: string, ctx: Ctx): AsyncGenerator<ReadItem> {
  const raw = rawChunks(file, ctx.stdin, (n) => {
    ctx.stats.bytes += n;
  });
  const it = gunzipIfNeeded(raw)[Symbol.asyncIterator]();
  let records = 0;
  let inFlight = false;
  try {
    const head: Buffer[] = [];
    let size = 0;
    let ended = false;
    let pending: Promise<IteratorResult<Buffer>> | undefined;
    while (size < SNIFF_BYTES) {
      const nextChunk = it.next();
      // A slow pipe (a paste, `tail -f`): once a whole line is in, do not wait long for more to sniff.
      const r = hasWholeLine(head) ? await withTimeout(nextChunk, SNIFF_WAIT_MS) : await nextChunk;
      if (r === undefined) {
        pending = nextChunk;
        pending.catch(() => undefined); // handled by replay, or dropped with the iterator below
        break;
      }
      if (r.done) {
        ended = true;
        break;
      }
      head.push(r.value);
      size += r.value.length;
    }
    const sniff = Buffer.concat(head).subarray(0, SNIFF_BYTES);
    let det: Detected = detect(sniff);
    // NUL bytes (a crash, a partial copy): read the other lines, report those holding NUL as
    // malformed; binary only when no other line is text.
    const nulLines: number[] = [];
    if (det.kind === 'binary' && hasNul(sniff)) {
      const rest = detect(blankNulLines(sniff));
      if (rest.kind !== 'binary' && rest.kind !== 'empty') det = rest;
    }
    inFlight = pending !== undefined && (det.kind === 'empty' || det.kind === 'binary');
    const replayed = replay(head, it, ended, pending, ctx, file);
    const chunks = hasNul(sniff) ? blankNulLineChunks(replayed, (n) => nulLines.push(n)) : replayed;
    const nulItems = function* (): Generator<ReadItem> {
      for (const n of nulLines) yield bad(file, 'NUL bytes (binary data) in the line: skipped', n);
      nulLines.length = 0;
    };
    let gen: AsyncGenerator<ReadItem>;
    switch (det.kind) {
      case 'empty':
        ctx.problems.push(`${label(file)}: empty`);
        return;
      case 'binary':
        ctx.problems.push(`${label(file)}: ${det.reason}`);
        yield bad(file, `${det.reason}: skipped (s3doctor reads ${ACCEPTED_FORMATS})`);
        return;
      case 'access-log':
        gen = ctx.scan ? scanAccessLog(chunks, file, ctx) : readAccessLog(chunks, file, ctx);
        break;
      case 'json':
        gen = readJson(chunks, file, ctx);
        break;
      case 'csv':
        gen = countRows(readCsv(chunks, det.csv, file), ctx);
        break;
      case 'text':
        gen = readFreeText(chunks, file, ctx);
        break;
    }
    for await (const item of gen) {
      yield* nulItems();
      if (item.kind === 'record') records++;
      yield item;
    }
    yield* nulItems();
  } catch (e) {
    if (e instanceof GzipDataError) {
      ctx.problems.push(`${label(file)}: ${e.message}`);
      yield bad(
        file,
        `${e.message}; the ${records} record(s) before the damage were read, a partial last line was dropped`,
      );
    } else {
      const err = e as NodeJS.ErrnoException;
      ctx.problems.push(`${label(file)}: ${err.code ?? err.message}`);
      yield bad(file, `cannot read: ${err.message}`);
    }
  } finally {
    // Close the file (and gunzip) when the input was not read to its end (binary, empty, consumer stopped).
    // A chunk request still in flight (slow pipe, input skipped after sniffing) must not be awaited.
    const closing = it.return?.(undefined).catch(() => undefined);
    if (!inFlight) await closing;
  }
}

/** How long the sniffer waits for more data once it has a whole line. */
const SNIFF_WAIT_MS = 200;

function hasWholeLine(head: readonly Buffer[]): boolean {
  return head.some((b) => b.includes(10));
}

/** The promise's value, or undefined after `ms` (the promise is left running for the caller). */
async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The sniffed chunks again, then the rest; reports progress per chunk. */
async function* replay(
  head: Buffer[],
  it: AsyncIterator<Buffer>,
  ended: boolean,
  pending: Promise<IteratorResult<Buffer>> | undefined,
  ctx: Ctx,
  file: string,
): AsyncGenerator<Buffer> {
  for (const h of head) {
    yield h;
    ctx.onProgress?.(ctx.stats, file);
  }
  if (ended) return;
  for (let r = await (pending ?? it.next()); !r.done; r = await it.next()) {
    yield r.value;
    ctx.onProgress?.(ctx.stats, file);
  }
}

async function* countRows(gen: AsyncGenerator<ReadItem>, ctx: Ctx): AsyncGenerator<ReadItem> {
  for await (const item of gen) {
    ctx.stats.lines++;
    yield item;
  }
}

/** Splits chunks into lines (LF; CR stripped by the parsers), handing back each chunk's lines at once. */
async function* lineBatches(
  chunks: AsyncIterable<Buffer>,
): AsyncGenerator<{ lines: (Buffer | undefined)[]; first: number }> {
  let carry: Buffer[] = [];
  let carrySize = 0;
  let tooLong = false;
  let lineNo = 1;
  for await (const chunk of chunks) {
    const lines: (Buffer | undefined)[] = [];
    const first = lineNo;
    let pos = 0;
    for (let nl = chunk.indexOf(10, pos); nl >= 0; nl = chunk.indexOf(10, pos)) {
      if (carrySize > 0 || tooLong) {
        lines.push(tooLong ? undefined : Buffer.concat([...carry, chunk.subarray(0, nl)]));
        carry = [];
        carrySize = 0;
        tooLong = false;
      } else {
        lines.push(nl - pos > MAX_LINE_BYTES ? undefined : chunk.subarray(pos, nl));
      }
      lineNo++;
      pos = nl + 1;
    }
    if (pos < chunk.length && !tooLong) {
      const rest = chunk.subarray(pos);
      carrySize += rest.length;
      if (carrySize > MAX_LINE_BYTES) {
        tooLong = true;
        carry = [];
      } else carry.push(Buffer.from(rest)); // copy: the chunk may be reused
    }
    if (lines.length > 0) yield { lines, first };
  }
  if (tooLong) yield { lines: [undefined], first: lineNo };
  else if (carrySize > 0) yield { lines: [Buffer.concat(carry)], first: lineNo };
}

async function* readAccessLog(
  chunks: AsyncIterable<Buffer>,
  file: string,
  ctx: Ctx,
): AsyncGenerator<ReadItem> {
  for await (const { lines, first } of lineBatches(chunks)) {
    for (let i = 0; i < lines.length; i++) {
      const b = lines[i];
      const no = first + i;
      ctx.stats.lines++;
      if (b === undefined) {
        yield bad(file, `line longer than ${MAX_LINE_BYTES} bytes: skipped`, no);
        continue;
      }
      if (b.length === 0 || (b.length === 1 && b[0] === 13)) continue;
      if (ctx.deniedOnly && !hasCandidate(b)) {
        // Not a denial (no 400/403 status): checked for shape, not turned into a record.
        const reason = checkAccessLogLine(b.toString('utf8'));
        if (reason) yield bad(file, reason, no);
        else ctx.readable = true;
        continue;
      }
      const item = parseAccessLogLine(b.toString('utf8'), file, no);
      if (item.kind === 'record' && ctx.deniedOnly && !isDenied(item.record)) {
        ctx.readable = true;
        continue;
      }
      yield item;
    }
  }
}

/** Every denial has HTTP status 400 or 403: a candidate line holds ` 400 ` or ` 403 `, found with one search for ` 40`. */
const P40 = Buffer.from(' 40');

/** Whether `b` holds ` 400 ` or ` 403 `. */
function hasCandidate(b: Buffer): boolean {
  for (let p = b.indexOf(P40); p >= 0; p = b.indexOf(P40, p + 1)) {
    const c = b[p + 3];
    if ((c === 48 || c === 51) && b[p + 4] === 32) return true;
  }
  return false;
}

/**
 * The triage hot path: splits 1 MiB chunks with `indexOf(10)`, finds candidate lines with one
 * forward search per chunk for ` 40` (the position is reused until passed), and only decodes and
 * parses the lines that hold ` 400 ` or ` 403 `.
 */
async function* scanAccessLog(
  chunks: AsyncIterable<Buffer>,
  file: string,
  ctx: Ctx,
): AsyncGenerator<ReadItem> {
  // The partial last line of the chunks so far (pieces, joined once at its newline), or, once it
  // passed the limit, skipping to its end: an over-long line is copied at most up to the limit and
  // reported once, when its newline (or the end of input) comes.
  let carry: Buffer[] = [];
  let carrySize = 0;
  let skipping = false;
  let lineNo = 0;
  const stats = ctx.stats;
  const baseLines = stats.lines;
  // The detector (or the task planner) saw access-log lines: the input is readable even if no line is a candidate.
  ctx.readable = true;
  const out: ReadItem[] = [];
  const consider = (line: Buffer, no: number): void => {
    const item = parseAccessLogLine(line.toString('utf8'), file, no);
    if (item.kind === 'record') {
      ctx.readable = true;
      if (!isDenied(item.record)) return;
    }
    out.push(item);
  };
  const tooLong = (): void => {
    out.push(bad(file, `line longer than ${MAX_LINE_BYTES} bytes: skipped`, lineNo));
  };
  for await (const chunk of chunks) {
    let pos = 0;
    if (skipping || carrySize > 0) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        if (!skipping && carrySize + chunk.length > MAX_LINE_BYTES) {
          skipping = true;
          carry = [];
          carrySize = 0;
        } else if (!skipping) {
          carry.push(chunk);
          carrySize += chunk.length;
        }
        continue;
      }
      lineNo++;
      if (skipping || carrySize + nl > MAX_LINE_BYTES) tooLong();
      else {
        carry.push(chunk.subarray(0, nl));
        const line = Buffer.concat(carry, carrySize + nl);
        if (hasCandidate(line)) consider(line, lineNo);
      }
      carry = [];
      carrySize = 0;
      skipping = false;
      pos = nl + 1;
    }
    const len = chunk.length;
    // Next ` 40` at or after pos that might start a candidate (-1: none in the chunk).
    let next = chunk.indexOf(P40, pos);
    for (let nl = chunk.indexOf(10, pos); nl >= 0; nl = chunk.indexOf(10, pos)) {
      lineNo++;
      if (nl - pos > MAX_LINE_BYTES) {
        tooLong(); // a chunk (from a stream that sends big ones) can hold a whole over-long line
        pos = nl + 1;
        continue;
      }
      if (next >= 0 && next < nl) {
        if (next < pos) next = chunk.indexOf(P40, pos);
        let hit = false;
        while (next >= 0 && next < nl) {
          const c = chunk[next + 3];
          if ((c === 48 || c === 51) && chunk[next + 4] === 32) {
            hit = true;
            break;
          }
          next = chunk.indexOf(P40, next + 1);
        }
        if (hit) {
          consider(chunk.subarray(pos, nl), lineNo);
          next = chunk.indexOf(P40, nl + 1);
        }
      }
      pos = nl + 1;
    }
    if (pos < len) {
      if (len - pos > MAX_LINE_BYTES) skipping = true;
      else {
        carry = [pos === 0 ? chunk : chunk.subarray(pos)];
        carrySize = len - pos;
      }
    }
    stats.lines = baseLines + lineNo;
    if (out.length > 0) {
      for (const item of out) yield item;
      out.length = 0;
    }
  }
  if (skipping) {
    lineNo++;
    tooLong();
  } else if (carrySize > 0) {
    lineNo++;
    const line = carry.length === 1 ? carry[0]! : Buffer.concat(carry, carrySize);
    if (hasCandidate(line)) consider(line, lineNo);
  }
  stats.lines = baseLines + lineNo;
  for (const item of out) yield item;
}

/** A JSON input up to this size (decompressed) is parsed whole when it is one line (a CloudTrail delivery file); not in a scan. */
export const WHOLE_JSON_BYTES = 16 * 1024 * 1024;

/** How many times `needle` occurs in `b`. */
function occurrences(b: Buffer, needle: string): number {
  let n = 0;
  for (let i = b.indexOf(needle); i >= 0; i = b.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * A one-line JSON object whose only streamed array is `Records` of CloudTrail events (a delivery file),
 * classified with one native JSON.parse: the same items as the splitter gives, or false (then the
 * splitter reads it). In a scan, an event is read when it names an error code; that is the splitter's
 * byte filter exactly when 'rrorCode' occurs once per such event and nowhere else, which is checked.
 */
function wholeCloudTrail(buf: Buffer, file: string, ctx: Ctx, out: Classified): boolean {
  let end = buf.length;
  while (end > 0 && (buf[end - 1] === 32 || buf[end - 1] === 10 || buf[end - 1] === 13 || buf[end - 1] === 9))
    end--;
  if (buf[0] !== 123 || buf[end - 1] !== 125) return false;
  const nl = buf.indexOf(10);
  if (nl >= 0 && nl < end) return false;
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8', 0, end));
  } catch {
    return false;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const root = v as Record<string, unknown>;
  const records = root.Records;
  if (!Array.isArray(records)) return false;
  for (const k of DEFAULT_STREAM_KEYS) if (k !== 'Records' && k in root) return false;
  const named = (e: Record<string, unknown>): boolean => 'errorCode' in e || 'ErrorCode' in e;
  if (ctx.scan) {
    let withCode = 0;
    for (const e of records)
      if (typeof e === 'object' && e !== null && named(e as Record<string, unknown>)) withCode++;
    if (occurrences(buf, 'rrorCode') !== withCode) return false;
  }
  const r = classifyRecordsArray(records, file, 1, out, ctx.scan ? named : () => true);
  if (!r) return false;
  ctx.stats.lines += records.length;
  if (r.skipped > 0) ctx.readable = true;
  out.understood = true;
  return true;
}

async function* readJson(chunks: AsyncIterable<Buffer>, file: string, ctx: Ctx): AsyncGenerator<ReadItem> {
  const splitter = new JsonSplitter(ctx.scan ? { filter: mayBeDeniedOrMalformed } : {});
  const out: Classified = {
    items: [],
    understood: false,
    otherServices: 0,
    ...(ctx.onSessionGrant ? { grants: [] } : {}),
  };
  // Small inputs are held whole first: a delivery file is one JSON.parse (the splitter walks every byte).
  const it = chunks[Symbol.asyncIterator]();
  const held: Buffer[] = [];
  let size = 0;
  let ended = false;
  let failure: unknown;
  let oneLine = true;
  // Not in a triage scan: its byte filter skips the events without an error unparsed, which is faster
  // than parsing them (measured 5.8 s vs 5.2 s CPU on 100 delivery files of 2,000 events). A line break
  // with more after it ends the hold at once: the input is not one line, and a pipe keeps streaming.
  while (!ctx.scan && oneLine && ctx.wholeJsonBytes > 0 && size <= ctx.wholeJsonBytes) {
    let r: IteratorResult<Buffer>;
    try {
      r = await it.next();
    } catch (e) {
      failure = e; // a damaged .gz: the splitter reads what came before, then the error is raised
      break;
    }
    if (r.done) {
      ended = true;
      break;
    }
    held.push(r.value);
    size += r.value.length;
    const nl = r.value.indexOf(10);
    if (nl >= 0 && r.value.subarray(nl).some((b) => b !== 10 && b !== 13 && b !== 32 && b !== 9))
      oneLine = false;
  }
  if (ended && oneLine && held.length > 0 && size <= ctx.wholeJsonBytes) {
    const buf = held.length === 1 ? held[0]! : Buffer.concat(held);
    if (wholeCloudTrail(buf, file, ctx, out)) {
      if (out.understood) ctx.readable = true;
      for (const item of out.items) yield item;
      if (out.grants?.length) for (const g of out.grants) ctx.onSessionGrant?.(g);
      return;
    }
  }
  chunks = (async function* () {
    try {
      yield* held;
      if (failure !== undefined) throw failure;
      if (!ended) for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    } finally {
      if (!ended && failure === undefined) await it.return?.(undefined);
    }
  })();
  const flush = function* (): Generator<ReadItem> {
    for (const item of out.items) yield item;
    out.items = [];
    if (out.grants?.length) {
      for (const g of out.grants) ctx.onSessionGrant?.(g);
      out.grants = [];
    }
  };
  for await (const chunk of chunks) {
    for (const item of splitter.push(chunk)) {
      if (item.type === 'element' || item.type === 'skipped') ctx.stats.lines++;
      if (item.type === 'skipped') ctx.readable = true; // an event without an error: read, not denied
      classifyJsonItem(item, file, out);
    }
    if (out.understood) ctx.readable = true;
    yield* flush();
  }
  for (const item of splitter.end()) classifyJsonItem(item, file, out);
  if (out.understood) ctx.readable = true;
  yield* flush();
}

/**
 * The triage filter over JSON elements: parse those that may be denied (errorCode, ErrorCode,
 * \"errorCode\" in lookup-events) and those that may be malformed (not an object, or an object
 * naming no event), so triage counts malformed elements as diagnose does; skip the rest unparsed
 * (events without an error: allowed).
 */
function mayBeDeniedOrMalformed(b: Buffer): boolean {
  if (b.includes('rrorCode')) return true;
  let i = 0;
  while (i < b.length && (b[i] === 32 || b[i] === 9 || b[i] === 10 || b[i] === 13)) i++;
  if (b[i] !== 123) return true; // not an object
  // eventSource/EventSource (CloudTrail, lookup-events), eventName/EventName.
  return !b.includes('ventSource') && !b.includes('ventName');
}

async function* readFreeText(
  chunks: AsyncIterable<Buffer>,
  file: string,
  ctx: Ctx,
): AsyncGenerator<ReadItem> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let firstLine = 1;
  let total = 0;
  let found = 0;
  let truncated = false;
  const segment = function* (text: string): Generator<ReadItem> {
    const items = readTextItems(text, file, { firstLine, reportUnrecognised: false });
    for (const item of items) {
      if (item.kind === 'record') found++;
      yield item;
    }
    let n = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    firstLine += n;
    ctx.stats.lines += n;
  };
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > MAX_TEXT_BYTES) {
      truncated = true;
      break;
    }
    pending += decoder.write(chunk);
    while (pending.length > TEXT_SEGMENT_CHARS) {
      // Cut at a blank line if there is one in the second half, else at the last line end.
      const half = pending.length >> 1;
      let cut = pending.lastIndexOf('\n\n', TEXT_SEGMENT_CHARS);
      if (cut < half) cut = pending.lastIndexOf('\n', TEXT_SEGMENT_CHARS);
      if (cut <= 0) cut = TEXT_SEGMENT_CHARS;
      const text = pending.slice(0, cut + 1);
      pending = pending.slice(cut + 1);
      yield* segment(text);
    }
  }
  pending += decoder.end();
  if (pending !== '') {
    yield* segment(pending);
    if (!pending.endsWith('\n')) ctx.stats.lines++;
  }
  if (truncated) {
    yield bad(
      file,
      `free text larger than ${MAX_TEXT_BYTES} bytes: only the first ${MAX_TEXT_BYTES} bytes were searched for errors`,
    );
  }
  if (found === 0) {
    ctx.problems.push(`${label(file)}: no recognised format`);
    yield bad(
      file,
      `unrecognised format: no S3 access log line, CloudTrail event, CSV export or AWS error message found (s3doctor reads ${ACCEPTED_FORMATS})`,
    );
  }
}
