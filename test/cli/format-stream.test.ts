// Unit tests of the streaming report writer: the same bytes as the whole-report renderers, piece by piece.

import { describe, expect, it } from 'vitest';
import { renderReportJson } from '../../src/cli/format/json.js';
import { renderReportMarkdown } from '../../src/cli/format/markdown.js';
import { ndjsonLine } from '../../src/cli/format/ndjson.js';
import { renderStreamed, reportWriter } from '../../src/cli/format/stream.js';
import { renderReportText } from '../../src/cli/format/text.js';
import type { MalformedRecord, Report, Result } from '../../src/model/index.js';
import { denyResult, sampleEvidence, unexplainedResult } from './fixtures.js';

function skipped(n: number): MalformedRecord[] {
  return Array.from({ length: n }, (_, i) => ({ source: 'a.log', line: i + 1, reason: `bad | line ${i}` }));
}

/** Results that share one verdict, as engine/memo.ts gives for one request seen at several times. */
function sharing(): Result[] {
  const a = denyResult();
  const b: Result = {
    ...a,
    input: { source: 'b.log', line: 9 },
    request: { ...a.request, time: '2026-11-24T23:00:00Z' },
  };
  const c: Result = { ...a, input: { source: 'c.log', line: 1 }, decision: 'ExplicitDeny' };
  return [a, b, c, { ...b, input: { source: 'd.log' } }];
}

const cases: [string, Result[], MalformedRecord[]][] = [
  ['results sharing a verdict', sharing(), skipped(1)],
  ['nothing', [], []],
  ['only skipped entries', [], skipped(3)],
  ['one result', [denyResult()], []],
  ['results and 25 skipped entries', [denyResult(), unexplainedResult(), denyResult()], skipped(25)],
];

describe('reportWriter', () => {
  it.each(cases)('%s: json, text and markdown as the whole-report renderers', (_, results, malformed) => {
    const report: Report = { schemaVersion: 1, results, ...(malformed.length ? { malformed } : {}) };
    const evidence = sampleEvidence();
    for (const colour of [false, true]) {
      expect(renderStreamed('text', results, malformed, { colour, evidence })).toBe(
        renderReportText(report, { colour, evidence }),
      );
    }
    expect(renderStreamed('json', results, malformed, { colour: false })).toBe(renderReportJson(report));
    expect(renderStreamed('markdown', results, malformed, { colour: false, evidence })).toBe(
      renderReportMarkdown(report, { evidence }),
    );
  });

  it('writes each result when given (nothing held back but skipped entries)', () => {
    const chunks: string[] = [];
    const w = reportWriter('json', { write: (c) => void chunks.push(c) }, { colour: false });
    void w.result(denyResult());
    expect(chunks.join('')).toContain('"results": [\n    {\n      "input"');
    void w.malformed(skipped(1)[0]!);
    expect(chunks.length).toBe(1);
    void w.result(unexplainedResult());
    expect(chunks.length).toBe(2);
    expect(w.counts).toEqual({ results: 2, explained: 1 });
  });

  it('ndjson: one compact line per result or skipped entry, in input order', () => {
    const [m] = skipped(1);
    let out = '';
    const w = reportWriter('ndjson', { write: (c) => void (out += c) }, { colour: false });
    void w.result(denyResult());
    void w.malformed(m!);
    void w.result(unexplainedResult());
    for (const r of sharing()) void w.result(r);
    void w.end();
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { record: 'result', schemaVersion: 1, ...denyResult() },
      { record: 'malformed', schemaVersion: 1, ...m },
      { record: 'result', schemaVersion: 1, ...unexplainedResult() },
      ...sharing().map((r) => ({ record: 'result', schemaVersion: 1, ...r })),
    ]);
    expect(out).toBe(
      [denyResult(), { malformed: m }, unexplainedResult(), ...sharing()]
        .map((r) =>
          ndjsonLine(
            'malformed' in r
              ? { record: 'malformed', schemaVersion: 1, ...r.malformed }
              : { record: 'result', schemaVersion: 1, ...r },
          ),
        )
        .join(''),
    );
  });
});
