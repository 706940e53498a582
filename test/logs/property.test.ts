// Property tests: no input line makes the access-log parser, the error-text parser or readText throw.

import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAccessLogLine, parseAccessLogLine } from '../../src/logs/access-log.js';
import { parseErrorText } from '../../src/logs/error-text.js';
import { JsonSplitter } from '../../src/logs/json-scanner.js';
import { parseHiveStruct } from '../../src/logs/hive-struct.js';
import { readText, redactSecrets } from '../../src/logs/index.js';
import { fixture } from './helpers.js';

const realLines = readFileSync(fixture('access-doc-examples.log'), 'utf8').trimEnd().split('\n');
const errorTexts = ['cli-v2.txt', 'js-v3.txt', 'java-v1.txt', 'xml-expired.txt', 'go-v1.txt'].map((n) =>
  readFileSync(fixture(`errors/${n}`), 'utf8'),
);

/** Strings that look like log lines: real lines with random edits, quotes, brackets and spaces. */
const mutatedLine = fc
  .tuple(
    fc.constantFrom(...realLines),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.nat({ max: 20 }),
        fc.string({ unit: fc.constantFrom('"', '[', ']', ' ', '-', '%', '+', 'x', '\r', '\u00e9', '\\') }),
      ),
      {
        maxLength: 6,
      },
    ),
  )
  .map(([line, edits]) => {
    let s = line;
    for (const [at, del, ins] of edits) {
      const i = at % (s.length + 1);
      s = s.slice(0, i) + ins + s.slice(i + del);
    }
    return s;
  });

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));

describe('parsers never throw', () => {
  it('access-log parser: any line gives a record or a malformed entry', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedLine, anyText), (line) => {
        const item = parseAccessLogLine(line, 'p.log', 1);
        expect(['record', 'malformed']).toContain(item.kind);
        if (item.kind === 'malformed') expect(item.malformed.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('the cheap line check agrees with the full parser on every line', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedLine, anyText), (line) => {
        const item = parseAccessLogLine(line, 'p.log', 1);
        const reason = checkAccessLogLine(line);
        expect(reason).toBe(item.kind === 'malformed' ? item.malformed.reason : undefined);
      }),
      { numRuns: 3000 },
    );
  });

  it('error-text parser: any text gives zero or more records', () => {
    const mutatedError = fc
      .tuple(fc.constantFrom(...errorTexts), fc.nat(), fc.string())
      .map(([t, at, ins]) => {
        const i = at % (t.length + 1);
        return t.slice(0, i) + ins + t.slice(i);
      });
    fc.assert(
      fc.property(fc.oneof(mutatedError, anyText), (text) => {
        const recs = parseErrorText(text, 'p');
        expect(Array.isArray(recs)).toBe(true);
        for (const r of recs) expect(r.format).toBe('error-message');
      }),
      { numRuns: 1500 },
    );
  });

  it('readText, the JSON splitter, the Hive parser and redaction accept anything', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.json(), mutatedLine), (text) => {
        expect(Array.isArray(readText(text, 'p'))).toBe(true);
        const s = new JsonSplitter();
        expect(Array.isArray([...s.push(Buffer.from(text)), ...s.end()])).toBe(true);
        parseHiveStruct(text);
        expect(typeof redactSecrets(text)).toBe('string');
      }),
      { numRuns: 1500 },
    );
  });

  it('the JSON splitter finds every element of any JSON array, whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.array(fc.nat({ max: 50 }), { maxLength: 10 }),
        (arr, cuts) => {
          const text = Buffer.from(JSON.stringify({ Records: arr, other: 1 }));
          const s = new JsonSplitter();
          const items = [];
          let pos = 0;
          for (const c of cuts) {
            items.push(...s.push(text.subarray(pos, Math.min(text.length, pos + c))));
            pos = Math.min(text.length, pos + c);
          }
          items.push(...s.push(text.subarray(pos)), ...s.end());
          const elements = items.flatMap((i) =>
            i.type === 'element' ? [JSON.parse(i.text) as unknown] : [],
          );
          expect(elements).toEqual(JSON.parse(JSON.stringify(arr)));
          const root = items.find((i) => i.type === 'root');
          expect(root && JSON.parse(root.text)).toEqual({ Records: [], other: 1 });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the JSON splitter ends each element where it ends, with runs of backslashes and quotes cut anywhere', () => {
    // Strings of backslashes, quotes and brackets: escaped quotes must not end a string, at any chunk boundary.
    const tricky = fc.string({
      unit: fc.constantFrom('\\', '"', '{', '}', '[', ']', 'a', '\n'),
      maxLength: 12,
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.dictionary(fc.constantFrom('a', 'b\\'), fc.oneof(tricky, fc.array(tricky, { maxLength: 3 }))),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        fc.nat({ max: 30 }),
        (arr, cut) => {
          const text = Buffer.from(JSON.stringify({ Records: arr }));
          const s = new JsonSplitter();
          const step = cut + 1;
          const items = [];
          for (let pos = 0; pos < text.length; pos += step)
            items.push(...s.push(text.subarray(pos, pos + step)));
          items.push(...s.end());
          expect(items.filter((i) => i.type === 'error')).toEqual([]);
          const elements = items.flatMap((i) =>
            i.type === 'element' ? [JSON.parse(i.text) as unknown] : [],
          );
          expect(elements).toEqual(arr);
        },
      ),
      { numRuns: 300 },
    );
  });
});
