// What an S3 authorization is about: bucket, key, access point, owners, and the evidence entries for them.

import type {
  AccessPointEvidence,
  AuthzRequest,
  BucketEvidence,
  Evidence,
  ObjectEvidence,
} from '../model/index.js';
import { evidencePath } from '../evidence/path.js';

/** The S3 resource one authorization names, resolved against the evidence. */
export interface S3Target {
  partition: string;
  /** Bucket name; `undefined` when an access point's bucket is unknown. */
  bucket?: string;
  key?: string;
  isObject: boolean;
  apArn?: string;
  ap?: AccessPointEvidence;
  apAccount?: string;
  bucketEv?: BucketEvidence;
  objectEv?: ObjectEvidence;
  /** The ARN the bucket policy sees: `arn:aws:s3:::b` or `arn:aws:s3:::b/k`. */
  bucketFormArn?: string;
  /** Bucket owner account, when known. */
  bucketAccount?: string;
  /** Evidence path prefixes. */
  bucketPath: string;
  objectPath?: string;
}

/** Parses an S3 resource ARN of an authorization; `undefined` when it is not an S3 bucket/object/access point ARN. */
export function s3Target(az: AuthzRequest, ev: Evidence): S3Target | undefined {
  // The target depends on the resource, the resource account hint and the evidence only: the last one
  // is reused (the chain and the KMS step ask for the same resource in a row). Treated as immutable.
  const last = lastTarget;
  if (
    last &&
    last.resource === az.resource &&
    last.account === az.resourceAccount &&
    last.ev === ev &&
    stillCurrent(last.t, ev, az.resourceAccount)
  )
    return last.t;
  const t = computeTarget(az, ev);
  lastTarget = { resource: az.resource, account: az.resourceAccount, ev, t };
  return t;
}

/** The evidence entries a target holds are still the ones the evidence has (nobody replaced them). */
function stillCurrent(t: S3Target | undefined, ev: Evidence, account: string | undefined): boolean {
  if (!t) return true;
  if (t.apArn !== undefined && ev.accessPoints[t.apArn] !== t.ap) return false;
  if (t.bucket === undefined) return true;
  const b = ev.buckets[t.bucket];
  if (b !== t.bucketEv) return false;
  if (t.key !== undefined && b?.objects?.[t.key] !== t.objectEv) return false;
  const byCanonical = b?.ownerCanonicalId ? ev.canonicalIds[b.ownerCanonicalId] : undefined;
  const acct = b?.accountId ?? byCanonical ?? (t.apArn ? undefined : account);
  return (acct || undefined) === t.bucketAccount;
}

let lastTarget:
  { resource: string; account: string | undefined; ev: Evidence; t: S3Target | undefined } | undefined;

function computeTarget(az: AuthzRequest, ev: Evidence): S3Target | undefined {
  const m = /^arn:([^:]+):s3:([^:]*):([^:]*):(.+)$/.exec(az.resource);
  if (!m) return undefined;
  const [, partition = 'aws', region, account, rest = ''] = m;
  let bucket: string | undefined;
  let key: string | undefined;
  let apArn: string | undefined;
  let apAccount: string | undefined;
  if (rest.startsWith('accesspoint/')) {
    const tail = rest.slice('accesspoint/'.length);
    const slash = tail.indexOf('/');
    const name = slash < 0 ? tail : tail.slice(0, slash);
    apArn = `arn:${partition}:s3:${region}:${account}:accesspoint/${name}`;
    apAccount = account || undefined;
    if (slash >= 0) {
      const after = tail.slice(slash + 1);
      if (!after.startsWith('object/')) return undefined;
      key = after.slice('object/'.length);
    }
    bucket = ev.accessPoints[apArn]?.bucket;
  } else {
    if (region !== '' || account !== '') return undefined;
    const slash = rest.indexOf('/');
    bucket = slash < 0 ? rest : rest.slice(0, slash);
    if (slash >= 0) key = rest.slice(slash + 1);
  }
  if (rest === '*' || bucket === '*') return undefined;
  const t: S3Target = {
    partition,
    isObject: key !== undefined,
    bucketPath: bucket
      ? evidencePath('buckets', bucket)
      : evidencePath('accessPoints', apArn ?? '?', 'bucket'),
  };
  if (bucket !== undefined) t.bucket = bucket;
  if (key !== undefined) t.key = key;
  if (apArn) {
    t.apArn = apArn;
    const ap = ev.accessPoints[apArn];
    if (ap) t.ap = ap;
    if (ap?.accountId ?? apAccount) t.apAccount = (ap?.accountId ?? apAccount) as string;
  }
  if (bucket !== undefined) {
    const b = ev.buckets[bucket];
    if (b) t.bucketEv = b;
    t.bucketFormArn =
      key !== undefined ? `arn:${partition}:s3:::${bucket}/${key}` : `arn:${partition}:s3:::${bucket}`;
    if (key !== undefined) {
      t.objectPath = evidencePath('buckets', bucket, 'objects', key);
      const o = b?.objects?.[key];
      if (o) t.objectEv = o;
    }
    const byCanonical = b?.ownerCanonicalId ? ev.canonicalIds[b.ownerCanonicalId] : undefined;
    const acct = b?.accountId ?? byCanonical ?? (apArn ? undefined : az.resourceAccount);
    if (acct) t.bucketAccount = acct;
  }
  return t;
}
