// Tests that no signature, session token, secret key or full access key id survives into any output.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readInputs, readText, redactSecrets } from '../../src/logs/index.js';
import { collect, fixture } from './helpers.js';

const SECRETS = [
  'abc123def456abc123def456abc123def456abc123def456abc123def456abcd',
  'IQoJb3JpZ2luX2VjEXAMPLETOKENvalue1234567890abcdefghijklmnop',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAIOSFODNN7EXAMPLE',
  'ASIAEXAMPLEKEY123456',
  'vjbyPxybdZaNmGa+yT272YEAiv4=',
];

describe('redactSecrets', () => {
  it.each([
    [
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T100000Z&X-Amz-Expires=900&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLETOKENvalue1234567890abcdefghijklmnop&X-Amz-SignedHeaders=host&X-Amz-Signature=abc123def456abc123def456abc123def456abc123def456abc123def456abcd',
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA****%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261124T100000Z&X-Amz-Expires=900&X-Amz-Security-Token=[redacted]&X-Amz-SignedHeaders=host&X-Amz-Signature=[redacted]',
    ],
    [
      'http://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1795510000&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D',
      'http://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIA****&Expires=1795510000&Signature=[redacted]',
    ],
    [
      'Authorization: AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEY123456/20261124/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123def456abc123def456abc123def456abc123def456abc123def456abcd',
      'Authorization: AWS4-HMAC-SHA256 Credential=ASIA****/20261124/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=[redacted]',
    ],
    [
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_secret_access_key = [redacted]',
    ],
    [
      'export AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEXAMPLETOKENvalue1234567890abcdefghijklmnop',
      'export AWS_SESSION_TOKEN=[redacted]',
    ],
    [
      '{"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "SessionToken": "FwoGZXIvYXdzEXAMPLE1234567890"}',
      '{"SecretAccessKey": "[redacted]", "SessionToken": "[redacted]"}',
    ],
    [
      'x-amz-security-token: IQoJb3JpZ2luX2VjEXAMPLETOKENvalue1234567890abcdefghijklmnop',
      'x-amz-security-token: [redacted]',
    ],
    ['key id AKIAIOSFODNN7EXAMPLE was used', 'key id AKIA**** was used'],
    ['<SignatureProvided>abc123</SignatureProvided>', '<SignatureProvided>[redacted]</SignatureProvided>'],
    ['Access Denied', 'Access Denied'],
  ])('redacts %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('is idempotent', () => {
    const once = redactSecrets(
      '?X-Amz-Signature=abc&X-Amz-Security-Token=IQoJxyz&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE',
    );
    expect(redactSecrets(once)).toBe(once);
  });
});

describe('no secret in any output', () => {
  const leak = (s: string): string[] =>
    SECRETS.filter((x) => s.includes(x) || s.includes(encodeURIComponent(x)));

  it('access log lines with presigned URLs, in requestUri, query, referer', () => {
    const line = `7f3ac9e1d2b84f06a5e1c0d9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2918f7e6d5 b [24/Nov/2026:11:02:09 +0000] 203.0.113.50 - 5C6D7E8F9A0B1C2D REST.GET.OBJECT k "GET /k?X-Amz-Credential=ASIAEXAMPLEKEY123456%2F20261124%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=${SECRETS[1]}&X-Amz-Signature=${SECRETS[0]} HTTP/1.1" 403 AccessDenied 431 - 6 - "https://x.example/?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=${encodeURIComponent(SECRETS[5] as string)}" "curl/8.5.0" - h= SigV4 TLS_AES_128_GCM_SHA256 QueryString b.s3.us-east-1.amazonaws.com TLSv1.3 - -`;
    const out = JSON.stringify(readText(line, 'p'));
    expect(out).toContain('QueryString');
    expect(leak(out)).toEqual([]);
  });

  it('error text with an XML signature body, CLI debug headers and credentials', () => {
    const text = [
      readFileSync(fixture('errors/xml-signature.txt'), 'utf8'),
      `x-amz-security-token: ${SECRETS[1]}`,
      `aws_secret_access_key=${SECRETS[2]}`,
      `An error occurred (SignatureDoesNotMatch) when calling the GetObject operation: The request signature we calculated does not match the signature you provided. Check your key and signing method. AKIAIOSFODNN7EXAMPLE`,
    ].join('\n');
    const out = JSON.stringify(readText(text, 'p'));
    expect(out).toContain('SignatureDoesNotMatch');
    expect(leak(out)).toEqual([]);
    expect(out).not.toContain('9f0d1c5b2a9e8f7d');
  });

  it('CloudTrail events with access key ids and presigned parameters', async () => {
    const ev = JSON.parse(readFileSync(fixture('cloudtrail-event-denied-getobject.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    (ev.requestParameters as Record<string, unknown>)['X-Amz-Security-Token'] = SECRETS[1];
    (ev.requestParameters as Record<string, unknown>)['X-Amz-Credential'] =
      'ASIAEXAMPLEKEY123456/20261124/us-east-1/s3/aws4_request';
    const items = readText(JSON.stringify(ev), 'ev.json');
    const out = JSON.stringify(items);
    expect(out).toContain('ASIA****/20261124/us-east-1/s3/aws4_request');
    expect(leak(out)).toEqual([]);
    const files = JSON.stringify(
      await collect(readInputs([fixture('cloudtrail-records.json'), fixture('lookup-events-cli-v1.json')])),
    );
    expect(leak(files)).toEqual([]);
    expect(files).not.toMatch(/AKIAEXAMPLEKEY123456|ASIAEXAMPLEKEY123456/);
  });
});
