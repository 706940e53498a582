// The CLI behind the s3doctor binary (main.ts calls `main`): runs the commander program and maps its outcome to an exit
// code; the only place that exits. Only commander loads up front (see program.ts).

import { CommanderError } from 'commander';
import { asUserError, fsUserError, userErrorMessage } from './errors.js';
import { buildProgram, type ExitCode } from './program.js';

// The AWS SDK's Node-version notice (nine lines on stderr before any message of ours) is not something
// a user of s3doctor can act on; the SDK reads this variable when a client is first created, after this line.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function flushAndExit(code: number): Promise<never> {
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}

/** Marks a SIGINT listener of a command that cleans up first and then ends with CancelledError (tty.ts). */
const CLEANS_UP = Symbol.for('s3doctor.cleansUpOnInterrupt');

/**
 * Ctrl-C anywhere (a prompt, a spinner, a long read): one line and exit 130. A command that must clean
 * up first (athena run stops its query) adds a SIGINT listener marked by `onInterruptCleanUp` (tty.ts).
 * Other listeners (inquirer's and ora's terminal restorers) do not exit, so they do not count.
 */
function onInterrupt(): void {
  if (process.listeners('SIGINT').some((l) => CLEANS_UP in l)) return;
  process.stderr.write('\ns3doctor: cancelled (Ctrl-C).\n');
  void flushAndExit(130);
}

/**
 * The reader of stdout went away (`s3doctor simulate --help | head -1`): nothing more can be shown,
 * so stop quietly with 0 (as when the reader took all it wanted), not with an EPIPE stack trace.
 * Any other failure of stdout (a full disk under `> file`) is one line and exit 2: the report is incomplete.
 * A failing stderr is ignored (there is nowhere to say anything).
 */
function onPipeClosed(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (stream !== process.stdout) return;
    if (e.code === 'EPIPE') process.exit(0);
    process.stderr.write(
      `s3doctor: ${fsUserError(e, 'standard output').message.replace(/choose another file\.$/, 'the report is incomplete.')}\n`,
    );
    process.exit(2);
  });
}

/** Runs the CLI with `argv` (process.argv shape) and exits. */
export async function main(argv: string[]): Promise<never> {
  process.on('SIGINT', onInterrupt);
  onPipeClosed(process.stdout);
  onPipeClosed(process.stderr);
  let code: ExitCode | 130 = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  // The event loop ran empty while the command was still waiting (a prompt on a closed stdin): that
  // is a cancel, never a success.
  const onDrained = (): void => {
    process.stderr.write('s3doctor: cancelled (end of input): nothing was changed.\n');
    void flushAndExit(130);
  };
  process.once('beforeExit', onDrained);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    process.removeListener('beforeExit', onDrained);
    if (e instanceof CommanderError) {
      const ok =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      return flushAndExit(ok ? 0 : 2);
    }
    const user = asUserError(e);
    if (user) {
      let msg = userErrorMessage(user);
      try {
        const { redactSecrets } = await import('../logs/index.js');
        const { terminalSafe } = await import('./format/safe.js');
        msg = terminalSafe(redactSecrets(msg), false);
      } catch {
        // The log module is part of the package; if it cannot load, print the message as is.
      }
      process.stderr.write(`s3doctor: ${msg}\n`);
      return flushAndExit(user.exitCode);
    }
    process.stderr.write(
      `s3doctor: internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return flushAndExit(2);
  }
  process.removeListener('beforeExit', onDrained);
  return flushAndExit(code);
}
