// User errors the CLI turns into one clear message and exit code 2 (never a stack trace).

/** A problem with how s3doctor was called (bad flag value, missing flag, file exists): exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The error names other areas throw for user errors; matched by name so no module loads early. */
const USER_ERROR_NAMES = new Set([
  'UsageError',
  'InputError',
  'SnapshotError',
  'LiveCredentialsError',
  'LiveCollectError',
  'SimulateRequestError',
  'ApplyError',
  'ExitPromptError',
  'AbortPromptError',
]);

/** Whether `e` is a user error (message only) rather than a bug (message and stack). */
export function isUserError(e: unknown): e is Error {
  if (!(e instanceof Error)) return false;
  return USER_ERROR_NAMES.has(e.name) || USER_ERROR_NAMES.has(e.constructor.name);
}

function problemLines(e: Error): string[] {
  const problems = (e as { problems?: unknown }).problems;
  if (!Array.isArray(problems)) return [];
  return problems.map((p) => {
    if (typeof p === 'string') return p;
    if (p && typeof p === 'object' && 'message' in p) {
      const path = (p as { path?: unknown }).path;
      return `${typeof path === 'string' && path ? `${path}: ` : ''}${String((p as { message: unknown }).message)}`;
    }
    return String(p);
  });
}

/** The message printed for a user error: the error's own message plus each listed problem not in it. */
export function userErrorMessage(e: Error): string {
  if (e.name === 'ExitPromptError' || e.name === 'AbortPromptError') return 'Cancelled: nothing was changed.';
  const lines = [e.message.trim()];
  for (const p of problemLines(e)) if (!e.message.includes(p)) lines.push(`  ${p}`);
  return lines.join('\n');
}
