// A bucket name with dots in a logs-only diagnosis: the collect hints name the whole bucket, not its first label.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from '../e2e/helpers.js';

const LINE = [
  '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be my.dotted.bucket [06/Feb/2026:00:00:38 +0000] 192.0.2.3',
  'arn:aws:sts::111122223333:assumed-role/app/john.doe',
  '3E57427F3EXAMPLE REST.GET.OBJECT reports/q1.v2.csv "GET /my.dotted.bucket/reports/q1.v2.csv HTTP/1.1" 403 AccessDenied 243 - 42 -',
  '"-" "aws-cli/2.15.0" - hostid= SigV4 - AuthHeader s3.us-east-1.amazonaws.com - - -',
].join(' ');

describe('diagnose an access log of a bucket whose name has dots (no evidence)', () => {
  let text = '';
  let json: { unknowns?: { path: string }[] } & Record<string, unknown> = {};

  beforeAll(async () => {
    assertBuilt();
    const d = mkdtempSync(join(tmpdir(), 's3doctor-dotted-'));
    writeFileSync(join(d, 'a.log'), LINE + '\n');
    text = (await runCli(['diagnose', join(d, 'a.log')], { cwd: d })).stdout;
    json = JSON.parse((await runCli(['diagnose', join(d, 'a.log'), '--format', 'json'], { cwd: d })).stdout);
  }, 60_000);

  it('prints collect and head-object commands for the whole bucket name and key', () => {
    expect(text).toContain('s3doctor collect --bucket my.dotted.bucket --out s3doctor-snapshot.json');
    expect(text).toContain('aws s3api head-object --bucket my.dotted.bucket --key reports/q1.v2.csv');
    expect(text).not.toMatch(/--bucket my(?!\.dotted\.bucket)/);
  });

  it('names the evidence with the bucket as one quoted segment', () => {
    const paths = JSON.stringify(json);
    expect(paths).toContain('buckets[\\"my.dotted.bucket\\"].policy');
    expect(paths).not.toContain('buckets.my.dotted');
  });
});
