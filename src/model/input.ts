// Where a record came from and what a log record says, before any IAM interpretation.

import type { PolicyDocument } from './policy.js';

/** Where one record was read: a file and line, or a CloudTrail event id within a file. */
export interface InputSource {
  /** File path as the user gave it (or `-` for stdin). */
  source: string;
  /** 1-based line number within the (decompressed) file, when the format is line-based. */
  line?: number;
  /** CloudTrail `eventID`, when the record is a CloudTrail event. */
  eventId?: string;
  /** 1-based position in its JSON array (`Records`, `Events` or a top-level array), when it was one element of it. */
  index?: number;
}

/** The detected format of one input file. */
export type InputFormat =
  | 's3-access-log'
  | 'cloudtrail-event'
  | 'cloudtrail-records'
  | 'cloudtrail-lookup-events'
  | 'cloudwatch-logs-events'
  | 'cloudwatch-logs-insights'
  | 'cloudtrail-console-csv'
  | 'cloudtrail-athena-csv'
  | 'access-log-athena-csv'
  | 'error-message'
  | 'empty'
  | 'binary'
  | 'unknown';

/**
 * One request as a log, event or pasted error describes it: raw facts only, decoded but not yet
 * turned into IAM terms. Absent fields mean the input did not say.
 */
export interface LogRecord {
  /** Where it was read. */
  input: InputSource;
  /** Which parser produced it. */
  format: InputFormat;
  /** ISO 8601 UTC time the request was received. */
  time?: string;
  /** Bucket name (or access point alias as the client used it). */
  bucket?: string;
  /** Decoded object key. */
  key?: string;
  /** Version id the request named. */
  versionId?: string;
  /** Access-log operation (`REST.GET.OBJECT`). */
  logOperation?: string;
  /** API name (`GetObject`), from CloudTrail `eventName`, an SDK error, or derived. */
  apiName?: string;
  /** HTTP method and request URI path + query, when known (access log field 9). */
  httpMethod?: string;
  requestUri?: string;
  /** Query parameters of the request URI or CloudTrail `requestParameters` flattened to strings. */
  query?: Record<string, string>;
  /** HTTP status, when known. */
  httpStatus?: number;
  /** S3 error code (`AccessDenied`, `ExpiredToken`, ...). */
  errorCode?: string;
  /** Error message, whitespace-collapsed. */
  errorMessage?: string;
  /** Requester as logged: ARN, canonical id, `svc:...`, `AmazonS3`, or `-`/absent for anonymous. */
  requester?: string;
  /** CloudTrail `userIdentity` facts beyond the ARN. */
  identity?: {
    type?: string;
    principalId?: string;
    accountId?: string;
    /** Role ARN with path, from `sessionContext.sessionIssuer.arn`. */
    sessionIssuerArn?: string;
    mfaAuthenticated?: boolean;
    sessionCreationDate?: string;
    sourceIdentity?: string;
    invokedBy?: string;
    /** `ASIA...`/`AKIA...` prefix only: never the whole key id (redacted). */
    accessKeyIdPrefix?: string;
    /** A one-way fingerprint of the access key id (to match the AssumeRole event that issued it; never the key). */
    accessKeyIdHash?: string;
    /** IAM user name (`userIdentity.userName`, or the console CSV's `User name`). */
    userName?: string;
  };
  /** Remote IP (IPv4/IPv6) or service name as logged. */
  sourceIp?: string;
  userAgent?: string;
  referer?: string;
  requestId?: string;
  hostId?: string;
  /** `SigV2` | `SigV4`. */
  signatureVersion?: string;
  cipherSuite?: string;
  /** `AuthHeader` | `QueryString`. */
  authType?: string;
  hostHeader?: string;
  /** `TLSv1.2` etc. */
  tlsVersion?: string;
  accessPointArn?: string;
  aclRequired?: boolean;
  /** CloudTrail `vpcEndpointId`. */
  vpcEndpointId?: string;
  /** CloudTrail `recipientAccountId`. */
  recipientAccountId?: string;
  /** Bucket owner: canonical id (access log field 1) or account id (CloudTrail resources[]). */
  bucketOwnerCanonicalId?: string;
  bucketOwnerAccountId?: string;
  /** CloudTrail `awsRegion`. */
  region?: string;
  /** Request headers the input revealed (lower-case names), e.g. `x-amz-acl`. */
  headers?: Record<string, string>;
  /**
   * Request headers the input proves were NOT sent (lower-case names; `x-amz-grant-*` covers a family),
   * each with the proof in words naming the line or event, e.g. `line 3: the aws s3 cp command has no --sse`.
   */
  headersNotSent?: Record<string, string>;
  /** Policy a PutBucketPolicy call submitted (CloudTrail `requestParameters.bucketPolicy`). */
  submittedPolicy?: unknown;
  /** From an enhanced AccessDenied message (https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html). */
  enhanced?: {
    principalArn: string;
    action: string;
    resource: string;
    /** Policy-type phrase as AWS wrote it (`identity-based policy`, ...). */
    policyType: string;
    kind: 'explicit-deny' | 'missing-allow';
  };
  /** Extra fields a newer log format appended, kept opaque. */
  extra?: string[];
  /** Access log fields 12-15: response bytes, object size, total and turn-around time (ms). */
  bytesSent?: number;
  objectSize?: number;
  totalTimeMs?: number;
  turnAroundTimeMs?: number;
  /** CloudTrail `eventSource` (`s3.amazonaws.com`, `s3express.amazonaws.com`, `kms.amazonaws.com`). */
  eventSource?: string;
  /** CloudTrail `eventType` / `eventCategory` (`AwsApiCall`/`AwsVpceEvent`, `Data`/`Management`/`NetworkActivity`). */
  eventType?: string;
  eventCategory?: string;
  /** CloudTrail `additionalEventData` flattened to strings (secrets redacted), e.g. `SSEApplied`. */
  additionalEventData?: Record<string, string>;
  /**
   * Extra children of an S3 XML error body or fields of an SDK error (`X-Amz-Expires`, `Expires`,
   * `ServerTime`, `RequestTime`, `StorageClass`, `AccessTier`, `MaxAllowedSkewMilliseconds`, ...),
   * with signatures and key ids redacted.
   */
  errorDetails?: Record<string, string>;
}

/** A line or event that could not be parsed: reported, counted, skipped. */
export interface MalformedRecord {
  source: string;
  line?: number;
  reason: string;
}

/** What a reader yields: a record, or a malformed entry. */
export type ReadItem =
  { kind: 'record'; record: LogRecord } | { kind: 'malformed'; malformed: MalformedRecord };

/** Counters for one read of the inputs. */
export interface ScanStats {
  files: number;
  bytes: number;
  lines: number;
  denied: number;
  malformed: number;
}

/**
 * What an STS AssumeRole, AssumeRoleWithWebIdentity or AssumeRoleWithSAML CloudTrail event says about the session
 * it created (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
 */
export interface SessionGrant {
  /** The session ARN (`responseElements.assumedRoleUser.arn`, else built from roleArn + roleSessionName). */
  sessionArn: string;
  /** Fingerprint of `responseElements.credentials.accessKeyId` (as `identity.accessKeyIdHash`; never the key). */
  accessKeyIdHash?: string;
  /** `eventTime`. */
  time?: string;
  /** `requestParameters.policy`, parsed; `null` when none was passed; the raw text when it is not JSON. */
  policy: PolicyDocument | null | string;
  /** `requestParameters.policyArns[].arn`. */
  policyArns: string[];
  /** Where the event was read. */
  source?: InputSource;
}
