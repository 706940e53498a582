// Public surface of src/s3: the S3 operation table and lookup, ARN helpers, principal parsing.
export type {
  OperationSpec,
  OperationMatch,
  HeaderAction,
  HttpShape,
  HttpMethod,
  ResourceForm,
  DataAccess,
} from './operation-spec.js';
export { lookupOperation, operationById, listOperations, OPERATIONS } from './operations.js';
export { nearestName } from './nearest.js';
export type { OperationQuery } from './operations.js';
export {
  parseArn,
  formatArn,
  bucketArn,
  objectArn,
  accessPointArn,
  accessPointObjectArn,
  parseAccessPointArn,
  parseS3Arn,
  parseS3Host,
  partitionForRegion,
  isAccessPointAlias,
} from './arn.js';
export type { Arn, AccessPointRef, S3Resource, S3HostInfo, Partition } from './arn.js';
export {
  principalFromString,
  principalArn,
  principalAccount,
  principalLabel,
  principalType,
  isCanonicalId,
  isAccountId,
} from './principal.js';
export {
  GLOBAL_KEYS,
  COMMON_S3_KEYS,
  ACCESS_POINT_KEYS,
  EXISTING_OBJECT_TAG_KEYS,
  LIST_KEYS,
  ACL_KEYS,
  SSE_KEYS,
  OBJECT_LOCK_KEYS,
  REQUEST_OBJECT_TAG_KEYS,
  OBJECT_WRITE_KEYS,
  COPY_KEYS,
  VERSION_ID_KEY,
  headerForKey,
} from './condition-keys.js';
