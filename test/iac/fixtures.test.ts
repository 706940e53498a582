// Every example whose fix is a policy change, against a Terraform and a CloudFormation fixture: the diff lands in the right
// file and line, applies, parses back, re-evaluates as allowed, grants nothing more, and keeps the rest of the file.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnoseIac, exampleFiles, FIXTURES, fixesOf, keepsOldLines, roundTrip } from './helpers.js';

interface Case {
  example: string;
  fixture: string;
  target: string;
  file: string;
  line: number;
  address: string;
  tool: string;
  constructPath?: string;
  contains: string;
}

const CASES: Case[] = [
  {
    example: 'missing-identity-allow',
    fixture: 'cfn-yaml',
    target: 'identity-policy',
    file: 'template.yaml',
    line: 30,
    address: 'Resources.ReportsRole',
    tool: 'cloudformation',
    contains: '+        - PolicyName: s3doctor-reports-bucket',
  },
  {
    example: 'missing-identity-allow',
    fixture: 'tf-root',
    target: 'identity-policy',
    file: 'main.tf',
    line: 18,
    address: 'aws_iam_role.reports',
    tool: 'terraform',
    contains: '+resource "aws_iam_role_policy" "reports_s3doctor_reports_bucket" {',
  },
  {
    example: 'missing-identity-allow',
    fixture: 'tf-root',
    target: 'bucket-policy',
    file: 'bucket-policy.tf',
    line: 22,
    address: 'aws_s3_bucket_policy.reports',
    tool: 'terraform',
    contains: '+  statement {',
  },
  {
    example: 'cross-account-no-bucket-policy',
    fixture: 'tf-heredoc',
    target: 'bucket-policy',
    file: 'main.tf',
    line: 17,
    address: 'aws_s3_bucket_policy.reports',
    tool: 'terraform',
    contains: '+          "Sid": "S3doctorGetObject",',
  },
  {
    example: 'cross-account-no-bucket-policy',
    fixture: 'cfn-json',
    target: 'bucket-policy',
    file: 'template.json',
    line: 21,
    address: 'Resources.ReportsBucketPolicy',
    tool: 'cloudformation',
    contains: '+              "Sid": "S3doctorGetObject",',
  },
  {
    example: 'cross-account-no-bucket-policy',
    fixture: 'cdk-app',
    target: 'bucket-policy',
    file: 'cdk.out/ReportsStack.template.json',
    line: 43,
    address: 'Resources.ReportsBucketPolicyB5A9E8C5',
    tool: 'cdk',
    constructPath: 'ReportsStack/ReportsBucket/Policy/Resource',
    contains: '+       "Sid": "S3doctorGetObject",',
  },
  {
    example: 'access-point-no-delegation',
    fixture: 'tf-module',
    target: 'bucket-policy',
    file: 'modules/data-bucket/main.tf',
    line: 25,
    address: 'module.finance.aws_s3_bucket_policy.this',
    tool: 'terraform',
    contains: '"s3:DataAccessPointArn" = "arn:aws:s3:us-east-1:111122223333:accesspoint/finance-share"',
  },
  {
    example: 'access-point-no-delegation',
    fixture: 'cfn-nested',
    target: 'bucket-policy',
    file: 'stacks/bucket.yaml',
    line: 31,
    address: 'Resources.BucketPolicy',
    tool: 'cloudformation',
    contains: '+          - Sid: S3doctorGetObject',
  },
  {
    example: 'kms-cross-account',
    fixture: 'tf-kms',
    target: 'kms-key-policy',
    file: 'main.tf',
    line: 12,
    address: 'aws_kms_key.reports',
    tool: 'terraform',
    contains: '"kms:ViaService" = "s3.us-east-1.amazonaws.com"',
  },
  {
    example: 'kms-cross-account',
    fixture: 'cfn-kms',
    target: 'kms-key-policy',
    file: 'template.yaml',
    line: 15,
    address: 'Resources.ReportsKey.Properties.KeyPolicy',
    tool: 'cloudformation',
    contains: '+          - Sid: S3doctorDecrypt',
  },
  {
    example: 'permissions-boundary',
    fixture: 'tf-boundary',
    target: 'permissions-boundary',
    file: 'policies/boundary.json',
    line: 15,
    address: 'aws_iam_policy.boundary',
    tool: 'terraform',
    contains: '+      "Sid": "S3doctorPutObject",',
  },
  {
    example: 'permissions-boundary',
    fixture: 'sam-boundary',
    target: 'permissions-boundary',
    file: 'template.yaml',
    line: 22,
    address: 'Resources.DeveloperBoundary',
    tool: 'sam',
    contains: '+          - Sid: S3doctorPutObject',
  },
];

describe('IaC fixtures of every example with a policy fix', () => {
  it.each(CASES)(
    '$example -> $fixture ($target)',
    async (c) => {
      const { input, snapshot } = await exampleFiles(c.example);
      const dir = join(FIXTURES, c.fixture);
      const { results, evidence, records } = await diagnoseIac(input, snapshot, dir);
      const found = fixesOf(results[0]!).find((f) => f.fix.patch?.target.type === c.target && f.fix.iac);
      expect(found, 'a fix with iac').toBeDefined();
      const { fix } = found!;
      // A fix of several documents (the KMS key policy and the partner's role): the fixture defines the
      // first; the other is named as unmatched, its JSON patch staying the fix.
      const others = fix.additionalPatches ?? [];
      if (others.length)
        expect(fix.iac!.unmatched).toBe(
          `${others.map((o) => `${o.target.type.replace(/-/g, ' ')} of ${o.target.id}${o.target.name ? ` (${o.target.name})` : ''}: no ${o.target.type === 'identity-policy' ? 'role' : 'bucket'} is defined in the sources`).join('; ')}; the JSON patch above is the fix`,
        );
      else expect(fix.iac!.unmatched).toBeUndefined();
      expect(fix.iac!.patches).toHaveLength(1);
      const p = fix.iac!.patches[0]!;
      expect(p.document).toBe(others.length ? fix.patch!.target.id : undefined);
      expect(p).toMatchObject({
        file: c.file,
        line: c.line,
        address: c.address,
        tool: c.tool,
        verified: true,
        confirmed: true,
      });
      if (c.constructPath) expect(p.constructPath).toBe(c.constructPath);
      expect(p.unresolved).toBeUndefined();
      expect(p.blastRadius?.newlyAllowed).toEqual(fix.blastRadius?.newlyAllowed);
      expect(p.blastRadius?.newlyAllowed).toEqual([]);
      expect(p.diff).toContain(c.contains);
      const account = evidence.buckets[Object.keys(evidence.buckets)[0]!]?.accountId ?? '111122223333';
      const rt = await roundTrip(dir, p, fix, records[0]!, evidence, account, 'us-east-1');
      expect(rt.allowed).toBe(true);
      expect(keepsOldLines(rt.oldText, rt.newText)).toBe(true);
    },
    60_000,
  );
});
