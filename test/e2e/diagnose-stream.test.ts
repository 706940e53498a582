// End-to-end: streamed `diagnose` (each result written as it is made, each distinct request diagnosed once) prints what the whole-report renderers print.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatherEvidence } from '../../src/cli/evidence-source.js';
import { renderReportJson } from '../../src/cli/format/json.js';
import { renderReportMarkdown } from '../../src/cli/format/markdown.js';
import { renderReportText } from '../../src/cli/format/text.js';
import { hintsFrom, readRecords, toReport } from '../../src/api/pipeline.js';
import { diagnose } from '../../src/engine/index.js';
import type { Report } from '../../src/model/index.js';
import { ROOT, assertBuilt, runCli } from './helpers.js';

const EXAMPLES = join(ROOT, 'examples');
const scenarios = readdirSync(EXAMPLES)
  .filter((n) => statSync(join(EXAMPLES, n)).isDirectory() && existsSync(join(EXAMPLES, n, 'snapshot.json')))
  .sort();

function inputOf(dir: string): string {
  const f = readdirSync(dir)
    .filter((x) => /^(input\.log|event\.json|error\.txt)$/.test(x))
    .sort()[0];
  if (!f) throw new Error(`${dir} has no input file`);
  return join(dir, f);
}

/** The same requests again at other times, with other request ids, and a line that is no log at all. */
function manyOf(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.log')) {
    const lines = text.split('\n').filter(Boolean);
    const out: string[] = [];
    for (const [i, shift] of ['10:15:02', '10:15:02', '23:59:59', '03:00:00'].entries())
      for (const l of lines)
        out.push(
          l
            .replace(/(\[\d\d\/\w{3}\/\d{4}:)\d\d:\d\d:\d\d/, `$1${shift}`)
            .replace(/^(\S+ \S+ \[[^\]]+\] \S+ \S+ )(\S+)/, `$1REQ${i}ID0000000`),
        );
    out.splice(2, 0, 'not a log line at all');
    return out.join('\n') + '\n';
  }
  if (file.endsWith('.json')) {
    const ev = JSON.parse(text) as Record<string, unknown>;
    const at = (t: string, id: string): Record<string, unknown> => ({ ...ev, eventTime: t, eventID: id });
    return JSON.stringify({
      Records: [ev, at('2026-11-24T23:00:00Z', 'e-2'), ev, at('2026-11-23T01:02:03Z', 'e-3')],
    });
  }
  return text;
}

/** The report of the whole-report pipeline (no memo, nothing streamed), in every format. */
async function expected(
  input: string,
  snapshot: string,
): Promise<{ json: string; text: string; markdown: string }> {
  const ev = await gatherEvidence({ snapshot: [snapshot] }, () => []);
  const read = await readRecords([input]);
  const opts = { evidenceKind: 'snapshot' as const, hints: hintsFrom(ev.evidence) };
  const results = read.records.map((r) => diagnose(r, ev.evidence, opts));
  const report: Report = toReport(results, read.malformed);
  const evidence = ev.evidence ? { evidence: ev.evidence } : {};
  return {
    json: renderReportJson(report),
    text: renderReportText(report, { colour: false, ...evidence }),
    markdown: renderReportMarkdown(report, evidence),
  };
}

beforeAll(() => assertBuilt());

describe('streamed diagnose', () => {
  it.each(scenarios)(
    '%s: as the whole report (json), and as many records (json, text, markdown)',
    async (name) => {
      const dir = join(EXAMPLES, name);
      const snapshot = join(dir, 'snapshot.json');
      const tmp = await mkdtemp(join(tmpdir(), 's3d-stream-'));
      const single = inputOf(dir);
      const many = join(tmp, `many${single.slice(single.lastIndexOf('.'))}`);
      await writeFile(many, manyOf(single));
      for (const [input, formats] of [
        [single, ['json']],
        [many, ['json', 'text', 'markdown']],
      ] as const) {
        const want = await expected(input, snapshot);
        for (const format of formats) {
          const r = await runCli(['diagnose', input, '--snapshot', snapshot, '--format', format]);
          expect(r.stdout, `${name} ${input} ${format}`).toBe(want[format]);
        }
      }
    },
  );

  it('writes one line per result with --format ndjson ({"record":"result",...}), and per skipped entry', async () => {
    const dir = join(EXAMPLES, 'deny-http');
    const tmp = await mkdtemp(join(tmpdir(), 's3d-ndjson-'));
    const input = join(tmp, 'many.log');
    await writeFile(input, manyOf(join(dir, 'input.log')));
    const r = await runCli([
      'diagnose',
      input,
      '--snapshot',
      join(dir, 'snapshot.json'),
      '--format',
      'ndjson',
    ]);
    const doc = JSON.parse((await expected(input, join(dir, 'snapshot.json'))).json) as Report;
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(doc.results.length + 1);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const of = (kind: string): unknown[] =>
      parsed
        .filter((p) => p['record'] === kind)
        .map(({ record: _, schemaVersion: v, ...rest }) => (expect(v).toBe(1), rest));
    expect(of('result')).toEqual(doc.results);
    expect(of('malformed')).toEqual(doc.malformed);
    // The same request at another time: its own time in the result and in aws:CurrentTime.
    const times = doc.results.map((x) => [x.request.time, x.request.context['aws:CurrentTime']]);
    expect(new Set(times.map((t) => t[0])).size).toBeGreaterThan(1);
    for (const [t, ct] of times) expect(ct).toBe(t);
  });

  it('writes --out only when done, and refuses an existing file without --force', async () => {
    const dir = join(EXAMPLES, 'deny-http');
    const tmp = await mkdtemp(join(tmpdir(), 's3d-out-'));
    const out = join(tmp, 'report.json');
    const args = ['diagnose', join(dir, 'input.log'), '--snapshot', join(dir, 'snapshot.json')];
    const first = await runCli([...args, '--format', 'json', '--out', out]);
    expect(first.stderr).toContain(`Report written to ${out}`);
    expect(await readFile(out, 'utf8')).toBe(
      (await expected(join(dir, 'input.log'), join(dir, 'snapshot.json'))).json,
    );
    const again = await runCli([...args, '--format', 'text', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(readdirSync(tmp)).toEqual(['report.json']);
    const forced = await runCli([...args, '--format', 'text', '--out', out, '--force']);
    expect(forced.code).toBe(first.code);
    expect(await readFile(out, 'utf8')).toContain('denied request');
    expect(readdirSync(tmp)).toEqual(['report.json']);
  });
});
