// Writes a diagnose report one result at a time (text, markdown, json, ndjson): nothing is kept but counts and skipped entries.

import type { MalformedRecord, Result } from '../../model/index.js';
import { SCHEMA_IDS } from '../../model/schema-ids.js';
import { isExplained, plural } from './common.js';
import { ndjsonLine } from './ndjson.js';
import {
  reportTitleMarkdown,
  renderResultMarkdown,
  skippedInputMarkdown,
  type MarkdownOptions,
} from './markdown.js';
import { safeDeep } from './safe.js';
import { makeStyler } from './style.js';
import { renderResultText, type TextOptions } from './text.js';

/** Where the pieces of a report go, in order (may push back by returning a promise). */
export interface ChunkSink {
  write(chunk: string): void | Promise<void>;
}

/** The formats written a result at a time. */
export type StreamFormat = 'text' | 'json' | 'markdown' | 'ndjson';

/** A report written as it is made. */
export interface ReportWriter {
  /** Writes one result. */
  result(r: Result): void | Promise<void>;
  /** Notes one skipped entry (ndjson writes it at once; the other formats after the results). */
  malformed(m: MalformedRecord): void | Promise<void>;
  /** Writes the end of the report. */
  end(): void | Promise<void>;
  /** Results written so far, and how many were explained. */
  readonly counts: { results: number; explained: number };
}

/** Options of {@link reportWriter}. */
export interface ReportWriterOptions extends TextOptions, MarkdownOptions {}

/**
 * A streaming writer for `diagnose --format FORMAT`. `text` and `json` write exactly what
 * `renderReportText` / `renderReportJson` give for the same report; `markdown` writes its summary
 * line last; `ndjson` writes one line per result, `{"record":"result","schemaVersion":1,...}` with the
 * fields of a JSON result, and one per skipped entry, `{"record":"malformed",...}`, as triage's
 * NDJSON names its lines (format/ndjson.ts).
 */
export function reportWriter(format: StreamFormat, sink: ChunkSink, opts: ReportWriterOptions): ReportWriter {
  const counts = { results: 0, explained: 0 };
  // Skipped entries come after the results in every format but ndjson: kept until the end.
  const malformed: MalformedRecord[] = [];
  const count = (r: Result): void => {
    counts.results += 1;
    if (isExplained(r)) counts.explained += 1;
  };
  const summary = (): string =>
    `${plural(counts.results, 'denied request')}: ${counts.explained} explained, ${counts.results - counts.explained} not explained`;

  if (format === 'ndjson') {
    const json = resultJson(false);
    return {
      counts,
      result: (r) => {
        count(r);
        return sink.write(json(r));
      },
      malformed: (m) => sink.write(ndjsonLine({ record: 'malformed', schemaVersion: 1, ...m })),
      end: () => undefined,
    };
  }

  if (format === 'json') {
    // JSON.stringify(report, null, 2), a result at a time: each result is indented two levels.
    const json = resultJson(true);
    return {
      counts,
      result: (r) => {
        const head =
          counts.results === 0
            ? `{\n  "$schema": ${JSON.stringify(SCHEMA_IDS.result)},\n  "schemaVersion": 1,\n  "results": [\n`
            : ',\n';
        count(r);
        return sink.write(head + json(r));
      },
      malformed: (m) => void malformed.push(m),
      end: () => {
        let tail =
          counts.results === 0
            ? `{\n  "$schema": ${JSON.stringify(SCHEMA_IDS.result)},\n  "schemaVersion": 1,\n  "results": []`
            : '\n  ]';
        if (malformed.length > 0)
          tail += ',\n  "malformed": ' + JSON.stringify(malformed, null, 2).replace(/\n/g, '\n  ');
        return sink.write(tail + '\n}\n');
      },
    };
  }

  if (format === 'markdown') {
    return {
      counts,
      result: (r) => {
        const head = counts.results === 0 ? `${reportTitleMarkdown(opts)}\n\n` : '\n\n';
        count(r);
        return sink.write(head + renderResultMarkdown(safeDeep(r), counts.results, opts));
      },
      malformed: (m) => void malformed.push(m),
      end: () => {
        const parts = counts.results === 0 ? [reportTitleMarkdown(opts)] : [''];
        if (malformed.length > 0) parts.push(skippedInputMarkdown(malformed));
        parts.push(`${summary()}.`);
        return sink.write(parts.join('\n\n') + '\n');
      },
    };
  }

  // text: the parts of renderReportText, each written when known, joined by blank lines.
  const s = makeStyler(opts.colour);
  let skipped = 0;
  return {
    counts,
    result: (r) => {
      const head = counts.results === 0 ? '' : '\n\n';
      count(r);
      return sink.write(head + renderResultText(safeDeep(r), opts));
    },
    malformed: (m) => {
      // Only the first 20 are shown; the rest are counted.
      skipped += 1;
      if (malformed.length < 20) malformed.push(m);
    },
    end: () => {
      const parts = malformed.map((m) =>
        s('yellow', `skipped ${m.line !== undefined ? `${m.source}:${m.line}` : m.source}: ${m.reason}`),
      );
      if (skipped > 20) parts.push(s('yellow', `... and ${skipped - 20} more malformed entries`));
      if (counts.results === 0) parts.push('No denied request found in the input.');
      parts.push(
        s(
          'bold',
          summary() + (skipped ? `; ${plural(skipped, 'malformed entry', 'malformed entries')} skipped` : ''),
        ),
      );
      return sink.write((counts.results === 0 ? '' : '\n\n') + parts.join('\n\n') + '\n');
    },
  };
}

/** Whether two results hold the very same verdict: every field but `input` and `request` identical (objects by identity). */
function sameVerdict(a: Result, b: Result): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]! as keyof Result;
    if (k !== kb[i]) return false;
    if (k !== 'input' && k !== 'request' && a[k] !== b[k]) return false;
  }
  return true;
}

/**
 * A result as JSON: pretty, as one element of the report's `results` (`JSON.stringify(report, null, 2)`
 * indents it two levels), or as one NDJSON `result` line (ndjsonLine's text). Results that share a
 * verdict (engine/memo.ts reuses it for requests diagnosed once) share the text of everything after
 * `request`: only `input` and `request` are made again.
 */
function resultJson(pretty: boolean): (r: Result) => string {
  const text = (v: unknown): string =>
    pretty ? JSON.stringify(v, null, 2).replace(/\n/g, '\n  ') : ndjsonLine(v).slice(0, -1);
  const nest = (t: string): string => (pretty ? t.replace(/\n/g, '\n    ') : t);
  const tails = new WeakMap<object, { r: Result; tail: string }>();
  return (r) => {
    const keys = Object.keys(r);
    if (keys[0] !== 'input' || keys[1] !== 'request' || keys.length < 3) {
      return pretty
        ? '    ' + nest(JSON.stringify(r, null, 2))
        : ndjsonLine({ record: 'result', schemaVersion: 1, ...r });
    }
    let cached = tails.get(r.causes);
    if (!cached || !sameVerdict(cached.r, r)) {
      const { input: _i, request: _r, ...rest } = r;
      // '{' + the verdict's fields + '}': drop the brace, the rest continues the object.
      const whole = pretty ? JSON.stringify(rest, null, 2) : ndjsonLine(rest).slice(0, -1);
      cached = { r, tail: nest(whole.slice(1)) };
      tails.set(r.causes, cached);
    }
    if (pretty)
      return '    ' + nest(`{\n  "input": ${text(r.input)},\n  "request": ${text(r.request)},`) + cached.tail;
    return `{"record":"result","schemaVersion":1,"input":${text(r.input)},"request":${text(r.request)},${cached.tail}\n`;
  };
}

/** Writes a whole report through {@link reportWriter} into one string (for callers that hold every result). */
export function renderStreamed(
  format: StreamFormat,
  results: readonly Result[],
  malformed: readonly MalformedRecord[],
  opts: ReportWriterOptions,
): string {
  let out = '';
  const w = reportWriter(format, { write: (c) => void (out += c) }, opts);
  for (const r of results) void w.result(r);
  for (const m of malformed) void w.malformed(m);
  void w.end();
  return out;
}
