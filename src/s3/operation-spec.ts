// Types of the S3 operation table: what one S3 API call is called in each log, and what IAM needs for it.

/** HTTP methods S3 REST calls use. */
export type HttpMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS';

/**
 * The resource an action is authorized on: `bucket` = `arn:aws:s3:::B`, `object` =
 * `arn:aws:s3:::B/K`, `*` = no resource-level permission, `access-point` = the access point ARN
 * itself (S3 Control access point calls). Through an access point, `bucket`/`object` become the
 * access point ARN / `.../accesspoint/NAME/object/KEY` for the identity side.
 */
export type ResourceForm = 'bucket' | 'object' | '*' | 'access-point';

/** Whether the call reads or writes object data, which decides the KMS step (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html). */
export type DataAccess = 'read' | 'write' | 'read-write' | 'none';

/** An extra IAM action a request header (or presigned query parameter of the same name) adds. */
export interface HeaderAction {
  /** Lower-case header names; a trailing `*` matches a prefix (`x-amz-grant-*`). */
  headers: string[];
  /** `s3:PutObjectAcl` ... */
  action: string;
  /** Authorized on the operation's own resource, or on the copy source object. */
  on?: 'same' | 'copy-source';
  /**
   * When the input cannot show whether the header was sent: `possible` adds a possible
   * authorization, `omit` adds nothing (the header is rare or only matters with a version id).
   */
  whenUnknown: 'possible' | 'omit';
  /** Only applies when the request names a version id (bypass governance on DeleteObject). */
  versionIdOnly?: boolean;
  /** Why, in a few words. */
  purpose: string;
}

/** How the REST request is shaped, for mapping unknown names by method + query. */
export interface HttpShape {
  method: HttpMethod;
  /** `object`: a key in the path; `bucket`: no key; `service`: `GET /`; `control`: S3 Control API; `any`. */
  path: 'object' | 'bucket' | 'service' | 'control' | 'any';
  /** Query sub-resources that identify the call: `acl`, `uploadId`, or `list-type=2` (name=value). */
  query: string[];
  /** A header that identifies the call (`x-amz-copy-source` for copies). */
  header?: string;
}

/** One S3 operation: names in every log, the IAM actions it needs, the condition keys it sends. */
export interface OperationSpec {
  /** Unique id: the API name, or `API:variant` (`CopyObject:source`). */
  id: string;
  /** API name as the SDKs call it: `GetObject`. */
  apiName: string;
  /** CloudTrail `eventName` (ListObjectsV2 is logged as `ListObjects` with `list-type=2`). */
  eventName: string;
  /** Other names the call is known by (SDK command names, older event names). */
  aliases?: string[];
  /** Access-log operation names (`REST.GET.OBJECT`); several operations may share one. */
  logOperations: string[];
  http: HttpShape;
  /** IAM actions S3 always checks for this call (empty for calls no IAM policy governs). */
  actions: string[];
  resource: ResourceForm;
  /** Actions that replace `actions` when the request names a version id (`s3:GetObjectVersion`). */
  versionActions?: string[];
  /** Actions that request headers add. */
  headerActions?: HeaderAction[];
  /** The call reads a copy source object: `s3:GetObject` (`s3:GetObjectVersion` with a source version id). */
  copySource?: boolean;
  /** This record is the source-read side of a copy (`REST.COPY.OBJECT_GET`): key/bucket are the source's. */
  copySourceRead?: boolean;
  /**
   * Tags are copied from the source unless `x-amz-tagging-directive: REPLACE` (CopyObject):
   * `s3:GetObjectTagging` on the source and `s3:PutObjectTagging` on the target, if the source has tags.
   */
  copyTags?: boolean;
  dataAccess: DataAccess;
  /** Condition keys the call may carry beyond the ones every S3 request carries. */
  conditionKeys: string[];
  /** Where CloudTrail records it. */
  cloudTrail: 'data' | 'management' | 'none';
  /** What could not be confirmed from AWS documentation (names, extra requirements). */
  uncertain?: string;
  /** A fact worth showing next to the operation. */
  note?: string;
  /** The AWS page the row rests on. */
  doc: string;
}

/** The outcome of `lookupOperation`: the spec, how it was found, and whether it is a guess. */
export type OperationMatch = OperationSpec & {
  matchedBy: 'log-operation' | 'api-name' | 'x-id' | 'method-query' | 'iam-action';
  /**
   * `true` when the names given were unknown (or absent) and the operation was derived from the
   * HTTP method + query, the SDK's `x-id` parameter or the IAM action: a best guess.
   */
  inferred: boolean;
};
