// The triage hot path for plain S3 access logs: scans one byte range of a file (aligned to line starts) synchronously.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { LogRecord, MalformedRecord } from '../model/index.js';
import { isDenied, parseAccessLogLine } from '../logs/index.js';
import { readTriageLine } from './light-record.js';

/** Bytes read per system call. */
const CHUNK = 4 * 1024 * 1024;
/** Longest line kept (as the log reader: a longer one is reported malformed). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Every denial has HTTP status 400 or 403: candidates hold ` 400 ` or ` 403 `, found by one search for ` 40`. */
const P40 = Buffer.from(' 40');

/** Receives what a range scan finds. */
export interface RangeSink {
  record(r: LogRecord): void;
  malformed(m: MalformedRecord): void;
  /** Called about every {@link CHUNK} bytes with the bytes consumed since the last call. */
  progress?(bytes: number): void;
}

/** What a range scan counted. */
export interface RangeResult {
  /** Lines that start inside the range (the last line may end after it). */
  lines: number;
  /** Bytes of the range. */
  bytes: number;
  denied: number;
  malformed: number;
  /** Some line parsed as an access-log record. */
  readable: boolean;
}

/** Whether `b[from..to)` holds ` 400 ` or ` 403 `. */
function candidate(b: Buffer, from: number, to: number): boolean {
  for (let p = b.indexOf(P40, from); p >= 0 && p < to; p = b.indexOf(P40, p + 1)) {
    const c = b[p + 3];
    if ((c === 48 || c === 51) && b[p + 4] === 32) return true;
  }
  return false;
}

/**
 * Scans the lines of `file` that start in `[start, end)`: a range that does not start at 0 skips
 * the partial line it begins in (the previous range reads it to its end). Only lines holding
 * ` 400 ` or ` 403 ` are decoded and parsed; denied records and malformed candidates go to the
 * sink with line numbers counted from 1 at the range start (the caller adds the lines of earlier
 * ranges).
 */
export function scanRange(file: string, start: number, end: number, sink: RangeSink): RangeResult {
  const fd = openSync(file, 'r');
  const res: RangeResult = { lines: 0, bytes: 0, denied: 0, malformed: 0, readable: false };
  try {
    const size = fstatSync(fd).size;
    const stop = Math.min(end, size);
    res.bytes = Math.max(0, stop - start);
    if (start >= stop) return res;
    let buf = Buffer.allocUnsafe(CHUNK);
    let filePos = start > 0 ? start - 1 : 0;
    let bufAbs = filePos; // file offset of buf[0]
    let len = 0;
    let skipping = start > 0; // inside the partial line before the range (or an over-long line)
    let tooLong = false;
    let lastReport = filePos;
    const parse = (b: Buffer, from: number, to: number): void => {
      const item = readTriageLine(b.toString('utf8', from, to), file, res.lines);
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
    const line = (b: Buffer, from: number, to: number): void => {
      res.lines++;
      if (candidate(b, from, to)) parse(b, from, to);
    };
    for (;;) {
      const n = readSync(fd, buf, len, buf.length - len, filePos);
      filePos += n;
      len += n;
      const eof = n === 0;
      if (sink.progress && filePos - lastReport >= CHUNK) {
        sink.progress(Math.min(filePos, stop) - Math.max(lastReport, start));
        lastReport = Math.min(filePos, stop);
      }
      const view = buf.subarray(0, len);
      let pos = 0;
      let done = false;
      if (skipping) {
        const nl = view.indexOf(10);
        if (nl < 0) {
          if (eof) break;
          bufAbs += len;
          len = 0;
          continue;
        }
        if (tooLong) {
          res.lines++;
          res.malformed++;
          sink.malformed({
            source: file,
            line: res.lines,
            reason: `line longer than ${MAX_LINE_BYTES} bytes: skipped`,
          });
          tooLong = false;
        }
        skipping = false;
        pos = nl + 1;
      }
      let next = view.indexOf(P40, pos);
      for (;;) {
        if (bufAbs + pos >= stop) {
          done = true;
          break;
        }
        const nl = view.indexOf(10, pos);
        if (nl < 0) break;
        res.lines++;
        if (next >= 0 && next < nl) {
          if (next < pos) next = view.indexOf(P40, pos);
          let hit = false;
          while (next >= 0 && next < nl) {
            const c = view[next + 3];
            if ((c === 48 || c === 51) && view[next + 4] === 32) {
              hit = true;
              break;
            }
            next = view.indexOf(P40, next + 1);
          }
          if (hit) {
            parse(view, pos, nl);
            next = view.indexOf(P40, nl + 1);
          }
        }
        pos = nl + 1;
      }
      if (done) break;
      if (eof) {
        if (pos < len && bufAbs + pos < stop) line(view, pos, len);
        break;
      }
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
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, len);
          buf = bigger;
        }
      }
    }
    if (sink.progress && stop > lastReport) sink.progress(stop - Math.max(lastReport, start));
    return res;
  } finally {
    closeSync(fd);
  }
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
