// Turns JSON values found in an input (CloudTrail records, lookup-events, SDK error objects) into read items.

import type { InputFormat, InputSource, LogRecord, ReadItem, SessionGrant } from '../model/input.js';
import {
  cloudTrailEventToRecord,
  isCloudTrailEvent,
  isDigest,
  isLookupEvent,
  isRelevantSource,
  lookupEventToRecord,
} from './cloudtrail.js';
import { mayHoldAwsError, parseErrorText } from './error-text.js';
import type { JsonItem } from './json-scanner.js';
import { sessionGrantOf } from './sts-events.js';

/** Items plus whether the value was something s3doctor understood (even if it held no records). */
export interface Classified {
  items: ReadItem[];
  understood: boolean;
  /** Events of other services skipped (not S3, S3 Express or KMS). */
  otherServices: number;
  /** When given, the sessions that STS AssumeRole* events among them created (their session policies). */
  grants?: SessionGrant[];
}

function malformed(source: string, line: number | undefined, reason: string): ReadItem {
  return { kind: 'malformed', malformed: line === undefined ? { source, reason } : { source, line, reason } };
}

function rec(record: LogRecord): ReadItem {
  return { kind: 'record', record };
}

/** Whether a JSON object is an SDK error object (JS v3 `$metadata`, boto3 `Error`, an XML-like `Code`). */
function isErrorObject(x: Record<string, unknown>): boolean {
  return (
    '$metadata' in x ||
    '$fault' in x ||
    ('Error' in x && typeof x.Error === 'object') ||
    (typeof x.Code === 'string' && ('Message' in x || 'RequestId' in x)) ||
    (typeof x.name === 'string' && typeof x.message === 'string' && ('RequestId' in x || 'requestId' in x))
  );
}

/** One CloudTrail event, or a lookup-events element, or an SDK error object, as items. */
function classifyValue(
  v: unknown,
  text: string,
  source: string,
  line: number,
  format: InputFormat,
  out: Classified,
  index?: number,
): void {
  const input: InputSource = index === undefined ? { source, line } : { source, line, index };
  if (isLookupEvent(v)) {
    try {
      const r = lookupEventToRecord(v, input);
      if (r.eventSource && !isRelevantSource({ eventSource: r.eventSource })) out.otherServices++;
      else out.items.push(rec(r));
      out.understood = true;
    } catch (e) {
      const id = typeof v.EventId === 'string' ? ` (event ${v.EventId})` : '';
      out.items.push(malformed(source, line, `${(e as Error).message}${id}`));
    }
    return;
  }
  if (isCloudTrailEvent(v)) {
    out.understood = true;
    if (!isRelevantSource(v)) {
      out.otherServices++;
      if (out.grants) {
        const grant = sessionGrantOf(v, input);
        if (grant) out.grants.push(grant);
      }
      return;
    }
    out.items.push(rec(cloudTrailEventToRecord(v, input, format)));
    return;
  }
  if (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    isErrorObject(v as Record<string, unknown>)
  ) {
    const recs = parseErrorText(text, source, { firstLine: line });
    if (recs.length > 0) {
      out.understood = true;
      for (const r of recs) out.items.push(rec(r));
      return;
    }
  }
  // Structured application logs (`{"level":"error","msg":"An error occurred (AccessDenied) ..."}`): search the strings.
  const strings = stringLeaves(v, 0, []);
  const text2 = strings.filter(mayHoldAwsError).join('\n');
  if (text2 !== '') {
    const recs = parseErrorText(text2, source, { firstLine: line }).map((r) => ({
      ...r,
      input: { source, line },
    }));
    if (recs.length > 0) {
      out.understood = true;
      for (const r of recs) out.items.push(rec(r));
      return;
    }
  }
  out.items.push(malformed(source, line, describeUnknown(v)));
}

/** String values of a JSON value (depth-limited), for error messages nested in structured logs. */
function stringLeaves(v: unknown, depth: number, acc: string[]): string[] {
  if (depth > 6 || acc.length > 200) return acc;
  if (typeof v === 'string') acc.push(v);
  else if (Array.isArray(v)) for (const x of v) stringLeaves(x, depth + 1, acc);
  else if (typeof v === 'object' && v !== null)
    for (const x of Object.values(v)) stringLeaves(x, depth + 1, acc);
  return acc;
}

function describeUnknown(v: unknown): string {
  if (Array.isArray(v)) return 'JSON array element is an array, not a CloudTrail event';
  if (typeof v !== 'object' || v === null)
    return `JSON value ${JSON.stringify(v)?.slice(0, 40)} is not a CloudTrail event`;
  const keys = Object.keys(v).slice(0, 5).join(', ');
  return `JSON object (keys: ${keys}) is not a CloudTrail event, lookup-events output or AWS error`;
}

/**
 * Handles one item of the JSON splitter: parses it and maps it. `Records` elements and
 * top-level array elements are CloudTrail records (or lookup-events elements); `Events`
 * elements are lookup-events elements; a whole top-level object is a single event, a digest
 * (skipped), a container whose arrays were streamed, or an SDK error object.
 */
export function classifyJsonItem(item: JsonItem, source: string, out: Classified): void {
  if (item.type === 'error') {
    out.items.push(malformed(source, item.line, `invalid JSON: ${item.reason}`));
    return;
  }
  if (item.type === 'skipped') return;
  let v: unknown;
  try {
    v = JSON.parse(item.text);
  } catch (e) {
    const what = item.type === 'root' ? 'JSON object' : `element of "${item.container}"`;
    out.items.push(malformed(source, item.line, `${what} is not valid JSON: ${(e as Error).message}`));
    return;
  }
  if (item.type === 'root') {
    if (item.streamed.length > 0) {
      out.understood = true;
      return;
    }
    if (isDigest(v)) {
      out.understood = true;
      return;
    }
    const records = (v as { Records?: unknown }).Records;
    if (Array.isArray(records)) {
      out.understood = true;
      return;
    }
    classifyValue(v, item.text, source, item.line, 'cloudtrail-event', out);
    return;
  }
  if (item.container === 'events' || item.container === 'results') {
    classifyCloudWatchItem(v, item, source, out);
    return;
  }
  const format: InputFormat = item.container === 'Events' ? 'cloudtrail-lookup-events' : 'cloudtrail-records';
  if (item.container === 'Events' && !isLookupEvent(v) && isCloudTrailEvent(v)) {
    classifyValue(v, item.text, source, item.line, 'cloudtrail-records', out, item.index);
    return;
  }
  classifyValue(v, item.text, source, item.line, format, out, item.index);
}

/**
 * A CloudTrail delivery file parsed whole (one JSON.parse instead of the splitter): each element of its
 * `Records` array as `classifyJsonItem` would classify it, or false when an element is not an event
 * (the caller then reads the file through the splitter, which words every other case).
 * `keep(v)` says whether the element is read (triage skips events that name no error code).
 */
export function classifyRecordsArray(
  records: readonly unknown[],
  source: string,
  line: number,
  out: Classified,
  keep: (v: Record<string, unknown>) => boolean,
): { read: number; skipped: number } | false {
  for (const v of records) if (!isLookupEvent(v) && !isCloudTrailEvent(v)) return false;
  let read = 0;
  records.forEach((v, i) => {
    if (!keep(v as Record<string, unknown>)) return;
    read++;
    classifyValue(v, '', source, line, 'cloudtrail-records', out, i + 1);
  });
  return { read, skipped: records.length - read };
}

/*
 * CloudWatch Logs output on a CloudTrail log group. `aws logs filter-log-events`:
 * {"events": [{"logStreamName", "timestamp", "message", "ingestionTime", "eventId"}], "searchedLogStreams", "nextToken"},
 * each message one CloudTrail event as JSON text
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html ,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilteredLogEvent.html).
 * `aws logs get-query-results` (Logs Insights): {"results": [[{"field", "value"}, ...], ...], "statistics", "status"},
 * with the whole event in `@message` when the query returns it
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetQueryResults.html ,
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_ResultField.html ,
 * CloudTrail to CloudWatch Logs: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html).
 */

type JsonElement = Extract<JsonItem, { type: 'element' }>;

/** Rebuilds an object from Logs Insights dotted field names (`userIdentity.arn`); `@` fields are left out. */
function unflatten(fields: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('@')) continue;
    const parts = name.split('.');
    if (parts.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype'))
      continue;
    let at = out;
    for (const p of parts.slice(0, -1)) {
      const next = at[p];
      if (typeof next === 'object' && next !== null) at = next as Record<string, unknown>;
      else {
        const o: Record<string, unknown> = {};
        at[p] = o;
        at = o;
      }
    }
    at[parts[parts.length - 1]!] = value;
  }
  return out;
}

/** One `filter-log-events` event or one Logs Insights result row, as items. */
function classifyCloudWatchItem(v: unknown, item: JsonElement, source: string, out: Classified): void {
  const insights = item.container === 'results';
  const format: InputFormat = insights ? 'cloudwatch-logs-insights' : 'cloudwatch-logs-events';
  let message: string | undefined;
  let fallback: Record<string, unknown> | undefined;
  if (insights && Array.isArray(v)) {
    const fields: Record<string, string> = {};
    for (const f of v)
      if (typeof f === 'object' && f !== null && typeof (f as { field?: unknown }).field === 'string') {
        const { field, value } = f as { field: string; value?: unknown };
        if (typeof value === 'string') fields[field] = value;
      }
    message = fields['@message'];
    // A query that lists fields (`fields eventName, errorCode, userIdentity.arn`) instead of @message.
    if (message === undefined) fallback = unflatten(fields);
  } else if (!insights && typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const m = (v as { message?: unknown }).message;
    if (typeof m === 'string') message = m;
  }
  if (message === undefined && fallback === undefined) {
    classifyValue(v, item.text, source, item.line, format, out, item.index);
    return;
  }
  let event: unknown = fallback;
  if (message !== undefined) {
    try {
      event = JSON.parse(message);
    } catch {
      // Not JSON: a plain log message (an application's error text, for example); searched as text below.
      event = undefined;
    }
  }
  if (event !== undefined && (isCloudTrailEvent(event) || isLookupEvent(event))) {
    classifyValue(event, message ?? item.text, source, item.line, format, out, item.index);
    return;
  }
  if (message !== undefined) {
    classifyValue({ message }, message, source, item.line, format, out, item.index);
    return;
  }
  const what = insights ? 'Logs Insights result row' : 'CloudWatch Logs event';
  out.items.push(
    malformed(source, item.line, `${what} has no CloudTrail event (return @message in the query)`),
  );
}
