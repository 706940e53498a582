// Writes what the CLI prints: to stdout or an --out file (never overwriting silently), secrets redacted.

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, lstat, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { redactSecrets } from '../logs/index.js';
import { UsageError, fsUserError } from './errors.js';
import { terminalSafe } from './format/safe.js';

/** Where output goes (injectable for tests). */
export interface OutputTarget {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** The process's own streams. */
export function processOutput(): OutputTarget {
  return { stdout: process.stdout, stderr: process.stderr };
}

/** `~/x` and `~` as the shell would expand them (users paste such paths into prompts and quotes). */
export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return path;
}

/**
 * Checks, before any work, that `path` can be written: it does not exist (or `force`), and the
 * nearest existing parent is a folder. Throws a one-line {@link UsageError} otherwise.
 */
export async function assertCanWrite(path: string, force = false): Promise<void> {
  const abs = resolve(expandHome(path));
  const st = await lstat(abs).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw fsUserError(e, path);
  });
  if (st) {
    if (!force)
      throw new UsageError(`${path} already exists: pass --force to overwrite it, or choose another file.`);
    if (st.isDirectory()) throw fsUserError(Object.assign(new Error(), { code: 'EISDIR' }), path);
    return;
  }
  await nearestParent(dirname(abs), path);
}

/** The nearest existing ancestor of `dir`, which must be a folder; the missing levels below it. */
async function nearestParent(dir: string, path: string): Promise<string[]> {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    const st = await stat(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw fsUserError(e, path);
    });
    if (st) {
      if (!st.isDirectory()) throw fsUserError(Object.assign(new Error(), { code: 'ENOTDIR' }), path);
      return missing.reverse();
    }
    missing.push(d);
    if (dirname(d) === d) return missing.reverse();
  }
}

/**
 * Writes `text` to a new file; refuses to replace an existing one unless `force` (exit 2 with the
 * fix). Returns the absolute path written. Secrets are redacted and control
 * characters replaced first. The text goes to a temporary
 * file beside the target, which then takes the target's name in one step (a hard link when the name
 * must be new, a rename with `force`), so a failed write never leaves a truncated or half-written
 * file, and `--force` keeps the old file until the new one is complete. Missing parent folders are
 * created one level at a time (Node's recursive mkdir never returns under /proc/sys).
 */
export async function writeNewFile(path: string, text: string, force = false): Promise<string> {
  const abs = resolve(expandHome(path));
  await assertCanWrite(path, force);
  for (const d of await nearestParent(dirname(abs), path))
    await mkdir(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw fsUserError(e, path);
    });
  const existing = await stat(abs).catch(() => undefined);
  if (existing && !existing.isFile()) {
    // A device or pipe (--out /dev/stdout --force) is written in place: it cannot be replaced.
    await writeFile(abs, terminalSafe(redactSecrets(text))).catch((e: unknown) => {
      throw fsUserError(e, path);
    });
    return abs;
  }
  const tmp = tempBeside(abs);
  try {
    await writeFile(tmp, terminalSafe(redactSecrets(text)), { flag: 'wx' });
    await takeName(tmp, abs, force);
  } catch (e) {
    throw placeError(e, path);
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
  return abs;
}

/** A temporary file name beside `abs` (hidden, unique). */
function tempBeside(abs: string): string {
  return join(dirname(abs), `.${basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Gives the complete `tmp` the name `abs` in one step: a hard link when the name must be new, a rename with `force`. */
async function takeName(tmp: string, abs: string, force: boolean): Promise<void> {
  if (force) return rename(tmp, abs);
  try {
    await link(tmp, abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw e;
    // File systems without hard links: the target was checked just before.
    if (await stat(abs).catch(() => undefined)) throw Object.assign(new Error(), { code: 'EEXIST' });
    await rename(tmp, abs);
  }
}

function placeError(e: unknown, path: string): UsageError {
  if ((e as NodeJS.ErrnoException).code === 'EEXIST')
    return new UsageError(`${path} already exists: pass --force to overwrite it, or choose another file.`);
  return fsUserError(e, path);
}

/** A report written as it is made: to stdout, or to an --out file that takes its name only when complete. */
export interface ReportOutput {
  /** Writes a piece (redacted); resolves once the destination can take more (bounded memory). */
  write(chunk: string): void | Promise<void>;
  /** Finishes: the --out file takes its name now (never half-written), and stderr says where it went. */
  close(): Promise<void>;
  /** Gives up: the partly written temporary file is removed. */
  abort(): Promise<void>;
}

/**
 * Opens where a report goes, before any work: stdout, or `out` checked as {@link writeNewFile}
 * checks it, written piece by piece to a temporary file beside it that takes the name on close.
 */
export async function openReportOutput(
  opts: { out?: string; force?: boolean },
  target = processOutput(),
): Promise<ReportOutput> {
  if (!opts.out) {
    const stdout = target.stdout as {
      write(s: string): unknown;
      once?: (e: string, f: () => void) => unknown;
    };
    return {
      write(chunk) {
        if (stdout.write(terminalSafe(redactSecrets(chunk))) === false && stdout.once)
          return new Promise<void>((res) => void stdout.once!('drain', res));
      },
      close: () => Promise.resolve(),
      abort: () => Promise.resolve(),
    };
  }
  const path = opts.out;
  const force = opts.force ?? false;
  const abs = resolve(expandHome(path));
  await assertCanWrite(path, force);
  for (const d of await nearestParent(dirname(abs), path))
    await mkdir(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw fsUserError(e, path);
    });
  const existing = await stat(abs).catch(() => undefined);
  // A device or pipe (--out /dev/stdout --force) is written in place: it cannot be replaced.
  const inPlace = existing !== undefined && !existing.isFile();
  const tmp = inPlace ? abs : tempBeside(abs);
  const file = createWriteStream(tmp, { flags: inPlace ? 'w' : 'wx' });
  let failed: unknown;
  file.on('error', (e) => (failed ??= e));
  await new Promise<void>((res) => {
    file.once('open', () => res());
    file.once('error', () => res());
  });
  const drop = (): Promise<void> =>
    inPlace ? Promise.resolve() : rm(tmp, { force: true }).catch(() => undefined);
  if (failed) {
    await drop();
    throw fsUserError(failed, path);
  }
  return {
    write(chunk) {
      if (failed) throw fsUserError(failed, path);
      if (!file.write(terminalSafe(redactSecrets(chunk))))
        return new Promise<void>((res) => void file.once('drain', res));
    },
    async close() {
      // A device written in place (--out /dev/full --force) fails at the end: its error comes with the callback.
      await new Promise<void>((res) =>
        file.end((e?: Error | null) => {
          if (e) failed ??= e;
          res();
        }),
      );
      try {
        if (failed) throw failed;
        if (!inPlace) await takeName(tmp, abs, force);
      } catch (e) {
        throw placeError(e, path);
      } finally {
        await drop();
      }
      target.stderr.write(`Report written to ${abs}\n`);
    },
    async abort() {
      file.destroy();
      await drop();
    },
  };
}

/** Prints a report to stdout, or writes it to `out` and says on stderr where it went. */
export async function emitReport(
  text: string,
  opts: { out?: string; force?: boolean },
  target = processOutput(),
): Promise<void> {
  if (opts.out) {
    const abs = await writeNewFile(opts.out, text, opts.force);
    target.stderr.write(`Report written to ${abs}\n`);
    return;
  }
  target.stdout.write(terminalSafe(redactSecrets(text)));
}

/** Prints a notice on stderr (redacted). */
export function notice(text: string, target = processOutput()): void {
  target.stderr.write(terminalSafe(redactSecrets(text.endsWith('\n') ? text : `${text}\n`)));
}
