// Unit tests of SDK error classification and the credentials message (what users read on exit 2).

import { describe, expect, test } from 'vitest';
import {
  classifyError,
  errorCode,
  isCredentialsError,
  LiveCredentialsError,
  redact,
} from '../../../src/evidence/live/errors.js';

const sdkError = (name: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} message`), {
    name,
    ...(status ? { $metadata: { httpStatusCode: status } } : {}),
    ...extra,
  });

describe('classifyError', () => {
  test.each([
    ['AccessDenied', 403, 'denied'],
    ['AccessDeniedException', 400, 'denied'],
    ['UnauthorizedOperation', 403, 'denied'],
    ['MethodNotAllowed', 405, 'denied'],
    ['NoSuchEntityException', 404, 'not-found'],
    ['NoSuchKey', 404, 'not-found'],
    ['NotFoundException', 400, 'not-found'],
    ['InvalidVpcEndpointId.NotFound', 400, 'not-found'],
    ['PermanentRedirect', 301, 'redirect'],
    ['AuthorizationHeaderMalformed', 400, 'redirect'],
    ['AbortError', undefined, 'timeout'],
    ['SlowDown', 503, 'error'],
    ['InternalError', 500, 'error'],
  ] as const)('%s (%s) -> %s', (name, status, kind) => {
    expect(classifyError(sdkError(name, status)).kind).toBe(kind);
  });

  test('the call\'s "not configured" codes become absent', () => {
    expect(classifyError(sdkError('NoSuchBucketPolicy', 404), ['NoSuchBucketPolicy']).kind).toBe('absent');
    expect(classifyError(sdkError('NoSuchBucketPolicy', 404)).kind).toBe('error');
  });

  test('HEAD replies without a body are told apart by status', () => {
    expect(errorCode(sdkError('Unknown', 403))).toBe('AccessDenied');
    expect(errorCode(sdkError('NotFound', 404))).toBe('NotFound');
    expect(
      classifyError(
        sdkError('Unknown', 301, { $response: { headers: { 'x-amz-bucket-region': 'eu-west-3' } } }),
      ),
    ).toMatchObject({
      kind: 'redirect',
      region: 'eu-west-3',
    });
  });

  test('IAM: Code (NoSuchEntity) wins over name (NoSuchEntityException)', () => {
    expect(errorCode(sdkError('NoSuchEntityException', 404, { Code: 'NoSuchEntity' }))).toBe('NoSuchEntity');
  });
});

describe('credentials', () => {
  test.each([
    'ExpiredToken',
    'ExpiredTokenException',
    'InvalidClientTokenId',
    'CredentialsProviderError',
    'UnrecognizedClientException',
    'InvalidAccessKeyId',
  ])('%s is a credentials problem', (name) => expect(isCredentialsError(sdkError(name, 403))).toBe(true));

  test('SSO expiry is recognised by its message', () => {
    const e = Object.assign(
      new Error('The SSO session associated with this profile has expired or is otherwise invalid.'),
      { name: 'Error' },
    );
    expect(isCredentialsError(e)).toBe(true);
    expect(isCredentialsError(sdkError('AccessDenied', 403))).toBe(false);
  });

  test('the message names the profile and how to refresh it, and no secrets', () => {
    const e = new LiveCredentialsError(
      sdkError('ExpiredToken', 400, { message: 'token for ASIAABCDEFGHIJKLMNOP expired' }),
      'dev',
    );
    expect(e.message).toContain('aws sso login --profile dev');
    expect(e.message).toContain('ExpiredToken');
    expect(e.message).not.toContain('ASIAABCDEFGHIJKLMNOP');
    expect(e.code).toBe('ExpiredToken');
    const noProfile = new LiveCredentialsError(sdkError('CredentialsProviderError'), undefined);
    expect(noProfile.message).toMatch(/AWS_PROFILE/);
    expect(noProfile.message).toMatch(/AWS_ACCESS_KEY_ID/);
  });

  test('redact hides key ids, signatures and tokens', () => {
    expect(
      redact(
        'AKIAIOSFODNN7EXAMPLE X-Amz-Signature=abc123&X-Amz-Security-Token=tok aws_secret_access_key = wJalr',
      ),
    ).toBe('AKIA**** X-Amz-Signature=****&X-Amz-Security-Token=**** aws_secret_access_key = ****');
  });
});

test('network failures keep their Node code (ECONNREFUSED) for notes', () => {
  const e = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  expect(classifyError(e)).toMatchObject({ kind: 'error', code: 'ECONNREFUSED' });
});
