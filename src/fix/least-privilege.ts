// The least-privilege gate every fix passes: no wildcards, no Not* allows, no weakened guard-rails.

import type { PolicyPatch } from '../model/cause.js';
import type { PolicyDocument, PolicyStatement, PrincipalElement } from '../model/policy.js';
import { canonicalJson, statementsOf, toList } from './statements.js';

/** What a patch modifies (`PolicyPatch.target.type`). */
export type PatchTargetType =
  | 'identity-policy'
  | 'permissions-boundary'
  | 'session-policy'
  | 'bucket-policy'
  | 'access-point-policy'
  | 'kms-key-policy'
  | 'vpc-endpoint-policy'
  | 'bucket-public-access-block'
  | 'bucket-ownership-controls'
  | 'object-restore'
  | 'kms-key-state';

/** Patch targets that hold a policy document (the others are settings: PAB, ownership, key state...). */
export const POLICY_TARGETS: ReadonlySet<string> = new Set<PatchTargetType>([
  'identity-policy',
  'permissions-boundary',
  'session-policy',
  'bucket-policy',
  'access-point-policy',
  'kms-key-policy',
  'vpc-endpoint-policy',
]);

/** Policy types whose Deny statements are guard-rails a fix never edits. */
const GUARD_RAIL_TYPES = new Set<string>(['scp', 'rcp', 'vpc-endpoint-policy']);

/**
 * Condition keys that mark a Deny as a guard-rail (TLS, network path); a fix satisfies them on the
 * client side instead of exempting anyone.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 */
export const GUARD_RAIL_KEYS: readonly string[] = [
  'aws:securetransport',
  's3:tlsversion',
  'aws:sourcevpce',
  'aws:sourcevpc',
];

/**
 * Keys whose fixed value makes a `Principal: "*"` grant non-public (S3's own rule for public
 * policies). https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
const FIXED_VALUE_KEYS = new Set([
  'aws:sourcevpce',
  'aws:sourcevpc',
  'aws:principalorgid',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  's3:dataaccesspointaccount',
  's3:dataaccesspointarn',
]);

/** Thrown by `assertLeastPrivilege`, listing every problem. */
export class LeastPrivilegeError extends Error {
  override name = 'LeastPrivilegeError';
  constructor(readonly problems: string[]) {
    super(`Patch is not least-privilege: ${problems.join('; ')}`);
  }
}

function isDoc(v: unknown): v is PolicyDocument {
  return v !== null && typeof v === 'object' && 'Statement' in v;
}

function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

function principalIsEveryone(p: PrincipalElement | undefined): boolean {
  if (p === undefined) return false;
  if (p === '*') return true;
  return toList(p.AWS).some((a) => a === '*');
}

function hasFixedValueCondition(st: PolicyStatement): boolean {
  for (const [op, keys] of Object.entries(st.Condition ?? {})) {
    if (!/^(StringEquals|ArnEquals|IpAddress)$/.test(op)) continue;
    for (const [key, vals] of Object.entries(keys)) {
      if (FIXED_VALUE_KEYS.has(key.toLowerCase()) && toList(vals).every((v) => !hasWildcard(String(v))))
        return true;
    }
  }
  return false;
}

/** Problems with an S3 resource in an Allow: only exact ARNs, or `bucket/prefix/*` with a real prefix. */
function s3ResourceProblem(r: string): string | undefined {
  if (r === '*') return 'Resource "*"';
  if (!hasWildcard(r)) return undefined;
  const m = /^arn:[\w-]+:s3:[^:]*:[^:]*:(.*)$/.exec(r);
  if (!m) return `wildcard resource ${r}`;
  const rest = m[1] ?? '';
  const firstWild = rest.search(/[*?]/);
  const slash = rest.startsWith('accesspoint/')
    ? rest.indexOf('/object/') + '/object'.length
    : rest.indexOf('/');
  // A trailing `*` after a non-empty key prefix ending in `/` is the only wildcard accepted.
  if (slash <= 0 || firstWild <= slash + 1 || firstWild !== rest.length - 1 || rest[firstWild - 1] !== '/')
    return `wildcard resource ${r}`;
  return undefined;
}

function allowProblems(st: PolicyStatement, type: string, where: string): string[] {
  const out: string[] = [];
  if (st.NotAction !== undefined) out.push(`${where}: Allow with NotAction`);
  if (st.NotResource !== undefined) out.push(`${where}: Allow with NotResource`);
  if (st.NotPrincipal !== undefined) out.push(`${where}: Allow with NotPrincipal`);
  const actions = toList(st.Action);
  if (actions.length === 0 && st.NotAction === undefined) out.push(`${where}: Allow without Action`);
  for (const a of actions) if (hasWildcard(a)) out.push(`${where}: wildcard action ${a}`);
  const resources = toList(st.Resource);
  if (resources.length === 0 && st.NotResource === undefined) out.push(`${where}: Allow without Resource`);
  for (const r of resources) {
    if (type === 'kms-key-policy') {
      // In a key policy, Resource "*" means "this key" (the documented form).
      // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
      if (r !== '*' && hasWildcard(r)) out.push(`${where}: wildcard resource ${r}`);
      continue;
    }
    if (r.startsWith('arn:') && r.split(':')[2] === 'kms') {
      if (hasWildcard(r) || !/:key\//.test(r)) out.push(`${where}: KMS resource must be a key ARN, got ${r}`);
      continue;
    }
    const p = s3ResourceProblem(r);
    if (p) out.push(`${where}: ${p}`);
  }
  if (principalIsEveryone(st.Principal) && !hasFixedValueCondition(st))
    out.push(`${where}: Principal "*" without a fixed-value condition`);
  if (st.Principal !== undefined && st.Principal !== '*') {
    for (const v of Object.values(st.Principal).flatMap((x) => toList(x)))
      if (v !== '*' && hasWildcard(v)) out.push(`${where}: wildcard principal ${v}`);
  }
  return out;
}

/** Whether `after` is `before` with only `aws:PrincipalArn` exemptions added. */
function isExemptionOnly(before: PolicyStatement, after: PolicyStatement): boolean {
  const strip = (st: PolicyStatement) => {
    const c = structuredClone(st);
    for (const op of ['ArnNotEquals', 'ArnNotLike']) {
      const block = c.Condition?.[op];
      if (!block) continue;
      for (const k of Object.keys(block)) if (k.toLowerCase() === 'aws:principalarn') delete block[k];
      if (Object.keys(block).length === 0) delete c.Condition?.[op];
    }
    if (c.Condition && Object.keys(c.Condition).length === 0) delete c.Condition;
    return canonicalJson(c);
  };
  return strip(before) === strip(after);
}

function mentionsGuardRailKey(st: PolicyStatement): boolean {
  return Object.values(st.Condition ?? {}).some((keys) =>
    Object.keys(keys).some((k) => GUARD_RAIL_KEYS.includes(k.toLowerCase())),
  );
}

/**
 * Every reason a patch is not least-privilege (empty when it is). Statements the patch adds or
 * changes are checked: Allows name exact actions, exact resources (a `prefix/*` only), a named
 * principal (or `*` pinned by a fixed-value condition), never Not*; Deny statements are only ever
 * narrowed by an `aws:PrincipalArn` exemption, never in an SCP, RCP or VPC endpoint policy, never a
 * TLS or network guard-rail; configuration changes stay at the bucket level.
 */
export function leastPrivilegeProblems(patch: PolicyPatch): string[] {
  const type = patch.target.type;
  const out: string[] = [];
  if (type === 'bucket-ownership-controls') {
    const after = patch.after as { ObjectOwnership?: string };
    if (after.ObjectOwnership !== 'BucketOwnerEnforced')
      out.push(`Object Ownership may only move to BucketOwnerEnforced, not ${String(after.ObjectOwnership)}`);
    return out;
  }
  if (type === 'bucket-public-access-block' || type === 'object-restore') return out;
  if (!POLICY_TARGETS.has(type)) {
    out.push(`target ${type} is not one a fix may change`);
    return out;
  }
  if (!isDoc(patch.after)) return [`${type} patch has no policy document`];
  const before = isDoc(patch.before) ? statementsOf(patch.before) : [];
  const after = statementsOf(patch.after);
  const beforeKeys = before.map(canonicalJson);
  const afterKeys = after.map(canonicalJson);
  after.forEach((st, i) => {
    if (beforeKeys.includes(canonicalJson(st))) return;
    const where = `Statement[${i}]${st.Sid ? ` (${st.Sid})` : ''}`;
    if (st.Effect === 'Allow') {
      out.push(...allowProblems(st, type, where));
      return;
    }
    // A changed Deny: it must be an existing one, only exempted.
    const original = before.find((b, j) => b.Effect === 'Deny' && !afterKeys.includes(beforeKeys[j] ?? ''));
    if (!original || !isExemptionOnly(original, st)) out.push(`${where}: Deny changed beyond an exemption`);
    if (GUARD_RAIL_TYPES.has(type)) out.push(`${where}: guard-rail Deny in a ${type} edited`);
    if (mentionsGuardRailKey(st)) out.push(`${where}: TLS or network guard-rail Deny edited`);
  });
  before.forEach((st, j) => {
    if (st.Effect !== 'Deny' || afterKeys.includes(beforeKeys[j] ?? '')) return;
    const replaced = after.some((a) => a.Effect === 'Deny' && isExemptionOnly(st, a));
    if (!replaced) out.push(`Deny statement ${st.Sid ?? `#${j}`} removed`);
  });
  return out;
}

/** Throws `LeastPrivilegeError` unless `leastPrivilegeProblems(patch)` is empty. */
export function assertLeastPrivilege(patch: PolicyPatch): void {
  const problems = leastPrivilegeProblems(patch);
  if (problems.length > 0) throw new LeastPrivilegeError(problems);
}
