// Reads pasted text (or a small text file): access-log lines, CloudTrail JSON, CSV exports or AWS error messages, mixed.

import { csvParseSync } from './csv-lib.js';
import type { ReadItem } from '../model/input.js';
import { looksLikeAccessLogLine, parseAccessLogLine } from './access-log.js';
import { classifyJsonItem, type Classified } from './classify.js';
import { CSV_OPTIONS, CsvMapper } from './csv.js';
import { csvKindOfHeader, parseCsvHeader } from './detect.js';
import { ACCEPTED_FORMATS } from './errors.js';
import { parseErrorText } from './error-text.js';
import { fillFromSurroundings } from './surroundings.js';
import { JsonSplitter } from './json-scanner.js';

/** Options for {@link readTextItems}. */
export interface ReadTextOptions {
  /** Line number of the text's first line within its source (default 1). */
  firstLine?: number;
  /** Report "nothing recognised" as a malformed item (default true). */
  reportUnrecognised?: boolean;
}

/**
 * Reads pasted input: one or more S3 access-log lines, a CloudTrail event / Records file /
 * lookup-events output (JSON), a CSV export, or free text holding AWS error messages (several
 * errors give several records). Every record is returned, denied or not. Never throws: text with
 * nothing recognisable gives one malformed item saying which formats are accepted.
 */
export function readText(text: string, source = 'pasted'): ReadItem[] {
  return readTextItems(text, source, {});
}

/** {@link readText} with options (used for text files read in segments). */
export function readTextItems(text: string, source: string, opts: ReadTextOptions): ReadItem[] {
  try {
    return readTextUnsafe(text, source, opts);
  } catch (e) {
    return [
      { kind: 'malformed', malformed: { source, reason: `could not read text: ${(e as Error).message}` } },
    ];
  }
}

function readTextUnsafe(text: string, source: string, opts: ReadTextOptions): ReadItem[] {
  const first = opts.firstLine ?? 1;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trim();
  if (trimmed === '') {
    return opts.reportUnrecognised === false
      ? []
      : [{ kind: 'malformed', malformed: { source, reason: 'empty input' } }];
  }
  // `aws sts get-caller-identity` output pasted first is context for the error text after it, not an input.
  const identityFirst = /^\{\s*"(?:UserId|Account|Arn)"\s*:/.test(trimmed);
  if (!identityFirst && (/^\{\s*("|\})/.test(trimmed) || /^\[\s*(\{|\[|"|\])/.test(trimmed))) {
    const json = readJsonText(body, source, first);
    if (json) return json;
  }
  // A CloudTrail event pasted after some words ("here is the event: {...}").
  const embedded = /\{\s*"(?:eventVersion|eventSource|eventName|Records|Events)"\s*:/.exec(body);
  if (embedded && embedded.index > 0) {
    const before = body.slice(0, embedded.index);
    const json = readJsonText(body.slice(embedded.index), source, first + (before.match(/\n/g)?.length ?? 0));
    if (json && json.some((i) => i.kind === 'record')) return json;
  }
  const lines = body.split('\n');
  const firstNonEmpty = lines.findIndex((l) => l.trim() !== '');
  const header = parseCsvHeader((lines[firstNonEmpty] ?? '').replace(/\r$/, ''));
  const csvKind = header ? csvKindOfHeader(header) : undefined;
  if (csvKind) return readCsvText(body, source, csvKind, first);

  const items: ReadItem[] = [];
  let rest: string[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (looksLikeAccessLogLine(line)) {
      items.push(parseAccessLogLine(line, source, first + i));
      rest ??= lines.slice();
      rest[i] = '';
    }
  }
  const remaining = rest ? rest.join('\n') : body;
  const errors = parseErrorText(remaining, source, { firstLine: first });
  fillFromSurroundings(remaining, errors, first);
  for (const r of errors) items.push({ kind: 'record', record: r });
  items.sort((a, b) => lineOfItem(a) - lineOfItem(b));
  if (items.length === 0 && opts.reportUnrecognised !== false) {
    items.push({
      kind: 'malformed',
      malformed: {
        source,
        line: first,
        reason: `no S3 access log line, CloudTrail event, CSV export or AWS error message found; s3doctor reads ${ACCEPTED_FORMATS}`,
      },
    });
  }
  return items;
}

function lineOfItem(i: ReadItem): number {
  return (i.kind === 'record' ? i.record.input.line : i.malformed.line) ?? 0;
}

/** JSON text through the same splitter as files; undefined when it is not JSON after all (e.g. a printed JS object). */
function readJsonText(text: string, source: string, first: number): ReadItem[] | undefined {
  const splitter = new JsonSplitter();
  const found = [...splitter.push(Buffer.from(text, 'utf8')), ...splitter.end()];
  const nonError = found.filter((f) => f.type !== 'error');
  if (nonError.length === 0) return undefined;
  const out: Classified = { items: [], understood: false, otherServices: 0 };
  for (const item of found) {
    const shifted = { ...item, line: item.line + first - 1 };
    classifyJsonItem(shifted, source, out);
  }
  if (out.items.length === 0 && !out.understood) return undefined;
  return out.items;
}

function readCsvText(
  text: string,
  source: string,
  kind: ReturnType<typeof csvKindOfHeader> & string,
  first: number,
): ReadItem[] {
  const items: ReadItem[] = [];
  const rows = csvParseSync()(text, {
    ...CSV_OPTIONS,
    on_skip: (err) => {
      items.push({
        kind: 'malformed',
        malformed: { source, reason: `bad CSV row: ${err?.message ?? 'unknown error'}` },
      });
      return undefined;
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const mapper = new CsvMapper(kind, source);
  rows.forEach((row, i) => {
    if (i === 0) mapper.setHeader(row.record);
    else if (!row.record.every((c) => c.trim() === ''))
      items.push(...mapper.row(row.record, row.info.lines + first - 1));
  });
  return items;
}
