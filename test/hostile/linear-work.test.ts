// Work-bounded properties: for generated hostile keys, user agents and patterns up to their AWS maximum lengths,
// wildcard matching (resources, actions, StringLike, ArnLike) and parsing (access log, CloudTrail, error text) do
// linear work. Work is counted (characters examined), never timed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, compilePolicy, validatePolicy } from '../../src/iam/index.js';
import { compileArnPattern, compileGlob, wildcardWork } from '../../src/iam/wildcard.js';
import { parseAccessLogLine } from '../../src/logs/access-log.js';
import { cloudTrailEventToRecord } from '../../src/logs/cloudtrail.js';
import { parseErrorText } from '../../src/logs/error-text.js';
import type { PolicyDocument } from '../../src/model/policy.js';
import type { AuthzRequest } from '../../src/model/request.js';
import { countWork, fill } from './work.js';

/** S3 object keys are at most 1,024 bytes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html). */
const MAX_KEY = 1024;

// Characters that make matchers and parsers work hardest: wildcard and ARN punctuation, separators, quotes,
// escapes, percent signs, control characters and the literals the error-text patterns anchor on.
const hostileChar = fc.constantFrom(
  'a',
  'b',
  'x',
  '/',
  ':',
  '.',
  '*',
  '?',
  ' ',
  '"',
  '[',
  ']',
  '%',
  '\\',
  '\n',
  '\t',
  '\u001b',
  '$',
  '(',
  ')',
  ';',
  '<',
);
const hostileUnit = fc.oneof(
  fc.array(hostileChar, { minLength: 1, maxLength: 12 }).map((a) => a.join('')),
  fc.constantFrom(
    'Exception: ',
    'xException',
    '(Service: ',
    'An error occurred (',
    'Amazon.S3.',
    '<Error>',
    '"$metadata": {',
    'operation error ',
    'AccessDenied: ',
    ' at de_',
    '%25',
    '%2F',
    'X-Amz-Signature=',
    '*a',
    'a/',
  ),
);

/** The ratio of work at 4n to work at n for a repeated unit: about 4 when linear, about 16 when quadratic. */
function growth(work: (n: number) => number, n: number): { small: number; big: number; ratio: number } {
  const small = work(n);
  const big = work(4 * n);
  return { small, big, ratio: big / Math.max(1, small) };
}

const allow = (condition: Record<string, Record<string, string>>): PolicyDocument => {
  const v = validatePolicy(
    {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: condition }],
    },
    'p',
  );
  if (!v.document) throw new Error(JSON.stringify(v.problems));
  return v.document as PolicyDocument;
};

const request = (context: Record<string, string>): AuthzRequest => ({
  principal: {
    kind: 'iam-user',
    arn: 'arn:aws:iam::111122223333:user/alice',
    accountId: '111122223333',
    name: 'alice',
  },
  action: 's3:GetObject',
  resource: 'arn:aws:s3:::b/k',
  context,
  unknownKeys: [],
  need: 'required',
});

/**
 * Whole repetitions of `unit` for a key of about `n` characters: the x4 key then ends like the x1 key, so an
 * early rejection on the suffix happens at both sizes or at neither, and the ratio compares like with like.
 */
const reps = (n: number, unit: string): number => Math.max(1, Math.floor(n / unit.length));

/**
 * The repetitions compared: about `n` characters, and never fewer than 8 times the pattern's length. A star
 * tries only the offsets that leave room for the rest of the pattern, so work is about c x (key - pattern):
 * near the pattern's length the x4 key does far more than 4 times the work of a key that leaves almost no
 * offset to try (`*aaa?aaa*` on `:` x1 and x4, found by FC_SEED=3 and 226900410), while from 8 pattern
 * lengths on the ratio (32 - 1) / (8 - 1) stays under 4.5 as linear work must.
 */
const compared = (n: number, unit: string, patternLength: number): number =>
  Math.max(reps(n, unit), Math.ceil((8 * patternLength) / unit.length));

describe('wildcard matching does linear work in the key', () => {
  const patternChar = fc.constantFrom('a', 'b', '/', '*', '?', '.', ':');
  const pattern = (max: number) => fc.array(patternChar, { maxLength: max }).map((a) => a.join(''));

  /** Characters examined by `m` on `s`. */
  const cost = (m: (s: string) => boolean, s: string): number => {
    const before = wildcardWork();
    m(s);
    return wildcardWork() - before;
  };

  it('resources and actions: work <= 2 x (key + 1) x (pattern + 1), and x4 key is at most x4.5 work', () => {
    fc.assert(
      fc.property(pattern(128), fc.integer({ min: 1, max: MAX_KEY / 4 }), hostileUnit, (p, n, unit) => {
        const arnPattern = `arn:aws:s3:::b/${p}`;
        const arn = compileArnPattern([{ t: 'text', s: arnPattern }]);
        const action = compileGlob([{ t: 'text', s: `s3:${p}` }], true);
        for (const [m, prefix, plen] of [
          [arn, 'arn:aws:s3:::b/', arnPattern.length],
          [action, 's3:', p.length + 3],
        ] as const) {
          const at = (k: number) => cost(m, prefix + unit.repeat(k));
          const k = compared(n, unit, plen);
          const g = growth(at, k);
          const bigKey = prefix.length + 4 * k * unit.length;
          expect(g.big).toBeLessThanOrEqual(2 * (bigKey + unit.length + 1) * (plen + 1));
          expect(g.big).toBeLessThanOrEqual(4.5 * g.small + 4 * (plen + prefix.length + 2));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('StringLike and ArnLike conditions on a 1,024-byte attacker-chosen value: the same bound through the policy engine', () => {
    fc.assert(
      fc.property(pattern(128), fc.integer({ min: 1, max: MAX_KEY / 4 }), hostileUnit, (p, n, unit) => {
        const docs = {
          like: compilePolicy(allow({ StringLike: { 'aws:UserAgent': p } }), {
            type: 'identity-policy',
            id: 'p',
          }),
          arn: compilePolicy(allow({ ArnLike: { 'aws:SourceArn': `arn:aws:s3:::b/${p}` } }), {
            type: 'identity-policy',
            id: 'p',
          }),
        };
        const at = (k: number, which: 'like' | 'arn'): number => {
          const value = which === 'like' ? unit.repeat(k) : `arn:aws:s3:::b/${unit.repeat(k)}`;
          const before = wildcardWork();
          evaluatePolicy(
            docs[which],
            request(which === 'like' ? { 'aws:UserAgent': value } : { 'aws:SourceArn': value }),
          );
          return wildcardWork() - before;
        };
        for (const which of ['like', 'arn'] as const) {
          const plen = p.length + 16;
          const k = compared(n, unit, plen);
          const g = growth((x) => at(x, which), k);
          expect(g.big).toBeLessThanOrEqual(2 * (4 * k * unit.length + unit.length + 17) * (plen + 1));
          expect(g.big).toBeLessThanOrEqual(4.5 * g.small + 4 * (plen + 18));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('the issue repros cost a few passes over a maximal key: b/*/*/*/*/*/*.csv, (*a)x64 b, and the worst generated pattern', () => {
    const key = 'a/'.repeat(3) + 'a'.repeat(MAX_KEY - 6);
    const cases: [(s: string) => boolean, string, number][] = [
      [compileArnPattern([{ t: 'text', s: 'arn:aws:s3:::b/*/*/*/*/*/*.csv' }]), `arn:aws:s3:::b/${key}`, 6],
      [compileGlob([{ t: 'text', s: '*a'.repeat(64) + 'b' }], false), 'a'.repeat(MAX_KEY), 4],
      [compileGlob([{ t: 'text', s: 's3:*a*a*a*a*a*a*a*a*a*b' }], true), 's3:' + 'a'.repeat(MAX_KEY), 4],
    ];
    for (const [m, s, passes] of cases) expect(cost(m, s)).toBeLessThanOrEqual(passes * s.length);
    const like = compilePolicy(allow({ StringLike: { 'aws:UserAgent': '*a'.repeat(64) + 'b' } }), {
      type: 'identity-policy',
      id: 'p',
    });
    const before = wildcardWork();
    const r = evaluatePolicy(like, request({ 'aws:UserAgent': 'a'.repeat(MAX_KEY) }));
    const spent = wildcardWork() - before;
    expect(r.allow).toBe('false');
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(4 * MAX_KEY);
  });
});

describe('the work counter', () => {
  it('sees a quadratic rescan (one search to the end of the input per position) as about x16 for x4 input', () => {
    const rescan = (s: string) => {
      let found = 0;
      for (let i = 0; i < s.length; i++) if (s.indexOf('Exception: ', i) >= 0) found++;
      return found;
    };
    const g = growth((k) => countWork(() => rescan(fill('x', k))).work, 512);
    expect(g.ratio).toBeGreaterThan(12);
    const once = growth((k) => countWork(() => /Exception: /g.exec(fill('x', k))).work, 512);
    expect(once.ratio).toBeLessThan(4.1);
  });
});

describe('parsers do linear work in their input', () => {
  const line = (key: string, ua: string, referrer: string): string =>
    [
      '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be b [06/Feb/2026:00:00:38 +0000] 192.0.2.3',
      'arn:aws:sts::111122223333:assumed-role/app/s1',
      `3E57427F3EXAMPLE REST.GET.OBJECT ${encodeURIComponent(key)} "GET /b/${encodeURIComponent(key)}?x=${encodeURIComponent(referrer)} HTTP/1.1" 403 AccessDenied 243 - 42 -`,
      `"${referrer.replace(/"/g, '\\"')}" "${ua.replace(/"/g, '\\"')}" - hostid= SigV4 - AuthHeader b.s3.amazonaws.com TLSv1.2 - -`,
    ].join(' ');

  it('an access-log line with a 1,024-byte key and long user agent and referrer: x4 fields is at most x4.5 work, and work <= 64 x line', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: MAX_KEY / 4 }),
        hostileUnit,
        hostileUnit,
        (n, keyUnit, uaUnit) => {
          const at = (k: number) => {
            const l = line(fill(keyUnit, k), fill(uaUnit, 2 * k), fill(uaUnit, k));
            const w = countWork(() => parseAccessLogLine(l, 'x', 1)).work;
            expect(w).toBeLessThanOrEqual(64 * l.length);
            return w;
          };
          const g = growth(at, n);
          expect(g.ratio).toBeLessThanOrEqual(4.5);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a CloudTrail event with hostile key, user agent, session name and error message: x4 fields is at most x4.5 work', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: MAX_KEY / 4 }),
        hostileUnit,
        hostileUnit,
        (n, keyUnit, uaUnit) => {
          const at = (k: number) => {
            const key = fill(keyUnit, k);
            const ev = {
              eventVersion: '1.10',
              userIdentity: {
                type: 'AssumedRole',
                arn: `arn:aws:sts::111122223333:assumed-role/app/${fill(uaUnit, Math.min(k, 64))}`,
                accountId: '111122223333',
              },
              eventTime: '2026-11-24T09:14:02Z',
              eventSource: 's3.amazonaws.com',
              eventName: 'GetObject',
              awsRegion: 'us-east-1',
              sourceIPAddress: '198.51.100.20',
              userAgent: fill(uaUnit, 2 * k),
              errorCode: 'AccessDenied',
              errorMessage: `User: arn:aws:sts::111122223333:assumed-role/app/s is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/${key}" because ${fill(uaUnit, k)}`,
              requestParameters: { bucketName: 'b', key, Host: 'b.s3.us-east-1.amazonaws.com' },
              resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::b/${key}` }],
              eventID: 'e',
              requestID: 'r',
            };
            const size = JSON.stringify(ev).length;
            const w = countWork(() => cloudTrailEventToRecord(ev, { source: 'x' }, 'cloudtrail-event')).work;
            expect(w).toBeLessThanOrEqual(64 * size);
            return w;
          };
          expect(growth(at, n).ratio).toBeLessThanOrEqual(4.5);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('pasted error text of one hostile unit repeated to 64 KiB: x4 text is at most x4.5 work, and work <= 64 x text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024, max: 16 * 1024 }), hostileUnit, (n, unit) => {
        const at = (k: number) => {
          const text = fill(unit, k);
          const w = countWork(() => parseErrorText(text, 'x')).work;
          expect(w).toBeLessThanOrEqual(64 * text.length);
          return w;
        };
        expect(growth(at, n).ratio).toBeLessThanOrEqual(4.5);
      }),
      { numRuns: 40 },
    );
  });
});
