// The S3 operation table: every S3 call s3doctor knows, by access-log name, API / CloudTrail name and
// REST shape, with the IAM actions, resource form, header extras, KMS data access and condition keys.
//
// Sources (https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html for the access log's operation names):
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html
// and the per-operation pages https://docs.aws.amazon.com/AmazonS3/latest/API/API_<Operation>.html

import type { HeaderAction, HttpShape, OperationSpec } from './operation-spec.js';
import {
  ACL_KEYS,
  COPY_KEYS,
  EXISTING_OBJECT_TAG_KEYS,
  LIST_KEYS,
  OBJECT_LOCK_KEYS,
  OBJECT_WRITE_KEYS,
  REQUEST_OBJECT_TAG_KEYS,
} from './condition-keys.js';

const API = 'https://docs.aws.amazon.com/AmazonS3/latest/API/';

type Row = Omit<OperationSpec, 'id' | 'eventName' | 'doc' | 'conditionKeys' | 'cloudTrail' | 'dataAccess'> &
  Partial<Pick<OperationSpec, 'id' | 'eventName' | 'doc' | 'conditionKeys' | 'cloudTrail' | 'dataAccess'>>;

function op(r: Row): OperationSpec {
  const objectLevel = r.resource === 'object';
  const control = r.http.path === 'control';
  return {
    ...r,
    id: r.id ?? r.apiName,
    eventName: r.eventName ?? r.apiName,
    conditionKeys: r.conditionKeys ?? [],
    cloudTrail: r.cloudTrail ?? (objectLevel ? 'data' : 'management'),
    dataAccess: r.dataAccess ?? 'none',
    doc: r.doc ?? `${API}API_${control ? 'control_' : ''}${r.apiName}.html`,
  };
}

const get = (path: HttpShape['path'], ...query: string[]): HttpShape => ({ method: 'GET', path, query });
const put = (path: HttpShape['path'], ...query: string[]): HttpShape => ({ method: 'PUT', path, query });
const post = (path: HttpShape['path'], ...query: string[]): HttpShape => ({ method: 'POST', path, query });
const del = (path: HttpShape['path'], ...query: string[]): HttpShape => ({ method: 'DELETE', path, query });
const head = (path: HttpShape['path'], ...query: string[]): HttpShape => ({ method: 'HEAD', path, query });

// Header extras on object-creating calls (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html): an ACL header also needs
// s3:PutObjectAcl, an x-amz-tagging header s3:PutObjectTagging (PutObject, Permissions section:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html ; tags:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html).
const ACL_HEADER_ACTION: HeaderAction = {
  headers: ['x-amz-acl', 'x-amz-grant-*'],
  action: 's3:PutObjectAcl',
  whenUnknown: 'possible',
  purpose: 'ACL header on the new object',
};
const TAGGING_HEADER_ACTION: HeaderAction = {
  headers: ['x-amz-tagging'],
  action: 's3:PutObjectTagging',
  whenUnknown: 'possible',
  purpose: 'tags set with the upload',
};
const RETENTION_HEADER_ACTION: HeaderAction = {
  headers: ['x-amz-object-lock-mode', 'x-amz-object-lock-retain-until-date'],
  action: 's3:PutObjectRetention',
  whenUnknown: 'omit',
  purpose: 'Object Lock retention headers',
};
const LEGAL_HOLD_HEADER_ACTION: HeaderAction = {
  headers: ['x-amz-object-lock-legal-hold'],
  action: 's3:PutObjectLegalHold',
  whenUnknown: 'omit',
  purpose: 'Object Lock legal hold header',
};
const OBJECT_WRITE_HEADER_ACTIONS = [
  ACL_HEADER_ACTION,
  TAGGING_HEADER_ACTION,
  RETENTION_HEADER_ACTION,
  LEGAL_HOLD_HEADER_ACTION,
];
const LOCK_HEADERS_UNCERTAIN =
  'that Object Lock headers on an upload need s3:PutObjectRetention / s3:PutObjectLegalHold is not confirmed';
// Object Lock: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html
const BYPASS_GOVERNANCE: HeaderAction = {
  headers: ['x-amz-bypass-governance-retention'],
  action: 's3:BypassGovernanceRetention',
  whenUnknown: 'possible',
  versionIdOnly: true,
  purpose: 'bypass of GOVERNANCE retention',
};

/** Bucket configuration calls that follow one pattern: GET/PUT/DELETE `/?<sub>`. */
function config(
  name: string,
  sub: string,
  log: string,
  getAction: string,
  putAction: string,
  opts: {
    deleteName?: string;
    deleteAction?: string;
    getName?: string;
    putName?: string;
    logPut?: string;
    /** What about the PUT row could not be confirmed. */
    putUncertain?: string;
    /** Older API / CloudTrail names (`PutBucketLifecycle`). */
    getAliases?: string[];
    putAliases?: string[];
  } = {},
): OperationSpec[] {
  const rows: OperationSpec[] = [
    op({
      apiName: opts.getName ?? `GetBucket${name}`,
      ...(opts.getAliases ? { aliases: opts.getAliases } : {}),
      logOperations: [`REST.GET.${log}`],
      http: get('bucket', sub),
      actions: [getAction],
      resource: 'bucket',
    }),
    op({
      apiName: opts.putName ?? `PutBucket${name}`,
      ...(opts.putAliases ? { aliases: opts.putAliases } : {}),
      logOperations: [opts.logPut ?? `REST.PUT.${log}`],
      http: put('bucket', sub),
      actions: [putAction],
      resource: 'bucket',
      ...(opts.putUncertain ? { uncertain: opts.putUncertain } : {}),
    }),
  ];
  if (opts.deleteName !== '') {
    rows.push(
      op({
        apiName: opts.deleteName ?? `DeleteBucket${name}`,
        logOperations: [`REST.DELETE.${log}`],
        http: del('bucket', sub),
        actions: [opts.deleteAction ?? putAction],
        resource: 'bucket',
        note: opts.deleteAction ? undefined : `deleting uses the ${putAction} permission`,
      }),
    );
  }
  return rows;
}

/** Every operation, most common first within each group. */
export const OPERATIONS: readonly OperationSpec[] = [
  // ---- Objects: read -------------------------------------------------------------------------
  op({
    apiName: 'GetObject',
    logOperations: ['REST.GET.OBJECT'],
    http: get('object'),
    actions: ['s3:GetObject'],
    versionActions: ['s3:GetObjectVersion'],
    resource: 'object',
    dataAccess: 'read',
    conditionKeys: [...EXISTING_OBJECT_TAG_KEYS],
    note: 'a missing key gives 404 only with s3:ListBucket on the bucket, else 403',
  }),
  op({
    apiName: 'HeadObject',
    logOperations: ['REST.HEAD.OBJECT'],
    http: head('object'),
    actions: ['s3:GetObject'],
    versionActions: ['s3:GetObjectVersion'],
    resource: 'object',
    conditionKeys: [...EXISTING_OBJECT_TAG_KEYS],
    note: 'a denied HEAD has no body: clients only see 403 Forbidden',
    uncertain: 'whether HeadObject calls KMS for SSE-KMS objects (treated as no data access)',
  }),
  op({
    id: 'GetObject:website',
    apiName: 'GetObject',
    logOperations: ['WEBSITE.GET.OBJECT'],
    http: get('object'),
    actions: ['s3:GetObject'],
    resource: 'object',
    dataAccess: 'read',
    note: 'website endpoints are HTTP-only and serve only publicly readable content',
    doc: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteAccessPermissionsReqd.html',
  }),
  op({
    id: 'HeadObject:website',
    apiName: 'HeadObject',
    logOperations: ['WEBSITE.HEAD.OBJECT'],
    http: head('object'),
    actions: ['s3:GetObject'],
    resource: 'object',
    note: 'website endpoints are HTTP-only and serve only publicly readable content',
    doc: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteAccessPermissionsReqd.html',
  }),
  op({
    apiName: 'GetObjectAttributes',
    logOperations: ['REST.GET.OBJECT_ATTRIBUTES'],
    http: get('object', 'attributes'),
    // "If you pass a version ID ... s3:GetObjectVersion and s3:GetObjectVersionAttributes ...
    // If you do not pass a version ID ... s3:GetObject and s3:GetObjectAttributes" (API_GetObjectAttributes.html)
    actions: ['s3:GetObject', 's3:GetObjectAttributes'],
    versionActions: ['s3:GetObjectVersion', 's3:GetObjectVersionAttributes'],
    resource: 'object',
    conditionKeys: [...EXISTING_OBJECT_TAG_KEYS],
  }),
  op({
    apiName: 'SelectObjectContent',
    logOperations: ['REST.POST.SELECT'],
    http: post('object', 'select', 'select-type=2'),
    actions: ['s3:GetObject'],
    resource: 'object',
    dataAccess: 'read',
    conditionKeys: [...EXISTING_OBJECT_TAG_KEYS],
  }),
  op({
    apiName: 'GetObjectTorrent',
    logOperations: ['REST.GET.TORRENT'],
    http: get('object', 'torrent'),
    actions: ['s3:GetObjectTorrent'],
    versionActions: ['s3:GetObjectVersionTorrent'],
    resource: 'object',
    uncertain: 'access-log name REST.GET.TORRENT',
  }),
  op({
    apiName: 'RestoreObject',
    logOperations: ['REST.POST.RESTORE'],
    http: post('object', 'restore'),
    actions: ['s3:RestoreObject'],
    resource: 'object',
  }),

  // ---- Objects: write ------------------------------------------------------------------------
  op({
    apiName: 'PutObject',
    logOperations: ['REST.PUT.OBJECT'],
    http: put('object'),
    actions: ['s3:PutObject'],
    resource: 'object',
    headerActions: OBJECT_WRITE_HEADER_ACTIONS,
    dataAccess: 'write',
    conditionKeys: [...OBJECT_WRITE_KEYS],
    uncertain: LOCK_HEADERS_UNCERTAIN,
  }),
  op({
    apiName: 'PostObject',
    aliases: ['POST Object'],
    logOperations: ['REST.POST.OBJECT', 'REST.POST.BUCKET'],
    http: post('any'),
    actions: ['s3:PutObject'],
    resource: 'object',
    headerActions: [ACL_HEADER_ACTION, TAGGING_HEADER_ACTION],
    dataAccess: 'write',
    conditionKeys: [...OBJECT_WRITE_KEYS],
    note: 'browser form upload: s3:authType is POST',
    uncertain: 'access-log name (REST.POST.OBJECT or REST.POST.BUCKET) and CloudTrail eventName',
    doc: 'https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html',
  }),
  op({
    apiName: 'CopyObject',
    logOperations: ['REST.COPY.OBJECT'],
    http: { method: 'PUT', path: 'object', query: [], header: 'x-amz-copy-source' },
    actions: ['s3:PutObject'],
    resource: 'object',
    headerActions: OBJECT_WRITE_HEADER_ACTIONS,
    copySource: true,
    copyTags: true,
    dataAccess: 'read-write',
    conditionKeys: [...OBJECT_WRITE_KEYS, ...COPY_KEYS],
    note: 'a denied copy may be logged in either bucket: the source read is REST.COPY.OBJECT_GET',
    uncertain: LOCK_HEADERS_UNCERTAIN,
  }),
  op({
    id: 'CopyObject:source',
    apiName: 'CopyObject',
    logOperations: ['REST.COPY.OBJECT_GET'],
    http: { method: 'PUT', path: 'object', query: [], header: 'x-amz-copy-source' },
    actions: ['s3:GetObject'],
    versionActions: ['s3:GetObjectVersion'],
    resource: 'object',
    copySourceRead: true,
    dataAccess: 'read',
    conditionKeys: [...EXISTING_OBJECT_TAG_KEYS],
    note: 'the source-read record, in the source bucket log: bucket and key are the copy source',
  }),
  op({
    apiName: 'DeleteObject',
    logOperations: ['REST.DELETE.OBJECT'],
    http: del('object'),
    actions: ['s3:DeleteObject'],
    versionActions: ['s3:DeleteObjectVersion'],
    resource: 'object',
    headerActions: [BYPASS_GOVERNANCE],
    note: 'without a version id on a versioned bucket this only adds a delete marker',
  }),
  op({
    apiName: 'DeleteObjects',
    logOperations: ['REST.POST.MULTI_OBJECT_DELETE'],
    http: post('bucket', 'delete'),
    actions: ['s3:DeleteObject'],
    versionActions: ['s3:DeleteObjectVersion'],
    resource: 'object',
    headerActions: [BYPASS_GOVERNANCE],
    note: 'authorized per key (HTTP 200 with per-key errors); the access log adds one BATCH.DELETE.OBJECT line a key',
  }),
  op({
    id: 'DeleteObjects:key',
    apiName: 'DeleteObjects',
    logOperations: ['BATCH.DELETE.OBJECT'],
    http: post('bucket', 'delete'),
    actions: ['s3:DeleteObject'],
    versionActions: ['s3:DeleteObjectVersion'],
    resource: 'object',
    headerActions: [BYPASS_GOVERNANCE],
    note: 'one key of a DeleteObjects request',
    doc: `${API}API_DeleteObjects.html`,
  }),
  op({
    apiName: 'PutObjectAcl',
    logOperations: ['REST.PUT.ACL'],
    http: put('object', 'acl'),
    actions: ['s3:PutObjectAcl'],
    versionActions: ['s3:PutObjectVersionAcl'],
    resource: 'object',
    conditionKeys: [...ACL_KEYS, ...EXISTING_OBJECT_TAG_KEYS],
    note: 'AccessControlListNotSupported when the bucket enforces bucket-owner ownership',
  }),
  op({
    apiName: 'GetObjectAcl',
    logOperations: ['REST.GET.ACL'],
    http: get('object', 'acl'),
    actions: ['s3:GetObjectAcl'],
    versionActions: ['s3:GetObjectVersionAcl'],
    resource: 'object',
    conditionKeys: [...EXISTING_OBJECT_TAG_KEYS],
  }),
  op({
    apiName: 'GetObjectTagging',
    logOperations: ['REST.GET.OBJECT_TAGGING'],
    http: get('object', 'tagging'),
    actions: ['s3:GetObjectTagging'],
    versionActions: ['s3:GetObjectVersionTagging'],
    resource: 'object',
    conditionKeys: [...EXISTING_OBJECT_TAG_KEYS],
  }),
  op({
    apiName: 'PutObjectTagging',
    logOperations: ['REST.PUT.OBJECT_TAGGING'],
    http: put('object', 'tagging'),
    actions: ['s3:PutObjectTagging'],
    versionActions: ['s3:PutObjectVersionTagging'],
    resource: 'object',
    conditionKeys: [...EXISTING_OBJECT_TAG_KEYS, ...REQUEST_OBJECT_TAG_KEYS],
  }),
  op({
    apiName: 'DeleteObjectTagging',
    logOperations: ['REST.DELETE.OBJECT_TAGGING'],
    http: del('object', 'tagging'),
    actions: ['s3:DeleteObjectTagging'],
    versionActions: ['s3:DeleteObjectVersionTagging'],
    resource: 'object',
    conditionKeys: [...EXISTING_OBJECT_TAG_KEYS],
  }),
  op({
    apiName: 'GetObjectRetention',
    logOperations: ['REST.GET.RETENTION'],
    http: get('object', 'retention'),
    actions: ['s3:GetObjectRetention'],
    resource: 'object',
    uncertain: 'access-log name REST.GET.RETENTION (not in AWS docs; S3-compatible servers use it)',
  }),
  op({
    apiName: 'PutObjectRetention',
    logOperations: ['REST.PUT.RETENTION'],
    http: put('object', 'retention'),
    actions: ['s3:PutObjectRetention'],
    resource: 'object',
    headerActions: [
      { ...BYPASS_GOVERNANCE, versionIdOnly: false, purpose: 'shortening GOVERNANCE retention' },
    ],
    conditionKeys: [...OBJECT_LOCK_KEYS.filter((k) => k !== 's3:object-lock-legal-hold')],
    uncertain: 'access-log name REST.PUT.RETENTION (not in AWS docs; S3-compatible servers use it)',
  }),
  op({
    apiName: 'GetObjectLegalHold',
    logOperations: ['REST.GET.LEGAL_HOLD'],
    http: get('object', 'legal-hold'),
    actions: ['s3:GetObjectLegalHold'],
    resource: 'object',
    uncertain: 'access-log name REST.GET.LEGAL_HOLD (not in AWS docs; S3-compatible servers use it)',
  }),
  op({
    apiName: 'PutObjectLegalHold',
    logOperations: ['REST.PUT.LEGAL_HOLD'],
    http: put('object', 'legal-hold'),
    actions: ['s3:PutObjectLegalHold'],
    resource: 'object',
    conditionKeys: ['s3:object-lock-legal-hold'],
    uncertain: 'access-log name REST.PUT.LEGAL_HOLD (not in AWS docs; S3-compatible servers use it)',
  }),

  // ---- Multipart uploads ---------------------------------------------------------------------
  op({
    apiName: 'CreateMultipartUpload',
    aliases: ['InitiateMultipartUpload'],
    logOperations: ['REST.POST.UPLOADS'],
    http: post('object', 'uploads'),
    actions: ['s3:PutObject'],
    resource: 'object',
    headerActions: OBJECT_WRITE_HEADER_ACTIONS,
    // SSE-KMS multipart uploads need kms:GenerateDataKey and kms:Decrypt:
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
    dataAccess: 'read-write',
    conditionKeys: [...OBJECT_WRITE_KEYS],
    uncertain: LOCK_HEADERS_UNCERTAIN,
  }),
  op({
    apiName: 'UploadPart',
    logOperations: ['REST.PUT.PART'],
    http: put('object', 'partNumber', 'uploadId'),
    actions: ['s3:PutObject'],
    resource: 'object',
    dataAccess: 'read-write',
    conditionKeys: ['s3:x-amz-server-side-encryption-customer-algorithm'],
  }),
  op({
    apiName: 'UploadPartCopy',
    logOperations: ['REST.COPY.PART'],
    http: { method: 'PUT', path: 'object', query: ['partNumber', 'uploadId'], header: 'x-amz-copy-source' },
    actions: ['s3:PutObject'],
    resource: 'object',
    copySource: true,
    dataAccess: 'read-write',
    conditionKeys: ['s3:x-amz-copy-source'],
  }),
  op({
    id: 'UploadPartCopy:source',
    apiName: 'UploadPartCopy',
    logOperations: ['REST.COPY.PART_GET'],
    http: { method: 'PUT', path: 'object', query: ['partNumber', 'uploadId'], header: 'x-amz-copy-source' },
    actions: ['s3:GetObject'],
    versionActions: ['s3:GetObjectVersion'],
    resource: 'object',
    copySourceRead: true,
    dataAccess: 'read',
    conditionKeys: [...EXISTING_OBJECT_TAG_KEYS],
    note: 'the source-read record, in the source bucket log: bucket and key are the copy source',
    uncertain: 'access-log name REST.COPY.PART_GET (seen in real logs, not in AWS docs)',
  }),
  op({
    apiName: 'CompleteMultipartUpload',
    logOperations: ['REST.POST.UPLOAD'],
    http: post('object', 'uploadId'),
    actions: ['s3:PutObject'],
    resource: 'object',
    dataAccess: 'read-write',
  }),
  op({
    apiName: 'AbortMultipartUpload',
    logOperations: ['REST.DELETE.UPLOAD'],
    http: del('object', 'uploadId'),
    actions: ['s3:AbortMultipartUpload'],
    resource: 'object',
  }),
  op({
    apiName: 'ListParts',
    logOperations: ['REST.GET.UPLOAD'],
    http: get('object', 'uploadId'),
    actions: ['s3:ListMultipartUploadParts'],
    resource: 'object',
  }),
  op({
    apiName: 'ListMultipartUploads',
    logOperations: ['REST.GET.UPLOADS'],
    http: get('bucket', 'uploads'),
    actions: ['s3:ListBucketMultipartUploads'],
    resource: 'bucket',
    cloudTrail: 'data',
    conditionKeys: [...LIST_KEYS],
  }),

  // ---- Listing and bucket existence ----------------------------------------------------------
  op({
    apiName: 'ListObjects',
    logOperations: ['REST.GET.BUCKET'],
    http: get('bucket'),
    actions: ['s3:ListBucket'],
    resource: 'bucket',
    cloudTrail: 'data',
    conditionKeys: [...LIST_KEYS],
  }),
  op({
    apiName: 'ListObjectsV2',
    // CloudTrail logs ListObjectsV2 as eventName ListObjects with requestParameters "list-type": "2"
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html)
    eventName: 'ListObjects',
    logOperations: ['REST.GET.BUCKET'],
    http: get('bucket', 'list-type=2'),
    actions: ['s3:ListBucket'],
    resource: 'bucket',
    cloudTrail: 'data',
    conditionKeys: [...LIST_KEYS],
  }),
  op({
    apiName: 'ListObjectVersions',
    logOperations: ['REST.GET.BUCKETVERSIONS'],
    http: get('bucket', 'versions'),
    actions: ['s3:ListBucketVersions'],
    resource: 'bucket',
    cloudTrail: 'data',
    conditionKeys: [...LIST_KEYS],
  }),
  op({
    apiName: 'HeadBucket',
    logOperations: ['REST.HEAD.BUCKET'],
    http: head('bucket'),
    actions: ['s3:ListBucket'],
    resource: 'bucket',
    note: '403 vs 404 for a missing bucket; 301 for the wrong region; no body on errors',
    uncertain: 'whether CloudTrail records HeadBucket as a data or management event',
  }),
  op({
    apiName: 'ListBuckets',
    logOperations: ['REST.GET.SERVICE'],
    http: get('service'),
    actions: ['s3:ListAllMyBuckets'],
    resource: '*',
    note: 'appears in no bucket access log',
  }),
  op({
    apiName: 'GetBucketLocation',
    logOperations: ['REST.GET.LOCATION'],
    http: get('bucket', 'location'),
    actions: ['s3:GetBucketLocation'],
    resource: 'bucket',
  }),
  op({
    apiName: 'CreateBucket',
    logOperations: ['REST.PUT.BUCKET'],
    http: put('bucket'),
    actions: ['s3:CreateBucket'],
    resource: 'bucket',
    headerActions: [
      {
        headers: ['x-amz-acl', 'x-amz-grant-*'],
        action: 's3:PutBucketAcl',
        whenUnknown: 'omit',
        purpose: 'ACL header on the new bucket',
      },
      {
        headers: ['x-amz-object-ownership'],
        action: 's3:PutBucketOwnershipControls',
        whenUnknown: 'omit',
        purpose: 'Object Ownership set at creation',
      },
      {
        headers: ['x-amz-bucket-object-lock-enabled'],
        action: 's3:PutBucketObjectLockConfiguration',
        whenUnknown: 'omit',
        purpose: 'Object Lock enabled at creation',
      },
      {
        headers: ['x-amz-bucket-object-lock-enabled'],
        action: 's3:PutBucketVersioning',
        whenUnknown: 'omit',
        purpose: 'Object Lock enabled at creation',
      },
    ],
    conditionKeys: [...ACL_KEYS, 's3:LocationConstraint', 's3:x-amz-object-ownership'],
    uncertain: 'the permissions Object Lock at creation needs',
  }),
  op({
    apiName: 'DeleteBucket',
    logOperations: ['REST.DELETE.BUCKET'],
    http: del('bucket'),
    actions: ['s3:DeleteBucket'],
    resource: 'bucket',
    note: 'the bucket must be empty (409 BucketNotEmpty)',
  }),

  // ---- Bucket ACL, policy, public access -----------------------------------------------------
  op({
    apiName: 'GetBucketAcl',
    logOperations: ['REST.GET.ACL'],
    http: get('bucket', 'acl'),
    actions: ['s3:GetBucketAcl'],
    resource: 'bucket',
  }),
  op({
    apiName: 'PutBucketAcl',
    logOperations: ['REST.PUT.ACL'],
    http: put('bucket', 'acl'),
    actions: ['s3:PutBucketAcl'],
    resource: 'bucket',
    conditionKeys: [...ACL_KEYS],
  }),
  op({
    apiName: 'GetBucketPolicy',
    logOperations: ['REST.GET.BUCKETPOLICY'],
    http: get('bucket', 'policy'),
    actions: ['s3:GetBucketPolicy'],
    resource: 'bucket',
    note: 'only the bucket owner account may call it (405 otherwise); 404 NoSuchBucketPolicy when none',
  }),
  op({
    apiName: 'PutBucketPolicy',
    logOperations: ['REST.PUT.BUCKETPOLICY'],
    http: put('bucket', 'policy'),
    actions: ['s3:PutBucketPolicy'],
    resource: 'bucket',
    note: 'BlockPublicPolicy rejects public policies with 403',
  }),
  op({
    apiName: 'DeleteBucketPolicy',
    logOperations: ['REST.DELETE.BUCKETPOLICY'],
    http: del('bucket', 'policy'),
    actions: ['s3:DeleteBucketPolicy'],
    resource: 'bucket',
  }),
  op({
    apiName: 'GetBucketPolicyStatus',
    logOperations: ['REST.GET.POLICY_STATUS'],
    http: get('bucket', 'policyStatus'),
    actions: ['s3:GetBucketPolicyStatus'],
    resource: 'bucket',
  }),
  op({
    apiName: 'GetPublicAccessBlock',
    eventName: 'GetBucketPublicAccessBlock',
    logOperations: ['REST.GET.PUBLIC_ACCESS_BLOCK'],
    http: get('bucket', 'publicAccessBlock'),
    actions: ['s3:GetBucketPublicAccessBlock'],
    resource: 'bucket',
  }),
  op({
    apiName: 'PutPublicAccessBlock',
    eventName: 'PutBucketPublicAccessBlock',
    logOperations: ['REST.PUT.PUBLIC_ACCESS_BLOCK'],
    http: put('bucket', 'publicAccessBlock'),
    actions: ['s3:PutBucketPublicAccessBlock'],
    resource: 'bucket',
  }),
  op({
    apiName: 'DeletePublicAccessBlock',
    eventName: 'DeleteBucketPublicAccessBlock',
    logOperations: ['REST.DELETE.PUBLIC_ACCESS_BLOCK'],
    http: del('bucket', 'publicAccessBlock'),
    actions: ['s3:PutBucketPublicAccessBlock'],
    resource: 'bucket',
    note: 'deleting uses the s3:PutBucketPublicAccessBlock permission',
  }),
  ...config(
    'OwnershipControls',
    'ownershipControls',
    'OWNERSHIP_CONTROLS',
    's3:GetBucketOwnershipControls',
    's3:PutBucketOwnershipControls',
  ),
  ...config(
    'Encryption',
    'encryption',
    'ENCRYPTION',
    's3:GetEncryptionConfiguration',
    's3:PutEncryptionConfiguration',
  ),
  ...config('Tagging', 'tagging', 'TAGGING', 's3:GetBucketTagging', 's3:PutBucketTagging'),
  ...config('Versioning', 'versioning', 'VERSIONING', 's3:GetBucketVersioning', 's3:PutBucketVersioning', {
    deleteName: '',
  }),
  ...config(
    'RequestPayment',
    'requestPayment',
    'REQUEST_PAYMENT',
    's3:GetBucketRequestPayment',
    's3:PutBucketRequestPayment',
    {
      deleteName: '',
    },
  ),
  op({
    apiName: 'GetObjectLockConfiguration',
    logOperations: ['REST.GET.OBJECT_LOCK_CONFIGURATION'],
    http: get('bucket', 'object-lock'),
    actions: ['s3:GetBucketObjectLockConfiguration'],
    resource: 'bucket',
  }),
  op({
    apiName: 'PutObjectLockConfiguration',
    logOperations: ['REST.PUT.OBJECT_LOCK_CONFIGURATION'],
    http: put('bucket', 'object-lock'),
    actions: ['s3:PutBucketObjectLockConfiguration'],
    resource: 'bucket',
    uncertain: 'access-log name REST.PUT.OBJECT_LOCK_CONFIGURATION',
  }),
  ...config('Logging', 'logging', 'LOGGING_STATUS', 's3:GetBucketLogging', 's3:PutBucketLogging', {
    deleteName: '',
  }),
  ...config('Cors', 'cors', 'CORS', 's3:GetBucketCORS', 's3:PutBucketCORS'),
  ...config('Website', 'website', 'WEBSITE', 's3:GetBucketWebsite', 's3:PutBucketWebsite', {
    deleteAction: 's3:DeleteBucketWebsite',
  }),
  ...config(
    'Lifecycle',
    'lifecycle',
    'LIFECYCLE',
    's3:GetLifecycleConfiguration',
    's3:PutLifecycleConfiguration',
    {
      getName: 'GetBucketLifecycleConfiguration',
      putName: 'PutBucketLifecycleConfiguration',
      deleteName: 'DeleteBucketLifecycle',
      putUncertain: 'access-log name REST.PUT.LIFECYCLE',
      // The older API names, still accepted (and seen as CloudTrail event names).
      getAliases: ['GetBucketLifecycle'],
      putAliases: ['PutBucketLifecycle'],
    },
  ),
  ...config(
    'Notification',
    'notification',
    'NOTIFICATION',
    's3:GetBucketNotification',
    's3:PutBucketNotification',
    {
      getName: 'GetBucketNotificationConfiguration',
      putName: 'PutBucketNotificationConfiguration',
      deleteName: '',
      getAliases: ['GetBucketNotification'],
      putAliases: ['PutBucketNotification'],
    },
  ),
  ...config(
    'Replication',
    'replication',
    'REPLICATION',
    's3:GetReplicationConfiguration',
    's3:PutReplicationConfiguration',
  ),
  ...config(
    'Accelerate',
    'accelerate',
    'ACCELERATE',
    's3:GetAccelerateConfiguration',
    's3:PutAccelerateConfiguration',
    {
      getName: 'GetBucketAccelerateConfiguration',
      putName: 'PutBucketAccelerateConfiguration',
      deleteName: '',
    },
  ),
  ...config(
    'AnalyticsConfiguration',
    'analytics',
    'ANALYTICS',
    's3:GetAnalyticsConfiguration',
    's3:PutAnalyticsConfiguration',
  ),
  ...config(
    'InventoryConfiguration',
    'inventory',
    'INVENTORY',
    's3:GetInventoryConfiguration',
    's3:PutInventoryConfiguration',
  ),
  ...config(
    'MetricsConfiguration',
    'metrics',
    'METRICS',
    's3:GetMetricsConfiguration',
    's3:PutMetricsConfiguration',
  ),
  ...config(
    'IntelligentTieringConfiguration',
    'intelligent-tiering',
    'INTELLIGENT_TIERING',
    's3:GetIntelligentTieringConfiguration',
    's3:PutIntelligentTieringConfiguration',
  ),

  // ---- S3 Control: account and access points (never in a bucket access log) --------------------
  op({
    apiName: 'GetAccountPublicAccessBlock',
    aliases: ['GetPublicAccessBlock (S3 Control)'],
    logOperations: [],
    http: { method: 'GET', path: 'control', query: ['configuration/publicAccessBlock'] },
    actions: ['s3:GetAccountPublicAccessBlock'],
    resource: '*',
    doc: `${API}API_control_GetPublicAccessBlock.html`,
  }),
  op({
    apiName: 'PutAccountPublicAccessBlock',
    aliases: ['PutPublicAccessBlock (S3 Control)'],
    logOperations: [],
    http: { method: 'PUT', path: 'control', query: ['configuration/publicAccessBlock'] },
    actions: ['s3:PutAccountPublicAccessBlock'],
    resource: '*',
    doc: `${API}API_control_PutPublicAccessBlock.html`,
  }),
  op({
    apiName: 'GetAccessPoint',
    logOperations: [],
    http: { method: 'GET', path: 'control', query: ['accesspoint'] },
    actions: ['s3:GetAccessPoint'],
    resource: 'access-point',
    conditionKeys: ['s3:DataAccessPointArn', 's3:DataAccessPointAccount', 's3:AccessPointNetworkOrigin'],
  }),
  op({
    apiName: 'GetAccessPointPolicy',
    logOperations: [],
    http: { method: 'GET', path: 'control', query: ['accesspoint', 'policy'] },
    actions: ['s3:GetAccessPointPolicy'],
    resource: 'access-point',
    conditionKeys: ['s3:DataAccessPointArn', 's3:DataAccessPointAccount', 's3:AccessPointNetworkOrigin'],
  }),
  op({
    apiName: 'PutAccessPointPolicy',
    logOperations: [],
    http: { method: 'PUT', path: 'control', query: ['accesspoint', 'policy'] },
    actions: ['s3:PutAccessPointPolicy'],
    resource: 'access-point',
    note: 'BlockPublicPolicy rejects public access point policies',
  }),
  op({
    apiName: 'DeleteAccessPointPolicy',
    logOperations: [],
    http: { method: 'DELETE', path: 'control', query: ['accesspoint', 'policy'] },
    actions: ['s3:DeleteAccessPointPolicy'],
    resource: 'access-point',
    conditionKeys: ['s3:DataAccessPointArn', 's3:DataAccessPointAccount', 's3:AccessPointNetworkOrigin'],
  }),
  op({
    apiName: 'GetAccessPointPolicyStatus',
    logOperations: [],
    http: { method: 'GET', path: 'control', query: ['accesspoint', 'policyStatus'] },
    actions: ['s3:GetAccessPointPolicyStatus'],
    resource: 'access-point',
    conditionKeys: ['s3:DataAccessPointArn', 's3:DataAccessPointAccount', 's3:AccessPointNetworkOrigin'],
  }),
  op({
    apiName: 'CreateAccessPoint',
    logOperations: [],
    http: { method: 'PUT', path: 'control', query: ['accesspoint', 'create'] },
    actions: ['s3:CreateAccessPoint'],
    resource: 'access-point',
    conditionKeys: ['s3:DataAccessPointArn', 's3:DataAccessPointAccount', 's3:AccessPointNetworkOrigin'],
  }),
  op({
    apiName: 'DeleteAccessPoint',
    logOperations: [],
    http: { method: 'DELETE', path: 'control', query: ['accesspoint'] },
    actions: ['s3:DeleteAccessPoint'],
    resource: 'access-point',
    conditionKeys: ['s3:DataAccessPointArn', 's3:DataAccessPointAccount', 's3:AccessPointNetworkOrigin'],
  }),
  op({
    apiName: 'ListAccessPoints',
    logOperations: [],
    http: { method: 'GET', path: 'control', query: ['accesspoint', 'list'] },
    actions: ['s3:ListAccessPoints'],
    resource: '*',
  }),

  // ---- Calls no IAM policy governs -----------------------------------------------------------
  op({
    apiName: 'PreflightRequest',
    aliases: ['OPTIONS object'],
    logOperations: ['REST.OPTIONS.PREFLIGHT'],
    http: { method: 'OPTIONS', path: 'any', query: [] },
    actions: [],
    resource: 'object',
    note: 'CORS preflight: a 403 is a CORS configuration mismatch, not IAM',
    doc: `${API}RESTOPTIONSobject.html`,
  }),
  ...[
    'S3.EXPIRE.OBJECT',
    'S3.CREATE.DELETEMARKER',
    'S3.TRANSITION_SIA.OBJECT',
    'S3.TRANSITION_ZIA.OBJECT',
    'S3.TRANSITION_INT.OBJECT',
    'S3.TRANSITION_GIR.OBJECT',
    'S3.TRANSITION.OBJECT',
    'S3.TRANSITION_GDA.OBJECT',
    'S3.DELETE.UPLOAD',
  ].map((name) =>
    op({
      id: `Lifecycle:${name}`,
      apiName: 'LifecycleAction',
      logOperations: [name],
      http: { method: 'DELETE', path: 'object', query: ['lifecycle-action'] },
      actions: [],
      resource: 'object',
      cloudTrail: 'none',
      note: 'performed by S3 itself (requester AmazonS3): never a denial',
      doc: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-and-other-bucket-config.html',
    }),
  ),
];
