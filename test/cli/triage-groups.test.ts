// Unit tests of triage grouping: keys, counts, first/last seen, ranking.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LogRecord } from '../../src/model/index.js';
import {
  TriageGrouper,
  groupKeyOf,
  keyPrefix,
  principalOf,
  toTriageGroup,
} from '../../src/cli/triage-groups.js';

function rec(over: Partial<LogRecord>, line = 1): LogRecord {
  return {
    input: { source: 'a.log', line },
    format: 's3-access-log',
    bucket: 'b',
    key: 'finance/q3.csv',
    apiName: 'GetObject',
    requester: 'arn:aws:iam::111122223333:user/alice',
    errorCode: 'AccessDenied',
    httpStatus: 403,
    ...over,
  };
}

describe('keyPrefix', () => {
  it('keeps the first path segment and its slash', () => {
    expect(keyPrefix('finance/2026/q3.csv')).toBe('finance/');
    expect(keyPrefix('top.csv')).toBe('');
    expect(keyPrefix(undefined)).toBe('');
    expect(keyPrefix('/lead')).toBe('/');
  });
});

describe('group keys', () => {
  it('names the principal, anonymous for none', () => {
    expect(principalOf(rec({ requester: '-' }))).toBe('anonymous');
    expect(principalOf(rec({ requester: undefined }))).toBe('anonymous');
    expect(
      principalOf(
        rec({
          enhanced: {
            principalArn: 'arn:x',
            action: 's3:GetObject',
            resource: 'r',
            policyType: 'p',
            kind: 'missing-allow',
          },
        }),
      ),
    ).toBe('arn:x');
  });
  it('uses the injected action lookup', () => {
    expect(groupKeyOf(rec({}), () => 's3:GetObjectVersion').action).toBe('s3:GetObjectVersion');
    expect(groupKeyOf(rec({})).action).toBe('s3:GetObject');
    expect(groupKeyOf(rec({ apiName: undefined, logOperation: 'REST.GET.OBJECT' })).action).toBe(
      'REST.GET.OBJECT',
    );
  });
});

describe('TriageGrouper', () => {
  it('groups identical denials, counts them, spans first/last seen and ranks by count', () => {
    const g = new TriageGrouper();
    g.add(rec({ time: '2026-11-02T00:00:00Z' }, 1));
    g.add(rec({ time: '2026-11-01T00:00:00Z', key: 'finance/other.csv' }, 2));
    g.add(rec({ time: '2026-11-03T00:00:00Z' }, 3));
    g.add(rec({ key: 'hr/x', time: '2026-11-05T00:00:00Z' }, 4));
    g.add(rec({ errorCode: 'ExpiredToken' }, 5));
    const ranked = g.ranked().map(toTriageGroup);
    expect(ranked.map((x) => x.count)).toEqual([3, 1, 1]);
    expect(ranked[0]).toMatchObject({
      keyPrefix: 'finance/',
      firstSeen: '2026-11-01T00:00:00Z',
      lastSeen: '2026-11-03T00:00:00Z',
      sample: { line: 1 },
    });
    expect(ranked[0]).not.toHaveProperty('sampleRecord');
    expect(g.total).toBe(5);
  });
  it('counts always add up to the records added (property)', () => {
    const arbRec = fc.record({
      bucket: fc.constantFrom('a', 'b'),
      key: fc.option(fc.constantFrom('x/1', 'x/2', 'y/1', 'top'), { nil: undefined }),
      requester: fc.constantFrom('-', 'arn:aws:iam::1:user/u'),
      errorCode: fc.constantFrom('AccessDenied', 'ExpiredToken'),
      time: fc.option(fc.constantFrom('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(arbRec, { maxLength: 60 }), (rows) => {
        const g = new TriageGrouper();
        rows.forEach((r, i) => g.add(rec(r as Partial<LogRecord>, i + 1)));
        const groups = g.ranked();
        expect(groups.reduce((n, x) => n + x.count, 0)).toBe(rows.length);
        for (let i = 1; i < groups.length; i++)
          expect(groups[i - 1]!.count).toBeGreaterThanOrEqual(groups[i]!.count);
      }),
    );
  });
});
