// AWS's definitions of a "public" bucket/access point policy and a "public" ACL, for Block Public Access.
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
// (S3 assumes a policy is public, then looks for a reason it is not: every Allow must be limited to
// fixed principals or fixed values of the keys listed below; a fixed value has no wildcard or variable.)

import type { AccessControlList, PolicyDocument, PolicyStatement } from '../model/index.js';

/** Condition keys whose fixed values make an Allow non-public (lower-cased). */
const NON_PUBLIC_KEYS = new Set([
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceowner',
  'aws:sourceaccount',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
  'aws:userid',
  'aws:principalorgid',
  's3:dataaccesspointaccount',
]);

/** Operators that restrict a key to the listed values (negated and IfExists forms do not). */
const RESTRICTING = /^(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|IpAddress)$/i;

/** Public group grantees. */
export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
}

function isFixed(value: string): boolean {
  return !/[*?]/.test(value) && !value.includes('${');
}

function ipv4Fixed(cidr: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(cidr);
  if (!m) return false;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  const a = Number(m[1]);
  const b = Number(m[2]);
  // RFC 1918 private ranges count as fixed however wide they are written.
  const priv = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  if (priv && prefix >= (a === 10 ? 8 : a === 172 ? 12 : 16)) return true;
  return prefix >= 8;
}

function ipFixed(cidr: string): boolean {
  if (cidr.includes(':')) {
    const m = /\/(\d+)$/.exec(cidr);
    return (m ? Number(m[1]) : 128) >= 32;
  }
  return ipv4Fixed(cidr);
}

function principalIsFixed(st: PolicyStatement): boolean {
  if (st.NotPrincipal !== undefined) return false;
  const p = st.Principal;
  if (p === undefined) return false;
  if (p === '*') return false;
  const types = Object.entries(p);
  if (types.length === 0) return false;
  for (const [type, values] of types) {
    if (type === 'Federated') return false;
    for (const v of list(values)) if (v === '*' || !isFixed(v)) return false;
  }
  return true;
}

function conditionRestricts(st: PolicyStatement, accessPoint: boolean): boolean {
  const cond = st.Condition ?? {};
  for (const [op, block] of Object.entries(cond)) {
    const base = op.replace(/^For(AnyValue|AllValues):/i, '');
    if (/IfExists$/i.test(base) || !RESTRICTING.test(base) || /^ForAllValues:/i.test(op)) continue;
    for (const [rawKey, rawValues] of Object.entries(block ?? {})) {
      const key = rawKey.toLowerCase();
      const values = list(rawValues);
      if (values.length === 0) continue;
      if (key === 'aws:sourceip') {
        if (/^IpAddress$/i.test(base) && values.every(ipFixed)) return true;
        continue;
      }
      if (key === 's3:dataaccesspointarn') {
        // In a bucket policy a wildcard in the access point name is fine if the account is fixed;
        // in an access point policy this key does not make a grant non-public.
        if (accessPoint) continue;
        if (
          values.every((v) => /^arn:[^:*?]+:s3:[^:*?]*:\d{12}:accesspoint\/.+$/.test(v) && !v.includes('${'))
        )
          return true;
        continue;
      }
      if (NON_PUBLIC_KEYS.has(key) && values.every(isFixed)) return true;
    }
  }
  return false;
}

/** Whether one Allow statement is public by AWS's definition. */
export function isPublicStatement(st: PolicyStatement, opts: { accessPoint?: boolean } = {}): boolean {
  if (st.Effect !== 'Allow') return false;
  if (principalIsFixed(st)) return false;
  return !conditionRestricts(st, opts.accessPoint === true);
}

/**
 * Whether a bucket policy (or, with `accessPoint`, an access point policy) is public as S3 judges it
 * for Block Public Access. A VPC-origin access point's policy is never public.
 */
export function isPublicPolicy(
  doc: PolicyDocument,
  opts: { accessPoint?: boolean; networkOrigin?: 'Internet' | 'VPC' } = {},
): boolean {
  if (opts.accessPoint && opts.networkOrigin === 'VPC') return false;
  const cache = opts.accessPoint ? apCache : bucketCache;
  const hit = cache.get(doc);
  if (hit !== undefined) return hit;
  const sts = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const v = sts.some((st) => st !== undefined && isPublicStatement(st, opts));
  cache.set(doc, v);
  return v;
}

const bucketCache = new WeakMap<PolicyDocument, boolean>();
const apCache = new WeakMap<PolicyDocument, boolean>();

/** Whether an ACL grants anything to `AllUsers` or `AuthenticatedUsers` (AWS's "public ACL"). */
export function isPublicAcl(acl: AccessControlList): boolean {
  return acl.Grants.some(
    (g) =>
      g.Grantee.Type === 'Group' && (g.Grantee.URI === ALL_USERS || g.Grantee.URI === AUTHENTICATED_USERS),
  );
}

/** Canned ACLs that make a bucket or object public. */
export const PUBLIC_CANNED_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read']);

/**
 * Whether a request's ACL header (a canned ACL, or grant headers as sent) would set a public ACL;
 * `undefined` input (not known) gives `undefined`.
 */
export function isPublicAclHeader(header: string | null | undefined): boolean | undefined {
  if (header === undefined) return undefined;
  if (header === null) return false;
  const h = header.trim();
  if (PUBLIC_CANNED_ACLS.has(h.toLowerCase())) return true;
  return h.includes('/groups/global/AllUsers') || h.includes('/groups/global/AuthenticatedUsers');
}
