// Condition key names, grouped as S3 requests carry them (global keys, keys on every S3 action, per-call groups).
//
// Global keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// S3 keys: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
// A trailing `/*` names a family of keys (`aws:PrincipalTag/team`): any key with that prefix.

/** Global keys an S3 request to a general purpose bucket may carry. */
export const GLOBAL_KEYS: readonly string[] = [
  'aws:CurrentTime',
  'aws:EpochTime',
  'aws:SecureTransport',
  'aws:SourceIp',
  'aws:VpcSourceIp',
  'aws:SourceVpc',
  'aws:SourceVpce',
  'aws:SourceVpcArn',
  'aws:VpceAccount',
  'aws:VpceOrgID',
  'aws:VpceOrgPaths',
  'aws:UserAgent',
  'aws:Referer',
  'aws:RequestedRegion',
  'aws:PrincipalArn',
  'aws:PrincipalAccount',
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:PrincipalTag/*',
  'aws:PrincipalType',
  'aws:PrincipalIsAWSService',
  'aws:PrincipalServiceName',
  'aws:PrincipalServiceNamesList',
  'aws:Ec2InstanceSourceVpc',
  'aws:Ec2InstanceSourcePrivateIPv4',
  'aws:userid',
  'aws:username',
  'aws:MultiFactorAuthPresent',
  'aws:MultiFactorAuthAge',
  'aws:TokenIssueTime',
  'aws:SourceIdentity',
  'aws:FederatedProvider',
  'aws:ViaAWSService',
  'aws:CalledVia',
  'aws:CalledViaFirst',
  'aws:CalledViaLast',
  'aws:SourceArn',
  'aws:SourceAccount',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
  'aws:ResourceAccount',
  'aws:ResourceOrgID',
  'aws:ResourceOrgPaths',
];

/** S3 keys present on (nearly) every S3 action. */
export const COMMON_S3_KEYS: readonly string[] = [
  's3:authType',
  's3:signatureAge',
  's3:signatureversion',
  's3:TlsVersion',
  's3:x-amz-content-sha256',
  's3:ResourceAccount',
];

/** Keys present only when the request came through an access point. */
export const ACCESS_POINT_KEYS: readonly string[] = [
  's3:DataAccessPointArn',
  's3:DataAccessPointAccount',
  's3:AccessPointNetworkOrigin',
];

/** Tags of the object a request acts on. */
export const EXISTING_OBJECT_TAG_KEYS: readonly string[] = ['s3:ExistingObjectTag/*'];

/** List request parameters. */
export const LIST_KEYS: readonly string[] = ['s3:prefix', 's3:delimiter', 's3:max-keys'];

/** Canned ACL and grant headers. */
export const ACL_KEYS: readonly string[] = [
  's3:x-amz-acl',
  's3:x-amz-grant-read',
  's3:x-amz-grant-write',
  's3:x-amz-grant-read-acp',
  's3:x-amz-grant-write-acp',
  's3:x-amz-grant-full-control',
];

/** Server-side encryption headers. */
export const SSE_KEYS: readonly string[] = [
  's3:x-amz-server-side-encryption',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
  's3:x-amz-server-side-encryption-customer-algorithm',
];

/** Object Lock headers. */
export const OBJECT_LOCK_KEYS: readonly string[] = [
  's3:object-lock-mode',
  's3:object-lock-retain-until-date',
  's3:object-lock-remaining-retention-days',
  's3:object-lock-legal-hold',
];

/** Tags a request sets on an object. */
export const REQUEST_OBJECT_TAG_KEYS: readonly string[] = [
  's3:RequestObjectTag/*',
  's3:RequestObjectTagKeys',
];

/** Everything an object-creating request (PutObject, CopyObject, CreateMultipartUpload) may send. */
export const OBJECT_WRITE_KEYS: readonly string[] = [
  ...ACL_KEYS,
  ...SSE_KEYS,
  ...OBJECT_LOCK_KEYS,
  ...REQUEST_OBJECT_TAG_KEYS,
  's3:x-amz-storage-class',
  's3:x-amz-website-redirect-location',
];

/** Copy-specific headers. */
export const COPY_KEYS: readonly string[] = ['s3:x-amz-copy-source', 's3:x-amz-metadata-directive'];

/** The version id key, on `*Version*` object actions. */
export const VERSION_ID_KEY = 's3:VersionId';

/**
 * The request header a `s3:x-amz-...` key reads (`s3:x-amz-acl` -> `x-amz-acl`), or `undefined`
 * for keys that are not copies of a header.
 */
export function headerForKey(key: string): string | undefined {
  if (key.startsWith('s3:x-amz-') && key !== 's3:x-amz-content-sha256') return key.slice(3).toLowerCase();
  switch (key) {
    case 's3:object-lock-mode':
      return 'x-amz-object-lock-mode';
    case 's3:object-lock-retain-until-date':
      return 'x-amz-object-lock-retain-until-date';
    case 's3:object-lock-legal-hold':
      return 'x-amz-object-lock-legal-hold';
    default:
      return undefined;
  }
}
