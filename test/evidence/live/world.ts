// A two-account world for the fake AWS endpoint and the requests the live collector tests send.

import type { Principal, S3Request } from '../../../src/model/request.js';
import type { FakeWorld } from '../../helpers/fake-aws.js';

export const CALLER = '111122223333';
export const OTHER = '444455556666';
export const MANAGEMENT = '999988887777';
export const KEY_ARN = 'arn:aws:kms:us-west-2:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';
export const CANONICAL = { [CALLER]: 'a'.repeat(64), [OTHER]: 'b'.repeat(64) };

const allow = (action: string | string[], resource: string | string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
});

/** A fresh world (tests mutate it to inject errors). */
export function world(): FakeWorld {
  return {
    caller: { userId: 'AROACALLER:me', account: CALLER, arn: `arn:aws:sts::${CALLER}:assumed-role/admin/me` },
    canonicalIds: CANONICAL,
    managedPolicies: {
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess': {
        document: allow(['s3:Get*', 's3:List*'], '*'),
        version: 'v3',
      },
    },
    accounts: {
      [CALLER]: {
        roles: {
          app: {
            path: '/service/',
            id: 'AROAAPP',
            tags: { team: 'data' },
            boundary: `arn:aws:iam::${CALLER}:policy/Boundary`,
            inline: { ReadReports: allow('s3:GetObject', 'arn:aws:s3:::reports-bucket/*') },
            attached: [`arn:aws:iam::${CALLER}:policy/AppBase`],
          },
        },
        users: {
          alice: {
            id: 'AIDAALICE',
            inline: { Own: allow('s3:ListBucket', 'arn:aws:s3:::local-bucket') },
            attached: [],
            groups: ['devs'],
          },
        },
        groups: {
          devs: {
            inline: { DevRead: allow('s3:GetObject', 'arn:aws:s3:::local-bucket/*') },
            attached: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
          },
        },
        policies: {
          [`arn:aws:iam::${CALLER}:policy/AppBase`]: {
            document: allow('kms:Decrypt', KEY_ARN),
            version: 'v2',
          },
          [`arn:aws:iam::${CALLER}:policy/Boundary`]: { document: allow(['s3:*', 'kms:*'], '*') },
        },
        publicAccessBlock: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
        vpcEndpoints: {
          'vpce-0abc': {
            vpcId: 'vpc-1',
            region: 'us-east-1',
            policy: allow('s3:*', 'arn:aws:s3:::local-bucket/*'),
          },
        },
      },
      [OTHER]: {
        roles: { 's3doctor-read': {} },
      },
    },
    buckets: {
      'reports-bucket': {
        account: OTHER,
        region: 'us-west-2',
        policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AppRead',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${CALLER}:role/service/app` },
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::reports-bucket/*',
            },
          ],
        },
        ownership: 'BucketOwnerEnforced',
        publicAccessBlock: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: false,
        },
        encryption: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN, BucketKeyEnabled: true },
        requestPayment: 'BucketOwner',
        objects: {
          '2026/q3.csv': {
            head: { sse: 'aws:kms', kmsKeyId: KEY_ARN },
            tags: { classification: 'internal' },
          },
        },
      },
      'local-bucket': {
        account: CALLER,
        region: 'us-east-1',
        objects: {
          'a.txt': {
            owner: OTHER,
            head: { storageClass: 'GLACIER', restore: 'ongoing-request="true"' },
            acl: { owner: CANONICAL[OTHER], grants: [{ id: CANONICAL[OTHER], permission: 'FULL_CONTROL' }] },
          },
        },
      },
    },
    kmsKeys: {
      [KEY_ARN]: {
        account: OTHER,
        region: 'us-west-2',
        aliases: ['alias/reports'],
        policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Admin',
              Effect: 'Allow',
              Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        },
      },
    },
    organization: {
      id: 'o-abc123',
      managementAccount: MANAGEMENT,
      members: [CALLER, OTHER, MANAGEMENT],
      readers: [MANAGEMENT],
      parents: { [CALLER]: 'ou-ab12-11111111', [OTHER]: 'ou-ab12-11111111', 'ou-ab12-11111111': 'r-ab12' },
      attachments: {
        'r-ab12': ['p-full', 'p-rcpfull'],
        'ou-ab12-11111111': ['p-deny'],
        [CALLER]: [],
        [OTHER]: [],
      },
      policies: {
        'p-full': { name: 'FullAWSAccess', type: 'SERVICE_CONTROL_POLICY', document: allow('*', '*') },
        'p-deny': {
          name: 'DenyLeaveOrg',
          type: 'SERVICE_CONTROL_POLICY',
          document: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }],
          },
        },
        'p-rcpfull': { name: 'RCPFullAWSAccess', type: 'RESOURCE_CONTROL_POLICY', document: allow('*', '*') },
      },
    },
  };
}

/** The app role's session, as an access log names it (no role path). */
export const appSession: Principal = {
  kind: 'role-session',
  arn: `arn:aws:sts::${CALLER}:assumed-role/app/worker-1`,
  roleArn: `arn:aws:iam::${CALLER}:role/app`,
  rolePathKnown: false,
  roleName: 'app',
  sessionName: 'worker-1',
  accountId: CALLER,
};

/** An IAM user. */
export function user(name: string, account = CALLER): Principal {
  return { kind: 'iam-user', arn: `arn:aws:iam::${account}:user/${name}`, accountId: account, name };
}

/** A role session of `role` in `account`. */
export function session(role: string, account = CALLER, name = 's'): Principal {
  return {
    kind: 'role-session',
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
    roleArn: `arn:aws:iam::${account}:role/${role}`,
    rolePathKnown: false,
    roleName: role,
    sessionName: name,
    accountId: account,
  };
}

/** A GetObject request (or another object operation) as the request helper would build it. */
export function objectRequest(
  principal: Principal,
  bucket: string,
  key: string,
  opts: {
    operation?: string;
    action?: string;
    resourceAccount?: string;
    context?: Record<string, string>;
    dataAccess?: 'read' | 'write' | 'none';
  } = {},
): S3Request {
  return {
    principal,
    authorizations: [
      {
        principal,
        action: opts.action ?? 's3:GetObject',
        resource: `arn:aws:s3:::${bucket}/${key}`,
        ...(opts.resourceAccount ? { resourceAccount: opts.resourceAccount } : {}),
        context: { 'aws:SecureTransport': 'true', ...(opts.context ?? {}) },
        unknownKeys: [],
        need: 'required',
      },
    ],
    s3: { operation: opts.operation ?? 'GetObject', bucket, key, dataAccess: opts.dataAccess ?? 'read' },
    unknownKeys: [],
  };
}
