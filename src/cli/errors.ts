// User errors: one `UserError` base class (src/model/user-error.ts), recognised with instanceof; the CLI
// prints its message in one block (never a stack trace) and exits with its code.

import { CancelledError, UserError } from '../model/user-error.js';

/** A problem with how s3doctor was called (bad flag value, missing flag, file exists): exit 2. */
export class UsageError extends UserError {}

/**
 * Inquirer's errors for Ctrl-C (`ExitPromptError`) and an aborted prompt (`AbortPromptError`). They
 * come from a third-party package whose classes load only with the assistant, so they are matched
 * by name, once, here, and turned into {@link CancelledError}.
 */
const PROMPT_CANCEL_NAMES = new Set(['ExitPromptError', 'AbortPromptError']);

/** The user error `e` stands for (a prompt cancel becomes {@link CancelledError}), or undefined for a bug. */
export function asUserError(e: unknown): UserError | undefined {
  if (e instanceof UserError) return e;
  if (e instanceof Error && PROMPT_CANCEL_NAMES.has(e.name)) return new CancelledError();
  return undefined;
}

function problemLines(e: UserError): string[] {
  return e.problems.map((p) => (typeof p === 'string' ? p : `${p.path ? `${p.path}: ` : ''}${p.message}`));
}

/** The message printed for a user error: the error's own message plus each listed problem not in it. */
export function userErrorMessage(e: UserError): string {
  const lines = [e.message.trim()];
  for (const p of problemLines(e)) if (!e.message.includes(p)) lines.push(`  ${p}`);
  return lines.join('\n');
}

const FS_REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a parent in the path is a file, not a folder',
  ENOENT: 'the folder does not exist and cannot be created',
  EINVAL: 'that place does not take files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'the path loops through symbolic links',
  EXDEV: 'it is on another file system',
  EBUSY: 'the file is busy',
};

/** A file-system failure as one line naming the path and the reason; never a stack trace. */
export function fsUserError(e: unknown, path: string, verb = 'write'): UsageError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
  const reason =
    FS_REASONS[code] ?? ((e as Error | undefined)?.message ?? 'input/output error').split('\n')[0];
  return new UsageError(`cannot ${verb} ${path}: ${reason} (${code}); choose another file.`);
}
