#!/usr/bin/env node
// The s3doctor binary: runs the commander program and maps its outcome to an exit code; the only
// place that exits. Only commander loads up front (see program.ts).

import { CommanderError } from 'commander';
import { isUserError, userErrorMessage } from './errors.js';
import { buildProgram, type ExitCode } from './program.js';

async function flushAndExit(code: number): Promise<never> {
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}

/** Runs the CLI with `argv` (process.argv shape) and exits. */
export async function main(argv: string[]): Promise<never> {
  let code: ExitCode = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      return flushAndExit(ok ? 0 : 2);
    }
    if (isUserError(e)) {
      let msg = userErrorMessage(e);
      try {
        const { redactSecrets } = await import('../logs/index.js');
        msg = redactSecrets(msg);
      } catch {
        // The log module is part of the package; if it cannot load, print the message as is.
      }
      process.stderr.write(`s3doctor: ${msg}\n`);
      return flushAndExit(2);
    }
    process.stderr.write(
      `s3doctor: internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return flushAndExit(2);
  }
  return flushAndExit(code);
}

await main(process.argv);
