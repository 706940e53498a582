// Tests of isDenied: which statuses and error codes count as a denied request.

import { describe, expect, it } from 'vitest';
import { isDenied } from '../../src/logs/index.js';
import type { LogRecord } from '../../src/model/input.js';

const rec = (x: Partial<LogRecord>): LogRecord => ({ input: { source: 't' }, format: 'unknown', ...x });

describe('isDenied', () => {
  it.each([
    'AccessDenied',
    'AllAccessDisabled',
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'RequestTimeTooSkewed',
    'InvalidObjectState',
    'AccountProblem',
    'ExpiredToken',
    'InvalidToken',
    'TokenRefreshRequired',
    'AccessControlListNotSupported',
    'VpceAccessDenied',
    'KMS.NotFoundException',
    'KMS.DisabledException',
    'AccessDeniedException',
  ])('%s is a denial', (errorCode) => {
    expect(isDenied(rec({ errorCode }))).toBe(true);
  });

  it('a bare 403 is a denial; other errors and successes are not', () => {
    expect(isDenied(rec({ httpStatus: 403 }))).toBe(true);
    expect(isDenied(rec({ httpStatus: 404, errorCode: 'NoSuchKey' }))).toBe(false);
    expect(isDenied(rec({ httpStatus: 503, errorCode: 'SlowDown' }))).toBe(false);
    expect(isDenied(rec({ httpStatus: 200 }))).toBe(false);
    expect(isDenied(rec({}))).toBe(false);
  });
});
