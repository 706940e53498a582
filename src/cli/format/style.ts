// Terminal styling for the text formatter: ANSI colours only when asked for, never a dependency.

/** The styles the text output uses. */
export type StyleName = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta' | 'inverse';

const CODES: Record<StyleName, [open: number, close: number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  magenta: [35, 39],
  inverse: [7, 27],
};

/** Applies one or more styles to a string; the identity function when colour is off. */
export type Styler = (styles: StyleName | StyleName[], text: string) => string;

/** Builds a styler: ANSI escapes when `enabled`, plain text otherwise. */
export function makeStyler(enabled: boolean): Styler {
  if (!enabled) return (_styles, text) => text;
  return (styles, text) => {
    const list = Array.isArray(styles) ? styles : [styles];
    let out = text;
    for (const s of [...list].reverse()) {
      const [open, close] = CODES[s];
      out = `\u001b[${open}m${out}\u001b[${close}m`;
    }
    return out;
  };
}

/**
 * Whether to colour output written to `stream`: only on a TTY, never with `NO_COLOR` set (any
 * value, https://no-color.org), always with `FORCE_COLOR` set to something other than `0`.
 */
export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Removes ANSI escape sequences (for width computations and tests). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
