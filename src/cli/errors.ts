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
