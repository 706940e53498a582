// The triage hot path for plain S3 access logs: scans one byte range of a file (aligned to line starts) synchronously.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { LogRecord, MalformedRecord, ReadItem } from '../model/index.js';
import { isDenied, parseAccessLogLine } from '../logs/index.js';
import { readTriageLine, type LightRecord } from './light-record.js';
import { createStatusScanner, type StatusScanner } from './kernel/status-scanner.js';

/** Bytes read per system call. */
const CHUNK = 4 * 1024 * 1024;
/** Longest line kept (as the log reader: a longer one is reported malformed). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Receives what a range scan finds. */
export interface RangeSink {
  /** A denied record. */
  record(r: LogRecord): void;
  /** A candidate line that does not parse, or an over-long line. */
  malformed(m: MalformedRecord): void;
  /**
   * When given, candidate lines are handed over unparsed (`b[from, to)`, at file offset `offset`)
   * instead of being parsed here, and `record` is not called.
   */
  candidate?(b: Buffer, from: number, to: number, lineNo: number, offset: number): void;
  /** Called about every {@link CHUNK} bytes with the bytes consumed since the last call. */
  progress?(bytes: number): void;
}

/** What a range scan counted. */
export interface RangeResult {
  /** Lines that start inside the range (the last line may end after it). */
  lines: number;
  /** Bytes of the range (to {@link RangeResult.end}). */
  bytes: number;
  /** Where the range ended: `end`, or with chunk claims the end of the last chunk claimed. */
  end: number;
  denied: number;
  malformed: number;
  /** Some line parsed as an access-log record. */
  readable: boolean;
}

/**
 * Scans the lines of `file` that start in `[start, end)`: a range that does not start at 0 skips
 * the partial line it begins in (the previous range reads it to its end). Only lines holding
 * ` 400 ` or ` 403 ` (found by the {@link StatusScanner}) are decoded and parsed; denied records
 * and malformed candidates go to the sink with line numbers counted from 1 at the range start (the
 * caller adds the lines of earlier ranges). With `claim` (returns the new end after claiming the
 * next chunk, or -1 when there is none) the range starts empty and grows as the scan needs it.
 */
export function scanRange(
  file: string,
  start: number,
  end: number,
  sink: RangeSink,
  scanner: StatusScanner = createStatusScanner(CHUNK),
  claim?: () => number,
): RangeResult {
  const fd = openSync(file, 'r');
  const res: RangeResult = { lines: 0, bytes: 0, end: start, denied: 0, malformed: 0, readable: false };
  try {
    const size = fstatSync(fd).size;
    // With `claim`, the range grows chunk by chunk as the scan reaches its end (what it does not
    // claim, another thread may take); without, it is [start, end).
    let stop = claim ? start : Math.min(end, size);
    const extend = (): boolean => {
      if (!claim || stop >= Math.min(end, size)) return false;
      const to = claim();
      if (to < 0) return false;
      stop = Math.min(to, end, size);
      return true;
    };
    const finish = (): RangeResult => {
      res.end = Math.max(start, stop);
      res.bytes = res.end - start;
      return res;
    };
    if (claim) extend();
    if (start >= stop) return finish();
    let filePos = start > 0 ? start - 1 : 0;
    let bufAbs = filePos; // file offset of buffer[0]
    let len = 0;
    let skipping = start > 0; // inside the partial line before the range (or an over-long line)
    let tooLong = false;
    let lastReport = filePos;
    const parse = (b: Buffer, from: number, to: number, lineNo: number): void => {
      if (sink.candidate) return sink.candidate(b, from, to, lineNo, bufAbs + from);
      const item = readCandidate(b.toString('utf8', from, to), file, lineNo, bufAbs + from, to - from);
      if (item.kind === 'record') {
        res.readable = true;
        if (isDenied(item.record)) {
          res.denied++;
          sink.record(item.record);
        }
      } else {
        res.malformed++;
        sink.malformed(item.malformed);
      }
    };
    const overLong = (): void => {
      res.lines++;
      res.malformed++;
      sink.malformed({
        source: file,
        line: res.lines,
        reason: `line longer than ${MAX_LINE_BYTES} bytes: skipped`,
      });
      tooLong = false;
    };
    for (;;) {
      let buf = scanner.buffer;
      const n = readSync(fd, buf, len, buf.length - len, filePos);
      filePos += n;
      len += n;
      const eof = n === 0;
      if (sink.progress && filePos - lastReport >= CHUNK) {
        sink.progress(Math.min(filePos, stop) - Math.max(lastReport, start));
        lastReport = Math.min(filePos, stop);
      }
      let pos = 0;
      if (skipping) {
        const nl = buf.subarray(0, len).indexOf(10);
        if (nl < 0) {
          if (eof) {
            // An over-long last line without a newline is counted as the others are.
            if (tooLong) overLong();
            break;
          }
          bufAbs += len;
          len = 0;
          continue;
        }
        if (tooLong) overLong();
        skipping = false;
        pos = nl + 1;
      }
      while (bufAbs + pos >= stop && extend());
      if (bufAbs + pos >= stop) break;
      // The whole lines in the buffer: [pos, whole); at the end of the file the last may lack its newline.
      let whole = eof ? len : len > pos ? buf.lastIndexOf(10, len - 1) + 1 : pos;
      if (whole < pos) whole = pos;
      let done = eof;
      while (bufAbs + whole > stop && extend());
      if (bufAbs + whole > stop) {
        // Lines that start at or after `stop` are the next range's: end after the line holding byte stop - 1.
        const e = buf.indexOf(10, stop - 1 - bufAbs);
        if (e >= 0 && e < whole) whole = e + 1;
        done = true;
      }
      if (whole > pos) {
        const base = res.lines; // lines before this stretch
        const b = buf;
        let lastLine = -1;
        const newlines = scanner.scan(pos, whole, (p, before) => {
          if (before === lastLine) return; // one parse a line
          lastLine = before;
          const from = b.lastIndexOf(10, p) + 1;
          let to = b.indexOf(10, p);
          if (to < 0 || to >= whole) to = whole;
          parse(b, from < pos ? pos : from, to, base + before + 1);
        });
        res.lines += newlines + (buf[whole - 1] === 10 ? 0 : 1);
        pos = whole;
      }
      if (done) break;
      // Keep the partial last line; grow the buffer for a long line, up to the limit.
      if (pos > 0) {
        buf.copy(buf, 0, pos, len);
        bufAbs += pos;
        len -= pos;
      } else if (len === buf.length) {
        if (buf.length >= MAX_LINE_BYTES) {
          skipping = true;
          tooLong = true;
          bufAbs += len;
          len = 0;
        } else {
          scanner.reserve(buf.length * 2);
          buf = scanner.buffer;
        }
      }
    }
    if (sink.progress && stop > lastReport) sink.progress(stop - Math.max(lastReport, start));
    return finish();
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a candidate line (without its newline) that starts at byte `offset` of `file`: a light
 * record knows where its line is, so a sample can be sent as that place and read back.
 */
export function readCandidate(
  text: string,
  file: string,
  lineNo: number,
  offset: number,
  bytes: number,
): ReadItem {
  const item = readTriageLine(text, file, lineNo);
  if (item.kind === 'record') {
    const light = item.record as Partial<LightRecord>;
    if (light.lineText !== undefined) light.lineAt = { offset, bytes };
  }
  return item;
}

/** Whether the first line of a plain file parses as an S3 access-log line (so byte ranges can be scanned). */
export function looksLikeAccessLog(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.allocUnsafe(64 * 1024);
    const n = readSync(fd, b, 0, b.length, 0);
    if (n < 2 || (b[0] === 0x1f && b[1] === 0x8b)) return false;
    const nl = b.subarray(0, n).indexOf(10);
    const first = b.toString('utf8', 0, nl < 0 ? n : nl);
    return parseAccessLogLine(first, file, 1).kind === 'record';
  } finally {
    closeSync(fd);
  }
}
