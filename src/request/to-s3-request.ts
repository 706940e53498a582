// LogRecord -> S3Request: the IAM authorizations one denied S3 call needs, with every context key the
// input reveals, the keys it cannot reveal (unknown, never silently absent), and the S3 call facts.
//
// Context keys per input: https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html

import type { LogRecord } from '../model/input.js';
import type { AuthzRequest, PresignedFacts, Principal, S3CallFacts, S3Request } from '../model/request.js';
import {
  accessPointObjectArn,
  bucketArn,
  isAccessPointAlias,
  objectArn,
  parseAccessPointArn,
  parseArn,
  parseS3Arn,
  parseS3Host,
  partitionForRegion,
} from '../s3/arn.js';
import type { AccessPointRef, S3HostInfo } from '../s3/arn.js';
import {
  ACCESS_POINT_KEYS,
  COMMON_S3_KEYS,
  GLOBAL_KEYS,
  LIST_KEYS,
  REQUEST_OBJECT_TAG_KEYS,
  VERSION_ID_KEY,
  headerForKey,
} from '../s3/condition-keys.js';
import type { HeaderAction, OperationMatch, OperationSpec } from '../s3/operation-spec.js';
import { lookupOperation } from '../s3/operations.js';
import {
  principalAccount,
  principalArn,
  principalFromString,
  principalType,
  isAccountId,
} from '../s3/principal.js';
import {
  ContextBuilder,
  amzDateToIso,
  authTypeKey,
  isIpAddress,
  isPrivateIpv4,
  isoSeconds,
  parseTagging,
  signatureVersionKey,
  timeMs,
  tlsVersionNumber,
} from './context.js';

/** Mappings the caller may know from evidence: canonical user id -> account, bucket -> owner account. */
export interface RequestHints {
  canonicalIds?: Record<string, string>;
  bucketAccounts?: Record<string, string>;
}

type Need = AuthzRequest['need'];

interface Draft {
  action: string;
  resource: string;
  underlyingResource?: string;
  resourceAccount?: string;
  need: Need;
  purpose: string;
  /** Per-authorization context additions. */
  extra?: (ctx: ContextBuilder) => void;
  /** Extra candidate keys for this authorization. */
  keys?: readonly string[];
}

const CLOUDTRAIL_FORMATS = new Set([
  'cloudtrail-event',
  'cloudtrail-records',
  'cloudtrail-lookup-events',
  'cloudwatch-logs-events',
  'cloudwatch-logs-insights',
  'cloudtrail-console-csv',
  'cloudtrail-athena-csv',
]);

/** Services that set `aws:CalledVia` when they call on the principal's behalf (forward access sessions). */
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-calledvia
const CALLED_VIA_SERVICES = new Set([
  'athena.amazonaws.com',
  'cloudformation.amazonaws.com',
  'dynamodb.amazonaws.com',
  'kms.amazonaws.com',
]);

/** Where the request's headers can be read: the record's headers, presigned query, and signed-header list. */
class HeaderView {
  private readonly headers: Record<string, string>;
  private readonly query: Record<string, string>;
  /** Lower-case names of the headers a SigV4 presigned URL signed; `undefined` when not shown. */
  readonly signed?: Set<string>;
  /** Headers the input proves were not sent (`x-amz-grant-*` covers the family), with the proof. */
  private readonly notSent: Record<string, string>;

  constructor(record: LogRecord) {
    this.headers = {};
    for (const [k, v] of Object.entries(record.headers ?? {})) this.headers[k.toLowerCase()] = v;
    this.notSent = {};
    for (const [k, v] of Object.entries(record.headersNotSent ?? {})) this.notSent[k.toLowerCase()] = v;
    this.query = {};
    for (const [k, v] of Object.entries(record.query ?? {})) this.query[k.toLowerCase()] = v;
    const sh = this.query['x-amz-signedheaders'];
    if (sh) this.signed = new Set(sh.toLowerCase().split(';').filter(Boolean));
  }

  /** Why the input proves this header (or every header of a `x-amz-grant-*` family) was not sent, if it does. */
  proofOf(name: string): string | undefined {
    const n = name.toLowerCase();
    const direct = this.notSent[n];
    if (direct !== undefined) return direct;
    for (const [k, v] of Object.entries(this.notSent))
      if (k.endsWith('*') && n.startsWith(k.slice(0, -1))) return v;
    return undefined;
  }

  /** The value of a header (or of the same-named query parameter, as presigned URLs and CloudTrail carry them). */
  get(name: string): string | undefined {
    const n = name.toLowerCase();
    return this.headers[n] ?? (n.startsWith('x-amz-') ? this.query[n] : undefined);
  }

  /** Names matching a pattern (`x-amz-grant-*`) that were sent. */
  matching(pattern: string): string[] {
    const p = pattern.toLowerCase();
    const test = p.endsWith('*') ? (n: string) => n.startsWith(p.slice(0, -1)) : (n: string) => n === p;
    const names = new Set<string>();
    for (const n of Object.keys(this.headers)) if (test(n)) names.add(n);
    for (const n of Object.keys(this.query)) if (n.startsWith('x-amz-') && test(n)) names.add(n);
    return [...names];
  }

  /**
   * `true`: sent (shown, or listed as signed); `false`: known not sent (a SigV4 request must sign every `x-amz-*` header it sends,
   * so a presigned URL's `X-Amz-SignedHeaders` lists them all:
   * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html ); `undefined`: unknown.
   */
  sent(patterns: readonly string[]): boolean | undefined {
    if (patterns.some((p) => this.matching(p).length > 0)) return true;
    if (patterns.length > 0 && patterns.every((p) => this.proofOf(p) !== undefined)) return false;
    if (this.signed && patterns.every((p) => p.toLowerCase().startsWith('x-amz-'))) {
      const signed = [...this.signed];
      const anySigned = patterns.some((p) => {
        const q = p.toLowerCase();
        return q.endsWith('*') ? signed.some((s) => s.startsWith(q.slice(0, -1))) : this.signed!.has(q);
      });
      // Signed means sent (the value is still not shown).
      return anySigned;
    }
    return undefined;
  }
}

/** Parse `x-amz-copy-source`: `/bucket/key?versionId=v`, `bucket/key`, or an access-point object ARN. */
export function parseCopySource(
  raw: string,
): { bucket: string; key: string; versionId?: string; accessPoint?: AccessPointRef } | undefined {
  let s = raw.trim();
  let versionId: string | undefined;
  const q = s.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(s.slice(q + 1));
    versionId = params.get('versionId') ?? undefined;
    s = s.slice(0, q);
  }
  try {
    s = decodeURIComponent(s);
  } catch {
    // keep the raw text
  }
  if (s.startsWith('arn:')) {
    const ap = parseAccessPointArn(s);
    if (!ap || ap.key === undefined) return undefined;
    const { key, ...ref } = ap;
    return { bucket: '', key, ...(versionId ? { versionId } : {}), accessPoint: ref };
  }
  if (s.startsWith('/')) s = s.slice(1);
  const slash = s.indexOf('/');
  if (slash <= 0 || slash === s.length - 1) return undefined;
  return { bucket: s.slice(0, slash), key: s.slice(slash + 1), ...(versionId ? { versionId } : {}) };
}

/** Keys of a DeleteObjects request, when the input lists them (`query.delete` as JSON). */
function deleteKeys(record: LogRecord): { key: string; versionId?: string }[] | undefined {
  const raw = record.query?.['delete'] ?? record.query?.['Delete'];
  if (!raw) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const objects = Array.isArray(doc)
    ? doc
    : doc && typeof doc === 'object'
      ? ((doc as Record<string, unknown>)['Object'] ?? (doc as Record<string, unknown>)['Objects'])
      : undefined;
  const list = Array.isArray(objects) ? objects : objects && typeof objects === 'object' ? [objects] : [];
  const out: { key: string; versionId?: string }[] = [];
  for (const o of list) {
    if (!o || typeof o !== 'object') continue;
    const rec = o as Record<string, unknown>;
    const key = rec['Key'] ?? rec['key'];
    if (typeof key !== 'string') continue;
    const v = rec['VersionId'] ?? rec['versionId'];
    out.push(typeof v === 'string' ? { key, versionId: v } : { key });
  }
  return out.length > 0 ? out : undefined;
}

/** Presigned URL facts from the request query (SigV4 `X-Amz-Date`/`X-Amz-Expires`, SigV2 `Expires`). */
function presignedFacts(record: LogRecord, q: Record<string, string>): PresignedFacts | undefined {
  const reqMs = timeMs(record.time);
  if (q['x-amz-algorithm'] || q['x-amz-credential'] || q['x-amz-signature'] || q['x-amz-date']) {
    const f: PresignedFacts = { signatureVersion: 'SigV4' };
    const signedAt = amzDateToIso(q['x-amz-date']);
    if (signedAt) f.signedAt = signedAt;
    const exp = q['x-amz-expires'] !== undefined ? Number(q['x-amz-expires']) : NaN;
    if (Number.isFinite(exp) && exp >= 0) f.expiresSeconds = exp;
    const signedMs = timeMs(signedAt);
    if (signedMs !== undefined && f.expiresSeconds !== undefined) {
      const expMs = signedMs + f.expiresSeconds * 1000;
      f.expiresAt = isoSeconds(expMs);
      if (reqMs !== undefined) f.expiredAtRequestTime = reqMs > expMs;
    }
    return f;
  }
  if (q['awsaccesskeyid'] !== undefined && (q['expires'] !== undefined || q['signature'] !== undefined)) {
    const f: PresignedFacts = { signatureVersion: 'SigV2' };
    const exp = q['expires'] !== undefined ? Number(q['expires']) : NaN;
    if (Number.isFinite(exp)) {
      f.expiresAt = isoSeconds(exp * 1000);
      if (reqMs !== undefined) f.expiredAtRequestTime = reqMs > exp * 1000;
    }
    return f;
  }
  return undefined;
}

function lowerKeys(m: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/**
 * Turn a log record (access-log line, CloudTrail event, pasted error) into the S3Request S3
 * evaluated: one AuthzRequest per authorization the call needs (`required`, or `possible` when it
 * depends on something the input cannot show), each with the context keys the input reveals and
 * the keys it cannot know (`unknownKeys`). Never throws; what the input lacks is listed in `missing`.
 */
export function toS3Request(record: LogRecord, hints: RequestHints = {}): S3Request {
  const format = record.format;
  const isAccessLog = format === 's3-access-log' || format === 'access-log-athena-csv';
  const isCloudTrail = CLOUDTRAIL_FORMATS.has(format);
  const isErrorText = !isAccessLog && !isCloudTrail;
  const missing = new Set<string>();
  const q = lowerKeys(record.query);
  const hv = new HeaderView(record);
  const enhanced = record.enhanced;

  // ---- Principal -------------------------------------------------------------------------------
  const rawRequester = record.requester ?? enhanced?.principalArn;
  let principal: Principal;
  if (rawRequester === undefined && isErrorText && !record.identity) {
    principal = { kind: 'unknown', raw: 'unknown principal' };
    missing.add('principal');
  } else {
    principal = principalFromString(rawRequester ?? '', record.identity);
  }
  if (principal.kind === 'canonical-user') {
    const acct = hints.canonicalIds?.[principal.canonicalId];
    if (acct) principal = { ...principal, accountId: acct };
  }

  // ---- Where the request went ---------------------------------------------------------------------
  const host: S3HostInfo | undefined = record.hostHeader ? parseS3Host(record.hostHeader) : undefined;
  let bucket = record.bucket;
  let key = record.key;
  let accessPoint: AccessPointRef | undefined;
  let viaAlias = false;
  if (record.accessPointArn) accessPoint = stripKey(parseAccessPointArn(record.accessPointArn));
  if (bucket?.startsWith('arn:')) {
    const ap = parseAccessPointArn(bucket);
    if (ap) {
      accessPoint ??= stripKey(ap);
      if (ap.key !== undefined && key === undefined) key = ap.key;
    }
    bucket = undefined;
  }
  if (!accessPoint && host?.accessPoint) accessPoint = host.accessPoint;
  if (bucket && isAccessPointAlias(bucket)) {
    viaAlias = true;
    bucket = undefined;
  } else if (!accessPoint && host?.bucket && isAccessPointAlias(host.bucket)) viaAlias = true;
  // The enhanced message's resource fills what a pasted error lacks.
  let kmsKeyArn: string | undefined;
  if (enhanced) {
    const res = parseS3Arn(enhanced.resource);
    if (res?.kind === 'bucket' || res?.kind === 'object') {
      bucket ??= res.bucket;
      if (res.kind === 'object') key ??= res.key;
    } else if (res?.kind === 'access-point' || res?.kind === 'access-point-object') {
      accessPoint ??= res.accessPoint;
      if (res.kind === 'access-point-object') key ??= res.key;
    }
    if (enhanced.action.toLowerCase().startsWith('kms:') && parseArn(enhanced.resource)?.service === 'kms') {
      kmsKeyArn = enhanced.resource;
    }
  }
  const credentialRegion = q['x-amz-credential']?.split('/')[2];
  const region =
    record.region ??
    host?.region ??
    accessPoint?.region ??
    (credentialRegion && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(credentialRegion) ? credentialRegion : undefined);
  const arnPartition = (s: string | undefined) => (s ? parseArn(s)?.partition : undefined);
  const partition =
    accessPoint?.partition ??
    (host && host.partition !== 'aws' ? host.partition : undefined) ??
    (region ? partitionForRegion(region) : undefined) ??
    arnPartition(enhanced?.resource) ??
    arnPartition(rawRequester) ??
    'aws';

  // ---- Operation ------------------------------------------------------------------------------------
  const hasKey = key !== undefined && key !== '' ? true : isAccessLog ? false : undefined;
  const iamAction = enhanced && enhanced.action.toLowerCase().startsWith('s3:') ? enhanced.action : undefined;
  const spec: OperationMatch | undefined = lookupOperation({
    ...(record.logOperation ? { logOperation: record.logOperation } : {}),
    ...(record.apiName ? { apiName: record.apiName } : {}),
    ...(record.httpMethod ? { method: record.httpMethod } : {}),
    ...(record.query ? { query: record.query } : {}),
    ...(hasKey !== undefined ? { hasKey } : {}),
    ...(record.headers ? { headers: lowerKeys(record.headers) } : {}),
    ...(iamAction ? { iamAction } : {}),
  });
  if (!spec) missing.add('operation');
  // S3 Control access point calls name the access point by name + account.
  if (spec?.resource === 'access-point' && !accessPoint)
    accessPoint = controlAccessPoint(record, q, region, partition);

  // ---- Version, owner accounts -------------------------------------------------------------------
  const versionId = record.versionId ?? record.query?.['versionId'];
  const bucketOwnerAccount =
    (bucket ? hints.bucketAccounts?.[bucket] : undefined) ??
    record.bucketOwnerAccountId ??
    (record.bucketOwnerCanonicalId ? hints.canonicalIds?.[record.bucketOwnerCanonicalId] : undefined);
  const accountOfBucket = (b: string | undefined): string | undefined =>
    b === undefined ? undefined : b === bucket ? bucketOwnerAccount : hints.bucketAccounts?.[b];

  /** ARNs for the operation's own resource form. */
  const resourceFor = (
    form: OperationSpec['resource'],
    k: string | undefined,
  ): { resource: string; underlying?: string; account?: string } | undefined => {
    if (form === '*') return { resource: '*' };
    if (form === 'access-point') {
      return accessPoint ? { resource: accessPoint.arn, account: accessPoint.account } : undefined;
    }
    if (form === 'object') {
      if (k === undefined || k === '') return undefined;
      if (accessPoint) {
        return {
          resource: accessPointObjectArn(accessPoint, k),
          ...(bucket ? { underlying: objectArn(bucket, k, partition) } : {}),
          account: accessPoint.account,
        };
      }
      if (!bucket) return undefined;
      const account = accountOfBucket(bucket);
      return { resource: objectArn(bucket, k, partition), ...(account ? { account } : {}) };
    }
    if (accessPoint) {
      return {
        resource: accessPoint.arn,
        ...(bucket ? { underlying: bucketArn(bucket, partition) } : {}),
        account: accessPoint.account,
      };
    }
    if (!bucket) return undefined;
    const account = accountOfBucket(bucket);
    return { resource: bucketArn(bucket, partition), ...(account ? { account } : {}) };
  };

  // ---- Authorizations ---------------------------------------------------------------------------------
  const drafts: Draft[] = [];
  const add = (d: Draft) => {
    const same = drafts.find((x) => x.action === d.action && x.resource === d.resource);
    if (!same) drafts.push(d);
    else if (same.need === 'possible' && d.need === 'required') Object.assign(same, d);
  };
  let copySource: S3CallFacts['copySource'];
  const keysForOp = spec ? spec.conditionKeys : [];

  if (spec && spec.actions.length > 0) {
    const opResourceMissing = () => {
      // An access point alias names neither the bucket nor the access point ARN.
      if (viaAlias && !accessPoint) missing.add('access-point');
      else if ((spec.resource === 'object' || spec.resource === 'bucket') && !accessPoint && !bucket)
        missing.add('bucket');
      if (spec.resource === 'object' && (key === undefined || key === '')) missing.add('key');
      if (spec.resource === 'access-point') missing.add('access-point');
    };
    // Targets: DeleteObjects authorizes every key; everything else its one resource.
    let targets: { key: string | undefined; versionId?: string }[] = [
      { key, ...(versionId ? { versionId } : {}) },
    ];
    if (spec.id === 'DeleteObjects') {
      const keys = deleteKeys(record);
      if (keys) targets = keys;
      else {
        targets = [];
        missing.add('delete-keys');
      }
    }
    for (const t of targets) {
      const r = resourceFor(spec.resource, t.key);
      if (!r) {
        opResourceMissing();
        continue;
      }
      const useVersion = t.versionId !== undefined && spec.versionActions !== undefined;
      const actions = useVersion ? spec.versionActions! : spec.actions;
      for (const action of actions) {
        add({
          action,
          resource: r.resource,
          ...(r.underlying ? { underlyingResource: r.underlying } : {}),
          ...(r.account ? { resourceAccount: r.account } : {}),
          need: 'required',
          purpose: spec.copySourceRead ? 'copy source read' : `${spec.apiName}`,
          ...(useVersion
            ? { extra: (c: ContextBuilder) => c.set(VERSION_ID_KEY, t.versionId), keys: [VERSION_ID_KEY] }
            : {}),
        });
      }
      for (const ha of spec.headerActions ?? []) headerAction(ha, r, t.versionId);
    }

    // Copy source (CopyObject, UploadPartCopy): read permission on the source object.
    if (spec.copySource) {
      const raw = hv.get('x-amz-copy-source');
      const src = raw ? parseCopySource(raw) : undefined;
      if (src) {
        // Through an access point the source bucket is not named: no bucket facts to give then.
        if (!src.accessPoint) {
          copySource = {
            bucket: src.bucket,
            key: src.key,
            ...(src.versionId ? { versionId: src.versionId } : {}),
          };
        }
        const srcArn = src.accessPoint
          ? accessPointObjectArn(src.accessPoint, src.key)
          : objectArn(src.bucket, src.key, partition);
        const srcAccount = src.accessPoint ? src.accessPoint.account : accountOfBucket(src.bucket);
        add({
          action: src.versionId ? 's3:GetObjectVersion' : 's3:GetObject',
          resource: srcArn,
          ...(srcAccount ? { resourceAccount: srcAccount } : {}),
          need: 'required',
          purpose: 'copy source read',
          ...(src.versionId
            ? { extra: (c: ContextBuilder) => c.set(VERSION_ID_KEY, src.versionId), keys: [VERSION_ID_KEY] }
            : {}),
        });
        if (spec.copyTags && hv.get('x-amz-tagging-directive')?.toUpperCase() !== 'REPLACE') {
          add({
            action: src.versionId ? 's3:GetObjectVersionTagging' : 's3:GetObjectTagging',
            resource: srcArn,
            ...(srcAccount ? { resourceAccount: srcAccount } : {}),
            need: 'possible',
            purpose: 'source tags copied (if the source has tags)',
          });
        }
      } else missing.add('copy-source');
      if (spec.copyTags && hv.get('x-amz-tagging-directive')?.toUpperCase() !== 'REPLACE') {
        const r = resourceFor(spec.resource, key);
        if (r) {
          add({
            action: 's3:PutObjectTagging',
            resource: r.resource,
            ...(r.underlying ? { underlyingResource: r.underlying } : {}),
            ...(r.account ? { resourceAccount: r.account } : {}),
            need: 'possible',
            purpose: 'source tags copied to the target (if the source has tags)',
          });
        }
      }
    }
    if (spec.copySourceRead && bucket && key) {
      copySource = { bucket, key, ...(versionId ? { versionId } : {}) };
    }
  }

  function headerAction(
    ha: HeaderAction,
    r: { resource: string; underlying?: string; account?: string },
    v: string | undefined,
  ): void {
    if (ha.versionIdOnly && v === undefined) return;
    if (ha.headers.includes('x-amz-bypass-governance-retention')) {
      const b = hv.get('x-amz-bypass-governance-retention');
      if (b !== undefined && b.toLowerCase() !== 'true') return;
    }
    const sent = hv.sent(ha.headers);
    if (sent === false) return;
    if (sent === undefined && ha.whenUnknown === 'omit') return;
    add({
      action: ha.action,
      resource: r.resource,
      ...(r.underlying ? { underlyingResource: r.underlying } : {}),
      ...(r.account ? { resourceAccount: r.account } : {}),
      need: sent ? 'required' : 'possible',
      purpose: sent ? ha.purpose : `${ha.purpose} (if sent: the input cannot show it)`,
    });
  }

  // The action the error message names must be evaluated even when the table did not predict it.
  if (enhanced && !kmsKeyArn) {
    const named = drafts.some((d) => d.action.toLowerCase() === enhanced.action.toLowerCase());
    if (!named && /^[\w-]+:[\w*]+$/.test(enhanced.action) && parseArn(enhanced.resource)) {
      const res = parseS3Arn(enhanced.resource);
      const acct =
        res?.kind === 'access-point' || res?.kind === 'access-point-object'
          ? res.accessPoint.account
          : res?.kind === 'bucket' || res?.kind === 'object'
            ? accountOfBucket(res.bucket)
            : undefined;
      add({
        action: enhanced.action,
        resource: enhanced.resource,
        ...(acct ? { resourceAccount: acct } : {}),
        need: 'required',
        purpose: 'named in the error message',
      });
    }
  }

  // ---- Shared context ---------------------------------------------------------------------------------
  const ctx = new ContextBuilder();
  const presigned = presignedFacts(record, q);
  fillTime(ctx, record, missing);
  fillTransport(ctx, record, spec, isAccessLog, isCloudTrail);
  const viaVpcEndpoint = fillNetwork(ctx, record, host);
  fillSigning(ctx, record, principal, spec, presigned);
  fillPrincipal(ctx, principal, record, q, isCloudTrail);
  fillClient(ctx, record, isAccessLog);
  if (region) ctx.set('aws:RequestedRegion', region);
  ctx.set('s3:x-amz-content-sha256', hv.get('x-amz-content-sha256'));

  // Access point keys (present only for access point requests).
  if (accessPoint) {
    ctx.set('s3:DataAccessPointArn', accessPoint.arn);
    ctx.set('s3:DataAccessPointAccount', accessPoint.account);
  } else if (
    !viaAlias &&
    (record.hostHeader !== undefined || record.accessPointArn !== undefined) &&
    !isErrorText
  ) {
    ctx.absent(...ACCESS_POINT_KEYS);
  }

  // Keys a header the input proves was not sent settles as absent, with the proof for the report.
  const provedAbsent: { key: string; proof: string }[] = [];

  // Operation keys the request line / requestParameters / headers reveal.
  // The request's parameters are shown by a request URI, or by CloudTrail requestParameters (the
  // console's CSV export has none: it only shows them when it carries the full record).
  const queryKnown =
    record.requestUri !== undefined ||
    record.query !== undefined ||
    (isCloudTrail && format !== 'cloudtrail-console-csv' && record.hostHeader !== undefined);
  for (const k of keysForOp) {
    if ((LIST_KEYS as readonly string[]).includes(k)) {
      const name = k.slice(3);
      const v = q[name];
      if (v !== undefined) ctx.set(k, v);
      else if (queryKnown) ctx.absent(k);
      continue;
    }
    const h = headerForKey(k);
    if (h) {
      const v = hv.get(h);
      if (v !== undefined) ctx.set(k, v);
      else if (hv.sent([h]) === false) {
        ctx.absent(k);
        const proof = hv.proofOf(h);
        if (proof !== undefined) provedAbsent.push({ key: k, proof });
      }
    }
  }
  let requestTags: Record<string, string> | undefined;
  if (keysForOp.includes('s3:RequestObjectTagKeys') && spec?.id !== 'PutObjectTagging') {
    const tagging = hv.get('x-amz-tagging');
    if (tagging !== undefined) {
      requestTags = parseTagging(tagging);
      ctx.set('s3:RequestObjectTagKeys', Object.keys(requestTags));
      for (const [tk, tv] of Object.entries(requestTags)) ctx.set(`s3:RequestObjectTag/${tk}`, tv);
      ctx.absent(...REQUEST_OBJECT_TAG_KEYS.filter((x) => x.endsWith('/*')));
    } else if (hv.sent(['x-amz-tagging']) === false) {
      ctx.absent(...REQUEST_OBJECT_TAG_KEYS);
      const proof = hv.proofOf('x-amz-tagging');
      if (proof !== undefined) provedAbsent.push({ key: 's3:RequestObjectTagKeys', proof });
    }
  }

  // ---- Assemble ----------------------------------------------------------------------------------------
  const baseCandidates = candidatesFor(spec);
  const allUnknown = new Set<string>();
  const authorizations: AuthzRequest[] = drafts.map((d) => {
    const c = ctx.clone();
    if (d.resourceAccount) {
      c.set('aws:ResourceAccount', d.resourceAccount);
      c.set('s3:ResourceAccount', d.resourceAccount);
    }
    d.extra?.(c);
    const unknownKeys = c.unknownAmong(
      d.keys ? sortedUnique([...baseCandidates, ...d.keys]) : baseCandidates,
    );
    for (const k of unknownKeys) allUnknown.add(k);
    const a: AuthzRequest = {
      principal,
      action: d.action,
      resource: d.resource,
      context: { ...c.present },
      unknownKeys,
      need: d.need,
      purpose: d.purpose,
    };
    if (d.resourceAccount) a.resourceAccount = d.resourceAccount;
    if (d.underlyingResource) a.underlyingResource = d.underlyingResource;
    return a;
  });
  if (authorizations.length === 0) for (const k of ctx.unknownAmong(baseCandidates)) allUnknown.add(k);

  const s3: S3CallFacts = {
    operation: spec?.apiName ?? record.apiName ?? record.logOperation ?? 'unknown',
    dataAccess: spec?.dataAccess ?? 'none',
  };
  if (!spec) delete s3.dataAccess;
  if (record.logOperation) s3.logOperation = record.logOperation;
  if (bucket) s3.bucket = bucket;
  if (key !== undefined && key !== '') s3.key = key;
  if (versionId) s3.versionId = versionId;
  if (accessPoint) s3.accessPointArn = accessPoint.arn;
  if (copySource) s3.copySource = copySource;
  if (spec?.inferred) s3.operationInferred = true;
  if (presigned) s3.presigned = presigned;
  if (record.aclRequired !== undefined) s3.aclRequired = record.aclRequired;
  if (region) s3.region = region;
  if (viaVpcEndpoint !== undefined) s3.viaVpcEndpoint = viaVpcEndpoint;
  if (requestTags) s3.requestTags = requestTags;
  if (record.submittedPolicy !== undefined) s3.submittedPolicy = record.submittedPolicy;
  if (kmsKeyArn) s3.sseKmsKeyId = kmsKeyArn;
  // Request-payer, ACL, SSE and Object Lock headers: value when shown, "none" only when provably not sent.
  const payer = hv.get('x-amz-request-payer');
  if (payer !== undefined) s3.requestPayerSent = payer.toLowerCase() === 'requester';
  else if (hv.sent(['x-amz-request-payer']) === false) s3.requestPayerSent = false;
  const acl = hv.get('x-amz-acl');
  const grants = hv.matching('x-amz-grant-*');
  if (acl !== undefined) s3.aclHeader = acl;
  else if (grants.length > 0) s3.aclHeader = grants.sort().join(',');
  else if (hv.sent(['x-amz-acl', 'x-amz-grant-*']) === false) s3.aclHeader = null;
  const sse = hv.get('x-amz-server-side-encryption');
  if (sse !== undefined) s3.sseHeader = sse;
  else if (hv.sent(['x-amz-server-side-encryption']) === false) s3.sseHeader = null;
  const sseKey = hv.get('x-amz-server-side-encryption-aws-kms-key-id');
  if (sseKey !== undefined && !kmsKeyArn) s3.sseKmsKeyId = sseKey;
  const bypass = hv.get('x-amz-bypass-governance-retention');
  if (bypass !== undefined) s3.bypassGovernance = bypass.toLowerCase() === 'true';
  else if (hv.sent(['x-amz-bypass-governance-retention']) === false) s3.bypassGovernance = false;
  const expectedOwner = hv.get('x-amz-expected-bucket-owner');
  if (expectedOwner !== undefined) s3.expectedBucketOwner = expectedOwner;
  const expectedSourceOwner = hv.get('x-amz-source-expected-bucket-owner');
  if (expectedSourceOwner !== undefined) s3.expectedSourceBucketOwner = expectedSourceOwner;
  const lock = hv.sent(['x-amz-object-lock-*']);
  if (lock !== undefined) s3.objectLockHeaders = lock;

  const out: S3Request = { principal, authorizations, s3, unknownKeys: [...allUnknown].sort() };
  if (record.time) out.time = record.time;
  if (record.httpStatus !== undefined) out.httpStatus = record.httpStatus;
  if (record.errorCode) out.errorCode = record.errorCode;
  if (record.errorMessage) out.errorMessage = record.errorMessage;
  if (missing.size > 0) out.missing = [...missing].sort();
  if (provedAbsent.length > 0) out.provedAbsent = provedAbsent;
  return out;
}

function sortedUnique(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort();
}

const NO_OP_CANDIDATES = sortedUnique([...GLOBAL_KEYS, ...COMMON_S3_KEYS, ...ACCESS_POINT_KEYS]);
const candidateCache = new Map<string, string[]>();

/** Every key a request for this operation may carry (sorted, unique), computed once per operation. */
function candidatesFor(spec: OperationSpec | undefined): string[] {
  if (!spec) return NO_OP_CANDIDATES;
  let c = candidateCache.get(spec.id);
  if (!c) {
    c = sortedUnique([...NO_OP_CANDIDATES, ...spec.conditionKeys]);
    candidateCache.set(spec.id, c);
  }
  return c;
}

function stripKey(ap: (AccessPointRef & { key?: string }) | undefined): AccessPointRef | undefined {
  if (!ap) return undefined;
  const { key: _key, ...ref } = ap;
  return ref;
}

/** The access point an S3 Control call names (`requestParameters.name` + the account in the host or header). */
function controlAccessPoint(
  record: LogRecord,
  q: Record<string, string>,
  region: string | undefined,
  partition: string,
): AccessPointRef | undefined {
  const name = q['name'];
  if (!name || !region) return undefined;
  const account =
    lowerKeys(record.headers)['x-amz-account-id'] ??
    q['accountid'] ??
    /^(\d{12})\./.exec(record.hostHeader ?? '')?.[1] ??
    record.recipientAccountId;
  if (!account || !isAccountId(account)) return undefined;
  return {
    partition,
    region,
    account,
    name,
    arn: `arn:${partition}:s3:${region}:${account}:accesspoint/${name}`,
  };
}

function fillTime(ctx: ContextBuilder, record: LogRecord, missing: Set<string>): void {
  const ms = timeMs(record.time);
  if (ms === undefined) {
    missing.add('time');
    return;
  }
  ctx.set('aws:CurrentTime', isoSeconds(ms));
  ctx.set('aws:EpochTime', String(Math.floor(ms / 1000)));
}

/** aws:SecureTransport and s3:TlsVersion from the cipher suite / TLS version fields. */
function fillTransport(
  ctx: ContextBuilder,
  record: LogRecord,
  spec: OperationSpec | undefined,
  isAccessLog: boolean,
  isCloudTrail: boolean,
): void {
  const website =
    spec?.logOperations.some((n) => n.startsWith('WEBSITE.')) && record.logOperation?.startsWith('WEBSITE.');
  const tls = tlsVersionNumber(record.tlsVersion);
  if (website) {
    // Website endpoints do not support HTTPS: https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html
    ctx.set('aws:SecureTransport', 'false');
    ctx.absent('s3:TlsVersion');
    return;
  }
  if (record.cipherSuite || tls) {
    ctx.set('aws:SecureTransport', 'true');
    if (tls) ctx.set('s3:TlsVersion', tls);
    return;
  }
  // Only trust "-" in the TLS fields when the line shows the fields around them (old lines stop at field 18).
  const laterFieldsShown = isAccessLog
    ? [
        record.hostId,
        record.signatureVersion,
        record.authType,
        record.hostHeader,
        record.accessPointArn,
      ].some((x) => x !== undefined)
    : isCloudTrail && (record.signatureVersion !== undefined || record.authType !== undefined);
  if (laterFieldsShown) {
    ctx.set('aws:SecureTransport', 'false');
    ctx.absent('s3:TlsVersion');
  }
}

/** Keys a request that did not come through a VPC endpoint does not carry. */
const NOT_VIA_ENDPOINT_ABSENT = [
  'aws:VpcSourceIp',
  'aws:SourceVpc',
  'aws:SourceVpce',
  'aws:SourceVpcArn',
  'aws:VpceAccount',
  'aws:VpceOrgID',
  'aws:VpceOrgPaths',
];

/** Keys only EC2 instance-profile role credentials carry. */
const EC2_ROLE_KEYS = ['aws:Ec2InstanceSourceVpc', 'aws:Ec2InstanceSourcePrivateIPv4'];

/** aws:SourceIp / aws:VpcSourceIp / aws:SourceVpce / aws:SourceVpc; returns whether via a VPC endpoint. */
function fillNetwork(
  ctx: ContextBuilder,
  record: LogRecord,
  host: S3HostInfo | undefined,
): boolean | undefined {
  const ip = record.sourceIp && isIpAddress(record.sourceIp) ? record.sourceIp : undefined;
  const vpce = record.vpcEndpointId ?? host?.vpcEndpointId;
  if (vpce) {
    ctx.set('aws:SourceVpce', vpce);
    if (ip) ctx.set('aws:VpcSourceIp', ip);
    ctx.absent('aws:SourceIp');
    return true;
  }
  if (!ip) return undefined;
  if (isPrivateIpv4(ip)) {
    // A private address means the request came through a VPC endpoint: aws:SourceIp is absent,
    // the address is aws:VpcSourceIp, and the endpoint id is not in the log.
    ctx.set('aws:VpcSourceIp', ip);
    ctx.absent('aws:SourceIp');
    return true;
  }
  ctx.set('aws:SourceIp', ip);
  ctx.absent(...NOT_VIA_ENDPOINT_ABSENT);
  return false;
}

/** s3:signatureversion, s3:authType, s3:signatureAge. */
function fillSigning(
  ctx: ContextBuilder,
  record: LogRecord,
  principal: Principal,
  spec: OperationSpec | undefined,
  presigned: PresignedFacts | undefined,
): void {
  if (principal.kind === 'anonymous') {
    ctx.absent('s3:signatureversion', 's3:authType', 's3:signatureAge');
    return;
  }
  const sig =
    signatureVersionKey(record.signatureVersion) ?? signatureVersionKey(presigned?.signatureVersion);
  if (sig) ctx.set('s3:signatureversion', sig);
  const authFromQuery = presigned ? 'QueryString' : undefined;
  const auth =
    spec?.id === 'PostObject'
      ? 'POST'
      : (authTypeKey(record.authType) ?? authTypeKey(authFromQuery) ?? undefined);
  if (auth) ctx.set('s3:authType', auth);
  if (sig === 'AWS') ctx.absent('s3:signatureAge');
  // Header-signed requests: the signing time is not logged, so s3:signatureAge stays unknown.
  if (presigned?.signedAt) {
    const t = timeMs(record.time);
    const s = timeMs(presigned.signedAt);
    if (t !== undefined && s !== undefined) ctx.set('s3:signatureAge', String(Math.max(0, t - s)));
  }
}

/** Principal keys: aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid, MFA, session... */
function fillPrincipal(
  ctx: ContextBuilder,
  p: Principal,
  record: LogRecord,
  q: Record<string, string>,
  isCloudTrail: boolean,
): void {
  const id = record.identity;
  if (p.kind === 'anonymous') {
    ctx.set('aws:PrincipalType', 'Anonymous');
    ctx.set('aws:PrincipalIsAWSService', 'false');
    ctx.absent(
      'aws:PrincipalArn',
      'aws:PrincipalAccount',
      'aws:PrincipalOrgID',
      'aws:PrincipalOrgPaths',
      'aws:PrincipalTag/*',
      'aws:PrincipalServiceName',
      'aws:PrincipalServiceNamesList',
      ...EC2_ROLE_KEYS,
      'aws:username',
      'aws:MultiFactorAuthPresent',
      'aws:MultiFactorAuthAge',
      'aws:TokenIssueTime',
      'aws:SourceIdentity',
      'aws:FederatedProvider',
      'aws:SourceArn',
      'aws:SourceAccount',
      'aws:SourceOrgID',
      'aws:SourceOrgPaths',
    );
    if (isCloudTrail && id) ctx.set('aws:ViaAWSService', 'false');
    return;
  }
  if (p.kind === 'service') {
    ctx.set('aws:PrincipalIsAWSService', 'true');
    ctx.set('aws:PrincipalServiceName', p.service);
    ctx.set('aws:ViaAWSService', 'false');
    ctx.absent(
      ...EC2_ROLE_KEYS,
      'aws:PrincipalArn',
      'aws:PrincipalAccount',
      'aws:PrincipalOrgID',
      'aws:PrincipalOrgPaths',
      'aws:PrincipalTag/*',
      'aws:username',
      'aws:MultiFactorAuthPresent',
      'aws:MultiFactorAuthAge',
      'aws:TokenIssueTime',
      'aws:SourceIdentity',
      'aws:FederatedProvider',
      'aws:CalledVia',
      'aws:CalledViaFirst',
      'aws:CalledViaLast',
    );
    return;
  }
  const arn = principalArn(p);
  if (arn) ctx.set('aws:PrincipalArn', arn);
  const account =
    principalAccount(p) ?? (id?.accountId && isAccountId(id.accountId) ? id.accountId : undefined);
  if (account) ctx.set('aws:PrincipalAccount', account);
  const type = principalType(p);
  if (type) ctx.set('aws:PrincipalType', type);
  if (p.kind !== 'unknown') {
    ctx.set('aws:PrincipalIsAWSService', 'false');
    ctx.absent(
      'aws:PrincipalServiceName',
      'aws:SourceArn',
      'aws:SourceAccount',
      'aws:SourceOrgID',
      'aws:SourceOrgPaths',
    );
  }
  // aws:userid: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
  if (id?.principalId) ctx.set('aws:userid', id.principalId);
  else if (p.kind === 'root') ctx.set('aws:userid', p.accountId);
  else if (p.kind === 'federated-user') ctx.set('aws:userid', `${p.accountId}:${p.name}`);
  if (p.kind === 'iam-user') ctx.set('aws:username', id?.userName ?? p.name);
  else if (p.kind !== 'unknown' && p.kind !== 'canonical-user') ctx.absent('aws:username');

  // Credentials: long-term keys (AKIA) carry no MFA / token-issue-time keys; temporary ones do.
  const keyPrefix = (id?.accessKeyIdPrefix ?? q['x-amz-credential'] ?? q['awsaccesskeyid'] ?? '').slice(0, 4);
  const temporary =
    keyPrefix === 'ASIA' || q['x-amz-security-token'] !== undefined
      ? true
      : keyPrefix === 'AKIA'
        ? false
        : p.kind === 'role-session' || p.kind === 'federated-user'
          ? true
          : undefined;
  if (temporary === false) {
    ctx.absent('aws:MultiFactorAuthPresent', 'aws:MultiFactorAuthAge', 'aws:TokenIssueTime');
  } else if (temporary === true) {
    if (id?.mfaAuthenticated !== undefined) {
      ctx.set('aws:MultiFactorAuthPresent', String(id.mfaAuthenticated));
      if (!id.mfaAuthenticated) ctx.absent('aws:MultiFactorAuthAge');
    }
    if (id?.sessionCreationDate) ctx.set('aws:TokenIssueTime', id.sessionCreationDate);
  }
  if (p.kind === 'role-session') {
    if (id?.sourceIdentity) ctx.set('aws:SourceIdentity', id.sourceIdentity);
  } else if (p.kind === 'iam-user' || p.kind === 'root' || p.kind === 'federated-user') {
    ctx.absent('aws:SourceIdentity', 'aws:FederatedProvider', ...EC2_ROLE_KEYS);
  }

  // Calls a service made with the principal's credentials (forward access sessions).
  if (isCloudTrail && id) {
    const by = id?.invokedBy;
    if (by) {
      ctx.set('aws:ViaAWSService', 'true');
      if (CALLED_VIA_SERVICES.has(by)) {
        ctx.set('aws:CalledVia', [by]);
        ctx.set('aws:CalledViaFirst', by);
        ctx.set('aws:CalledViaLast', by);
      }
    } else {
      ctx.set('aws:ViaAWSService', 'false');
      ctx.absent('aws:CalledVia', 'aws:CalledViaFirst', 'aws:CalledViaLast');
    }
  }
}

/** aws:UserAgent, aws:Referer. */
function fillClient(ctx: ContextBuilder, record: LogRecord, isAccessLog: boolean): void {
  const ua = record.userAgent;
  if (ua !== undefined) ctx.set('aws:UserAgent', ua);
  else if (isAccessLog) ctx.absent('aws:UserAgent');
  if (record.referer !== undefined) ctx.set('aws:Referer', record.referer);
  else if (isAccessLog) ctx.absent('aws:Referer');
}
