// Quotes one argument of a printed shell command: the value may come from a log, so pasting the command must run nothing else.

/** Arguments printed as they are. */
const PLAIN = /^[A-Za-z0-9_./:=@%+,-]+$/;
/** Characters a terminal must not receive (C0, DEL, C1, bidirectional overrides and isolates): see cli/format/safe.ts. */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNPRINTABLE_CHAR = new RegExp(`^${UNPRINTABLE.source}$`);

/**
 * Quotes `s` for bash so the command names exactly `s`: as is when it needs no quoting, in POSIX
 * single quotes otherwise, and, when it holds control characters (a key with a newline or an escape
 * sequence), in bash ANSI-C quotes with those characters' UTF-8 bytes spelled `\xHH`
 * (`$'a\x0ab'`), so the printed command holds no control character and still names the real value.
 * ANSI-C quoting (https://www.gnu.org/software/bash/manual/bash.html#ANSI_002dC-Quoting) is bash,
 * zsh and ksh syntax.
 */
export function shellQuote(s: string): string {
  if (PLAIN.test(s)) return s;
  if (!UNPRINTABLE.test(s)) return `'${s.replace(/'/g, `'\\''`)}'`;
  let out = "$'";
  for (const ch of s) {
    if (ch === "'" || ch === '\\') out += `\\${ch}`;
    else if (UNPRINTABLE_CHAR.test(ch))
      for (const b of Buffer.from(ch, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}
