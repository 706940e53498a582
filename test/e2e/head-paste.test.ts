// End-to-end: the `aws s3 cp` HEAD 403 paste (no code, no bucket) says why and takes --bucket/--key/--principal alongside the paste.

import { describe, expect, it } from 'vitest';
import { assertBuilt, FIXTURES, runCli } from './helpers.js';

const PASTE = 'fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden\n';

describe('a pasted HEAD 403', () => {
  assertBuilt();

  it('says HEAD errors carry no code and names the flags that give the missing parts', async () => {
    const r = await runCli(['diagnose', '-'], { input: PASTE });
    expect(r.stderr).toContain('HeadObject was refused with 403 Forbidden and no error code');
    expect(r.stderr).toContain('HEAD responses have no body');
    expect(r.stderr).toContain('--bucket NAME --key KEY --principal ARN');
    expect(r.code).toBe(1);
  });

  it('takes --bucket, --key and --principal alongside the pasted text (no --operation needed)', async () => {
    const r = await runCli(
      [
        'diagnose',
        '-',
        '--bucket',
        'reports-bucket',
        '--key',
        'finance/q1.csv',
        '--principal',
        'arn:aws:sts::111122223333:assumed-role/app/s1',
        '--snapshot',
        `${FIXTURES}/snapshot.json`,
        '--format',
        'json',
      ],
      { input: PASTE },
    );
    expect(r.stderr).not.toContain('no error code');
    const report = JSON.parse(r.stdout) as {
      results: { input: { source: string }; request: Record<string, unknown> }[];
    };
    expect(report.results).toHaveLength(1); // the paste, completed; not a second described request
    expect(report.results[0]!.input.source).toBe('-');
    expect(report.results[0]!.request).toMatchObject({
      principal: 'arn:aws:sts::111122223333:assumed-role/app/s1',
      operation: 'HeadObject',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::reports-bucket/finance/q1.csv',
    });
  });

  it('still checks a --bucket given with an input', async () => {
    const r = await runCli(['diagnose', '-', '--bucket', 'Not A Bucket!'], { input: PASTE });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a bucket name');
  });

  // An SDK error message names the operation and the code, not the bucket (boto3, the AWS CLI, the JS SDK).
  it('a pasted SDK error without a bucket says so, names the flags, and prints no blank action or resource', async () => {
    const r = await runCli(['diagnose', '-'], {
      input: 'An error occurred (AccessDenied) when calling the PutObject operation: Access Denied\n',
    });
    expect(r.stderr).toContain(
      'PutObject was refused with AccessDenied, but the error message names no bucket',
    );
    expect(r.stderr).toContain('--bucket NAME --key KEY --principal ARN');
    expect(r.stdout).toMatch(/^ {2}action {5}unknown$/m);
    expect(r.stdout).toMatch(/^ {2}resource {3}unknown \(the input names no bucket\)$/m);
    const md = await runCli(['diagnose', '-', '--format', 'markdown'], {
      input: 'An error occurred (AccessDenied) when calling the PutObject operation: Access Denied\n',
    });
    expect(md.stdout).toContain('unknown action on an unknown resource');
  });
});
