// End-to-end: the sentences a report prints about accounts, layers and keys are true of the request
// they describe when the input leaves the caller, the session policy or the KMS key unknown.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertBuilt, runCli } from './helpers.js';

interface JsonResult {
  decision: string;
  causes: { code: string; confidence: string; explanation: string }[];
  unknowns: { path: string; couldExplain: string[] }[];
}

const dir = mkdtempSync(join(tmpdir(), 's3doctor-sentences-'));
const example = (name: string, file: string) => join(ROOT, 'examples', name, file);
/** A JSON file as a loose tree to edit (examples' snapshots and events). */
interface Tree {
  [k: string]: Tree;
}
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Tree;

/** Writes `data` as a file in the test's folder and returns its path. */
function put(name: string, data: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
  return p;
}

async function diagnose(...args: string[]): Promise<JsonResult> {
  const r = await runCli(['diagnose', ...args, '--format', 'json']);
  expect(r.code, r.stderr).not.toBe(2);
  const [first] = (JSON.parse(r.stdout) as { results: JsonResult[] }).results;
  return first!;
}

const PASTED = 'An error occurred (AccessDenied) when calling the GetObject operation: Access Denied\n';
const CROSS_ACCOUNT_SENTENCE = 'a caller from outside the bucket owner account needs a grant there.';

beforeAll(() => assertBuilt());

// Cross-account access needs a grant in the bucket policy; within one account the identity policy
// suffices. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
describe('missing-allow-bucket-policy says only what the input shows of the caller', () => {
  it('a pasted error without a principal: the caller is not said to be from another account', async () => {
    const r = await diagnose(
      put('pasted.txt', PASTED),
      '--snapshot',
      example('cross-account-no-bucket-policy', 'snapshot.json'),
      '--bucket',
      'reports-bucket',
      '--key',
      'shared/2026-11.parquet',
    );
    const c = r.causes.find((x) => x.code === 'missing-allow-bucket-policy');
    expect(c, JSON.stringify(r.causes)).toBeDefined();
    expect(c!.explanation).not.toContain(`; ${CROSS_ACCOUNT_SENTENCE}`);
    expect(c!.explanation).toContain('the input does not show which account the caller is in');
  });

  it('an access-log line with requester "-": the caller is anonymous, not another account', async () => {
    const line = readFileSync(example('cross-account-no-bucket-policy', 'input.log'), 'utf8').replace(
      'arn:aws:sts::444455556666:assumed-role/partner-etl/etl-run-42',
      '-',
    );
    const snap = readJson(example('cross-account-no-bucket-policy', 'snapshot.json'));
    (snap.buckets!['reports-bucket'] as Record<string, unknown>).policy = null;
    const r = await diagnose(put('anonymous.log', line), '--snapshot', put('anonymous-snap.json', snap));
    const c = r.causes.find((x) => x.code === 'missing-allow-bucket-policy');
    expect(c, JSON.stringify(r.causes)).toBeDefined();
    expect(c!.explanation).not.toContain('outside the bucket owner account');
    expect(c!.explanation).toContain('an anonymous caller needs a grant there');
  });

  it('a cross-account caller keeps the cross-account sentence', async () => {
    const snap = readJson(example('cross-account-no-bucket-policy', 'snapshot.json'));
    (snap.buckets!['reports-bucket'] as Record<string, unknown>).policy = null;
    const r = await diagnose(
      example('cross-account-no-bucket-policy', 'input.log'),
      '--snapshot',
      put('cross-snap.json', snap),
    );
    const c = r.causes.find((x) => x.code === 'missing-allow-bucket-policy');
    expect(c!.explanation).toContain(CROSS_ACCOUNT_SENTENCE);
  });
});

// A session policy only limits what the identity-based policies grant: when they grant nothing, the
// session policy cannot make the request allowed, only add a Deny.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
describe('an unknown session policy could explain only what could change the verdict', () => {
  const snapshot = () => {
    const snap = readJson(example('missing-identity-allow', 'snapshot.json'));
    delete snap.sessions;
    return put('no-session.json', snap);
  };
  const sessionUnknown = (r: JsonResult) => r.unknowns.find((u) => u.path.startsWith('sessions.'));

  it('"Access Denied" alone: the session policy could hold a Deny, but its missing Allow changes nothing', async () => {
    const event = readJson(example('missing-identity-allow', 'event.json'));
    (event as Record<string, unknown>).errorMessage = 'Access Denied';
    const r = await diagnose(put('plain-event.json', event), '--snapshot', snapshot());
    expect(r.causes[0]).toMatchObject({ code: 'missing-allow-identity-policy', confidence: 'certain' });
    const u = sessionUnknown(r);
    expect(u?.couldExplain).toEqual(['explicit-deny-session-policy']);
  });

  it('"no identity-based policy allows": the unknown session policy can change nothing and is not listed', async () => {
    const r = await diagnose(example('missing-identity-allow', 'event.json'), '--snapshot', snapshot());
    expect(r.causes[0]).toMatchObject({ code: 'missing-allow-identity-policy', confidence: 'certain' });
    expect(sessionUnknown(r)).toBeUndefined();
  });
});

// Requester Pays: only callers from another account than the bucket owner's must acknowledge the charge.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html
describe('the unknown the requester-pays step names is the one that is unknown', () => {
  it("a pasted error on a Requester Pays bucket: the caller's account is unknown, not the bucket's", async () => {
    const r = await diagnose(
      put('rp.txt', PASTED),
      '--snapshot',
      example('requester-pays', 'snapshot.json'),
      '--bucket',
      'open-genomes-rp',
      '--key',
      'cohort-7/sample-0042.vcf.gz',
    );
    expect(r.unknowns.map((u) => u.path)).not.toContain('buckets.open-genomes-rp.accountId');
    const caller = r.unknowns.find((u) => u.path === 'principal');
    expect(caller?.couldExplain).toContain('requester-pays-not-acknowledged');
  });
});

// S3 decrypts SSE-KMS objects with the key recorded on the object.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
describe('a KMS key that is not known is named as unknown, not as key/*', () => {
  it('simulate on an object whose encryption is not in the evidence', async () => {
    const snap = readJson(example('kms-cross-account', 'snapshot.json'));
    delete snap.buckets!['reports-bucket']!.objects;
    delete snap.buckets!['reports-bucket']!.encryption;
    const req = put('kms-req.json', {
      principal: 'arn:aws:sts::444455556666:assumed-role/partner-etl/etl-run-42',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::reports-bucket/shared/2026-10.parquet',
    });
    const r = await runCli(['simulate', '--request', req, '--snapshot', put('kms-snap.json', snap)]);
    expect(r.code, r.stderr).not.toBe(2);
    expect(r.stdout).not.toContain('key/*');
    expect(r.stdout).toMatch(
      /kms:Decrypt on the SSE-KMS key S3 would use \(unknown: buckets\.reports-bucket/,
    );
  });
});
