// The KMS authorization when the key is known only by its alias: KMS authorizes kms:Decrypt and
// kms:GenerateDataKey on the key ARN, and an alias ARN in a policy's Resource controls the alias only,
// so a policy's grant on the key cannot be judged from the alias: it is unknown, never a certain miss.
// https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html
// https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../src/authz/index.js';
import { diagnose } from '../../src/engine/index.js';
import { readText } from '../../src/logs/index.js';
import type { LogRecord } from '../../src/model/index.js';
import { toS3Request } from '../../src/request/index.js';
import { evidenceOf } from '../rules/case-kit.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EX = join(ROOT, 'examples', 'aws-managed-key-cross-account');
const OBJ = 'shared/2026-09.parquet';
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function exampleRecord(edit: (text: string) => string = (t) => t): LogRecord {
  const item = readText(edit(readFileSync(join(EX, 'event.json'), 'utf8')), 'event.json').find(
    (i) => i.kind === 'record',
  );
  if (!item || item.kind !== 'record') throw new Error('no record');
  return item.record;
}
const snapshot = (): Obj => JSON.parse(readFileSync(join(EX, 'snapshot.json'), 'utf8')) as Obj;

describe('a KMS key known only by its alias', () => {
  it('the aws/s3 key of another account: the key policy blocks, the identity side is no certain missing Allow', () => {
    // HeadObject unread (no kmsKeyId) and the key not described: only "alias/aws/s3" (the bucket
    // default without a key id) names the key. The role's policy grants kms:Decrypt on key/* of
    // the key's account, which covers the real key: "missing-allow-kms (certain)" was false.
    const s = snapshot();
    delete s.buckets['reports-bucket'].objects[OBJ].kmsKeyId;
    s.kmsKeys = {};
    const r = diagnose(exampleRecord(), evidenceOf(s)!);
    expect(r.decision).toBe('ImplicitDeny');
    expect(r.causes.map((c) => [c.code, c.confidence])).toEqual([
      ['kms-aws-managed-key-cross-account', 'certain'],
    ]);
    // With the key described, the verdict is the same (soundness: the alias-only answer held).
    const full = diagnose(exampleRecord(), evidenceOf(snapshot())!);
    expect(full.causes.filter((c) => c.confidence === 'certain').map((c) => c.code)).toEqual([
      'kms-aws-managed-key-cross-account',
    ]);
  });

  it('a customer key named by alias in the bucket default: a grant on a key ARN is unknown, and the unknown names the alias', () => {
    // Same-account caller; the bucket's default encryption names the key by alias ARN (allowed by
    // PutBucketEncryption); the identity policy grants on one key ARN, which may be that alias's key.
    const A = '111122223333';
    const ALIAS = `arn:aws:kms:us-east-1:${A}:alias/reports`;
    const s = snapshot();
    const role = s.principals['arn:aws:iam::444455556666:role/partner-etl'];
    const SESSION = `arn:aws:sts::${A}:assumed-role/reader/r1`;
    s.principals = { [`arn:aws:iam::${A}:role/reader`]: role };
    role.policies[0].document.Statement[1].Resource = `arn:aws:kms:us-east-1:${A}:key/0f1e2d3c-1111-2222-3333-444455556666`;
    s.sessions = { [SESSION]: { sessionPolicy: null } };
    const b = s.buckets['reports-bucket'];
    b.policy = null;
    b.encryption = { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: ALIAS, BucketKeyEnabled: false };
    delete b.objects[OBJ].kmsKeyId;
    s.kmsKeys = {};
    const ev = evidenceOf(s)!;
    // The same event, made by the session of a role in the bucket's account.
    const record = exampleRecord((t) =>
      t
        .replaceAll('444455556666', A)
        .replaceAll('partner-etl/etl-run-42', 'reader/r1')
        .replaceAll('partner-etl', 'reader'),
    );
    const req = toS3Request(record, {
      canonicalIds: ev.canonicalIds,
      bucketAccounts: { 'reports-bucket': A },
    });
    const kms = evaluateRequest(req, ev).authorizations.find((a) => a.request.action === 'kms:Decrypt');
    // The key policy is unknown too (it may hold a Deny): every decision stays open.
    expect(kms?.possibleDecisions).toEqual(['ExplicitDeny', 'Allowed', 'ImplicitDeny']);
    expect(kms?.request.principal).toMatchObject({ arn: SESSION });
    const id = kms?.layers.find((l) => l.layer === 'kms-identity-policy');
    expect(id?.outcome).toBe('unknown');
    expect(id?.missingEvidence).toContain(`kmsKeys.${ALIAS}`);
    const r = diagnose(record, ev);
    expect(r.causes.filter((c) => c.confidence === 'certain').map((c) => c.code)).not.toContain(
      'missing-allow-kms',
    );
    const u = r.unknowns.find((x) => x.path === `kmsKeys.${ALIAS}`);
    expect(u?.couldExplain).toContain('missing-allow-kms');
    // Granting on the alias ARN instead never grants kms:Decrypt on the key: still unknown here
    // (the alias's key could also be matched by another statement), never certainly allowed.
    role.policies[0].document.Statement[1].Resource = ALIAS;
    const again = evaluateRequest(req, evidenceOf(s)!).authorizations.find(
      (a) => a.request.action === 'kms:Decrypt',
    );
    expect(again?.possibleDecisions).toContain('ImplicitDeny');
    expect(again?.certain).toBe(false);
  });
});
