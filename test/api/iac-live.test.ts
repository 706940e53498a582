// The library API's `iacLive`: diagnose with --iac sources reads the templates' stacks (fake AWS endpoint) as the CLI does.

import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { collect, diagnose, type IacPatch } from '../../src/api/index.js';
import { startFake, type FakeAws } from '../helpers/fake-aws.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, 'test/fixtures/iac-live');
const ACCOUNT = '111122223333';
const ROLE = 'reports-app-ReportsRole-1A2B3C4D5E6F';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/5e1f0c2a-1111-2222-3333-444455556666`;

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

it('iacLive: the stack owning the role settles the source; what could not be read goes to onNote', async () => {
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadReports',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::reports-data/reports/*',
      },
      { Sid: 'DecryptShared', Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY },
    ],
  };
  fake = await startFake({
    caller: { userId: 'AIDAFAKE', account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/dev` },
    buckets: { 'reports-data': { ownership: 'BucketOwnerEnforced', objects: { 'exports/2026.csv': {} } } },
    accounts: {
      [ACCOUNT]: {
        roles: { [ROLE]: { inline: { 's3doctor-reports-data': policy } } },
        stacks: {
          'reports-app': {
            parameters: { DataBucketName: 'reports-data' },
            resources: [{ logicalId: 'ReportsRole', physicalId: ROLE, type: 'AWS::IAM::Role' }],
          },
        },
        cloudformationDenied: ['ListExports'],
      },
    },
  });
  const live = { clientOptions: fake.clientOptions() };
  const input = join(DIR, 'event.json');
  const evidence = await collect(input, live);
  const notes: string[] = [];
  const report = await diagnose(input, {
    evidence,
    evidenceKind: 'live',
    sessionPolicy: { kind: 'none' },
    iac: join(DIR, 'cfn'),
    iacLive: { live, onNote: (n) => notes.push(n) },
  });
  const patch = report.results[0]!.causes.flatMap((c) => c.fixes).find((f) => f.iac)?.iac?.patches[0] as
    IacPatch | undefined;
  // The role is confirmed by its physical id and the parameter resolved; the exports were refused, so the
  // !ImportValue is named and the live policy's value used.
  expect(patch).toMatchObject({ file: 'template.yaml', line: 32, confirmed: true, verified: true });
  expect(patch!.unresolved).toEqual(['!ImportValue shared-data-key-arn']);
  expect(notes).toEqual([
    'the exports are unknown (AccessDenied on cloudformation:ListExports): !ImportValue stays unresolved',
  ]);
});
