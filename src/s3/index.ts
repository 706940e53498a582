// Public surface of src/s3: the S3 operation table and lookup, ARN helpers, principal parsing.
export { lookupOperation, operationById, listOperations, OPERATIONS } from './operations.js';
export { nearestName } from './nearest.js';
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
export {
  principalFromString,
  principalArn,
  principalAccount,
  principalLabel,
  principalType,
} from './principal.js';
export { GLOBAL_KEYS, COMMON_S3_KEYS } from './condition-keys.js';
