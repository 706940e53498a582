// Principal and NotPrincipal matching for resource-based policies, VPC endpoint policies and RCPs.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html

import type { PrincipalElement } from '../model/policy.js';
import type { Principal } from '../model/request.js';
import type { PrincipalMatchVia } from '../model/evaluation.js';

/** One parsed entry of a Principal element. */
export type PrincipalEntry =
  | { k: 'wildcard'; raw: string }
  | { k: 'account'; account: string; raw: string }
  | { k: 'user' | 'role'; account: string; name: string; raw: string }
  | { k: 'session' | 'federated-user'; arn: string; raw: string }
  | { k: 'unique-id'; raw: string }
  | { k: 'service'; name: string; raw: string }
  | { k: 'canonical'; id: string; raw: string }
  | { k: 'federated'; raw: string }
  | { k: 'invalid'; raw: string; reason: string };

const ACCOUNT_RE = /^\d{12}$/;
const IAM_RE = /^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):iam::(\d{12}):(root|user\/.+|role\/.+)$/;
const STS_RE =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):sts::(\d{12}):(assumed-role\/[^/]+\/.+|federated-user\/.+)$/;
// Unique ids IAM writes into stored policies when the named user or role is deleted.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
const UNIQUE_ID_RE = /^(AIDA|AROA|AGPA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{12,}$/;

/** Parses one `AWS` principal value. */
export function parseAwsPrincipal(raw: string): PrincipalEntry {
  if (raw === '*') return { k: 'wildcard', raw };
  if (ACCOUNT_RE.test(raw)) return { k: 'account', account: raw, raw };
  if (raw.includes('*') || raw.includes('?')) {
    return {
      k: 'invalid',
      raw,
      reason: 'partial wildcards are not allowed in a principal (use "*" or a condition on aws:PrincipalArn)',
    };
  }
  const iam = IAM_RE.exec(raw);
  if (iam) {
    const account = iam[2]!;
    const rest = iam[3]!;
    if (rest === 'root') return { k: 'account', account, raw };
    const kind = rest.startsWith('user/') ? 'user' : 'role';
    const name = rest.slice(rest.lastIndexOf('/') + 1);
    if (name === '') return { k: 'invalid', raw, reason: 'principal ARN has no name' };
    return { k: kind, account, name, raw };
  }
  const sts = STS_RE.exec(raw);
  if (sts) return { k: sts[3]!.startsWith('assumed-role/') ? 'session' : 'federated-user', arn: raw, raw };
  if (UNIQUE_ID_RE.test(raw)) return { k: 'unique-id', raw };
  return {
    k: 'invalid',
    raw,
    reason: 'not an account id, an IAM user/role/root ARN, an STS session ARN, or "*"',
  };
}

/** Parses a whole Principal / NotPrincipal element into entries. */
export function parsePrincipalElement(el: PrincipalElement): PrincipalEntry[] {
  if (el === '*') return [{ k: 'wildcard', raw: '*' }];
  const out: PrincipalEntry[] = [];
  const list = (v: string | string[] | undefined): string[] =>
    v === undefined ? [] : Array.isArray(v) ? v : [v];
  for (const raw of list(el.AWS)) out.push(parseAwsPrincipal(raw));
  for (const raw of list(el.Service)) {
    out.push(raw === '*' ? { k: 'wildcard', raw } : { k: 'service', name: raw.toLowerCase(), raw });
  }
  for (const raw of list(el.CanonicalUser)) {
    out.push(raw === '*' ? { k: 'wildcard', raw } : { k: 'canonical', id: raw.toLowerCase(), raw });
  }
  for (const raw of list(el.Federated))
    out.push(raw === '*' ? { k: 'wildcard', raw } : { k: 'federated', raw });
  return out;
}

/** The result of matching a Principal element against the caller. */
export interface PrincipalMatch {
  matched: 'true' | 'false' | 'account';
  by?: string;
  via?: PrincipalMatchVia;
  /** The caller could not be identified, so the match cannot be decided. */
  unresolved?: boolean;
}

/** Options that principal matching needs from the evidence. */
export interface PrincipalOptions {
  /** Canonical user id (lower-case or not) -> account id. */
  canonicalIds?: Record<string, string> | undefined;
}

function canonicalAccount(id: string, opts: PrincipalOptions): string | undefined {
  const m = opts.canonicalIds;
  if (!m) return undefined;
  return m[id] ?? m[id.toLowerCase()] ?? Object.entries(m).find(([k]) => k.toLowerCase() === id)?.[1];
}

function principalAccountId(p: Principal): string | undefined {
  switch (p.kind) {
    case 'iam-user':
    case 'role-session':
    case 'iam-role':
    case 'federated-user':
    case 'root':
      return p.accountId;
    case 'canonical-user':
      return p.accountId;
    default:
      return undefined;
  }
}

const NO_MATCH: PrincipalMatch = Object.freeze({ matched: 'false' });
const UNRESOLVED: PrincipalMatch = Object.freeze({ matched: 'false', unresolved: true });

/** Whether an entry names the caller directly (not through the account). */
function directVia(e: PrincipalEntry, p: Principal): PrincipalMatchVia | undefined {
  switch (e.k) {
    case 'wildcard':
      return 'wildcard';
    case 'user':
      return p.kind === 'iam-user' && p.accountId === e.account && p.name === e.name ? 'user' : undefined;
    case 'role':
      return (p.kind === 'role-session' && p.accountId === e.account && p.roleName === e.name) ||
        (p.kind === 'iam-role' && p.accountId === e.account && p.name === e.name)
        ? 'role'
        : undefined;
    case 'session':
      return p.kind === 'role-session' && p.arn === e.arn ? 'session' : undefined;
    case 'federated-user':
      return p.kind === 'federated-user' && p.arn === e.arn ? 'federated-user' : undefined;
    case 'account':
      return p.kind === 'root' && p.accountId === e.account ? 'root' : undefined;
    case 'service':
      return p.kind === 'service' && p.service.toLowerCase() === e.name ? 'service' : undefined;
    case 'canonical':
      return p.kind === 'canonical-user' && p.canonicalId.toLowerCase() === e.id
        ? 'canonical-user'
        : undefined;
    default:
      // unique ids of deleted entities, Federated providers and invalid entries never match an S3 caller.
      return undefined;
  }
}

function accountOf(e: PrincipalEntry, opts: PrincipalOptions): string | undefined {
  if (e.k === 'account') return e.account;
  if (e.k === 'canonical') return canonicalAccount(e.id, opts);
  return undefined;
}

/**
 * Matches a Principal element. A direct match (`'true'`) names the caller itself (or `*`); `'account'`
 * means the element names the caller's account, which delegates to that account's IAM policies (for the
 * account's root user, naming the account is a direct match).
 */
export function matchPrincipal(
  entries: readonly PrincipalEntry[],
  p: Principal,
  opts: PrincipalOptions,
): PrincipalMatch {
  let accountMatch: PrincipalEntry | undefined;
  const acct =
    principalAccountId(p) ??
    (p.kind === 'canonical-user' ? canonicalAccount(p.canonicalId, opts) : undefined);
  for (const e of entries) {
    const via = directVia(e, p);
    if (via) return { matched: 'true', by: e.raw, via };
    if (p.kind === 'root' && e.k === 'canonical' && acct !== undefined && accountOf(e, opts) === acct) {
      return { matched: 'true', by: e.raw, via: 'root' };
    }
    if (!accountMatch && acct !== undefined && p.kind !== 'root' && accountOf(e, opts) === acct)
      accountMatch = e;
  }
  if (accountMatch) return { matched: 'account', by: accountMatch.raw, via: 'account' };
  if (p.kind === 'unknown') return UNRESOLVED;
  return NO_MATCH;
}

/**
 * Matches a NotPrincipal element: the statement applies to every caller the element does not exempt. A
 * caller is exempt only when every level of its identity is listed: the account, and the user, or the
 * role and the assumed-role session (AWS matches the request at each level). An `Allow` that exempts
 * the caller's user, role or session but not its account applies to the caller at the account level
 * only (`account`: delegation, which grants nothing on its own within one account); a `Deny` applies.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export function matchNotPrincipal(
  entries: readonly PrincipalEntry[],
  p: Principal,
  opts: PrincipalOptions,
  effect: 'Allow' | 'Deny' = 'Deny',
): PrincipalMatch {
  if (entries.some((e) => e.k === 'wildcard')) return { matched: 'false', by: '*', via: 'not-principal' };
  if (p.kind === 'unknown') return UNRESOLVED;
  const acct =
    principalAccountId(p) ??
    (p.kind === 'canonical-user' ? canonicalAccount(p.canonicalId, opts) : undefined);
  const accountListed = acct !== undefined && entries.some((e) => accountOf(e, opts) === acct);
  const listed = (want: PrincipalMatchVia): boolean => entries.some((e) => directVia(e, p) === want);
  let exempt: boolean;
  switch (p.kind) {
    case 'anonymous':
      exempt = false;
      break;
    case 'root':
      exempt = accountListed;
      break;
    case 'iam-user':
      exempt = accountListed && listed('user');
      break;
    case 'iam-role':
      exempt = accountListed && listed('role');
      break;
    case 'role-session':
      exempt = accountListed && listed('role') && listed('session');
      break;
    case 'federated-user':
      exempt = accountListed && listed('federated-user');
      break;
    case 'service':
      exempt = listed('service');
      break;
    case 'canonical-user':
      exempt = listed('canonical-user') || accountListed;
      break;
  }
  if (exempt) return { matched: 'false', via: 'not-principal' };
  const ownLevelListed = listed('user') || listed('role') || listed('session') || listed('federated-user');
  if (effect === 'Allow' && !accountListed && ownLevelListed && p.kind !== 'root')
    return { matched: 'account', via: 'account' };
  return { matched: 'true', via: 'not-principal' };
}
