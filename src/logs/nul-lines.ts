// Reads past runs of NUL bytes (a crash, a partial copy): lines holding NUL are blanked and reported as malformed.

/** True when the bytes hold a NUL byte. */
export function hasNul(b: Buffer): boolean {
  return b.indexOf(0) >= 0;
}

/** The bytes with every line that holds a NUL byte emptied (line ends kept, so line numbers stay). */
export function blankNulLines(b: Buffer): Buffer {
  if (!hasNul(b)) return b;
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos <= b.length) {
    const nl = b.indexOf(10, pos);
    const end = nl < 0 ? b.length : nl;
    const line = b.subarray(pos, end);
    if (!hasNul(line)) parts.push(line);
    if (nl < 0) break;
    parts.push(NEWLINE);
    pos = nl + 1;
  }
  return Buffer.concat(parts);
}

const NEWLINE = Buffer.from('\n');

/**
 * Passes the chunks on with every line that holds a NUL byte emptied (its line end kept, so the
 * readers' line numbers stay right) and calls `onNulLine` with each such line's number (from 1).
 * A line is held back until its end is seen; the bytes of a NUL line are dropped as they come, so
 * a long run of NUL bytes without a line end is not kept in memory.
 */
export async function* blankNulLineChunks(
  chunks: AsyncIterable<Buffer>,
  onNulLine: (line: number) => void,
): AsyncGenerator<Buffer> {
  let lineNo = 1;
  let carry: Buffer[] = [];
  let badLine = false;
  for await (const chunk of chunks) {
    const out: Buffer[] = [];
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      const end = nl < 0 ? chunk.length : nl;
      const seg = chunk.subarray(pos, end);
      if (!badLine && hasNul(seg)) {
        badLine = true;
        carry = [];
      }
      if (!badLine && seg.length > 0) carry.push(seg);
      if (nl < 0) break;
      if (badLine) onNulLine(lineNo);
      else out.push(...carry);
      out.push(NEWLINE);
      carry = [];
      badLine = false;
      lineNo++;
      pos = nl + 1;
    }
    if (out.length > 0) yield Buffer.concat(out);
  }
  if (badLine) onNulLine(lineNo);
  else if (carry.length > 0) yield Buffer.concat(carry);
}
