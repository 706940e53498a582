// Group tables past their limit (Space-Saving): every stated bound holds, a late heavy principal stays listed, and below the limit counts are exact.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/model/index.js';
import { TriageGrouper, toTriageGroup } from '../../src/triage/index.js';

function rec(i: number, requester: string): LogRecord {
  return {
    input: { source: 'a.log', line: i + 1 },
    format: 's3-access-log',
    time: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
    bucket: 'b1',
    key: 'finance/q3.csv',
    apiName: 'GetObject',
    requester,
    httpStatus: 403,
    errorCode: 'AccessDenied',
  };
}

const user = (n: number): string => `arn:aws:iam::111122223333:user/u-${n}`;

/** Feeds `keys` (one record per entry, principal `user(k)`) to a table holding at most `max` groups. */
function table(keys: readonly number[], max: number, from = 0): TriageGrouper {
  const g = new TriageGrouper(undefined, max);
  keys.forEach((k, i) => g.add(rec(from + i, user(k))));
  return g;
}

/** Asserts every bound the table states against the true counts of `keys`. */
function expectBoundsHold(g: TriageGrouper, keys: readonly number[], max: number): void {
  const truth = new Map<string, number>();
  for (const k of keys) truth.set(user(k), (truth.get(user(k)) ?? 0) + 1);
  const b = g.bounds();
  const groups = g.ranked();
  expect(groups.length).toBeLessThanOrEqual(max);
  // The counts still add up to the denials.
  expect(groups.reduce((s, x) => s + x.count, 0)).toBe(keys.length);
  const listed = new Set<string>();
  for (const x of groups) {
    listed.add(x.principal);
    const t = truth.get(x.principal) ?? 0;
    expect(x.count - x.countError).toBeLessThanOrEqual(t);
    expect(t).toBeLessThanOrEqual(x.count + b.undercountMax);
  }
  for (const [p, t] of truth) if (!listed.has(p)) expect(t).toBeLessThanOrEqual(b.unlistedMax);
}

describe('TriageGrouper past its group limit (Space-Saving)', () => {
  it('a principal that starts late, after the table is full, is listed with a count within its stated bound', () => {
    const max = 100;
    // 1,000 distinct principals once each, then a late prober 40 times among 500 more one-off principals.
    const keys: number[] = Array.from({ length: 1000 }, (_, i) => i);
    for (let i = 0; i < 500; i++) keys.push(1000 + i, ...(i % 12 === 0 ? [99_999] : []));
    const late = keys.filter((k) => k === 99_999).length;
    const g = table(keys, max);
    expectBoundsHold(g, keys, max);
    const top = toTriageGroup(g.ranked()[0]!);
    expect(top.principal).toBe(user(99_999));
    expect(top.count - (top.countError ?? 0)).toBeLessThanOrEqual(late);
    expect(top.count).toBeGreaterThanOrEqual(late);
    const b = g.bounds();
    expect(b).toMatchObject({ maxGroups: max, undercountMax: 0 });
    expect(b.evictions).toBeGreaterThan(0);
    // Heavy-hitter guarantee: nothing unlisted had more than denials / groups.
    expect(b.unlistedMax).toBeLessThanOrEqual(Math.floor(keys.length / max));
  });

  it('below the limit every count is exact: no countError, no bounds', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => (i * 7) % 100);
    const g = table(keys, 100);
    expect(g.bounds()).toEqual({ maxGroups: 100, evictions: 0, unlistedMax: 0, undercountMax: 0 });
    for (const x of g.ranked().map(toTriageGroup)) {
      expect(x.count).toBe(30);
      expect(x).not.toHaveProperty('countError');
    }
  });

  it('the bounds hold for any stream, in one pass and for unit tables merged (units over their own limit too)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.nat(5), fc.nat(60)), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 24 }),
        fc.nat(),
        (keys, max, unitMax, cut) => {
          expectBoundsHold(table(keys, max), keys, max);
          const at = cut % (keys.length + 1);
          const merged = new TriageGrouper(undefined, max);
          merged.merge(table(keys.slice(0, at), unitMax).state());
          merged.merge(table(keys.slice(at), unitMax, at).state());
          expectBoundsHold(merged, keys, max);
        },
      ),
      { numRuns: 200 },
    );
  });
});
