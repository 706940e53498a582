// Generated secrets in every input field and encoding: no output format of diagnose or triage prints one.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../e2e/helpers.js';

const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.split('');
const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('');
const chars = (alphabet: string[], n: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: n, maxLength: n }).map((a) => a.join(''));

/** One set of credentials as AWS issues them: key id, secret key, session token, SigV4 signature. */
const secretsArb = fc.record({
  akid: fc.tuple(fc.constantFrom('AKIA', 'ASIA'), chars(upper, 16)).map(([p, s]) => p + s),
  secret: chars(b64, 40),
  token: fc
    .tuple(fc.constantFrom('IQoJb3JpZ2luX2Vj', 'FwoGZXIvYXdzEJr'), chars(b64, 120))
    .map(([p, s]) => p + s),
  signature: chars('0123456789abcdef'.split(''), 64),
});
type Secrets = typeof secretsArb extends fc.Arbitrary<infer T> ? T : never;

const SAMPLES = fc.sample(secretsArb, { numRuns: 6, seed: 1313 });
const enc = encodeURIComponent;

function presigned(s: Secrets): string {
  return `https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${s.akid}%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=${enc(s.token)}&X-Amz-Signature=${s.signature}`;
}

/** The space-separated and assignment forms a person pastes or a tool logs. */
function spaced(s: Secrets): string[] {
  return [
    `aws configure set aws_secret_access_key ${s.secret}`,
    `aws configure set aws_session_token ${s.token}`,
    `--secret-access-key ${s.secret}`,
    `Secret Access Key: ${s.secret}`,
    `aws_secret_access_key=${s.secret}`,
    `AWS_SESSION_TOKEN=${s.token}`,
  ];
}

/** An access-log line with the secrets in its key, Request-URI query, referrer and user agent, in every encoding. */
function accessLogLine(s: Secrets, i: number): string {
  const key = `creds/${s.akid}/x_${s.akid}_y/${i}.txt`;
  const uri = `/reports-bucket/${enc(key).replace(/%2F/g, '/')}?${presigned(s).split('?')[1]!}`;
  const referrer = `https://x.example/?once=${enc(presigned(s))}&twice=${enc(enc(presigned(s)))}&form=${enc(spaced(s).join(' '))}`;
  const agent = `aws-cli/2.15.0 ${spaced(s).join(' ')}`;
  return [
    '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be reports-bucket [06/Feb/2026:00:00:38 +0000] 192.0.2.3',
    `arn:aws:iam::111122223333:user/u${i} REQ${i} REST.GET.OBJECT ${enc(key).replace(/%2F/g, '/')}`,
    `"GET ${uri} HTTP/1.1" 403 AccessDenied 243 - 42 - "${referrer}" "${agent}" - hostid= SigV4 - QueryString reports-bucket.s3.us-east-1.amazonaws.com TLSv1.2 - -`,
  ].join(' ');
}

/** A CloudTrail event with the secrets in the key id, user agent (JSON inside JSON), key, error message and extra data. */
function cloudTrailEvent(s: Secrets, i: number): object {
  return {
    eventVersion: '1.10',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: `arn:aws:iam::111122223333:user/u${i}`,
      accountId: '111122223333',
      accessKeyId: s.akid,
      userName: `u${i}`,
    },
    eventTime: '2026-11-24T10:20:11Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: `aws-cli/2 ${JSON.stringify({ aws_secret_access_key: s.secret, sessionToken: s.token })} ${spaced(s)[0]!}`,
    errorCode: 'AccessDenied',
    errorMessage: `User: arn:aws:iam::111122223333:user/u${i} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::reports-bucket/k${s.akid}" because no identity-based policy allows the s3:GetObject action (${spaced(s)[3]!})`,
    requestParameters: {
      bucketName: 'reports-bucket',
      Host: 'reports-bucket.s3.us-east-1.amazonaws.com',
      key: `k${s.akid}/X-Amz-Signature=${s.signature}/${enc(presigned(s))}`,
    },
    responseElements: null,
    additionalEventData: {
      SignatureVersion: 'SigV4',
      note: spaced(s).join('; '),
      url: enc(enc(presigned(s))),
    },
    requestID: `REQ${i}`,
    eventID: `00000000-0000-4000-8000-00000000000${i}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
  };
}

/** Pasted error text with the secrets around it. */
function errorText(s: Secrets): string {
  return [
    ...spaced(s),
    `$ aws s3 cp "${presigned(s)}" .`,
    'An error occurred (AccessDenied) when calling the GetObject operation: Access Denied',
    `<Error><Code>SignatureDoesNotMatch</Code><SignatureProvided>${s.signature}</SignatureProvided><AWSAccessKeyId>${s.akid}</AWSAccessKeyId></Error>`,
  ].join('\n');
}

/** Every spelling of a secret that would give it away: raw, percent-encoded once and twice, JSON-escaped. */
function spellings(s: Secrets): string[] {
  const out: string[] = [];
  for (const v of [s.akid, s.secret, s.token.slice(0, 40), s.signature])
    out.push(v, enc(v), enc(enc(v)), JSON.stringify(v).slice(1, -1).replace(/\//g, '\\/'));
  return [...new Set(out)];
}

const outputs: Record<string, string> = {};

beforeAll(async () => {
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), 's3doctor-secrets-'));
  writeFileSync(join(dir, 'access.log'), SAMPLES.map(accessLogLine).join('\n') + '\n');
  writeFileSync(join(dir, 'trail.json'), JSON.stringify({ Records: SAMPLES.map(cloudTrailEvent) }));
  SAMPLES.forEach((s, i) => writeFileSync(join(dir, `pasted-${i}.txt`), errorText(s)));
  const runs: Promise<void>[] = [];
  for (const format of ['text', 'json', 'markdown', 'ndjson', 'sarif', 'github'])
    runs.push(
      runCli(['diagnose', dir, '--format', format], { cwd: dir }).then((r) => {
        outputs[`diagnose ${format}`] = r.stdout + r.stderr;
      }),
    );
  for (const format of ['text', 'json', 'markdown', 'ndjson', 'sarif', 'github', 'html'])
    runs.push(
      runCli(['triage', dir, '--format', format], { cwd: dir }).then((r) => {
        outputs[`triage ${format}`] = r.stdout + r.stderr;
      }),
    );
  await Promise.all(runs);
}, 240_000);

describe('generated secrets in every field and encoding', () => {
  it('reach the reports (the inputs were read)', () => {
    expect(outputs['diagnose json']).toContain('"results"');
    expect(
      JSON.parse(outputs['diagnose json']!.slice(0, outputs['diagnose json']!.lastIndexOf('}') + 1)),
    ).toBeTruthy();
    expect(outputs['triage text']).toContain('reports-bucket');
    expect(outputs['diagnose text']).toContain('creds/');
  });

  it('no output format prints a key id, secret key, session token or signature, in any spelling', () => {
    const leaks: string[] = [];
    for (const [name, text] of Object.entries(outputs))
      SAMPLES.forEach((s, i) => {
        for (const v of spellings(s))
          if (text.includes(v)) {
            const at = text.indexOf(v);
            leaks.push(
              `${name}: sample ${i}: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + v.length))}`,
            );
          }
      });
    expect(leaks).toEqual([]);
  });
});
