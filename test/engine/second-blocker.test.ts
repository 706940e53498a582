// A cause certain on the complete evidence stays a cause (certain, or possible: listed, or what an unknown
// could explain) when other evidence becomes unknown, also when the request is refused anyway (issue 12).
// Every policy type that applies must allow: a second blocker still blocks once the first is fixed.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnoseRequest } from '../../src/engine/index.js';
import type { Result } from '../../src/model/index.js';
import { evidenceOf, requestOf, withDefaults } from '../rules/case-kit.js';
import type { CaseDefaults, CaseInput } from '../rules/case-kit.js';

type Obj = Record<string, unknown>;

/** Diagnoses rule case `name` of `file` (under test/rules) with the evidence at `unknown` paths deleted. */
function diagnoseCase(file: string, name: string, unknown: string[][]): Result {
  const f = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'rules', file), 'utf8'),
  ) as CaseDefaults & {
    valid: CaseInput[];
    invalid: CaseInput[];
  };
  const raw = [...f.valid, ...f.invalid].find((c) => c.name === name)!;
  const c = withDefaults(raw as CaseInput & { evidence?: Obj | null }, f);
  const snap = structuredClone({ schemaVersion: 1, ...c.evidence }) as Obj;
  for (const p of unknown) {
    let cur: unknown = snap;
    for (const seg of p.slice(0, -1)) cur = (cur as Obj | undefined)?.[seg];
    delete (cur as Obj)[p[p.length - 1]!];
  }
  const evidence = evidenceOf(snap)!;
  return diagnoseRequest(requestOf(c, undefined, evidence), evidence);
}

const possibleCodes = (r: Result) =>
  new Set([...r.causes.map((c) => c.code), ...r.unknowns.flatMap((u) => u.couldExplain)]);

describe('a certain second blocker stays a cause when other evidence is unknown', () => {
  it('AWS managed key from another account, the partner role policies unknown: a missing kms:Decrypt stays possible', () => {
    // Cross-account KMS needs the key policy AND the caller's identity policy: the aws/s3 key policy can
    // never grant another account, and the partner's policies (unknown) may lack kms:Decrypt as well.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
    const full = diagnoseCase(
      'kms/kms-aws-managed-key-cross-account.cases.json',
      'partner reads an aws/s3 object',
      [],
    );
    expect(full.causes.filter((c) => c.confidence === 'certain').map((c) => c.code)).toContain(
      'missing-allow-kms',
    );
    const r = diagnoseCase(
      'kms/kms-aws-managed-key-cross-account.cases.json',
      'partner reads an aws/s3 object',
      [['principals', 'arn:aws:iam::444455556666:role/partner', 'policies']],
    );
    expect(r.causes[0]).toMatchObject({ code: 'kms-aws-managed-key-cross-account', confidence: 'certain' });
    const u = r.unknowns.find((x) => x.path === 'principals.arn:aws:iam::444455556666:role/partner.policies');
    expect(u?.couldExplain).toContain('missing-allow-kms');
  });

  it('AWS managed key from another account, the key itself unknown: the partner lacks kms:Decrypt for certain and the key may still be aws/s3', () => {
    // The reverse of the case above (FC_SEED=26206 found it): with the key's description unknown, the
    // partner's policy granting kms:Decrypt on another key is a certain missing Allow, and the unknown key
    // could be the aws/s3 key no grant can open to another account, which that fix would not end.
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
    const KEY = 'arn:aws:kms:us-east-1:111122223333:key/aaaa1111-2222-3333-4444-555566667777';
    const r = diagnoseCase(
      'kms/kms-aws-managed-key-cross-account.cases.json',
      'partner reads an aws/s3 object',
      [['kmsKeys', KEY]],
    );
    expect(r.causes[0]).toMatchObject({ code: 'missing-allow-kms', confidence: 'certain' });
    expect(r.unknowns.find((x) => x.path === `kmsKeys.${KEY}`)?.couldExplain).toContain(
      'kms-aws-managed-key-cross-account',
    );
  });

  it('the boundary lacks the action, the bucket and the role policies unknown: the boundary stays a possible cause', () => {
    // A bucket policy naming the role session could allow by itself within the account, so the
    // request may be allowed; if it is not, the boundary that lacks s3:PutObject blocks it.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
    const file = 'boundary/missing-allow-permissions-boundary.cases.json';
    const name = 'boundary allows uploads to another bucket only';
    const full = diagnoseCase(file, name, []);
    expect(full.causes[0]).toMatchObject({
      code: 'missing-allow-permissions-boundary',
      confidence: 'certain',
    });
    const r = diagnoseCase(file, name, [
      ['principals', 'arn:aws:iam::111122223333:role/app', 'policies'],
      ['buckets', 'reports-bucket'],
    ]);
    expect(possibleCodes(r)).toContain('missing-allow-permissions-boundary');
    expect(r.causes.find((c) => c.code === 'missing-allow-permissions-boundary')?.confidence).toBe(
      'possible',
    );
  });
});

describe('what an unknown KMS key could explain follows the account relationship', () => {
  // AWS managed keys (aws/s3) can be used only by principals of the key's own account: a caller of
  // that account can never be refused for using it from another account.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
  const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const couldExplain = (r: Result) => r.unknowns.find((u) => u.path === `kmsKeys.${KEY}`)?.couldExplain;

  it('same account: the key unknown could not be an AWS managed key used from another account', () => {
    const r = diagnoseCase('kms/kms-key-unusable.cases.json', "the object's key is Disabled", [
      ['kmsKeys', KEY],
    ]);
    expect(couldExplain(r)).toContain('kms-key-unusable');
    expect(couldExplain(r)).not.toContain('kms-aws-managed-key-cross-account');
  });

  it('cross account: the key unknown could be an AWS managed key the partner can never use', () => {
    const r = diagnoseCase('kms/missing-allow-kms.cases.json', 'both sides allow kms:Decrypt', [
      ['kmsKeys', KEY],
    ]);
    expect(couldExplain(r)).toContain('kms-aws-managed-key-cross-account');
  });
});
