// ARN and principal helpers for building fixes: which ARN a statement names, and where evidence keeps it.

import { createHash } from 'node:crypto';
import type { Evidence } from '../model/evidence.js';
import type { PrincipalElement } from '../model/policy.js';
import type { Principal } from '../model/request.js';

/** Thrown by a fix builder when no safe least-privilege patch of that kind exists for its input. */
export class FixError extends Error {
  override name = 'FixError';
}

/** The parts of an S3 ARN a fix needs. */
export type S3ArnParts =
  | { kind: 'bucket'; bucket: string }
  | { kind: 'object'; bucket: string; key: string }
  | { kind: 'access-point'; region: string; account: string; name: string; arn: string }
  | { kind: 'access-point-object'; region: string; account: string; name: string; arn: string; key: string };

/**
 * Splits an S3 bucket, object or access point ARN.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
 */
export function s3ArnParts(arn: string): S3ArnParts | undefined {
  const m = /^arn:[\w-]+:s3:([^:]*):([^:]*):(.*)$/.exec(arn);
  if (!m) return undefined;
  const [, region = '', account = '', rest = ''] = m;
  if (region === '' && account === '') {
    const slash = rest.indexOf('/');
    if (slash < 0) return { kind: 'bucket', bucket: rest };
    return { kind: 'object', bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
  }
  const ap = /^accesspoint\/([^/]+)(?:\/object\/(.*))?$/.exec(rest);
  if (!ap) return undefined;
  const name = ap[1] ?? '';
  const apArn = `${arn.slice(0, arn.indexOf(':accesspoint/'))}:accesspoint/${name}`;
  if (ap[2] === undefined) return { kind: 'access-point', region, account, name, arn: apArn };
  return { kind: 'access-point-object', region, account, name, arn: apArn, key: ap[2] };
}

/** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), `aws` when unknown. */
export function partitionOf(arn: string | undefined): string {
  return /^arn:([\w-]+):/.exec(arn ?? '')?.[1] ?? 'aws';
}

/** The region of a regional ARN (KMS key, access point, VPC endpoint), if it has one. */
export function regionOf(arn: string): string | undefined {
  const r = arn.split(':')[3];
  return r ? r : undefined;
}

/** The account of an ARN, if it names one. */
export function accountOfArn(arn: string): string | undefined {
  const a = arn.split(':')[4];
  return a && /^\d{12}$/.test(a) ? a : undefined;
}

/** The account a principal belongs to, when known. */
export function principalAccountId(p: Principal): string | undefined {
  switch (p.kind) {
    case 'anonymous':
    case 'service':
    case 'unknown':
      return undefined;
    case 'canonical-user':
      return p.accountId;
    default:
      return p.accountId;
  }
}

/** A display label for probes and summaries: the principal's own ARN, `anonymous`, or the service. */
export function principalLabel(p: Principal): string {
  switch (p.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'service':
      return p.service;
    case 'canonical-user':
      return `canonical user ${p.canonicalId}`;
    case 'unknown':
      return p.raw;
    default:
      return p.arn;
  }
}

/**
 * The evidence key of a role, honouring paths: a session ARN has no path, so when the path is not
 * known, the role is looked up by name in the account among the evidence's principals.
 */
function roleKey(evidence: Evidence | undefined, roleArn: string, pathKnown: boolean, name: string): string {
  if (!evidence || evidence.principals[roleArn] || pathKnown) return roleArn;
  const account = accountOfArn(roleArn);
  const found = Object.keys(evidence.principals).find((k) => {
    const m = /^arn:[\w-]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(k);
    return m !== null && m[1] === account && m[2] === name;
  });
  return found ?? roleArn;
}

/**
 * The IAM user or role whose identity policies govern a principal (`principals` key of the
 * snapshot): the role for role sessions. Undefined for principals without identity policies
 * (anonymous, root, services, federated users, canonical users).
 */
export function identityOwnerArn(p: Principal, evidence?: Evidence): string | undefined {
  switch (p.kind) {
    case 'iam-user':
    case 'iam-role':
      return p.arn;
    case 'role-session':
      return roleKey(evidence, p.roleArn, p.rolePathKnown, p.roleName);
    default:
      return undefined;
  }
}

/**
 * The ARN a resource policy names for a principal (and the value of `aws:PrincipalArn`): the user,
 * the role (with its path) for sessions, the federated-user ARN, the root ARN.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
export function resourcePrincipalArn(p: Principal, evidence?: Evidence): string | undefined {
  switch (p.kind) {
    case 'iam-user':
    case 'iam-role':
    case 'federated-user':
    case 'root':
      return p.arn;
    case 'role-session':
      return roleKey(evidence, p.roleArn, p.rolePathKnown, p.roleName);
    default:
      return undefined;
  }
}

/** The `Principal` element naming exactly this principal; throws `FixError` for anonymous or unknown callers. */
export function principalElementFor(p: Principal, evidence?: Evidence): PrincipalElement {
  if (p.kind === 'service') return { Service: p.service };
  if (p.kind === 'canonical-user') return { CanonicalUser: p.canonicalId };
  const arn = resourcePrincipalArn(p, evidence);
  if (!arn) {
    throw new FixError(
      p.kind === 'anonymous'
        ? 'An anonymous caller can only be granted with Principal "*": not suggested. Name the consuming principals, or serve the content through CloudFront with origin access control.'
        : `Cannot name principal ${principalLabel(p)} in a policy.`,
    );
  }
  return { AWS: arn };
}

/** The bucket ARN for a bucket name. */
export function bucketArnOf(bucket: string, partition = 'aws'): string {
  return `arn:${partition}:s3:::${bucket}`;
}

/** The object ARN for a bucket and key. */
export function objectArnOf(bucket: string, key: string, partition = 'aws'): string {
  return `arn:${partition}:s3:::${bucket}/${key}`;
}

/**
 * A short, IAM-name-safe slug (letters, digits, `-`), at most `max` characters. A text cut to fit
 * ends in `-` and 8 hex digits of its SHA-256, so two long names that share their first `max`
 * characters (two long buckets, roles) never get the same policy or patch file name.
 */
export function slug(text: string, max = 48): string {
  const full = text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (full.length <= max) return full || 'policy';
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return `${full.slice(0, Math.max(1, max - 9)).replace(/-+$/g, '')}-${hash}`;
}
