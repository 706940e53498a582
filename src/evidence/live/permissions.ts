// Every AWS SDK command the live collectors send, with the IAM action it needs (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
// The table drives the `notes` reasons ("AccessDenied on s3:GetBucketPolicy") and a test checks
// that examples/collector-policy.json grants every action listed here.
// Sources: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html ,
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html

/** The AWS services the collectors talk to (one SDK client package each). */
export type LiveService =
  's3' | 's3control' | 'iam' | 'sts' | 'organizations' | 'kms' | 'ec2' | 'cloudtrail' | 'cloudformation';

/** One command: its service and the IAM action that authorizes it (`null`: needs no permission). */
export interface CommandPermission {
  service: LiveService;
  action: string | null;
}

/** SDK command class name -> service and IAM action. */
export const COMMAND_PERMISSIONS = {
  // STS: GetCallerIdentity needs no permission (it cannot be denied by policy).
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
  GetCallerIdentityCommand: { service: 'sts', action: null },
  AssumeRoleCommand: { service: 'sts', action: 'sts:AssumeRole' },
  // S3 bucket configuration.
  GetBucketLocationCommand: { service: 's3', action: 's3:GetBucketLocation' },
  // HeadBucket is authorized by s3:ListBucket (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html).
  HeadBucketCommand: { service: 's3', action: 's3:ListBucket' },
  GetBucketPolicyCommand: { service: 's3', action: 's3:GetBucketPolicy' },
  GetBucketAclCommand: { service: 's3', action: 's3:GetBucketAcl' },
  GetBucketOwnershipControlsCommand: { service: 's3', action: 's3:GetBucketOwnershipControls' },
  GetPublicAccessBlockCommand: { service: 's3', action: 's3:GetBucketPublicAccessBlock' },
  GetBucketEncryptionCommand: { service: 's3', action: 's3:GetEncryptionConfiguration' },
  GetBucketRequestPaymentCommand: { service: 's3', action: 's3:GetBucketRequestPayment' },
  GetObjectLockConfigurationCommand: { service: 's3', action: 's3:GetBucketObjectLockConfiguration' },
  // Logging readiness (`s3doctor logging --live`): server access logging and lifecycle rules.
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLogging.html ,
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLifecycleConfiguration.html (s3:GetLifecycleConfiguration)
  GetBucketLoggingCommand: { service: 's3', action: 's3:GetBucketLogging' },
  GetBucketLifecycleConfigurationCommand: { service: 's3', action: 's3:GetLifecycleConfiguration' },
  // S3 objects. HeadObject is authorized by s3:GetObject.
  HeadObjectCommand: { service: 's3', action: 's3:GetObject' },
  GetObjectAclCommand: { service: 's3', action: 's3:GetObjectAcl' },
  GetObjectRetentionCommand: { service: 's3', action: 's3:GetObjectRetention' },
  GetObjectLegalHoldCommand: { service: 's3', action: 's3:GetObjectLegalHold' },
  GetObjectTaggingCommand: { service: 's3', action: 's3:GetObjectTagging' },
  // S3 Control (the account BPA shares its class name with the bucket one: told apart by service).
  'S3Control.GetPublicAccessBlockCommand': { service: 's3control', action: 's3:GetAccountPublicAccessBlock' },
  GetAccessPointCommand: { service: 's3control', action: 's3:GetAccessPoint' },
  GetAccessPointPolicyCommand: { service: 's3control', action: 's3:GetAccessPointPolicy' },
  // IAM, targeted reads.
  GetUserCommand: { service: 'iam', action: 'iam:GetUser' },
  GetRoleCommand: { service: 'iam', action: 'iam:GetRole' },
  ListUserPoliciesCommand: { service: 'iam', action: 'iam:ListUserPolicies' },
  GetUserPolicyCommand: { service: 'iam', action: 'iam:GetUserPolicy' },
  ListAttachedUserPoliciesCommand: { service: 'iam', action: 'iam:ListAttachedUserPolicies' },
  ListGroupsForUserCommand: { service: 'iam', action: 'iam:ListGroupsForUser' },
  ListGroupPoliciesCommand: { service: 'iam', action: 'iam:ListGroupPolicies' },
  GetGroupPolicyCommand: { service: 'iam', action: 'iam:GetGroupPolicy' },
  ListAttachedGroupPoliciesCommand: { service: 'iam', action: 'iam:ListAttachedGroupPolicies' },
  ListRolePoliciesCommand: { service: 'iam', action: 'iam:ListRolePolicies' },
  GetRolePolicyCommand: { service: 'iam', action: 'iam:GetRolePolicy' },
  ListAttachedRolePoliciesCommand: { service: 'iam', action: 'iam:ListAttachedRolePolicies' },
  GetPolicyCommand: { service: 'iam', action: 'iam:GetPolicy' },
  GetPolicyVersionCommand: { service: 'iam', action: 'iam:GetPolicyVersion' },
  // Organizations.
  DescribeOrganizationCommand: { service: 'organizations', action: 'organizations:DescribeOrganization' },
  ListParentsCommand: { service: 'organizations', action: 'organizations:ListParents' },
  ListPoliciesForTargetCommand: { service: 'organizations', action: 'organizations:ListPoliciesForTarget' },
  DescribePolicyCommand: { service: 'organizations', action: 'organizations:DescribePolicy' },
  // KMS.
  DescribeKeyCommand: { service: 'kms', action: 'kms:DescribeKey' },
  GetKeyPolicyCommand: { service: 'kms', action: 'kms:GetKeyPolicy' },
  ListAliasesCommand: { service: 'kms', action: 'kms:ListAliases' },
  // EC2.
  DescribeVpcEndpointsCommand: { service: 'ec2', action: 'ec2:DescribeVpcEndpoints' },
  // CloudTrail: which trails and event data stores record S3 data events (`s3doctor logging --live`).
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudtrail.html
  DescribeTrailsCommand: { service: 'cloudtrail', action: 'cloudtrail:DescribeTrails' },
  GetEventSelectorsCommand: { service: 'cloudtrail', action: 'cloudtrail:GetEventSelectors' },
  GetTrailStatusCommand: { service: 'cloudtrail', action: 'cloudtrail:GetTrailStatus' },
  ListEventDataStoresCommand: { service: 'cloudtrail', action: 'cloudtrail:ListEventDataStores' },
  GetEventDataStoreCommand: { service: 'cloudtrail', action: 'cloudtrail:GetEventDataStore' },
  // CloudFormation: the stacks an --iac folder's templates are deployed as (diagnose --iac with --live).
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html
  DescribeStacksCommand: { service: 'cloudformation', action: 'cloudformation:DescribeStacks' },
  DescribeStackResourcesCommand: {
    service: 'cloudformation',
    action: 'cloudformation:DescribeStackResources',
  },
  ListStackResourcesCommand: { service: 'cloudformation', action: 'cloudformation:ListStackResources' },
  ListExportsCommand: { service: 'cloudformation', action: 'cloudformation:ListExports' },
} as const satisfies Record<string, CommandPermission>;

/**
 * Object reads that name a `VersionId` are authorized by the version actions instead.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html ("s3:GetObjectVersion")
 */
export const VERSIONED_ACTIONS = {
  HeadObjectCommand: 's3:GetObjectVersion',
  GetObjectAclCommand: 's3:GetObjectVersionAcl',
  GetObjectTaggingCommand: 's3:GetObjectVersionTagging',
} as const satisfies Partial<Record<keyof typeof COMMAND_PERMISSIONS, string>>;

/** The table entry for a command sent to `service` (S3 Control's GetPublicAccessBlock is told apart). */
export function commandPermission(service: LiveService, commandName: string): CommandPermission | undefined {
  const key =
    service === 's3control' && commandName === 'GetPublicAccessBlockCommand'
      ? `S3Control.${commandName}`
      : commandName;
  return (COMMAND_PERMISSIONS as Record<string, CommandPermission>)[key];
}

/**
 * The IAM action, or `<service>:<Operation>` when the command needs none (for messages);
 * `versioned`: the request names a VersionId.
 */
export function actionName(service: LiveService, commandName: string, versioned = false): string {
  const v = versioned ? (VERSIONED_ACTIONS as Record<string, string>)[commandName] : undefined;
  if (v) return v;
  const p = commandPermission(service, commandName);
  return p?.action ?? `${service}:${commandName.replace(/Command$/, '')}`;
}
