// Diagnoses each distinct request once: records that differ only in per-line facts (time, request ids, sizes) share one verdict.

import type { Evidence } from '../model/evidence.js';
import type { LogRecord } from '../model/input.js';
import type { Result, ResultRequest } from '../model/report.js';
import { isoSeconds, timeMs } from '../request/context.js';

/**
 * Record fields that name one line and never reach the verdict: ids, sizes, timings. The key keeps
 * only whether each is there (the request builder reads the presence of `hostId`).
 */
const PER_LINE = [
  'requestId',
  'hostId',
  'bytesSent',
  'objectSize',
  'totalTimeMs',
  'turnAroundTimeMs',
] as const;

/**
 * What in evidence makes the time of a request matter: date conditions and time keys in a policy,
 * an object's retention date. Condition operators and keys are matched case-insensitively.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
 */
const TIME_IN_EVIDENCE =
  /"[^"]*Date(?:Not)?(?:Equals|LessThan|GreaterThan)|aws:CurrentTime|aws:EpochTime|aws:TokenIssueTime|aws:MultiFactorAuthAge|s3:signatureAge|RetainUntilDate/i;

/** Query parameters of a presigned URL: its expiry is judged against the request time. */
const PRESIGNED = /^(?:x-amz-(?:date|expires|signature|credential|algorithm)|expires|signature)$/i;

/** Whether anything in the evidence could make two requests that differ only in time get different verdicts. */
export function evidenceReadsTime(evidence: Evidence | undefined): boolean {
  return evidence !== undefined && TIME_IN_EVIDENCE.test(JSON.stringify(evidence));
}

/** Options of {@link memoDiagnose}. */
export interface MemoOptions {
  /** Distinct requests remembered (oldest forgotten first); bounds memory. Default 2,048. */
  capacity?: number;
}

/** A diagnose function that remembers verdicts, with what it saw. */
export interface MemoDiagnose {
  (record: LogRecord): Result;
  /** Records diagnosed, and how many were answered from memory. */
  readonly stats: { records: number; hits: number };
}

/** The result for `record` from one made for a record that differs only in per-line facts. */
function reuse(cached: Result, record: LogRecord): Result {
  const request: ResultRequest = { ...cached.request };
  const ms = timeMs(record.time);
  if (record.time !== undefined && request.time !== undefined) request.time = record.time;
  if (ms !== undefined) {
    // The only context the request builder takes from the time (request/to-s3-request.ts fillTime).
    const context = { ...request.context };
    if (context['aws:CurrentTime'] !== undefined) context['aws:CurrentTime'] = isoSeconds(ms);
    if (context['aws:EpochTime'] !== undefined) context['aws:EpochTime'] = String(Math.floor(ms / 1000));
    request.context = context;
  }
  return { ...cached, input: record.input, request };
}

/**
 * Wraps `diagnose` (a pure function of the record for one run: same evidence, hints and answers)
 * so that each distinct request is diagnosed once. Two records are the same request when every
 * field but the per-line ones (input, ids, sizes, timings) is equal; the time is left out too
 * unless it can change the verdict: the evidence reads time (see {@link evidenceReadsTime}), the
 * request is a presigned URL, or the verdict itself mentions the time (a denial the evidence does
 * not reproduce is explained against the request time).
 */
export function memoDiagnose(
  diagnose: (record: LogRecord) => Result,
  evidence: Evidence | undefined,
  opts: MemoOptions = {},
): MemoDiagnose {
  const capacity = opts.capacity ?? 2048;
  const timeMatters = evidenceReadsTime(evidence);
  // A key whose verdict turned out to read the time maps to `exact`: its records are keyed with their time.
  const memo = new Map<string, Result | 'exact'>();
  const stats = { records: 0, hits: 0 };
  const remember = (key: string, value: Result | 'exact'): void => {
    if (memo.size >= capacity) memo.delete(memo.keys().next().value!);
    memo.set(key, value);
  };
  const fn = (record: LogRecord): Result => {
    stats.records += 1;
    const shape: Record<string, unknown> = { ...record, input: undefined };
    for (const f of PER_LINE) if (record[f] !== undefined) shape[f] = 1;
    const exactTime =
      timeMatters ||
      Object.keys(record.query ?? {}).some((k) => PRESIGNED.test(k)) ||
      record.time === undefined;
    shape['time'] = exactTime ? record.time : timeMs(record.time) === undefined ? 'unreadable' : 1;
    const key = JSON.stringify(shape);
    const timed = `${key}\u0000${record.time}`;
    let hit = memo.get(key);
    if (hit === 'exact') hit = memo.get(timed);
    if (hit !== undefined && hit !== 'exact') {
      stats.hits += 1;
      return reuse(hit, record);
    }
    const result = diagnose(record);
    if (!exactTime && result.notReproducedBecause !== undefined) {
      remember(key, 'exact');
      remember(timed, result);
    } else remember(key, result);
    return result;
  };
  return Object.assign(fn, { stats });
}
