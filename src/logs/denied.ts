// Decides whether a log record describes a denied request.

import type { LogRecord } from '../model/input.js';
import { isDenialCode } from './codes.js';

/**
 * True when the record was denied: HTTP 403, or an error code that means refused (AccessDenied,
 * AllAccessDisabled, InvalidAccessKeyId, SignatureDoesNotMatch, RequestTimeTooSkewed,
 * InvalidObjectState, AccountProblem, ExpiredToken, InvalidToken, TokenRefreshRequired,
 * AccessControlListNotSupported, VpceAccessDenied, `KMS.*`, ...; see https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html and
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 */
export function isDenied(r: LogRecord): boolean {
  if (r.httpStatus === 403) return true;
  return isDenialCode(r.errorCode);
}
