// Property tests: toS3Request never throws, and its output keeps its invariants, whatever the record holds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../src/model/input.js';
import { toS3Request } from '../../src/request/index.js';
import { OPERATIONS, parseArn } from '../../src/s3/index.js';

const logNames = OPERATIONS.flatMap((o) => o.logOperations);
const apiNames = OPERATIONS.map((o) => o.apiName);

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const text = fc.string({ maxLength: 40 });
const requesters = fc.oneof(
  text,
  fc.constantFrom(
    '-',
    'arn:aws:iam::111122223333:user/a',
    'arn:aws:sts::111122223333:assumed-role/r/s',
    'arn:aws:iam::111122223333:root',
    'svc:logging.s3.amazonaws.com',
    '7f3ac9e1d2b84f06a5e1c0d9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2918f7e6d5',
  ),
);

const record: fc.Arbitrary<LogRecord> = fc.record(
  {
    input: fc.constant({ source: 'prop' }),
    format: fc.constantFrom(
      's3-access-log' as const,
      'cloudtrail-event' as const,
      'error-message' as const,
      'access-log-athena-csv' as const,
    ),
    time: maybe(fc.oneof(text, fc.constant('2026-11-24T09:14:02Z'))),
    bucket: maybe(fc.oneof(text, fc.constant('arn:aws:s3:us-east-1:111122223333:accesspoint/ap1'))),
    key: maybe(text),
    versionId: maybe(text),
    logOperation: maybe(fc.oneof(fc.constantFrom(...logNames), text)),
    apiName: maybe(fc.oneof(fc.constantFrom(...apiNames), text)),
    httpMethod: maybe(fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH')),
    requestUri: maybe(text),
    query: maybe(
      fc.dictionary(
        fc.oneof(
          text,
          fc.constantFrom('X-Amz-Date', 'X-Amz-Expires', 'Expires', 'AWSAccessKeyId', 'delete', 'x-id'),
        ),
        text,
      ),
    ),
    requester: maybe(requesters),
    sourceIp: maybe(fc.oneof(text, fc.ipV4(), fc.ipV6())),
    userAgent: maybe(text),
    signatureVersion: maybe(fc.oneof(text, fc.constantFrom('SigV2', 'SigV4'))),
    cipherSuite: maybe(text),
    authType: maybe(fc.oneof(text, fc.constantFrom('AuthHeader', 'QueryString'))),
    hostHeader: maybe(fc.oneof(text, fc.constant('x-111122223333.s3-accesspoint.us-east-1.amazonaws.com'))),
    tlsVersion: maybe(fc.oneof(text, fc.constantFrom('TLSv1.2', 'TLSv1.3'))),
    accessPointArn: maybe(text),
    vpcEndpointId: maybe(text),
    region: maybe(text),
    headers: maybe(
      fc.dictionary(fc.oneof(text, fc.constantFrom('x-amz-copy-source', 'x-amz-acl', 'x-amz-tagging')), text),
    ),
    enhanced: maybe(
      fc.record({
        principalArn: requesters,
        action: fc.oneof(text, fc.constantFrom('s3:GetObject', 'kms:Decrypt')),
        resource: fc.oneof(text, fc.constant('arn:aws:s3:::b/k')),
        policyType: text,
        kind: fc.constantFrom('explicit-deny' as const, 'missing-allow' as const),
      }),
    ),
  },
  { requiredKeys: ['input', 'format'] },
);

describe('toS3Request properties', () => {
  it('never throws; every authorization is well formed; a key is never both known and unknown', () => {
    fc.assert(
      fc.property(record, fc.dictionary(text, text), (r, accounts) => {
        const req = toS3Request(r, { bucketAccounts: accounts, canonicalIds: accounts });
        expect(typeof req.s3.operation).toBe('string');
        for (const a of req.authorizations) {
          expect(a.action).toMatch(/^[\w-]+:[\w*]+$/);
          expect(a.resource === '*' || parseArn(a.resource) !== undefined).toBe(true);
          expect(['required', 'possible']).toContain(a.need);
          for (const k of a.unknownKeys) {
            expect(a.context[k]).toBeUndefined();
            expect(req.unknownKeys).toContain(k);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
