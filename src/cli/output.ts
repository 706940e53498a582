// Writes what the CLI prints: to stdout or an --out file (never overwriting silently), secrets redacted.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { redactSecrets } from '../logs/index.js';
import { UsageError } from './errors.js';

/** Where output goes (injectable for tests). */
export interface OutputTarget {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** The process's own streams. */
export function processOutput(): OutputTarget {
  return { stdout: process.stdout, stderr: process.stderr };
}

/**
 * Writes `text` to a new file; refuses to replace an existing one unless `force` (exit 2 with the
 * fix). Returns the absolute path written. Secrets are redacted first.
 */
export async function writeNewFile(path: string, text: string, force = false): Promise<string> {
  const abs = resolve(path);
  await mkdir(dirname(abs), { recursive: true });
  try {
    await writeFile(abs, redactSecrets(text), { flag: force ? 'w' : 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new UsageError(`${path} already exists: pass --force to overwrite it, or choose another file.`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw new UsageError(`cannot write ${path} (${code}): choose a writable file.`);
    }
    throw e;
  }
  return abs;
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
  target.stdout.write(redactSecrets(text));
}

/** Prints a notice on stderr (redacted). */
export function notice(text: string, target = processOutput()): void {
  target.stderr.write(redactSecrets(text.endsWith('\n') ? text : `${text}\n`));
}
