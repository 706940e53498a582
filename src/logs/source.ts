// Opens inputs as byte streams: files, folders (recursive, sorted), stdin, with transparent gunzip.

import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError } from './errors.js';

/** Read size for files and gunzip output (ECOSYSTEM.md: 1 MiB chunks split by hand are fastest). */
export const CHUNK_BYTES = 1024 * 1024;

/** Raised while reading when gzip data is truncated or corrupt; the data before it was delivered. */
export class GzipDataError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GzipDataError';
  }
}

/**
 * Expands inputs to a list of files: `-` stays `-` (stdin), folders are walked recursively in
 * sorted order (byte order of names, so runs are deterministic), symlinked folders once.
 * Throws {@link InputError} up front for a path that does not exist.
 */
export async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const missing: string[] = [];
  const seenDirs = new Set<string>();
  for (const input of inputs) {
    if (input === '-') {
      files.push('-');
      continue;
    }
    let st;
    try {
      st = await stat(input);
    } catch (e) {
      missing.push(
        `${input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message}`,
      );
      continue;
    }
    if (st.isDirectory()) await walk(input, files, seenDirs);
    else files.push(input);
  }
  if (missing.length > 0) {
    throw new InputError(
      `Cannot read input: ${missing.join('; ')}. Give existing files, folders, or - for stdin.`,
      missing,
    );
  }
  return files;
}

async function walk(dir: string, out: string[], seen: Set<string>): Promise<void> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch {
    real = dir;
  }
  if (seen.has(real)) return;
  seen.add(real);
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const name of names) {
    const e = byName.get(name);
    if (!e) continue;
    const p = join(dir, name);
    if (e.isDirectory()) await walk(p, out, seen);
    else if (e.isFile()) out.push(p);
    else if (e.isSymbolicLink()) {
      try {
        const st = await stat(p);
        if (st.isDirectory()) await walk(p, out, seen);
        else if (st.isFile()) out.push(p);
      } catch {
        out.push(p); // broken link: reported when it is opened
      }
    }
  }
}

/** The raw bytes of one input (file or stdin), counting bytes as they are read. */
export async function* rawChunks(
  file: string,
  stdin: NodeJS.ReadableStream | undefined,
  onBytes: (n: number) => void,
): AsyncGenerator<Buffer> {
  const stream: AsyncIterable<Buffer | string> =
    file === '-'
      ? ((stdin ?? process.stdin) as AsyncIterable<Buffer | string>)
      : createReadStream(file, { highWaterMark: CHUNK_BYTES });
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
    onBytes(b.length);
    yield b;
  }
}

/**
 * Passes bytes through, gunzipping them when they start with the gzip magic bytes (1f 8b).
 * Concatenated gzip members are read as one stream. A truncated or corrupt gzip stream delivers
 * the data before the damage and then throws {@link GzipDataError}.
 */
export async function* gunzipIfNeeded(raw: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = raw[Symbol.asyncIterator]();
  let first = await it.next();
  // Make sure we have at least 2 bytes to test the magic number.
  while (!first.done && first.value.length < 2) {
    const more = await it.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([first.value, more.value]) };
  }
  if (first.done) return;
  const head = first.value;
  if (!(head[0] === 0x1f && head[1] === 0x8b)) {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    return;
  }
  const source = Readable.from(
    (async function* () {
      yield head;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    })(),
  );
  const { createGunzip } = await import('node:zlib'); // only for .gz input
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  let failure: unknown;
  const done = pipeline(source, gunzip).catch((e: unknown) => {
    failure = e;
  });
  try {
    for await (const c of gunzip) yield c as Buffer;
  } catch (e) {
    failure ??= e;
  }
  await done;
  if (failure) {
    const err = failure as NodeJS.ErrnoException;
    const what =
      err.code === 'Z_BUF_ERROR'
        ? 'truncated gzip data (unexpected end of file)'
        : `corrupt gzip data (${err.message})`;
    throw new GzipDataError(what, { cause: failure });
  }
}
