// Works out, from the requests, what evidence each needs, merged per principal, bucket, object,
// access point and VPC endpoint: so 1,000 requests cost calls per distinct thing, not per request.

import type { Principal, S3Request } from '../../model/request.js';
import { principalAccount } from '../../s3/index.js';
import { emptyBucketNeeds, type BucketNeeds, type ObjectNeeds } from './bucket.js';
import type { IdentityTarget } from './identity.js';
import { evidencePath } from '../index.js';

/** Everything to collect, deduplicated. */
export interface CollectionPlan {
  principals: Map<string, IdentityTarget>;
  /** Accounts whose SCPs apply (principals' accounts). */
  principalAccounts: Set<string>;
  /** Buckets named directly, with merged needs. */
  buckets: Map<string, BucketNeeds>;
  /** Access point ARN -> the needs its requests add to the access point's bucket. */
  accessPoints: Map<string, { fallbackBucket?: string; needs: BucketNeeds }>;
  /** `vpce-...` -> the bucket whose region it is looked up in and the requester's account. */
  vpcEndpoints: Map<string, { bucket?: string; account?: string }>;
  /** Principals that cannot be collected, with why (noted in the evidence). */
  skipped: { path: string; reason: string }[];
  /** CloudTrail trails and event data stores (logging readiness). */
  trails?: boolean;
}

/** An empty plan. */
export function emptyPlan(): CollectionPlan {
  return {
    principals: new Map(),
    principalAccounts: new Set(),
    buckets: new Map(),
    accessPoints: new Map(),
    vpcEndpoints: new Map(),
    skipped: [],
  };
}

/**
 * Operations that can run into Object Lock: deleting or overwriting a locked version, changing
 * retention or legal hold (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html).
 */
const LOCK_OPERATIONS = new Set([
  'DeleteObject',
  'DeleteObjects',
  'DeleteObjectVersion',
  'PutObjectRetention',
  'PutObjectLegalHold',
  'GetObjectRetention',
  'GetObjectLegalHold',
  'PutObjectLockConfiguration',
  'GetObjectLockConfiguration',
]);
const WRITE_OPERATIONS =
  /^(PutObject|CopyObject|CreateMultipartUpload|UploadPart|UploadPartCopy|CompleteMultipartUpload|PostObject|RestoreObject|WriteGetObjectResponse)$/;
const READ_OPERATIONS = /^(GetObject|HeadObject|GetObjectAttributes|SelectObjectContent|GetObjectTorrent)$/;

/** The IAM identity whose policies a principal's requests use, if it has one. */
export function identityTarget(p: Principal): IdentityTarget | undefined {
  switch (p.kind) {
    case 'iam-user':
      return { kind: 'user', account: p.accountId, name: p.name, arn: p.arn };
    case 'iam-role':
      return { kind: 'role', account: p.accountId, name: p.name, arn: p.arn };
    case 'role-session':
      // Access logs do not give the role's path: GetRole by name resolves it.
      return { kind: 'role', account: p.accountId, name: p.roleName, arn: p.roleArn };
    default:
      return undefined;
  }
}

/** Adds a principal (its identity and its account's SCPs) to the plan. */
export function planPrincipal(plan: CollectionPlan, p: Principal): void {
  const t = identityTarget(p);
  if (t) plan.principals.set(t.arn, t);
  if (p.kind === 'federated-user') {
    plan.skipped.push({
      path: evidencePath('principals', p.arn),
      reason:
        'a federated user session: its policies are the session policy and the issuing IAM user, which the log does not name',
    });
  }
  const account = principalAccount(p);
  if (account && p.kind !== 'canonical-user' && p.kind !== 'unknown') plan.principalAccounts.add(account);
}

function bucketNeeds(map: Map<string, BucketNeeds>, name: string): BucketNeeds {
  let n = map.get(name);
  if (!n) {
    n = emptyBucketNeeds();
    map.set(name, n);
  }
  return n;
}

function addObject(n: BucketNeeds, key: string, need: ObjectNeeds): void {
  const prev = n.objects.get(key);
  n.objects.set(key, {
    ...((need.versionId ?? prev?.versionId) ? { versionId: need.versionId ?? prev?.versionId } : {}),
    lock: need.lock || (prev?.lock ?? false),
    kms: need.kms || (prev?.kms ?? false),
  });
}

/** Adds one request's needs to the plan. */
export function planRequest(plan: CollectionPlan, req: S3Request): void {
  planPrincipal(plan, req.principal);
  const s = req.s3;
  const op = s.operation;
  const data =
    s.dataAccess ?? (READ_OPERATIONS.test(op) ? 'read' : WRITE_OPERATIONS.test(op) ? 'write' : 'none');
  const lock = LOCK_OPERATIONS.has(op) || s.bypassGovernance === true || s.objectLockHeaders === true;
  const principalAcct = principalAccount(req.principal);

  let n: BucketNeeds | undefined;
  if (s.accessPointArn) {
    const ap = plan.accessPoints.get(s.accessPointArn) ?? { needs: emptyBucketNeeds() };
    if (s.bucket && !s.bucket.endsWith('-s3alias')) ap.fallbackBucket = s.bucket;
    plan.accessPoints.set(s.accessPointArn, ap);
    n = ap.needs;
  } else if (s.bucket) {
    n = bucketNeeds(plan.buckets, s.bucket);
  }
  if (n) {
    n.principalAccounts.add(principalAcct);
    const hint = req.authorizations.find(
      (a) =>
        a.resourceAccount &&
        s.bucket &&
        (a.resource === `arn:aws:s3:::${s.bucket}` || a.resource.startsWith(`arn:aws:s3:::${s.bucket}/`)),
    )?.resourceAccount;
    if (hint && !n.accountHint) n.accountHint = hint;
    if (lock) n.objectLock = true;
    if (data === 'write' || data === 'read-write') {
      n.encryption = true;
      if (s.sseKmsKeyId) n.writeKeys.add(s.sseKmsKeyId);
      else if (s.sseHeader === 'aws:kms' || s.sseHeader === 'aws:kms:dsse') n.writeKeys.add('alias/aws/s3');
    }
    // Pure writes create a new object: its current metadata does not decide them (unless locked).
    if (s.key && (data !== 'write' || lock)) {
      addObject(n, s.key, { ...(s.versionId ? { versionId: s.versionId } : {}), lock, kms: data !== 'none' });
    }
  }
  if (s.copySource) {
    const src = bucketNeeds(plan.buckets, s.copySource.bucket);
    src.principalAccounts.add(principalAcct);
    addObject(src, s.copySource.key, {
      ...(s.copySource.versionId ? { versionId: s.copySource.versionId } : {}),
      lock: false,
      kms: true,
    });
  }
  for (const a of req.authorizations) {
    const v = a.context['aws:SourceVpce'];
    const id = Array.isArray(v) ? v[0] : v;
    if (id && !plan.vpcEndpoints.has(id)) {
      plan.vpcEndpoints.set(id, {
        ...(s.bucket ? { bucket: s.bucket } : {}),
        ...(principalAcct ? { account: principalAcct } : {}),
      });
    }
  }
}

/** Merges the needs an access point's requests have into its bucket's. */
export function mergeNeeds(into: BucketNeeds, from: BucketNeeds): void {
  for (const a of from.principalAccounts) into.principalAccounts.add(a);
  into.all ||= from.all;
  into.objectLock ||= from.objectLock;
  into.encryption ||= from.encryption;
  if (from.logging) into.logging = true;
  for (const k of from.writeKeys) into.writeKeys.add(k);
  for (const [k, o] of from.objects) addObject(into, k, o);
  if (!into.accountHint && from.accountHint) into.accountHint = from.accountHint;
}

/** Needs for `collect --bucket`: everything about the bucket. */
export function allBucketNeeds(): BucketNeeds {
  const n = emptyBucketNeeds();
  n.all = true;
  return n;
}

/** Merges needs into the plan's entry for a bucket. */
export function planBucket(plan: CollectionPlan, name: string, needs: BucketNeeds): void {
  mergeNeeds(bucketNeeds(plan.buckets, name), needs);
}
