// The one base class of errors a user can act on: the CLI prints the message alone (never a stack) and exits with its code.

/**
 * An error whose message tells the user what to change (a flag, a file, credentials, a permission).
 * The CLI recognises it with `instanceof` and prints `s3doctor: <message>` plus each of `problems`
 * not already in the message, then exits with `exitCode` (2: could not run; 130: cancelled).
 * Every area throws a subclass of it for problems of the user's making; anything else is a bug.
 */
export class UserError extends Error {
  /** The process exit code the CLI ends with. */
  readonly exitCode: 2 | 130;
  /** Details, one per line (e.g. every problem of an invalid file), printed under the message. */
  readonly problems: readonly (string | { path?: string; message: string })[];

  constructor(
    message: string,
    options: {
      exitCode?: 2 | 130;
      problems?: readonly (string | { path?: string; message: string })[];
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? 2;
    this.problems = options.problems ?? [];
  }
}

/** The user cancelled (Ctrl-C, or Ctrl-D where an answer was expected): exit 130, nothing changed. */
export class CancelledError extends UserError {
  constructor(message = 'Cancelled: nothing was changed.') {
    super(message, { exitCode: 130 });
  }
}
