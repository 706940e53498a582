// The IAM view of a denied request: who asked, which actions on which ARNs, with what context.

/** A request-context value as IAM sees it: a string, or a list for multi-valued keys. */
export type ContextValue = string | string[];

/** Who made the request, as far as the input tells. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'iam-user'; arn: string; accountId: string; name: string }
  | {
      kind: 'role-session';
      /** `arn:aws:sts::A:assumed-role/R/S`. */
      arn: string;
      /** `arn:aws:iam::A:role/[path/]R`; the path is only known from CloudTrail or evidence. */
      roleArn: string;
      rolePathKnown: boolean;
      roleName: string;
      sessionName: string;
      accountId: string;
    }
  | { kind: 'iam-role'; arn: string; accountId: string; name: string }
  | { kind: 'federated-user'; arn: string; accountId: string; name: string }
  | { kind: 'root'; arn: string; accountId: string }
  | { kind: 'service'; service: string }
  | { kind: 'canonical-user'; canonicalId: string; accountId?: string }
  | { kind: 'unknown'; raw: string };

/**
 * One IAM authorization: the unit the policy engine evaluates. One S3 call may need several
 * (CopyObject: PutObject on the target and GetObject on the source).
 */
export interface AuthzRequest {
  principal: Principal;
  /** `service:Action`, e.g. `s3:GetObject`, `kms:Decrypt`. */
  action: string;
  /** Resource ARN. */
  resource: string;
  /** Account that owns the resource, when known. */
  resourceAccount?: string;
  /** Context keys with values known to be present (key names as AWS spells them). */
  context: Record<string, ContextValue>;
  /**
   * Keys the input cannot reveal: they may or may not be present. A condition on one of these is
   * Unknown, never silently true or false. Keys in neither `context` nor `unknownKeys` are absent.
   */
  unknownKeys: string[];
  /** `required`: S3 always checks it; `possible`: only if the request carried something the input cannot show. */
  need: 'required' | 'possible';
  /** Why this authorization is needed, in a few words (`source object read`). */
  purpose?: string;
  /**
   * When `resource` is an access point ARN: the bucket or object ARN behind it, which the bucket
   * policy is evaluated against (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html). Absent when the bucket is unknown.
   */
  underlyingResource?: string;
}

/** A presigned URL's signing time and lifetime, from `X-Amz-Date` + `X-Amz-Expires` (SigV2: `Expires`). */
export interface PresignedFacts {
  signatureVersion: 'SigV4' | 'SigV2';
  /** ISO 8601 UTC time the URL was signed (`X-Amz-Date`); SigV2 URLs do not carry it. */
  signedAt?: string;
  /** `X-Amz-Expires`, seconds. */
  expiresSeconds?: number;
  /** ISO 8601 UTC instant the URL stops working (signedAt + expiresSeconds, or SigV2 `Expires`). */
  expiresAt?: string;
  /** Whether the request time was after `expiresAt`; absent when either time is unknown. */
  expiredAtRequestTime?: boolean;
}

/** Facts about the S3 call that S3's own checks (ACLs, BPA, Requester Pays, Object Lock) read. */
export interface S3CallFacts {
  /** API name: `GetObject`. */
  operation: string;
  logOperation?: string;
  bucket?: string;
  key?: string;
  versionId?: string;
  accessPointArn?: string;
  /** Source bucket/key/version for copies. */
  copySource?: { bucket: string; key: string; versionId?: string };
  /** Whether the request sent `x-amz-request-payer: requester`; absent = unknown. */
  requestPayerSent?: boolean;
  /** Canned ACL or grant headers the request carried; absent = unknown, `null` = none sent. */
  aclHeader?: string | null;
  /** Whether the request tried to bypass governance retention; absent = unknown. */
  bypassGovernance?: boolean;
  /** Object Lock headers sent with a write, when known. */
  objectLockHeaders?: boolean;
  /** SSE header sent with a write (`aws:kms`, `AES256`), `null` = none, absent = unknown. */
  sseHeader?: string | null;
  sseKmsKeyId?: string;
  /** Whether the operation reads or writes object data (drives the KMS step). */
  dataAccess?: 'read' | 'write' | 'read-write' | 'none';
  /** Policy submitted by PutBucketPolicy / PutAccessPointPolicy (for BlockPublicPolicy). */
  submittedPolicy?: unknown;
  /** The operation was derived from method + query, `x-id` or the IAM action, not from a known name. */
  operationInferred?: boolean;
  /** Presigned URL facts, when the request was presigned and the input shows its parameters. */
  presigned?: PresignedFacts;
  /** Access log `aclRequired`: `true` when an ACL was needed to authorize the request. */
  aclRequired?: boolean;
  /** Region the request was sent to, when known (CloudTrail `awsRegion`, host header, credential scope). */
  region?: string;
  /** Whether the request came through a VPC endpoint; absent = unknown. */
  viaVpcEndpoint?: boolean;
  /** Tags the request set on the object (`x-amz-tagging`), when the input shows them. */
  requestTags?: Record<string, string>;
  /**
   * `x-amz-expected-bucket-owner` / `x-amz-source-expected-bucket-owner` the request sent, when shown:
   * a mismatch with the real owner is a 403 that no policy explains (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html).
   */
  expectedBucketOwner?: string;
  expectedSourceBucketOwner?: string;
}

/** A denied S3 request turned into what S3 evaluated. */
export interface S3Request {
  principal: Principal;
  /** Every IAM authorization the call needs. */
  authorizations: AuthzRequest[];
  s3: S3CallFacts;
  time?: string;
  httpStatus?: number;
  errorCode?: string;
  errorMessage?: string;
  /** Context keys no input revealed, named once for the report. */
  unknownKeys: string[];
  /** Context keys the input proves absent (a header it shows was not sent), with the proof naming the line or event. */
  provedAbsent?: { key: string; proof: string }[];
  /**
   * Facts the input lacked that the request needs (`bucket`, `key`, `principal`, `operation`,
   * `access-point`, `copy-source`, `delete-keys`, `time`): ask the user or gather evidence. Absent = nothing missing.
   */
  missing?: string[];
}
