// Tests of the readers of the text around pasted errors: aws command lines, S3A lines, identities, upload steps, noise.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readText } from '../../src/logs/index.js';
import { parseAwsCommand, parseS3aLine, shellWords } from '../../src/logs/surroundings.js';
import { toS3Request } from '../../src/request/index.js';
import type { LogRecord } from '../../src/model/input.js';
import { records } from './helpers.js';

const PASTED = join(__dirname, '..', 'e2e', 'fixtures', 'pasted');
const pasted = (name: string) => readFileSync(join(PASTED, name), 'utf8');

describe('shellWords', () => {
  it('splits as a shell does: quotes, escapes, separators', () => {
    expect(shellWords(`aws s3 cp "my file.csv" 's3://b/a b/' --acl=public-read; echo x\\ y`)).toEqual([
      'aws',
      's3',
      'cp',
      'my file.csv',
      's3://b/a b/',
      '--acl=public-read',
      ';',
      'echo',
      'x y',
    ]);
  });
});

describe('parseAwsCommand', () => {
  it('reads global options before s3, an upload and its flags', () => {
    const c = parseAwsCommand(
      'aws --region=eu-west-1 s3 cp --acl public-read ./baz s3://mybucket/foo/bar/baz',
    );
    expect(c).toMatchObject({ sub: 'cp', region: 'eu-west-1', localSrc: './baz' });
    expect(c?.dst).toEqual({ bucket: 'mybucket', key: 'foo/bar/baz' });
    expect(c?.flags.get('--acl')).toEqual(['public-read']);
  });
  it('takes --sse without a value as AES256 and with one as given', () => {
    expect(parseAwsCommand('aws s3 cp a s3://b/ --sse --quiet')?.flags.get('--sse')).toEqual([]);
    expect(
      parseAwsCommand('aws s3 cp a s3://b/ --sse aws:kms --sse-kms-key-id k1')?.flags.get('--sse'),
    ).toEqual(['aws:kms']);
  });
  it('is not fooled by other commands or prose', () => {
    expect(parseAwsCommand('aws s3api list-buckets')).toBeUndefined();
    expect(parseAwsCommand('we use aws and s3 a lot')).toBeUndefined();
    expect(parseAwsCommand('aws s3 mb s3://new-bucket')).toBeUndefined();
  });
});

describe('parseS3aLine', () => {
  it('reads the path and the operation of an S3A error', () => {
    expect(
      parseS3aLine('java.nio.file.AccessDeniedException: s3a://b/k.csv: getFileStatus on s3a://b/k.csv: x'),
    ).toEqual({
      loc: { bucket: 'b', key: 'k.csv' },
      op: 'getFileStatus',
    });
    expect(
      parseS3aLine('java.nio.file.AccessDeniedException: test/: PUT 0-byte object  on test/: x'),
    ).toEqual({
      key: 'test/',
      op: 'PUT 0-byte object',
    });
    expect(parseS3aLine('java.nio.file.AccessDeniedException: /var/lib/x')).toBeUndefined();
  });
});

describe('records from the text around the error', () => {
  it('an upload with --sse and --acl sends those headers and proves the rest absent', () => {
    const [r] = records(
      readText(
        [
          'aws s3 cp build/app.zip s3://acme-artifacts/builds/ --sse aws:kms --sse-kms-key-id alias/ci --acl bucket-owner-full-control',
          'upload failed: build/app.zip to s3://acme-artifacts/builds/app.zip An error occurred (AccessDenied) when calling the PutObject operation: Access Denied',
        ].join('\n'),
      ),
    );
    expect(r).toMatchObject({
      bucket: 'acme-artifacts',
      key: 'builds/app.zip',
      headers: {
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': 'alias/ci',
        'x-amz-acl': 'bucket-owner-full-control',
      },
    });
    expect(r?.headersNotSent?.['x-amz-server-side-encryption']).toBeUndefined();
    expect(r?.headersNotSent?.['x-amz-request-payer']).toBe(
      'line 1: the aws s3 cp command has no --request-payer',
    );
  });

  it('a fatal HeadObject error after an s3-to-s3 copy is about the source', () => {
    const [r] = records(
      readText(
        [
          'aws s3 cp s3://public-qubole/lambda/spark.zip s3://my-bucket/',
          'fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden',
        ].join('\n'),
      ),
    );
    expect(r).toMatchObject({ apiName: 'HeadObject', bucket: 'public-qubole', key: 'lambda/spark.zip' });
  });

  it('the caller of a get-caller-identity run with another profile is not taken as the caller', () => {
    const [r] = records(
      readText(
        [
          '$ aws sts get-caller-identity --profile admin',
          '{ "UserId": "AIDAEXAMPLEUSERID123", "Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/admin" }',
          '$ aws s3 rm s3://acme-reports/old.csv --profile ci',
          'delete failed: s3://acme-reports/old.csv An error occurred (AccessDenied) when calling the DeleteObject operation: Access Denied',
        ].join('\n'),
      ),
    );
    expect(r?.requester).toBeUndefined();
    expect(r).toMatchObject({ apiName: 'DeleteObject', bucket: 'acme-reports', key: 'old.csv' });
  });

  it('S3A on the SDK for Java v2 (Hadoop 3.4): open is a GetObject', () => {
    const [r, ...rest] = records(
      readText(
        'java.nio.file.AccessDeniedException: s3a://acme-lake/curated/t.parquet: open s3a://acme-lake/curated/t.parquet at 0 on s3a://acme-lake/curated/t.parquet: software.amazon.awssdk.services.s3.model.S3Exception: Access Denied (Service: S3, Status Code: 403, Request ID: 5B2F2C1A9D8E7F60, Extended Request ID: abcEXAMPLE=):AccessDenied',
      ),
    );
    expect(rest).toEqual([]);
    expect(r).toMatchObject({
      bucket: 'acme-lake',
      key: 'curated/t.parquet',
      apiName: 'GetObject',
      httpStatus: 403,
      requestId: '5B2F2C1A9D8E7F60',
    });
  });

  it('reads get-caller-identity text output', () => {
    const [r] = records(
      readText(
        [
          '111122223333\tarn:aws:iam::111122223333:user/alice\tAIDAEXAMPLEUSERID123',
          'An error occurred (AccessDenied) when calling the GetObject operation: Access Denied',
        ].join('\n'),
      ),
    );
    expect(r).toMatchObject({
      requester: 'arn:aws:iam::111122223333:user/alice',
      identity: { accountId: '111122223333', principalId: 'AIDAEXAMPLEUSERID123' },
    });
  });

  it('an enhanced message names the caller itself: get-caller-identity does not override it', () => {
    const [r] = records(
      readText(
        [
          '{"UserId": "AIDAEXAMPLEUSERID123", "Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/alice"}',
          'An error occurred (AccessDenied) when calling the GetObject operation: User: arn:aws:iam::111122223333:user/bob is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" because no identity-based policy allows the s3:GetObject action',
        ].join('\n'),
      ),
    );
    expect(r?.requester).toBe('arn:aws:iam::111122223333:user/bob');
  });
});

describe('hostile input', () => {
  it('many commands and errors in one paste are read in bounded time (each error finds its command by binary search)', () => {
    const pairs = 20000;
    const lines: string[] = [];
    for (let i = 0; i < pairs; i++) {
      lines.push(`aws s3 cp f${i} s3://b/p/`);
      lines.push('An error occurred (AccessDenied) when calling the PutObject operation: Access Denied');
    }
    const started = Date.now();
    const recs = records(readText(lines.join('\n')));
    expect(recs).toHaveLength(pairs);
    expect(recs[pairs - 1]).toMatchObject({ bucket: 'b', key: `p/f${pairs - 1}` });
    expect(Date.now() - started).toBeLessThan(15000);
  });
  it('a long line of repeated exceptions is read in bounded time', () => {
    const line = 'java.nio.file.AccessDeniedException: '.repeat(20000) + ': getFileStatus on x:';
    const started = Date.now();
    expect(parseS3aLine(line)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

/** Log lines a CI or Spark job prints around an error: no AWS error, command, identity or upload among them. */
const noiseLine = fc.oneof(
  fc.constantFrom(
    '[Pipeline] sh',
    '[Pipeline] }',
    '+ echo done',
    '26/11/24 09:14:02 INFO ResourceUtils: No custom resources configured for spark.driver.',
    '2026-11-24T09:14:03.120Z INFO  Starting step 4 of 7',
    'Downloading dependencies...',
    '\tat org.apache.spark.sql.Dataset.ofRows(Dataset.scala:96)',
    'Completed 256.0 KiB/1.2 MiB (2.1 MiB/s) with 1 file(s) remaining',
    'npm WARN deprecated inflight@1.0.6',
    'Finished: FAILURE',
  ),
  fc.stringMatching(/^[a-z0-9][a-z0-9 ._=-]{0,70}$/),
);
const noise = fc.array(noiseLine, { maxLength: 6 });

/** The request a pasted text yields, without line numbers (noise moves them). */
function requestOf(text: string): unknown {
  const recs = records(readText(text)) as LogRecord[];
  return recs.map((r) => {
    const req = toS3Request(r);
    return JSON.parse(
      JSON.stringify({
        principal: req.principal,
        authorizations: req.authorizations.map((a) => [a.action, a.resource, a.need, a.context]),
        s3: req.s3,
        unknownKeys: req.unknownKeys,
        provedAbsent: req.provedAbsent,
      }).replace(/line \d+/g, 'line N'),
    );
  });
}

/** Fixtures cut into the blocks noise may separate (a stack trace or a JSON document stays whole). */
const BLOCKED: [string, string[]][] = [
  ['aws-s3-cp-upload.txt', [0, 6, 7]],
  ['aws-s3-cp-download.txt', [0, 1]],
  ['aws-s3-ls.txt', [0, 1]],
  ['aws-s3api-put-object.txt', [0, 1]],
  ['jenkins-s3upload.log', [0, 12, 13, 20]],
  ['spark-s3a.log', [0, 3, 7]],
  ['databricks-s3a.log', [0]],
].map(([name, cuts]) => {
  const lines = pasted(name as string)
    .trimEnd()
    .split('\n');
  const c = cuts as number[];
  return [name as string, c.map((start, i) => lines.slice(start, c[i + 1] ?? lines.length).join('\n'))];
});

describe('surrounding noise', () => {
  it.each(BLOCKED)(
    '%s: random log lines before, after and between leave the request unchanged',
    (_name, blocks) => {
      const clean = requestOf(blocks.join('\n'));
      expect((clean as unknown[]).length).toBe(1);
      fc.assert(
        fc.property(
          fc.array(noise, { minLength: blocks.length + 1, maxLength: blocks.length + 1 }),
          (gaps) => {
            const parts: string[] = [];
            gaps.forEach((g, i) => {
              parts.push(...g);
              if (i < blocks.length) parts.push(blocks[i] as string);
            });
            expect(requestOf(parts.join('\n'))).toEqual(clean);
          },
        ),
        { numRuns: 60 },
      );
    },
  );
});
