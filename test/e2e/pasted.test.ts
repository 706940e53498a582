// End-to-end: what people paste (CI logs, S3A traces, aws s3 command lines, get-caller-identity) through the built CLI.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, assertBuilt, runCli } from './helpers.js';

const f = (name: string) => join(FIXTURES, 'pasted', name);

interface JsonResult {
  input: { source: string; line?: number; eventId?: string };
  request: {
    principal: string;
    action: string;
    resource: string;
    operation?: string;
    context: Record<string, unknown>;
    provedAbsent?: { key: string; proof: string }[];
    unknownKeys?: string[];
  };
  decision: string;
  causes: { code: string; confidence: string; condition?: { key: string } }[];
}

async function diagnose(file: string, ...extra: string[]): Promise<JsonResult[]> {
  const r = await runCli(['diagnose', f(file), '--format', 'json', ...extra]);
  expect(r.code, r.stderr).not.toBe(2);
  return (JSON.parse(r.stdout) as { results: JsonResult[] }).results;
}

beforeAll(() => assertBuilt());

describe('pasted CI logs, stack traces and command lines', () => {
  it('Jenkins s3Upload: the bucket and key come from the step line above the Java v1 error', async () => {
    const [r, ...rest] = await diagnose('jenkins-s3upload.log');
    expect(rest).toEqual([]);
    expect(r?.input.line).toBe(21);
    expect(r?.request).toMatchObject({
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::acme-artifacts/releases/app-1.4.2.jar',
      operation: 'PutObject',
    });
  });

  it('Spark S3A on EMR: getFileStatus is a HeadObject on the s3a path', async () => {
    const [r, ...rest] = await diagnose('spark-s3a.log');
    expect(rest).toEqual([]);
    expect(r?.request).toMatchObject({
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::acme-lake/raw/events/2026/11/part-0000.parquet',
      operation: 'HeadObject',
    });
  });

  it('Databricks S3A: the same from the shaded trace', async () => {
    const [r] = await diagnose('databricks-s3a.log');
    expect(r?.request).toMatchObject({
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::acme-shared/exports/customers.csv',
      operation: 'HeadObject',
    });
  });

  it('aws s3 cp upload: caller from get-caller-identity, key from prefix + file, headers proved not sent', async () => {
    const [r] = await diagnose('aws-s3-cp-upload.txt');
    expect(r?.request).toMatchObject({
      principal: 'arn:aws:sts::111122223333:assumed-role/ci-deployer/gitlab-runner-77',
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::acme-reports/finance/report.csv',
      context: {
        'aws:PrincipalAccount': '111122223333',
        'aws:userid': 'AROAEXAMPLEROLEID1234:gitlab-runner-77',
        'aws:RequestedRegion': 'us-east-1',
      },
    });
    const proved = Object.fromEntries((r?.request.provedAbsent ?? []).map((p) => [p.key, p.proof]));
    expect(proved['s3:x-amz-server-side-encryption']).toBe('line 7: the aws s3 cp command has no --sse');
    expect(proved['s3:x-amz-acl']).toMatch(/^line 7: .* no --acl/);
    expect(r?.request.unknownKeys).not.toContain('s3:x-amz-server-side-encryption');
  });

  it('aws s3 cp upload without --sse: a bucket policy Deny on a null SSE header certainly matched, and the text names the line', async () => {
    const [r] = await diagnose('aws-s3-cp-upload.txt', '--snapshot', f('snapshot-require-sse.json'));
    expect(r?.decision).toBe('ExplicitDeny');
    expect(r?.causes[0]).toMatchObject({
      code: 'explicit-deny-bucket-policy',
      confidence: 'certain',
      condition: { key: 's3:x-amz-server-side-encryption' },
    });
    const text = await runCli([
      'diagnose',
      f('aws-s3-cp-upload.txt'),
      '--snapshot',
      f('snapshot-require-sse.json'),
    ]);
    expect(text.stdout).toContain(
      'not sent   s3:x-amz-server-side-encryption (line 7: the aws s3 cp command has no --sse)',
    );
  });

  it('a CloudTrail PutObject record without SSE in requestParameters proves the same, naming the event', async () => {
    const [r] = await diagnose(
      'cloudtrail-putobject-no-sse.json',
      '--snapshot',
      f('snapshot-require-sse.json'),
    );
    expect(r?.causes[0]).toMatchObject({ code: 'explicit-deny-bucket-policy', confidence: 'certain' });
    expect(r?.request.provedAbsent).toContainEqual({
      key: 's3:x-amz-server-side-encryption',
      proof:
        'event 9e2d7c1a-3333-4c5d-8e6f-0123456789ab: CloudTrail requestParameters has no x-amz-server-side-encryption',
    });
  });

  it('get-caller-identity output pasted first, on stdin, names the caller of the error after it', async () => {
    const input = [
      '{',
      '    "UserId": "AIDAEXAMPLEUSERID123",',
      '    "Account": "111122223333",',
      '    "Arn": "arn:aws:iam::111122223333:user/alice"',
      '}',
      'download failed: s3://acme-reports/q3.csv to ./q3.csv An error occurred (AccessDenied) when calling the GetObject operation: Access Denied',
    ].join('\n');
    const r = await runCli(['diagnose', '-', '--format', 'json'], { input });
    expect(r.code, r.stderr).not.toBe(2);
    const [res] = (JSON.parse(r.stdout) as { results: JsonResult[] }).results;
    expect(res?.request).toMatchObject({
      principal: 'arn:aws:iam::111122223333:user/alice',
      context: { 'aws:userid': 'AIDAEXAMPLEUSERID123', 'aws:username': 'alice' },
    });
  });

  it('aws s3 cp download: HeadObject on the source, Requester Pays header sent', async () => {
    const [r] = await diagnose('aws-s3-cp-download.txt');
    expect(r?.request).toMatchObject({
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::acme-datasets/public/service-2.json',
      operation: 'HeadObject',
    });
  });

  it('aws s3 ls: ListObjectsV2 with the prefix and delimiter the CLI sends', async () => {
    const [r] = await diagnose('aws-s3-ls.txt');
    expect(r?.request).toMatchObject({
      action: 's3:ListBucket',
      resource: 'arn:aws:s3:::acme-reports',
      context: { 's3:prefix': 'finance/2026/', 's3:delimiter': '/' },
    });
  });

  it('aws s3api put-object: the headers its flags send are in the request context', async () => {
    const [r] = await diagnose('aws-s3api-put-object.txt');
    expect(r?.request).toMatchObject({
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::acme-reports/finance/q4.csv',
      context: { 's3:x-amz-acl': 'bucket-owner-full-control', 's3:x-amz-server-side-encryption': 'aws:kms' },
    });
    expect(r?.request.provedAbsent?.map((p) => p.key)).toContain(
      's3:x-amz-server-side-encryption-aws-kms-key-id',
    );
  });
});
