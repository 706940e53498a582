// Reads back the sample lines of the groups a scan keeps: a byte-range scan sends only where each sample's line is.

import { closeSync, openSync, readSync } from 'node:fs';
import type { LogRecord } from '../model/index.js';
import { parseAccessLogLine } from '../logs/index.js';
import type { GroupAccumulator } from './groups.js';
import { fullRecord, isLineRef, type LineRef } from './light-record.js';

/**
 * The full sample records of `groups` (each group keeps its resolved sample). Samples a byte-range
 * scan referred to by place are read from their files (one open per file) and parsed; when a file
 * changed since the scan so that the line no longer parses, the sample keeps only where it came from.
 */
export function readSamples(groups: readonly GroupAccumulator[]): LogRecord[] {
  const fds = new Map<string, number>();
  const read = (r: LineRef): LogRecord => {
    const source = r.input.source;
    let fd = fds.get(source);
    if (fd === undefined) {
      fd = openSync(source, 'r');
      fds.set(source, fd);
    }
    const b = Buffer.allocUnsafe(r.lineAt.bytes);
    const n = readSync(fd, b, 0, b.length, r.lineAt.offset);
    const item = parseAccessLogLine(b.toString('utf8', 0, n), source, r.input.line ?? 0);
    return item.kind === 'record' ? item.record : { input: r.input, format: r.format };
  };
  try {
    return groups.map(
      (g) => (g.sampleRecord = isLineRef(g.sampleRecord) ? read(g.sampleRecord) : fullRecord(g.sampleRecord)),
    );
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
}
