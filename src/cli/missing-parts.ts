// What a read request lacks (a HEAD 403 names no bucket, key, principal or code) and filling it in from --bucket/--key/--principal/--operation.

import type { LogRecord } from '../model/index.js';
import { shellQuote } from '../fix/advice.js';

/** A request described by its parts (the assistant's "describe it", or diagnose's --principal/--operation/--bucket/--key). */
export interface DescribedRequest {
  principal?: string;
  operation?: string;
  bucket?: string;
  key?: string;
}

/** Turns a described request into a record the engine reads like any log record. */
export function describedRecord(d: DescribedRequest): LogRecord {
  const anonymous = !d.principal || d.principal === 'anonymous' || d.principal === '-';
  return {
    input: { source: '(described)' },
    format: 'unknown',
    ...(anonymous ? {} : { requester: d.principal }),
    ...(d.operation ? { apiName: d.operation.replace(/^s3:/, '') } : {}),
    ...(d.bucket ? { bucket: d.bucket } : {}),
    ...(d.key ? { key: d.key } : {}),
    httpStatus: 403,
    errorCode: 'AccessDenied',
  };
}

/** A part of a request s3doctor needs to explain it. */
export type RequestPart = 'bucket' | 'key' | 'principal';

/**
 * True for a HEAD request refused without an error code (`aws s3 cp`'s `An error occurred (403)
 * when calling the HeadObject operation: Forbidden`): a HEAD response has no body, so S3 sends no
 * error code or message, only the status
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
 */
export function isBareHeadError(r: LogRecord): boolean {
  const op = r.apiName ?? '';
  return (
    /^Head(Object|Bucket)$/.test(op) && (r.errorCode === undefined || /^(Forbidden|403)$/.test(r.errorCode))
  );
}

/** The parts an error-message record lacks (logs and CloudTrail events always name them). */
export function missingParts(r: LogRecord): RequestPart[] {
  const out: RequestPart[] = [];
  if (!r.bucket) out.push('bucket');
  if (!r.key && r.apiName !== 'HeadBucket' && /Object/.test(r.apiName ?? '')) out.push('key');
  if (!r.requester) out.push('principal');
  return out;
}

/** The flag that gives each part. */
export const PART_FLAG: Record<RequestPart, string> = {
  bucket: '--bucket NAME',
  key: '--key KEY',
  principal: '--principal ARN',
};

/**
 * The parts s3doctor needs that an error message leaves out: a HEAD 403 names no bucket, key or
 * principal; an SDK or CLI error message (`An error occurred (AccessDenied) when calling the
 * PutObject operation: Access Denied`) names the operation but usually not the bucket. Logs and
 * CloudTrail events always name the bucket, so they lack nothing here.
 */
export function partsToAsk(r: LogRecord): RequestPart[] {
  if (isBareHeadError(r)) return missingParts(r);
  return r.format === 'error-message' && !r.bucket ? missingParts(r) : [];
}

/** Why an error message cannot be explained as it stands (the start of the note and the assistant's question). */
export function whyPartsMissing(r: LogRecord): string {
  if (isBareHeadError(r))
    return `${r.apiName} was refused with 403 Forbidden and no error code: HEAD responses have no body, so S3 sends no code or message and the cause cannot be read from the error.`;
  return `${r.apiName ?? 'The request'} was refused${r.errorCode ? ` with ${r.errorCode}` : ''}, but the error message names no bucket, so which policies decide it is not known.`;
}

/**
 * One line about an error message that lacks parts s3doctor needs (undefined otherwise):
 * says why and names the flags that give what is missing.
 */
export function missingPartsNote(r: LogRecord, input?: string): string | undefined {
  const parts = partsToAsk(r);
  if (parts.length === 0) return undefined;
  const where = `${r.input.source}${r.input.line !== undefined ? `:${r.input.line}` : ''}`;
  const example = `s3doctor diagnose ${input ? shellQuote(input) : 'FILE'} ${parts.map((p) => PART_FLAG[p]).join(' ')}`;
  const principal = parts.includes('principal')
    ? '; the principal is the Arn of aws sts get-caller-identity run as the caller'
    : '';
  return `${where}: ${whyPartsMissing(r)} Give the ${parts.join(', ')} with ${parts.map((p) => PART_FLAG[p].split(' ')[0]).join(', ')} (${example}${principal}).`;
}

/** The record with what it lacks filled in from the flags (what it names is kept). */
export function completeRecord(r: LogRecord, d: DescribedRequest): LogRecord {
  const principal =
    d.principal && d.principal !== 'anonymous' && d.principal !== '-' ? d.principal : undefined;
  return {
    ...r,
    ...(!r.bucket && d.bucket ? { bucket: d.bucket } : {}),
    ...(!r.key && d.key ? { key: d.key } : {}),
    ...(!r.requester && principal ? { requester: principal } : {}),
    ...(!r.apiName && !r.logOperation && d.operation ? { apiName: d.operation.replace(/^s3:/, '') } : {}),
    ...(r.httpStatus === undefined ? { httpStatus: 403 } : {}),
  };
}
