// Reads an EventBridge "AWS API Call via CloudTrail" event: the CloudTrail record in `detail`, and whether it is a denial.

import { S3_DENIAL_CODES, KMS_DENIAL_CODES } from '../triage/alerts.js';

/*
 * Event envelope: https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html ;
 * CloudTrail events in EventBridge (detail-type "AWS API Call via CloudTrail", the record in `detail`):
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html ,
 * S3: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-s3.html ,
 * KMS: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-kms.html .
 */

/** The detail-type CloudTrail gives API calls it sends to EventBridge. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** What the handler makes of one event. */
export type ReadEvent =
  | { ok: true; id: string; detail: Record<string, unknown>; errorCode: string; eventSource: string }
  | { ok: false; reason: string };

const DENIALS: Readonly<Record<string, ReadonlySet<string>>> = {
  's3.amazonaws.com': new Set(S3_DENIAL_CODES),
  'kms.amazonaws.com': new Set(KMS_DENIAL_CODES),
};

/** The event pattern of the EventBridge rule: S3 and KMS API calls refused with a denial code. */
export function denialEventPattern(): Record<string, unknown> {
  return {
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    $or: [
      { source: ['aws.s3'], detail: { eventSource: ['s3.amazonaws.com'], errorCode: [...S3_DENIAL_CODES] } },
      {
        source: ['aws.kms'],
        detail: { eventSource: ['kms.amazonaws.com'], errorCode: [...KMS_DENIAL_CODES] },
      },
    ],
  };
}

const isObj = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Checks the event is a CloudTrail API call of S3 or KMS refused with a denial code (the rule's pattern). */
export function readEvent(ev: unknown): ReadEvent {
  if (!isObj(ev)) return { ok: false, reason: 'not an EventBridge event (not a JSON object)' };
  const type = ev['detail-type'];
  if (type !== CLOUDTRAIL_DETAIL_TYPE)
    return { ok: false, reason: `detail-type is ${JSON.stringify(type)}, not "${CLOUDTRAIL_DETAIL_TYPE}"` };
  const detail = ev.detail;
  if (!isObj(detail)) return { ok: false, reason: 'the event has no detail object' };
  const eventSource = typeof detail.eventSource === 'string' ? detail.eventSource : '';
  const codes = DENIALS[eventSource];
  if (!codes) return { ok: false, reason: `eventSource ${JSON.stringify(eventSource)} is not S3 or KMS` };
  const errorCode = typeof detail.errorCode === 'string' ? detail.errorCode : '';
  if (!codes.has(errorCode))
    return {
      ok: false,
      reason: errorCode
        ? `errorCode ${JSON.stringify(errorCode)} is not a denial`
        : 'the call succeeded (no errorCode)',
    };
  const id =
    typeof ev.id === 'string' ? ev.id : typeof detail.eventID === 'string' ? detail.eventID : '(no id)';
  return { ok: true, id, detail, errorCode, eventSource };
}
