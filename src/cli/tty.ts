// Terminal facts in one place: when to prompt, colour, spin or draw a progress bar.

import { colourWanted } from './format/style.js';

/** The streams and environment the CLI runs with (injectable for tests). */
export interface Terminal {
  stdin: { isTTY?: boolean };
  stdout: { isTTY?: boolean; columns?: number };
  stderr: { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}

/** The real process terminal. */
export function processTerminal(): Terminal {
  return {
    // Read on use: the first read of process.stdin builds its stream (~5 ms at start), and a run with
    // --no-interactive or a file argument never looks at it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  };
}

/** Whether `CI` is set to anything but `false`/`0`/empty. */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * Whether the CLI may ask questions: stdin and stdout are terminals, `CI` is not set, and the user
 * did not pass `--no-interactive` (ECOSYSTEM: inquirer reads a pipe and can hang on an open one).
 */
export function canPrompt(t: Terminal, interactiveFlag: boolean): boolean {
  return interactiveFlag && t.stdin.isTTY === true && t.stdout.isTTY === true && !isCI(t.env);
}

/** Whether stdout gets colour. */
export function stdoutColour(t: Terminal): boolean {
  return colourWanted(t.stdout, t.env);
}

/**
 * Whether a spinner may run on stderr: a TTY with a real width and not CI. ora 9.4.1 loops forever
 * on a TTY that reports 0 columns (ECOSYSTEM gotcha), hence the column check.
 */
export function canSpin(t: Terminal): boolean {
  return t.stderr.isTTY === true && (t.stderr.columns ?? 0) > 0 && !isCI(t.env);
}

/** Whether a progress bar may be drawn on stderr. */
export function canShowProgress(t: Terminal): boolean {
  return t.stderr.isTTY === true && !isCI(t.env);
}

/**
 * When an input is stdin (`-`, or no input where stdin is the default) and stdin is a terminal,
 * says so on stderr: a blank screen waiting for input looks like a hang.
 */
export function announceStdin(
  inputs: readonly string[],
  t: Terminal = processTerminal(),
  write: (text: string) => void = (text) => void process.stderr.write(text),
): void {
  if ((inputs.length === 0 || inputs.includes('-')) && t.stdin.isTTY === true)
    write('s3doctor: reading stdin, end with Ctrl-D\n');
}

/**
 * Registers `cleanUp` for Ctrl-C in place of the CLI's own exit (cli.ts): the command stops its work
 * (athena run stops its query) and ends with CancelledError. Returns the function that removes it.
 */
export function onInterruptCleanUp(cleanUp: () => void): () => void {
  const listener = Object.assign(() => cleanUp(), { [Symbol.for('s3doctor.cleansUpOnInterrupt')]: true });
  process.once('SIGINT', listener);
  return () => void process.removeListener('SIGINT', listener);
}

let reopenedStdin: NodeJS.ReadStream | undefined;

/**
 * The terminal to read answers from: stdin, or, once Ctrl-D has ended stdin on a terminal (the end of a
 * paste), the terminal opened again, so that the prompts after a paste still read keys.
 */
export async function promptInput(): Promise<NodeJS.ReadStream> {
  if (!process.stdin.readableEnded || !process.stdin.isTTY) return process.stdin;
  if (!reopenedStdin) {
    const [{ openSync }, { ReadStream }] = await Promise.all([import('node:fs'), import('node:tty')]);
    reopenedStdin = new ReadStream(openSync('/dev/tty', 'r'));
  }
  return reopenedStdin;
}
