// Public surface of src/request: a log record -> the S3Request (authorizations + context) S3 evaluated.
export { toS3Request, parseCopySource } from './to-s3-request.js';
export type { RequestHints } from './to-s3-request.js';
