// Hostile wildcard input: policy globs against attacker-chosen keys match in linear work and agree with IAM's rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionMatches, resourceMatches } from '../../src/iam/index.js';
import { compileArnPattern, compileGlob, wildcardWork, type PatternPart } from '../../src/iam/wildcard.js';

/** A backtracking reference (the former regex semantics): only for short inputs. */
function reference(pattern: string, s: string, arn: boolean, ignoreCase = false): boolean {
  const colons = arn ? [...pattern].filter((c) => c === ':').length : 0;
  const spanFrom = arn ? Math.min(colons, 5) : 0;
  let seen = 0;
  let src = '^';
  for (const ch of pattern) {
    const spans = seen >= spanFrom;
    if (ch === '*') src += spans ? '.*' : '[^:]*';
    else if (ch === '?') src += spans ? '.' : '[^:]';
    else {
      if (ch === ':') seen++;
      src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(src + '$', ignoreCase ? 'is' : 's').test(s);
}

const alphabet = fc.constantFrom('a', 'b', '/', ':', '*', '?', 'x');
const textAlphabet = fc.constantFrom('a', 'b', '/', ':', 'x', '?', '*');
const short = (chars: fc.Arbitrary<string>, max: number) =>
  fc.array(chars, { maxLength: max }).map((a) => a.join(''));

function timed(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

describe('linear-time wildcard matching', () => {
  it('the issue repro: arn:aws:s3:::b/*/*/*/*/*/*.csv against a 1,024-byte key stays fast (was 29 s at 205 chars)', () => {
    const pattern = 'arn:aws:s3:::b/*/*/*/*/*/*.csv';
    for (const len of [205, 405, 1024]) {
      const key = 'a/'.repeat(3) + 'a'.repeat(len - 6);
      const ms = timed(() => expect(resourceMatches(pattern, `arn:aws:s3:::b/${key}`)).toBe(false));
      expect(ms).toBeLessThan(200);
    }
    expect(resourceMatches(pattern, 'arn:aws:s3:::b/1/2/3/4/5/x.csv')).toBe(true);
  });

  it('`*a` thirty times against forty `a`s (was 31 s) answers at once', () => {
    const m = compileGlob([{ t: 'text', s: '*a'.repeat(30) + 'b' }], false);
    const ms = timed(() => expect(m('a'.repeat(40))).toBe(false));
    expect(ms).toBeLessThan(200);
    expect(compileGlob([{ t: 'text', s: '*a'.repeat(30) }], false)('a'.repeat(40))).toBe(true);
    expect(actionMatches('s3:*a*a*a*a*a*a*a*a*a*b', 's3:' + 'a'.repeat(1000))).toBe(false);
  });

  it('ARN wildcards in the first five components stay within a component, also in the slow path', () => {
    expect(resourceMatches('arn:aws:s3:*:*:b/*', 'arn:aws:s3:::b/k')).toBe(true);
    expect(resourceMatches('arn:aws:*:::b/*', 'arn:aws:s3:x:::b/k')).toBe(false);
    expect(resourceMatches('arn:*:s3:::b/*/*.csv', 'arn:aws:s3:::b/x/y.csv')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::*/*/*.csv', 'arn:aws:s3:::b/x:y/z.csv')).toBe(true);
    expect(resourceMatches('arn:a?s:s3:::b', 'arn:aws:s3:::b')).toBe(true);
    expect(resourceMatches('arn:a?s:s3:::b', 'arn:a:s:s3:::b')).toBe(false);
  });

  it('agrees with the backtracking reference on short generated globs (plain, case-insensitive and ARN)', () => {
    fc.assert(
      fc.property(short(alphabet, 10), short(textAlphabet, 14), (pattern, s) => {
        const parts: PatternPart[] = [{ t: 'text', s: pattern }];
        expect(compileGlob(parts, false)(s)).toBe(reference(pattern, s, false));
        expect(compileArnPattern(parts)(s)).toBe(reference(pattern, s, true));
        const upper = s.toUpperCase();
        expect(compileGlob(parts, true)(upper)).toBe(reference(pattern, upper, false, true));
      }),
      { numRuns: 1500 },
    );
  });

  it('agrees with the reference on ARN-shaped patterns with wildcards in every component', () => {
    const comp = short(fc.constantFrom('a', 'b', '*', '?'), 3);
    fc.assert(
      fc.property(fc.array(comp, { minLength: 6, maxLength: 6 }), short(textAlphabet, 6), (cs, rest) => {
        const pattern = cs.join(':') + '/' + rest;
        const s = 'ab:a:b:' + rest.replace(/[*?]/g, 'a') + ':b:ba/' + rest.replace(/[*?]/g, 'b');
        for (const candidate of [
          s,
          pattern.replace(/[*?]/g, 'a'),
          pattern.replace(/\*/g, '').replace(/\?/g, 'b'),
        ])
          expect(compileArnPattern([{ t: 'text', s: pattern }])(candidate)).toBe(
            reference(pattern, candidate, true),
          );
      }),
      { numRuns: 800 },
    );
  });

  it('substituted policy-variable values are literal: a `*` inside them is no wildcard', () => {
    const m = compileArnPattern([
      { t: 'text', s: 'arn:aws:s3:::b/' },
      { t: 'literal', s: 'a*:b?' },
      { t: 'text', s: '/*' },
    ]);
    expect(m('arn:aws:s3:::b/a*:b?/x')).toBe(true);
    expect(m('arn:aws:s3:::b/aa:bb/x')).toBe(false);
    const head = compileArnPattern([
      { t: 'text', s: 'arn:aws:iam::' },
      { t: 'literal', s: '1*' },
      { t: 'text', s: ':role/*' },
    ]);
    expect(head('arn:aws:iam::1*:role/r')).toBe(true);
    expect(head('arn:aws:iam::12:role/r')).toBe(false);
  });

  it('work is linear: characters examined stay within (key length + 1) x (pattern length + 1) for keys up to 1,024 bytes', () => {
    const patternChars = fc.constantFrom('a', 'b', '/', '*', '?', '.', 'c');
    const keyChars = fc.constantFrom('a', 'b', '/', '.', 'c');
    fc.assert(
      fc.property(
        short(patternChars, 64),
        fc.integer({ min: 0, max: 1024 }),
        fc.array(keyChars, { minLength: 1, maxLength: 8 }),
        (pattern, len, unit) => {
          const key = unit
            .join('')
            .repeat(Math.ceil(len / unit.length))
            .slice(0, len);
          const arnPattern = `arn:aws:s3:::b/${pattern}`;
          const arn = `arn:aws:s3:::b/${key}`;
          const m = compileArnPattern([{ t: 'text', s: arnPattern }]);
          const g = compileGlob([{ t: 'text', s: pattern }], true);
          const before = wildcardWork();
          m(arn);
          g(key);
          const spent = wildcardWork() - before;
          expect(spent).toBeLessThanOrEqual(2 * (arn.length + 1) * (arnPattern.length + 1));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('many stars against a maximal key cost about one pass per segment, not a search tree', () => {
    const m = compileGlob([{ t: 'text', s: '*a'.repeat(64) + 'b' }], false);
    const key = 'a'.repeat(1024);
    const before = wildcardWork();
    expect(m(key)).toBe(false);
    expect(wildcardWork() - before).toBeLessThan(1024 * 4);
  });
});
