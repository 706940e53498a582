// Classifies AWS SDK v3 errors into what the collector records (error codes: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html), and the one error the user must act on: their own credentials are expired/missing.

import { UserError } from '../../model/user-error.js';
import { awsClientSettings } from './client-settings.js';

/** How one call ended, when it did not return a value. */
export type FailureKind =
  /** The configuration does not exist (NoSuchBucketPolicy and its kin): evidence is `null`. */
  | 'absent'
  /** Our own read was refused: evidence is unknown, a note names the missing permission. */
  | 'denied'
  /** The resource or principal does not exist (NoSuchBucket, NoSuchKey, NoSuchEntity, ...). */
  | 'not-found'
  /** Wrong region (301 PermanentRedirect and friends); `region` says where to go when known. */
  | 'redirect'
  /** The call did not answer in time. */
  | 'timeout'
  /** Anything else (throttled after every retry, 5xx, an unmodelled error). */
  | 'error';

/** A classified SDK failure. */
export interface Failure {
  kind: FailureKind;
  /** The AWS error code (`AccessDenied`, `NoSuchEntity`), or a status-derived one for HEAD replies. */
  code: string;
  /** HTTP status, when there was a reply. */
  status?: number;
  /** The bucket's region from an `x-amz-bucket-region` header, when S3 sent one. */
  region?: string;
  message: string;
}

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'MethodNotAllowed',
  'Forbidden',
  'AuthorizationError',
]);
const NOT_FOUND = new Set([
  'NoSuchBucket',
  'NoSuchKey',
  'NotFound',
  'NoSuchEntity',
  'NoSuchEntityException',
  'NotFoundException',
  'NoSuchAccessPoint',
  'InvalidVpcEndpointId.NotFound',
  'InvalidVpcEndpointId.Malformed',
  'ChildNotFoundException',
  'AccountNotFoundException',
  'PolicyNotFoundException',
  'TargetNotFoundException',
]);
const REDIRECT = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
]);
const TIMEOUT = new Set(['AbortError', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/**
 * Codes meaning the credentials of the person running s3doctor are unusable (expired, unknown,
 * not found by the provider chain). These stop the run with one message, not a note per call.
 */
const CREDENTIAL_CODES = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'CredentialsProviderError',
  'TokenProviderError',
  'InvalidToken',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);
const CREDENTIAL_MESSAGES =
  /could not load credentials|sso session .*(expired|invalid)|token (is|has) expired|the security token included in the request is (expired|invalid)|unable to (load|refresh) (the )?sso|profile .* (could not be found|not found)|credential is missing/i;

interface SdkErrorShape {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/** The AWS error code of an SDK error (`Code` for XML errors, `name` otherwise; status for HEAD). */
export function errorCode(err: unknown): string {
  const e = (err ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  // Network failures carry a Node error code (ECONNREFUSED, ENOTFOUND) under a generic name.
  const nodeCode = (err as { code?: unknown } | null)?.code;
  const generic = !e.Code && (e.name === undefined || e.name === 'Error' || e.name === 'TypeError');
  const code = generic && typeof nodeCode === 'string' ? nodeCode : (e.Code ?? e.name ?? 'Error');
  // HEAD replies carry no body: the SDK names them 'Unknown', 'NotFound' or 'Forbidden'.
  if (code === 'Unknown' || code === 'UnknownError' || code === '403' || code === '404' || code === '301') {
    if (status === 403) return 'AccessDenied';
    if (status === 404) return 'NotFound';
    if (status === 301) return 'PermanentRedirect';
  }
  return code;
}

/** True when the error means the runner's own credentials are expired or missing. */
export function isCredentialsError(err: unknown): boolean {
  const e = (err ?? {}) as SdkErrorShape;
  const code = errorCode(err);
  if (CREDENTIAL_CODES.has(code)) return true;
  return typeof e.message === 'string' && CREDENTIAL_MESSAGES.test(e.message);
}

/** Classifies a failed call. `absentCodes` are the codes that mean "not configured" for that call. */
export function classifyError(err: unknown, absentCodes: readonly string[] = []): Failure {
  const e = (err ?? {}) as SdkErrorShape;
  const code = errorCode(err);
  const status = e.$metadata?.httpStatusCode;
  const region = e.$response?.headers?.['x-amz-bucket-region'];
  const message = redact(String(e.message ?? code));
  const base = { code, message, ...(status !== undefined ? { status } : {}), ...(region ? { region } : {}) };
  if (absentCodes.includes(code)) return { kind: 'absent', ...base };
  if (DENIED.has(code) || status === 405) return { kind: 'denied', ...base };
  if (REDIRECT.has(code) || status === 301) return { kind: 'redirect', ...base };
  if (NOT_FOUND.has(code)) return { kind: 'not-found', ...base };
  if (TIMEOUT.has(code)) return { kind: 'timeout', ...base };
  if (status === 403) return { kind: 'denied', ...base };
  return { kind: 'error', ...base };
}

/** Removes key ids, secrets and tokens from text that might be shown (never print secrets). */
export function redact(s: string): string {
  return s
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '$1****')
    .replace(/(X-Amz-(?:Security-Token|Signature|Credential)=)[^&\s]+/gi, '$1****')
    .replace(
      /((?:aws_)?(?:secret_access_key|session_token|secretAccessKey|sessionToken)["'\s:=]+)[^\s"',}]+/gi,
      '$1****',
    );
}

/**
 * The live collectors cannot start: AWS STS cannot be reached, or a `--role-arn` / role config is
 * malformed. The message names the problem; the CLI treats it as a user error (exit 2).
 */
export class LiveCollectError extends UserError {}

/**
 * The runner's AWS credentials are expired, invalid or missing. The message says how to refresh
 * them (`aws sso login --profile X`, or AWS_PROFILE / access keys); the CLI exits 2 with it.
 */
export class LiveCredentialsError extends UserError {
  /** The AWS error code behind it (`ExpiredToken`, `CredentialsProviderError`, ...). */
  readonly code: string;
  /** The profile in use, when one was named. */
  readonly profile: string | undefined;

  constructor(cause: unknown, profile: string | undefined) {
    const code = errorCode(cause);
    const detail = redact(String((cause as SdkErrorShape | undefined)?.message ?? code)).split('\n')[0];
    const who = profile ? `profile "${profile}"` : 'the default credential chain';
    const fix = profile
      ? `Refresh them with \`aws sso login --profile ${profile}\` (IAM Identity Center) or renew that profile's keys, then run again; \`aws sts get-caller-identity --profile ${profile}\` checks them.`
      : 'Refresh them with `aws sso login --profile NAME` and pass `--profile NAME` (or set AWS_PROFILE), or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), then run again; `aws sts get-caller-identity` checks them.';
    super(`AWS credentials from ${who} are expired or missing (${code}: ${detail}). ${fix}`);
    this.code = code;
    this.profile = profile;
  }
}

/** Node's codes for a TLS certificate it does not trust (https://nodejs.org/api/tls.html#x509-certificate-error-codes). */
const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function endpointNote(): string {
  const url = awsClientSettings().endpointUrl ?? process.env.AWS_ENDPOINT_URL;
  return url ? ` at ${redact(url)}` : '';
}

/**
 * The message for a call that failed because Node does not trust the endpoint's TLS certificate (a proxy that
 * inspects TLS, a private endpoint): how to trust it with AWS_CA_BUNDLE. Undefined for any other failure.
 */
export function untrustedCertificate(code: string, message: string, service: string): string | undefined {
  if (!TLS_CODES.has(code) && !/certificate/i.test(message)) return undefined;
  const bundle = process.env.AWS_CA_BUNDLE;
  return `cannot verify the TLS certificate of AWS ${service}${endpointNote()} (${code}: ${message}); set AWS_CA_BUNDLE to a PEM file of the CA that signed it (a proxy that inspects TLS: its CA)${bundle ? `: the one in AWS_CA_BUNDLE (${bundle}) did not sign it` : ''}, then run again.`;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
]);

/**
 * The error the user must act on when an AWS call failed before AWS could answer it for the
 * request itself: their credentials ({@link LiveCredentialsError}), no Region configured, or an
 * endpoint that refuses or never answers. `service` names what was called (`Athena`, `IAM`).
 * Undefined for an answer from AWS (AccessDenied, NoSuchBucket, ...), which callers handle.
 */
export function awsCallUserError(err: unknown, service: string, profile?: string): UserError | undefined {
  if (isCredentialsError(err)) return new LiveCredentialsError(err, profile);
  const e = (err ?? {}) as SdkErrorShape;
  const message = redact(String(e.message ?? '')).split('\n')[0] ?? '';
  if (/region is missing/i.test(message))
    return new UserError(
      `no AWS Region for ${service}: pass --region, or set AWS_REGION (or AWS_DEFAULT_REGION), or a region in the profile.`,
    );
  const code = errorCode(err);
  const endpoint = endpointNote();
  const tls = untrustedCertificate(code, message, service);
  if (tls) return new UserError(tls);
  if (NETWORK_CODES.has(code) || /request aborted|socket hang up|timed? ?out/i.test(message))
    return new UserError(
      `cannot reach AWS ${service}${endpoint} (${code}: ${message || 'no answer'}); check the network, proxy and endpoint settings, then run again.`,
    );
  return undefined;
}
