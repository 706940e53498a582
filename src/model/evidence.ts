// The evidence that decides a request, in the snapshot's shape (CONTRACT.md, schemaVersion 1).
//
// Throughout: a property that is `undefined` (absent) means UNKNOWN, not collected; `null` means
// collected and known not to be configured. Code must never treat the first as the second.

import type { PolicyDocument } from './policy.js';

/** The four Block Public Access flags. */
export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

/** An identity policy attached to a principal, directly or through a group. */
export interface AttachedPolicy {
  name: string;
  arn?: string;
  kind: 'inline' | 'managed' | 'group-inline' | 'group-managed';
  /** Group name, for group policies. */
  group?: string;
  document: PolicyDocument;
}

/** An IAM user or role (not a session). */
export interface PrincipalEvidence {
  /** Every identity policy that applies. Absent: unknown. */
  policies?: AttachedPolicy[];
  permissionsBoundary?: { arn: string; document: PolicyDocument } | null;
  tags?: Record<string, string>;
  /** Unique id (AIDA.../AROA...) when known. */
  uniqueId?: string;
  /** The principal no longer exists (NoSuchEntity). */
  deleted?: boolean;
  /** Service-linked role (exempt from SCPs and RCPs). */
  serviceLinked?: boolean;
}

/** One assumed-role or federated session. */
export interface SessionEvidence {
  sessionPolicy?: PolicyDocument | null;
  tags?: Record<string, string>;
  sourceIdentity?: string;
}

/** SCPs or RCPs attached at one level of the organization path. */
export interface OrgPolicyLevel {
  /** `r-...`, `ou-...`, or the account id. */
  target: string;
  policies: { name: string; id?: string; document: PolicyDocument }[];
}

/** One AWS account. */
export interface AccountEvidence {
  organizationId?: string | null;
  /** Root first, account last. `null`: the account is not in an organization (or is the management account). */
  serviceControlPolicies?: OrgPolicyLevel[] | null;
  resourceControlPolicies?: OrgPolicyLevel[] | null;
  publicAccessBlock?: PublicAccessBlock | null;
  /** The account is the organization's management account (SCPs and RCPs do not apply). */
  isManagementAccount?: boolean;
}

/** An S3 access control list (GetBucketAcl / GetObjectAcl shape). */
export interface AccessControlList {
  Owner?: { ID?: string; DisplayName?: string };
  Grants: {
    Grantee: {
      Type: 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail';
      ID?: string;
      URI?: string;
      EmailAddress?: string;
    };
    Permission: 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP' | 'FULL_CONTROL';
  }[];
}

/** One object's metadata. */
export interface ObjectEvidence {
  exists?: boolean;
  ownerCanonicalId?: string;
  acl?: AccessControlList | null;
  serverSideEncryption?: string | null;
  kmsKeyId?: string;
  storageClass?: string;
  restoreStatus?: 'ongoing' | 'restored' | null;
  legalHold?: 'ON' | 'OFF';
  retention?: { Mode: 'GOVERNANCE' | 'COMPLIANCE'; RetainUntilDate: string } | null;
  tags?: Record<string, string>;
}

/** One bucket's configuration. */
export interface BucketEvidence {
  accountId?: string;
  region?: string;
  ownerCanonicalId?: string;
  policy?: PolicyDocument | null;
  acl?: AccessControlList | null;
  objectOwnership?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter' | null;
  publicAccessBlock?: PublicAccessBlock | null;
  encryption?: { SSEAlgorithm: string; KMSMasterKeyID?: string; BucketKeyEnabled?: boolean } | null;
  requestPayer?: 'Requester' | 'BucketOwner';
  objectLock?: {
    enabled: boolean;
    defaultRetention?: { Mode: string; Days?: number; Years?: number };
  } | null;
  objects?: Record<string, ObjectEvidence>;
  tags?: Record<string, string>;
  /** Server access logging (GetBucketLogging's `LoggingEnabled`); `null`: logging is off. */
  logging?: BucketLogging | null;
  /** Lifecycle rules (GetBucketLifecycleConfiguration's `Rules`); `null`: no lifecycle configuration. */
  lifecycle?: LifecycleRule[] | null;
}

/**
 * Where a bucket's server access logs go (PutBucketLogging's `LoggingEnabled`).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_LoggingEnabled.html
 */
export interface BucketLogging {
  TargetBucket: string;
  TargetPrefix: string;
  /** `PartitionedPrefix` (date-partitioned keys) or `SimplePrefix`; absent means simple. */
  TargetObjectKeyFormat?: {
    PartitionedPrefix?: { PartitionDateSource?: 'EventTime' | 'DeliveryTime' };
    SimplePrefix?: Record<string, never>;
  };
  /** ACL grants on delivered logs (not supported when the target enforces bucket-owner ownership). */
  TargetGrants?: unknown[];
}

/** One lifecycle rule, the fields s3doctor reads (https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html). */
export interface LifecycleRule {
  ID?: string;
  Status: 'Enabled' | 'Disabled';
  /** Deprecated top-level prefix. */
  Prefix?: string;
  Filter?: { Prefix?: string; And?: { Prefix?: string } } & Record<string, unknown>;
  Expiration?: { Days?: number; Date?: string; ExpiredObjectDeleteMarker?: boolean };
  Transitions?: unknown[];
  NoncurrentVersionExpiration?: { NoncurrentDays?: number };
}

/**
 * A CloudTrail trail or event data store and the S3 data events it records (DescribeTrails +
 * GetEventSelectors, or GetEventDataStore). Absent `trails` in the evidence: unknown.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
 */
export interface TrailEvidence {
  kind: 'trail' | 'event-data-store';
  name: string;
  homeRegion?: string;
  isMultiRegion?: boolean;
  /** Whether the trail is logging now (GetTrailStatus). */
  isLogging?: boolean;
  /** Basic event selectors (trails only). */
  eventSelectors?: {
    ReadWriteType?: 'ReadOnly' | 'WriteOnly' | 'All';
    DataResources?: { Type: string; Values?: string[] }[];
  }[];
  /** Advanced event selectors (trails and event data stores). */
  advancedEventSelectors?: {
    Name?: string;
    FieldSelectors: {
      Field: string;
      Equals?: string[];
      StartsWith?: string[];
      NotEquals?: string[];
      NotStartsWith?: string[];
      EndsWith?: string[];
      NotEndsWith?: string[];
    }[];
  }[];
}

/** One access point. */
export interface AccessPointEvidence {
  bucket: string;
  accountId?: string;
  policy?: PolicyDocument | null;
  networkOrigin?: 'Internet' | 'VPC';
  vpcId?: string | null;
  publicAccessBlock?: PublicAccessBlock | null;
}

/** One KMS key. */
export interface KmsKeyEvidence {
  accountId?: string;
  keyManager?: 'CUSTOMER' | 'AWS';
  keyState?: string;
  aliases?: string[];
  policy?: PolicyDocument;
}

/** One VPC endpoint. */
export interface VpcEndpointEvidence {
  accountId?: string;
  vpcId?: string;
  policy?: PolicyDocument | null;
}

/** Why a piece of evidence is missing, by snapshot path. */
export interface EvidenceNote {
  path: string;
  reason: string;
}

/** The whole evidence set: a loaded, validated and merged snapshot. */
export interface Evidence {
  schemaVersion: 1;
  collectedAt?: string;
  principals: Record<string, PrincipalEvidence>;
  sessions: Record<string, SessionEvidence>;
  accounts: Record<string, AccountEvidence>;
  buckets: Record<string, BucketEvidence>;
  accessPoints: Record<string, AccessPointEvidence>;
  kmsKeys: Record<string, KmsKeyEvidence>;
  vpcEndpoints: Record<string, VpcEndpointEvidence>;
  canonicalIds: Record<string, string>;
  notes: EvidenceNote[];
  /** CloudTrail trails and event data stores, by ARN (optional; absent: unknown). */
  trails?: Record<string, TrailEvidence>;
}
