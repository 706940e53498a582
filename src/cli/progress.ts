// Spinners (ora) and a progress bar (cli-progress) on stderr, only on a real terminal; loaded lazily.

import { canShowProgress, canSpin, processTerminal, type Terminal } from './tty.js';

/** A spinner that does nothing off a terminal. */
export interface Spinner {
  text(msg: string): void;
  succeed(msg?: string): void;
  fail(msg?: string): void;
  stop(): void;
}

const SILENT: Spinner = {
  text: () => undefined,
  succeed: () => undefined,
  fail: () => undefined,
  stop: () => undefined,
};

/** Starts an ora spinner on stderr when the terminal allows (TTY, columns > 0, not CI); a no-op otherwise. */
export async function startSpinner(text: string, t: Terminal = processTerminal()): Promise<Spinner> {
  if (!canSpin(t)) return SILENT;
  const { default: ora } = await import('ora');
  const s = ora({ text, stream: process.stderr, discardStdin: false }).start();
  return {
    text: (msg) => {
      s.text = msg;
    },
    succeed: (msg) => void s.succeed(msg),
    fail: (msg) => void s.fail(msg),
    stop: () => void s.stop(),
  };
}

/** A progress bar over bytes read. */
export interface ProgressBar {
  update(done: number, info?: string): void;
  setTotal(total: number): void;
  stop(): void;
}

const NO_BAR: ProgressBar = { update: () => undefined, setTotal: () => undefined, stop: () => undefined };

/** Starts a cli-progress bar on stderr when stderr is a terminal; a no-op otherwise. */
export async function startProgressBar(
  total: number,
  label: string,
  t: Terminal = processTerminal(),
): Promise<ProgressBar> {
  if (!canShowProgress(t)) return NO_BAR;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {bar} {percentage}% | {info}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let max = Math.max(1, total);
  bar.start(max, 0, { info: '' });
  return {
    update: (done, info = '') => bar.update(Math.min(done, max), { info }),
    setTotal: (n) => {
      max = Math.max(1, n);
      bar.setTotal(max);
    },
    stop: () => bar.stop(),
  };
}
