// Maps CloudTrail events (trail files, lookup-events output, console exports, Athena/Lake rows) to LogRecords.

import type { InputFormat, InputSource, LogRecord } from '../model/input.js';
import { collapseWhitespace, parseEnhancedMessage } from './enhanced.js';
import { maskAccessKeyId, redactQueryValue, redactSecrets } from './redact.js';
import { accessKeyFingerprint } from './sts-events.js';

/*
 * Record fields: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html ,
 * userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html ,
 * S3 specifics: https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html ,
 * lookup-events: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html .
 */

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function str(x: unknown): string | undefined {
  if (typeof x === 'string') return x === '' ? undefined : x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return undefined;
}

/** True for an object that looks like one CloudTrail record. */
export function isCloudTrailEvent(x: unknown): x is Obj {
  if (!isObj(x)) return false;
  return (
    ('eventVersion' in x && ('eventName' in x || 'eventSource' in x)) ||
    ('eventSource' in x && 'eventName' in x) ||
    ('eventID' in x && 'eventName' in x)
  );
}

/** True for one element of `lookup-events` output (`Events[]`). */
export function isLookupEvent(x: unknown): x is Obj {
  return isObj(x) && ('CloudTrailEvent' in x || ('EventId' in x && 'EventName' in x));
}

/** True for a CloudTrail digest file (skipped: it lists log files, no events). */
export function isDigest(x: unknown): boolean {
  return isObj(x) && ('digestPublicKeyFingerprint' in x || ('logFiles' in x && 'digestStartTime' in x));
}

/** Services whose events s3doctor reads; other services' events in a trail are skipped. */
export const EVENT_SOURCES: ReadonlySet<string> = new Set([
  's3.amazonaws.com',
  's3express.amazonaws.com',
  'kms.amazonaws.com',
  's3-object-lambda.amazonaws.com',
]);

/** Whether a CloudTrail event belongs to a service s3doctor reads (S3, S3 Express, KMS); unknown sources are kept. */
export function isRelevantSource(ev: Obj): boolean {
  const s = str(ev.eventSource);
  return s === undefined || EVENT_SOURCES.has(s);
}

/** ISO 8601 from an ISO string or epoch seconds/milliseconds (number or numeric string); undefined if neither. */
export function toIsoTime(x: unknown): string | undefined {
  if (typeof x === 'number' || (typeof x === 'string' && /^\d+(\.\d+)?$/.test(x.trim()))) {
    const n = Number(x);
    const ms = n > 1e12 ? n : n * 1000;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace('.000Z', 'Z');
  }
  if (typeof x !== 'string' || x.trim() === '') return undefined;
  const s = x.trim();
  // Athena renders timestamps as `2026-11-24 09:14:02.000`: UTC without the T/Z.
  const athena = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?$/.exec(s);
  const t = Date.parse(athena ? `${athena[1]}T${athena[2]}${athena[3] ?? ''}Z` : s);
  if (Number.isNaN(t)) return undefined;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(s)) return s;
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

/** Flattens a value to a string for `query`/`headers` maps (objects as JSON). */
function flat(x: unknown): string | undefined {
  if (x === null || x === undefined) return undefined;
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return JSON.stringify(x);
}

function boolish(x: unknown): boolean | undefined {
  if (typeof x === 'boolean') return x;
  if (x === 'true' || x === 'TRUE' || x === 'True') return true;
  if (x === 'false' || x === 'FALSE' || x === 'False') return false;
  return undefined;
}

/** `requestParameters` keys that are not query parameters but have their own record field. */
const PARAM_FIELDS = new Set(['bucketName', 'key', 'Host', 'bucketPolicy', 'versionId']);

/** Parses a JSON text column (Athena/Lake) or returns the value as is. */
export function maybeJson(x: unknown): unknown {
  if (typeof x !== 'string') return x;
  const t = x.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return x;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return x;
  }
}

/**
 * Maps one CloudTrail record to a LogRecord: identity (session issuer, MFA, invokedBy, source
 * identity, key id prefix), request parameters (bucket, key, version id, query, `x-amz-*`
 * headers, submitted bucket policy), additionalEventData (signature version, cipher suite, auth
 * method, host id), tlsDetails, vpcEndpointId, resources (bucket owner account, access point),
 * error code and message (with the enhanced-message parse). Tolerates missing or odd fields.
 */
export function cloudTrailEventToRecord(ev: Obj, input: InputSource, format: InputFormat): LogRecord {
  const eventId = str(ev.eventID) ?? str(ev.eventId);
  const r: LogRecord = { input: eventId ? { ...input, eventId } : input, format };
  const time = toIsoTime(ev.eventTime);
  if (time) r.time = time;
  put(r, 'apiName', str(ev.eventName));
  put(r, 'eventSource', str(ev.eventSource));
  put(r, 'eventType', str(ev.eventType));
  put(r, 'eventCategory', str(ev.eventCategory));
  put(r, 'region', str(ev.awsRegion));
  put(r, 'sourceIp', str(ev.sourceIPAddress));
  const ua = str(ev.userAgent);
  if (ua) r.userAgent = ua.length >= 2 && ua.startsWith('[') && ua.endsWith(']') ? ua.slice(1, -1) : ua;
  put(r, 'errorCode', str(ev.errorCode));
  const msg = str(ev.errorMessage);
  if (msg) {
    r.errorMessage = redactSecrets(collapseWhitespace(msg));
    const enh = parseEnhancedMessage(msg);
    if (enh) r.enhanced = enh;
  }
  put(r, 'requestId', str(ev.requestID) ?? str(ev.requestId));
  put(r, 'vpcEndpointId', str(ev.vpcEndpointId));
  put(r, 'recipientAccountId', str(ev.recipientAccountId));

  const ui = maybeJson(ev.userIdentity);
  if (isObj(ui)) identity(r, ui);

  const rp = maybeJson(ev.requestParameters);
  if (isObj(rp)) {
    requestParameters(r, rp);
    sseNotSent(r);
  }

  const aed = maybeJson(ev.additionalEventData);
  if (isObj(aed)) {
    put(r, 'signatureVersion', str(aed.SignatureVersion));
    put(r, 'cipherSuite', str(aed.CipherSuite));
    put(r, 'authType', str(aed.AuthenticationMethod));
    put(r, 'hostId', str(aed['x-amz-id-2']));
    const flatAed: Record<string, string> = {};
    for (const [k, val] of Object.entries(aed)) {
      const s = flat(val);
      if (s !== undefined) flatAed[k] = redactSecrets(s);
    }
    if (Object.keys(flatAed).length > 0) r.additionalEventData = flatAed;
  }

  const tls = maybeJson(ev.tlsDetails);
  if (isObj(tls)) {
    put(r, 'tlsVersion', str(tls.tlsVersion));
    if (r.cipherSuite === undefined) put(r, 'cipherSuite', str(tls.cipherSuite));
    const host = str(tls.clientProvidedHostHeader);
    if (host) r.hostHeader = host;
  }

  const res = maybeJson(ev.resources);
  if (Array.isArray(res)) resources(r, res);
  return r;
}

function put<K extends keyof LogRecord>(r: LogRecord, k: K, value: LogRecord[K] | undefined): void {
  if (value !== undefined && r[k] === undefined) r[k] = value;
}

function identity(r: LogRecord, ui: Obj): void {
  const id: NonNullable<LogRecord['identity']> = {};
  const type = str(ui.type);
  if (type) id.type = type;
  const principalId = str(ui.principalId);
  if (principalId) id.principalId = principalId;
  const accountId = str(ui.accountId);
  if (accountId) id.accountId = accountId;
  const invokedBy = str(ui.invokedBy);
  if (invokedBy) id.invokedBy = invokedBy;
  const userName = str(ui.userName);
  if (userName) id.userName = userName;
  const akid = str(ui.accessKeyId);
  const prefix = akid ? maskAccessKeyId(akid).replace('****', '') : '';
  if (prefix) id.accessKeyIdPrefix = prefix;
  if (akid) id.accessKeyIdHash = accessKeyFingerprint(akid);
  const sc = maybeJson(ui.sessionContext);
  if (isObj(sc)) {
    const issuer = maybeJson(sc.sessionIssuer);
    if (isObj(issuer)) {
      const arn = str(issuer.arn);
      if (arn) id.sessionIssuerArn = arn;
    }
    const attrs = maybeJson(sc.attributes);
    if (isObj(attrs)) {
      const mfa = boolish(attrs.mfaAuthenticated);
      if (mfa !== undefined) id.mfaAuthenticated = mfa;
      const cd = toIsoTime(attrs.creationDate);
      if (cd) id.sessionCreationDate = cd;
    }
    const si = str(sc.sourceIdentity);
    if (si) id.sourceIdentity = si;
  }
  const si = str(ui.sourceIdentity);
  if (si && !id.sourceIdentity) id.sourceIdentity = si;
  if (Object.keys(id).length > 0) r.identity = id;
  const arn = str(ui.arn);
  if (arn) r.requester = arn;
}

function requestParameters(r: LogRecord, rp: Obj): void {
  put(r, 'bucket', str(rp.bucketName));
  const key = str(rp.key);
  if (key !== undefined) r.key = key;
  put(r, 'versionId', str(rp.versionId));
  const host = str(rp.Host) ?? str(rp.host);
  if (host) r.hostHeader = host;
  if ('bucketPolicy' in rp && rp.bucketPolicy !== null && rp.bucketPolicy !== undefined) {
    r.submittedPolicy = maybeJson(rp.bucketPolicy);
  }
  const query: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [k, val] of Object.entries(rp)) {
    if (PARAM_FIELDS.has(k)) continue;
    const s = flat(val);
    if (s === undefined) continue;
    if (
      /^x-amz-/i.test(k) &&
      !/^X-Amz-(Date|Expires|Algorithm|SignedHeaders|Credential|Signature|Security-Token)$/i.test(k)
    ) {
      headers[k.toLowerCase()] = redactQueryValue(k, s);
    } else {
      query[k] = redactQueryValue(k, s);
    }
  }
  if (Object.keys(query).length > 0) r.query = query;
  if (Object.keys(headers).length > 0) r.headers = { ...(r.headers ?? {}), ...headers };
}

/** Writes whose CloudTrail record lists the SSE request headers in `requestParameters` when they were sent. */
const SSE_RECORDING_EVENTS = new Set(['PutObject', 'CopyObject', 'CreateMultipartUpload']);
/**
 * Headers a CloudTrail S3 write record lists in `requestParameters` when the request sent them, also
 * when it was denied: a published denied PutObject record shows `x-amz-server-side-encryption` and
 * `x-amz-server-side-encryption-aws-kms-key-id` there (gist.github.com/mattgillard/78d0b010c30964681a1adfb178fc4a53;
 * field list: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html , https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html).
 * Other headers (`x-amz-acl`, `x-amz-request-payer`) are not settled: their recording is not confirmed.
 */
const SSE_RECORDED_HEADERS = ['x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id'];

/** The SSE headers a write's shown requestParameters lack were not sent: say so, naming the event. */
function sseNotSent(r: LogRecord): void {
  if (r.eventSource !== undefined && r.eventSource !== 's3.amazonaws.com') return;
  if (!r.apiName || !SSE_RECORDING_EVENTS.has(r.apiName)) return;
  const where = r.input.eventId
    ? `event ${r.input.eventId}`
    : r.input.line
      ? `line ${r.input.line}`
      : 'the event';
  for (const h of SSE_RECORDED_HEADERS) {
    if (r.headers?.[h] !== undefined) continue;
    r.headersNotSent = {
      ...(r.headersNotSent ?? {}),
      [h]: `${where}: CloudTrail requestParameters has no ${h}`,
    };
  }
}

function resources(r: LogRecord, res: unknown[]): void {
  for (const item of res) {
    const x = maybeJson(item);
    if (!isObj(x)) continue;
    const type = str(x.type) ?? str(x.resourceType);
    const arn = str(x.ARN) ?? str(x.arn) ?? str(x.ARNPrefix) ?? str(x.arnPrefix);
    if (type === 'AWS::S3::Bucket') {
      put(r, 'bucketOwnerAccountId', str(x.accountId));
      const m = arn ? /^arn:aws[\w-]*:s3:::([^/]+)$/.exec(arn) : null;
      if (m) put(r, 'bucket', m[1]);
    } else if (type === 'AWS::S3::Object' && arn) {
      const m = /^arn:aws[\w-]*:s3:::([^/]+)\/(.*)$/s.exec(arn);
      if (m) {
        put(r, 'bucket', m[1]);
        if (r.key === undefined && str(x.ARN) !== undefined) r.key = m[2];
      }
    } else if (arn && /:accesspoint\//.test(arn)) {
      put(r, 'accessPointArn', arn);
    }
  }
}

/**
 * Maps one `lookup-events` element: the full record in `CloudTrailEvent` (a JSON string) when
 * there, else the summary fields (`EventId`, `EventName`, `EventTime` ISO or epoch seconds,
 * `EventSource`, `Username`, `Resources`). Throws a plain Error with the reason when
 * `CloudTrailEvent` is not valid JSON.
 */
export function lookupEventToRecord(e: Obj, input: InputSource): LogRecord {
  const inner = e.CloudTrailEvent;
  if (typeof inner === 'string' || isObj(inner)) {
    let ev: unknown;
    try {
      ev = typeof inner === 'string' ? JSON.parse(inner) : inner;
    } catch (err) {
      throw new Error(`CloudTrailEvent is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    if (isObj(ev)) {
      const r = cloudTrailEventToRecord(ev, input, 'cloudtrail-lookup-events');
      if (!r.time) {
        const t = toIsoTime(e.EventTime);
        if (t) r.time = t;
      }
      if (!r.input.eventId && str(e.EventId)) r.input = { ...r.input, eventId: str(e.EventId) as string };
      return r;
    }
  }
  const eventId = str(e.EventId);
  const r: LogRecord = { input: eventId ? { ...input, eventId } : input, format: 'cloudtrail-lookup-events' };
  const t = toIsoTime(e.EventTime);
  if (t) r.time = t;
  put(r, 'apiName', str(e.EventName));
  put(r, 'eventSource', str(e.EventSource));
  const user = str(e.Username);
  if (user) r.identity = { userName: user };
  const akid = str(e.AccessKeyId);
  if (akid)
    r.identity = { ...(r.identity ?? {}), accessKeyIdPrefix: maskAccessKeyId(akid).replace('****', '') };
  if (Array.isArray(e.Resources)) {
    for (const x of e.Resources) {
      if (isObj(x) && x.ResourceType === 'AWS::S3::Bucket') put(r, 'bucket', str(x.ResourceName));
    }
  }
  return r;
}
