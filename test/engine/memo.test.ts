// Unit tests of the diagnose memo: one diagnosis per distinct request, the time kept exact wherever it can change the verdict.

import { describe, expect, it } from 'vitest';
import { evidenceReadsTime, memoDiagnose } from '../../src/engine/memo.js';
import type { Evidence, LogRecord, Result } from '../../src/model/index.js';

function record(time: string, extra: Partial<LogRecord> = {}): LogRecord {
  return {
    input: { source: 'a.log', line: 1 },
    format: 's3-access-log',
    time,
    bucket: 'b',
    key: 'k',
    requester: 'arn:aws:iam::111122223333:user/u',
    requestId: `R${time}`,
    httpStatus: 403,
    errorCode: 'AccessDenied',
    ...extra,
  };
}

/** A stand-in for the engine: the request time in the result and its context, and a count of calls. */
function fake(notReproduced = false): { calls: number; fn: (r: LogRecord) => Result } {
  const s = { calls: 0, fn: (_: LogRecord): Result => ({}) as Result };
  s.fn = (r) => {
    s.calls += 1;
    const ms = Date.parse(r.time!);
    return {
      input: r.input,
      request: {
        principal: r.requester!,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        context: {
          'aws:CurrentTime': new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          'aws:EpochTime': String(Math.floor(ms / 1000)),
        },
        time: r.time!,
      },
      decision: 'ImplicitDeny',
      reproduced: !notReproduced,
      causes: [],
      unknowns: [],
      evidence: 'snapshot',
      ...(notReproduced ? { notReproducedBecause: [`at ${r.time}`] } : {}),
    };
  };
  return s;
}

const EMPTY = { principals: {}, accounts: {}, buckets: {} } as unknown as Evidence;

describe('memoDiagnose', () => {
  it('diagnoses a request once, and gives each record its own input, time and time context', () => {
    const f = fake();
    const d = memoDiagnose(f.fn, EMPTY);
    const a = d(record('2026-11-24T10:00:00Z'));
    const b = d(record('2026-11-24T11:30:05Z', { input: { source: 'a.log', line: 2 } }));
    expect(f.calls).toBe(1);
    expect(d.stats).toEqual({ records: 2, hits: 1 });
    expect(a.request.time).toBe('2026-11-24T10:00:00Z');
    expect(b.input.line).toBe(2);
    expect(b.request.time).toBe('2026-11-24T11:30:05Z');
    expect(b.request.context).toEqual({
      'aws:CurrentTime': '2026-11-24T11:30:05Z',
      'aws:EpochTime': '1795519805',
    });
    expect(a.request.context['aws:CurrentTime']).toBe('2026-11-24T10:00:00Z');
  });

  it('diagnoses again when anything but per-line facts differs', () => {
    const f = fake();
    const d = memoDiagnose(f.fn, EMPTY);
    d(record('2026-11-24T10:00:00Z'));
    d(record('2026-11-24T10:00:00Z', { key: 'other' }));
    d(record('2026-11-24T10:00:00Z', { errorCode: 'SignatureDoesNotMatch' }));
    d(record('2026-11-24T10:00:00Z', { sourceIp: '198.51.100.1' }));
    expect(f.calls).toBe(4);
  });

  it('keeps the time exact when the evidence has a date condition', () => {
    const ev = {
      ...EMPTY,
      buckets: {
        b: { policy: { Statement: [{ Condition: { DateGreaterThan: { 'aws:currenttime': 'x' } } }] } },
      },
    } as unknown as Evidence;
    expect(evidenceReadsTime(ev)).toBe(true);
    expect(evidenceReadsTime(EMPTY)).toBe(false);
    const f = fake();
    const d = memoDiagnose(f.fn, ev);
    d(record('2026-11-24T10:00:00Z'));
    d(record('2026-11-24T11:00:00Z'));
    d(record('2026-11-24T11:00:00Z'));
    expect(f.calls).toBe(2);
  });

  it('keeps the time exact for a presigned URL and for a verdict that mentions the time', () => {
    const f = fake();
    const d = memoDiagnose(f.fn, EMPTY);
    const q = { query: { 'X-Amz-Expires': '60', 'X-Amz-Date': '20261124T100000Z' } };
    d(record('2026-11-24T10:00:00Z', q));
    d(record('2026-11-24T10:05:00Z', q));
    expect(f.calls).toBe(2);
    const g = fake(true);
    const e = memoDiagnose(g.fn, EMPTY);
    expect(e(record('2026-11-24T10:00:00Z')).notReproducedBecause).toEqual(['at 2026-11-24T10:00:00Z']);
    expect(e(record('2026-11-24T12:00:00Z')).notReproducedBecause).toEqual(['at 2026-11-24T12:00:00Z']);
    expect(e(record('2026-11-24T12:00:00Z')).notReproducedBecause).toEqual(['at 2026-11-24T12:00:00Z']);
    expect(g.calls).toBe(2);
  });

  it('forgets the oldest request beyond its capacity', () => {
    const f = fake();
    const d = memoDiagnose(f.fn, EMPTY, { capacity: 2 });
    for (const k of ['a', 'b', 'c', 'a']) d(record('2026-11-24T10:00:00Z', { key: k }));
    expect(f.calls).toBe(4);
  });
});
