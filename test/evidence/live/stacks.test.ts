// readStacks against the fake AWS endpoint: the stacks owning physical ids, named stacks, nested stacks, paging, exports, refusals.

import { afterEach, describe, expect, it } from 'vitest';
import { readStacks } from '../../../src/evidence/live/index.js';
import { startFake, type FakeAws, type FakeWorld } from '../../helpers/fake-aws.js';

const ACCOUNT = '111122223333';
const ROLE = 'reports-app-ReportsRole-1A2B3C4D5E6F';

function world(account: Record<string, unknown>, extra: Record<string, unknown> = {}): FakeWorld {
  return {
    caller: { userId: 'AIDAFAKE', account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/dev` },
    accounts: { [ACCOUNT]: account },
    ...extra,
  };
}

const STACKS = {
  'reports-app': {
    parameters: { DataBucketName: 'reports-data', Secret: '****' },
    outputs: [{ key: 'RoleName', value: ROLE }],
    resources: [
      { logicalId: 'ReportsRole', physicalId: ROLE, type: 'AWS::IAM::Role' },
      {
        logicalId: 'Child',
        physicalId: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/reports-child/fake-reports-child`,
        type: 'AWS::CloudFormation::Stack',
      },
    ],
  },
  'reports-child': {
    resources: [{ logicalId: 'Bucket', physicalId: 'reports-child-bucket-x1', type: 'AWS::S3::Bucket' }],
  },
  'shared-keys': {
    outputs: [
      { key: 'KeyArn', value: 'arn:aws:kms:us-east-1:111122223333:key/k1', exportName: 'shared-key' },
    ],
    resources: [{ logicalId: 'Key', physicalId: 'k1', type: 'AWS::KMS::Key' }],
  },
};

let fake: FakeAws | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const cfnOps = (f: FakeAws) => f.calls.filter((c) => c.service === 'cloudformation').map((c) => c.op);

describe('readStacks', () => {
  it('finds the stack owning a physical id, reads its parameters (NoEcho left out), resources, nested stack and exports', async () => {
    fake = await startFake(world({ stacks: STACKS }));
    const r = await readStacks(
      { stacks: [], physicalIds: [{ id: ROLE }, { id: 'not-in-a-stack' }], exports: true },
      { clientOptions: fake.clientOptions() },
    );
    expect(r.notes).toEqual([]);
    expect(r.stacks).toEqual(['reports-app', 'reports-child']);
    expect(r.documents).toContainEqual({
      Stacks: [
        {
          StackName: 'reports-app',
          Parameters: [{ ParameterKey: 'DataBucketName', ParameterValue: 'reports-data' }],
          Outputs: [{ OutputValue: ROLE }],
        },
      ],
    });
    const resources = r.documents.flatMap((d) => (d.StackResources as object[] | undefined) ?? []);
    expect(resources).toContainEqual({
      StackName: 'reports-app',
      LogicalResourceId: 'ReportsRole',
      PhysicalResourceId: ROLE,
      ResourceType: 'AWS::IAM::Role',
    });
    expect(resources).toContainEqual({
      StackName: 'reports-child',
      LogicalResourceId: 'Bucket',
      PhysicalResourceId: 'reports-child-bucket-x1',
      ResourceType: 'AWS::S3::Bucket',
    });
    expect(r.documents).toContainEqual({
      Exports: [{ Name: 'shared-key', Value: 'arn:aws:kms:us-east-1:111122223333:key/k1' }],
    });
    // The lookup by physical id already returned the parent's resources: not asked again.
    expect(cfnOps(fake).filter((o) => o === 'DescribeStackResources')).toHaveLength(3);
  });

  it('a named stack with more than 100 resources is listed page by page with ListStackResources', async () => {
    const many = Array.from({ length: 120 }, (_, i) => ({
      logicalId: `Topic${i}`,
      physicalId: `topic-${i}`,
      type: 'AWS::SNS::Topic',
    }));
    fake = await startFake({
      ...world({ stacks: { big: { resources: many } } }),
      pageSize: 50,
    });
    const r = await readStacks(
      { stacks: [{ name: 'big' }], physicalIds: [], exports: false },
      { clientOptions: fake.clientOptions() },
    );
    const resources = r.documents.flatMap((d) => (d.StackResources as object[] | undefined) ?? []);
    expect(resources).toHaveLength(120);
    expect(cfnOps(fake).filter((o) => o === 'ListStackResources')).toHaveLength(3);
  });

  it('refused calls are named, not fatal; a stack that does not exist is named', async () => {
    fake = await startFake(
      world({ stacks: STACKS, cloudformationDenied: ['DescribeStackResources', 'ListExports'] }),
    );
    const r = await readStacks(
      { stacks: [{ name: 'reports-app' }, { name: 'gone' }], physicalIds: [{ id: ROLE }], exports: true },
      { clientOptions: fake.clientOptions() },
    );
    expect(r.notes).toEqual([
      `the stacks of ${ROLE} are unknown (AccessDenied on cloudformation:DescribeStackResources): sources are matched by names and ARNs only`,
      'the resources of stack reports-app are unknown (AccessDenied on cloudformation:DescribeStackResources): generated names in its template stay unresolved, sources are matched by names and ARNs',
      'stack gone was not found: its parameters and resources are unknown',
      'the exports are unknown (AccessDenied on cloudformation:ListExports): !ImportValue stays unresolved',
    ]);
    // The parameters were still read.
    expect(JSON.stringify(r.documents)).toContain('"DataBucketName"');
  });
});
