// Printed-command quoting of values from a log: bash receives exactly the value, runs nothing else, and the terminal gets no control character.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/fix/shell-quote.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Runs one bash script that prints each quoted value as bash received it, each followed by a NUL byte. */
function throughBash(values: readonly string[]): string[] {
  const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join('\n');
  const out = execFileSync('bash', ['-c', script], { cwd: '/tmp' });
  const parts: string[] = [];
  for (let at = 0; at < out.length;) {
    const end = out.indexOf(0, at);
    parts.push(out.subarray(at, end).toString('hex'));
    at = end + 1;
  }
  return parts;
}

const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

describe('shellQuote', () => {
  it('a key with a newline or an escape sequence is ANSI-C quoted: no control character printed, bash gets the real bytes', () => {
    const keys = [
      'report\n$(touch pwned).csv',
      '\u001b]0;title\u0007\u001b[2Jx',
      "it's\tme\\\u009b31m",
      'bidi\u202egnp.exe',
      'plain/key.csv',
      "quote'and space",
    ];
    const quoted = keys.map(shellQuote);
    expect(quoted[0]).toBe("$'report\\x0a$(touch pwned).csv'");
    expect(quoted[4]).toBe('plain/key.csv');
    expect(quoted[5]).toBe("'quote'\\''and space'");
    for (const q of quoted) expect(q).not.toMatch(CONTROL);
    expect(throughBash(keys)).toEqual(keys.map(hex));
  });

  it('property: for any string without NUL, bash receives exactly its bytes and the quoted form holds no control character', () => {
    // Characters chosen to stress quoting: shell syntax, quotes, backslashes, controls, C1, bidi, non-ASCII.
    const hostileChar = fc.oneof(
      fc.constantFrom(...'$`\'"\\;&|<>(){}[]*?!#~ \t\n\r\u001b\u0007\u007f\u0085\u009b\u202e\u2066é中😀%0Ax'),
      fc.integer({ min: 1, max: 0x7f }).map((c) => String.fromCharCode(c)),
    );
    const samples = fc.sample(
      fc.array(hostileChar, { maxLength: 40 }).map((a) => a.join('')),
      { numRuns: 400, seed: 13 },
    );
    for (const s of samples) expect(shellQuote(s), JSON.stringify(s)).not.toMatch(CONTROL);
    expect(throughBash(samples)).toEqual(samples.map(hex));
  });
});
