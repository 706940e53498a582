// The diagnosis pipeline the commands share: read records, gather evidence, diagnose each record.

import type { Evidence, LogRecord, MalformedRecord, Report, Result, S3Request } from '../model/index.js';
import { answersToChange, hasAnswers } from './answers.js';
import { hintsFrom, type EvidenceSource } from './evidence-source.js';
import type { AnswerOptions } from './options.js';

/** Records read from the inputs, and what was skipped. */
export interface ReadResult {
  records: LogRecord[];
  malformed: MalformedRecord[];
}

/** Reads every denied record from the inputs (files, folders, .gz, `-` for stdin). */
export async function readRecords(
  inputs: string[],
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<ReadResult> {
  const { readInputs } = await import('../logs/index.js');
  const records: LogRecord[] = [];
  const malformed: MalformedRecord[] = [];
  for await (const item of readInputs(inputs, { stdin, deniedOnly: true })) {
    if (item.kind === 'record') records.push(item.record);
    else malformed.push(item.malformed);
  }
  return { records, malformed };
}

/** Reads records from pasted text (a log line, an event, an error message). */
export async function readPasted(text: string, source = '(pasted)'): Promise<ReadResult> {
  const { readText } = await import('../logs/index.js');
  const records: LogRecord[] = [];
  const malformed: MalformedRecord[] = [];
  for (const item of readText(text, source)) {
    if (item.kind === 'record') records.push(item.record);
    else malformed.push(item.malformed);
  }
  return { records, malformed };
}

/** A request described by its parts (the assistant's "describe it", or diagnose's --principal/--operation/--bucket/--key). */
export interface DescribedRequest {
  principal?: string;
  operation?: string;
  bucket?: string;
  key?: string;
}

/** Turns a described request into a record the engine reads like any log record. */
export function describedRecord(d: DescribedRequest): LogRecord {
  const anonymous = !d.principal || d.principal === 'anonymous' || d.principal === '-';
  return {
    input: { source: '(described)' },
    format: 'unknown',
    ...(anonymous ? {} : { requester: d.principal }),
    ...(d.operation ? { apiName: d.operation.replace(/^s3:/, '') } : {}),
    ...(d.bucket ? { bucket: d.bucket } : {}),
    ...(d.key ? { key: d.key } : {}),
    httpStatus: 403,
    errorCode: 'AccessDenied',
  };
}

/** The S3 requests behind records (for live collection). */
export async function toRequests(records: LogRecord[], evidence?: Evidence): Promise<S3Request[]> {
  const { toS3Request } = await import('../request/index.js');
  const hints = hintsFrom(evidence);
  return records.map((r) => toS3Request(r, hints));
}

/**
 * Diagnoses each record. With answers (`--https`, `--via-vpce`, `--request-payer` or the
 * assistant's), the request is changed accordingly before evaluation; "I don't know" leaves it as is.
 */
export async function diagnoseRecords(
  records: LogRecord[],
  source: EvidenceSource,
  answers: AnswerOptions = {},
): Promise<Result[]> {
  const engine = await import('../engine/index.js');
  const hints = hintsFrom(source.evidence);
  const evidenceKind = source.kind === 'none' ? undefined : source.kind;
  const opts = { ...(evidenceKind ? { evidenceKind } : {}), hints };
  if (!hasAnswers(answers)) return records.map((r) => engine.diagnose(r, source.evidence, opts));
  const { toS3Request } = await import('../request/index.js');
  const { applyRequestChange } = await import('../fix/index.js');
  const change = answersToChange(answers, (id) => source.evidence?.vpcEndpoints[id]?.vpcId);
  return records.map((r) => {
    const base = toS3Request(r, hints);
    // The record still names the input and feeds the record-based rules; the request carries the answers.
    return engine.diagnose(r, source.evidence, {
      ...opts,
      request: change ? applyRequestChange(base, change) : base,
    });
  });
}

/** A Report from results and skipped entries. */
export function toReport(results: Result[], malformed: MalformedRecord[]): Report {
  return { schemaVersion: 1, results, ...(malformed.length ? { malformed } : {}) };
}
