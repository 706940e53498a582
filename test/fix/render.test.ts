// Unified diffs of the patched documents and the AWS CLI commands that would apply them.

import { describe, expect, it } from 'vitest';
import {
  addIdentityStatement,
  addKeyPolicyStatement,
  addResourceStatement,
  bucketPublicAccessBlockChange,
  objectOwnershipChange,
} from '../../src/fix/builders.js';
import { cliCommands, patchFileName, renderDiff } from '../../src/fix/render.js';
import type { PolicyPatch } from '../../src/model/cause.js';
import { fixture, session, user } from './helpers.js';

const OBJ = 'arn:aws:s3:::reports-bucket/2026/q3.csv';
const KEY = 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('renderDiff', () => {
  it('renders a unified diff of the 2-space JSON documents', () => {
    const before = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: OBJ }],
    };
    const after = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: OBJ }],
    };
    const diff = renderDiff(before, after, 'p.json');
    expect(diff).toContain('--- a/p.json');
    expect(diff).toContain('+++ b/p.json');
    expect(diff).toContain('-      "Action": "s3:GetObject",');
    expect(diff).toContain('+      "Action": [');
    expect(diff).toContain('+        "s3:PutObject"');
    expect(diff).toMatch(/^@@ -3,7 \+3,10 @@$/m);
  });

  it('shows a new document as all additions', () => {
    const diff = renderDiff(null, { Statement: [] });
    expect(diff).toContain('@@ -0,0 +1,3 @@');
    expect(diff).toContain('+  "Statement": []');
  });
});

describe('cliCommands', () => {
  it('put-role-policy for a role inline policy, with the saved file name', () => {
    const fix = addIdentityStatement(
      fixture('same-account'),
      session('111122223333', 'app'),
      ['s3:GetObject'],
      [OBJ],
    );
    const patch = fix.patch as PolicyPatch;
    expect(patchFileName(patch)).toBe('s3doctor-patch-111122223333-role-app-s3doctor-reports-bucket.json');
    expect(cliCommands(patch)).toEqual([
      'aws iam put-role-policy --role-name app --policy-name s3doctor-reports-bucket --policy-document file://s3doctor-patch-111122223333-role-app-s3doctor-reports-bucket.json  # for account 111122223333',
    ]);
  });

  it('put-user-policy with a backup of the current inline policy', () => {
    const fix = addIdentityStatement(
      fixture('same-account'),
      user('111122223333', 'alice'),
      ['s3:PutObject'],
      [OBJ],
    );
    expect(cliCommands(fix.patch as PolicyPatch)).toEqual([
      'aws iam get-user-policy --user-name alice --policy-name s3doctor-reports-bucket --query PolicyDocument --output json > s3doctor-backup-111122223333-user-alice-s3doctor-reports-bucket.json  # for account 111122223333',
      'aws iam put-user-policy --user-name alice --policy-name s3doctor-reports-bucket --policy-document file://s3doctor-patch-111122223333-user-alice-s3doctor-reports-bucket.json  # for account 111122223333',
    ]);
  });

  it('put-bucket-policy, put-access-point-policy and put-key-policy', () => {
    const cross = fixture('cross-account-kms');
    const app = session('111122223333', 'app');
    const bucket = addResourceStatement(
      cross,
      'partner-data',
      app,
      ['s3:GetObject'],
      ['arn:aws:s3:::partner-data/x'],
    );
    expect(cliCommands(bucket.patch as PolicyPatch)).toEqual([
      'aws s3api get-bucket-policy --bucket partner-data --query Policy --output text > s3doctor-backup-bucket-partner-data.json',
      'aws s3api put-bucket-policy --bucket partner-data --policy file://s3doctor-patch-bucket-partner-data.json',
    ]);
    const ap = fixture('access-point');
    const apArn = 'arn:aws:s3:eu-west-1:444455556666:accesspoint/partners';
    const apFix = addResourceStatement(ap, apArn, app, ['s3:GetObject'], [`${apArn}/object/x`]);
    expect(cliCommands(apFix.patch as PolicyPatch)).toEqual([
      'aws s3control put-access-point-policy --account-id 444455556666 --name partners --region eu-west-1 --policy file://s3doctor-patch-444455556666-access-point-partners.json',
    ]);
    const key = addKeyPolicyStatement(cross, KEY, app, ['kms:Decrypt']);
    expect(cliCommands(key.patch as PolicyPatch)).toEqual([
      `aws kms get-key-policy --key-id ${KEY} --policy-name default --query Policy --output text --region eu-west-1 > s3doctor-backup-key-1234abcd-12ab-34cd-56ef-1234567890ab.json`,
      `aws kms put-key-policy --key-id ${KEY} --policy-name default --policy file://s3doctor-patch-key-1234abcd-12ab-34cd-56ef-1234567890ab.json --region eu-west-1`,
    ]);
  });

  it('modify-vpc-endpoint, put-public-access-block and put-bucket-ownership-controls', () => {
    expect(
      cliCommands({
        target: { type: 'vpc-endpoint-policy', id: 'vpce-0abc' },
        before: null,
        after: { Statement: [] },
      }),
    ).toEqual([
      'aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0abc --policy-document file://s3doctor-patch-vpc-endpoint-policy-vpce-0abc.json',
    ]);
    const same = fixture('same-account');
    const bpa = bucketPublicAccessBlockChange(same, 'reports-bucket', { RestrictPublicBuckets: false });
    expect(cliCommands(bpa.patch as PolicyPatch)).toEqual([
      'aws s3api put-public-access-block --bucket reports-bucket --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=false',
    ]);
    const own = objectOwnershipChange({ ...same, buckets: { b: { objectOwnership: null } } }, 'b');
    expect(cliCommands(own.patch as PolicyPatch)).toEqual([
      "aws s3api put-bucket-ownership-controls --bucket b --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'",
    ]);
  });

  it('put-group-policy for a group inline policy, named by the group, with a backup', () => {
    const patch: PolicyPatch = {
      target: {
        type: 'identity-policy',
        id: 'arn:aws:iam::111122223333:user/alice',
        name: 'guard',
        group: 'devs',
      },
      before: { Version: '2012-10-17', Statement: [] },
      after: { Version: '2012-10-17', Statement: [] },
    };
    expect(patchFileName(patch)).toBe('s3doctor-patch-111122223333-group-devs-guard.json');
    expect(cliCommands(patch)).toEqual([
      'aws iam get-group-policy --group-name devs --policy-name guard --query PolicyDocument --output json > s3doctor-backup-111122223333-group-devs-guard.json  # for account 111122223333',
      'aws iam put-group-policy --group-name devs --policy-name guard --policy-document file://s3doctor-patch-111122223333-group-devs-guard.json  # for account 111122223333',
    ]);
    expect(cliCommands({ ...patch, beforeUnknown: true })).toEqual([]);
  });

  it('a KMS key state change: enable-key, or cancel-key-deletion then enable-key', () => {
    const id = 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const patch = (state: string): PolicyPatch => ({
      target: { type: 'kms-key-state', id },
      before: { KeyState: state },
      after: { KeyState: 'Enabled' },
    });
    expect(cliCommands(patch('Disabled'))).toEqual([`aws kms enable-key --key-id ${id} --region eu-west-1`]);
    expect(cliCommands(patch('PendingDeletion'))).toEqual([
      `aws kms cancel-key-deletion --key-id ${id} --region eu-west-1`,
      `aws kms enable-key --key-id ${id} --region eu-west-1`,
    ]);
  });

  it('no command that would overwrite a document the evidence does not show', () => {
    const ev = fixture('same-account');
    delete ev.buckets['reports-bucket']?.policy;
    const fix = addResourceStatement(
      ev,
      'reports-bucket',
      user('111122223333', 'bob'),
      ['s3:GetObject'],
      [OBJ],
    );
    expect(fix.patch?.beforeUnknown).toBe(true);
    expect(cliCommands(fix.patch as PolicyPatch)).toEqual([]);
  });

  it('never prints secrets: commands carry only names, ARNs and file names', () => {
    const fix = addIdentityStatement(
      fixture('same-account'),
      session('111122223333', 'app'),
      ['s3:GetObject'],
      [OBJ],
    );
    for (const c of cliCommands(fix.patch as PolicyPatch)) expect(c).not.toMatch(/AKIA|ASIA|secret|token/i);
  });
});
