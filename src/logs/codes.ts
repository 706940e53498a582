// S3/STS/KMS error codes as data: which ones are denials, their HTTP status, and their fixed messages.

/**
 * Error codes that mean "the request was refused" (authorization, credentials, signing, state
 * checks that S3 reports as 403/400). Sources: https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html ,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html ,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html ,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html (VpceAccessDenied).
 */
export const DENIAL_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AllAccessDisabled',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'RequestTimeTooSkewed',
  'InvalidObjectState',
  'AccountProblem',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidToken',
  'TokenRefreshRequired',
  'AccessControlListNotSupported',
  'VpceAccessDenied',
  'InvalidSecurity',
  'NotSignedUp',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthorizationHeaderMalformed',
  'AuthorizationQueryParametersError',
  'MissingSecurityHeader',
  'CredentialsNotSupported',
  'KMSAccessDenied',
  'KMSAccessDeniedException',
]);

/** HTTP status S3 returns with each code (ErrorResponses.html), for codes a client prints without a status. */
export const CODE_STATUS: Readonly<Record<string, number>> = {
  AccessDenied: 403,
  AllAccessDisabled: 403,
  InvalidAccessKeyId: 403,
  SignatureDoesNotMatch: 403,
  RequestTimeTooSkewed: 403,
  InvalidObjectState: 403,
  AccountProblem: 403,
  ExpiredToken: 400,
  InvalidToken: 400,
  TokenRefreshRequired: 400,
  AccessControlListNotSupported: 400,
  AuthorizationQueryParametersError: 400,
  AuthorizationHeaderMalformed: 400,
  NoSuchKey: 404,
  NoSuchBucket: 404,
  NoSuchBucketPolicy: 404,
  NoSuchVersion: 404,
  NoSuchUpload: 404,
  SlowDown: 503,
};

/**
 * Fixed messages S3 sends with a code (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). Used to name the
 * code when a client prints only the message (Java SDK v2, .NET). Keys are lower-case, without a
 * trailing period, whitespace collapsed.
 */
export const MESSAGE_CODES: Readonly<Record<string, string>> = {
  'access denied': 'AccessDenied',
  'request has expired': 'AccessDenied',
  'access denied because object protected by object lock': 'AccessDenied',
  'the provided token has expired': 'ExpiredToken',
  'the provided token is malformed or otherwise invalid': 'InvalidToken',
  'the aws access key id you provided does not exist in our records': 'InvalidAccessKeyId',
  'the request signature we calculated does not match the signature you provided. check your key and signing method':
    'SignatureDoesNotMatch',
  'the difference between the request time and the current time is too large': 'RequestTimeTooSkewed',
  'the bucket does not allow acls': 'AccessControlListNotSupported',
  'all access to this amazon s3 resource has been disabled': 'AllAccessDisabled',
  "the operation is not valid for the object's storage class": 'InvalidObjectState',
  'the specified key does not exist': 'NoSuchKey',
  'the specified bucket does not exist': 'NoSuchBucket',
  'the request was denied due to a vpc endpoint policy': 'VpceAccessDenied',
};

/** The code for a known fixed message, or undefined. */
export function codeForMessage(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const k = message.replace(/\s+/g, ' ').trim().replace(/\.$/, '').toLowerCase();
  if (MESSAGE_CODES[k]) return MESSAGE_CODES[k];
  if (k.includes(' is not authorized to perform: ')) return 'AccessDenied';
  return undefined;
}

/**
 * Names clients print in place of a code when the response had no body (HEAD requests, some
 * proxies): they are HTTP reason phrases, not S3 error codes.
 */
export const PSEUDO_CODES: Readonly<Record<string, number | undefined>> = {
  Forbidden: 403,
  NotFound: 404,
  'Not Found': 404,
  BadRequest: 400,
  'Bad Request': 400,
  Unknown: undefined,
  UnknownError: undefined,
  MovedPermanently: 301,
  PermanentRedirect: 301,
  Unauthorized: 401,
  Conflict: 409,
  ServiceUnavailable: 503,
  InternalServerError: 500,
  InternalError: undefined,
};

/** HTTP reason phrases (.NET prints `Http Status Code Forbidden`). */
export const REASON_STATUS: Readonly<Record<string, number>> = {
  OK: 200,
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  PreconditionFailed: 412,
  InternalServerError: 500,
  ServiceUnavailable: 503,
  MovedPermanently: 301,
  TemporaryRedirect: 307,
};

/**
 * Codes worth recognising at the start of a JS/Go-style `Code: message` line. Denial codes plus
 * the common non-denial S3 errors, so a pasted `NoSuchKey: ...` is read (and then not counted as
 * denied).
 */
export const KNOWN_CODES: ReadonlySet<string> = new Set([
  ...DENIAL_CODES,
  ...Object.keys(CODE_STATUS),
  'NoSuchBucketPolicy',
  'InvalidRequest',
  'InvalidArgument',
  'InvalidBucketName',
  'BucketAlreadyExists',
  'BucketAlreadyOwnedByYou',
  'PreconditionFailed',
  'MethodNotAllowed',
  'PermanentRedirect',
  'NotImplemented',
  'InternalError',
  'ServiceUnavailable',
  'KMS.NotFoundException',
  'KMS.DisabledException',
  'KMS.KMSInvalidStateException',
  'KMS.AccessDeniedException',
  'NotFoundException',
  'DisabledException',
  'KMSInvalidStateException',
  'S3ServiceException',
]);

/** True when the code is a denial: one of {@link DENIAL_CODES}, any `KMS.*` code, or a `*AccessDenied*` code. */
export function isDenialCode(code: string | undefined): boolean {
  if (!code) return false;
  if (DENIAL_CODES.has(code)) return true;
  if (code.startsWith('KMS.')) return true;
  return /AccessDenied/.test(code);
}
