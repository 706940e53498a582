// Principal parsing: an access-log requester or CloudTrail userIdentity -> Principal, and the
// ARN / account / label views of a Principal that IAM and reports use.
//
// Requester forms: https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html
// userIdentity: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
// aws:PrincipalArn for role sessions is the role ARN:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn

import type { LogRecord } from '../model/input.js';
import type { Principal } from '../model/request.js';
import { parseArn } from './arn.js';

const CANONICAL_ID = /^[0-9a-f]{64}$/;
const ACCOUNT_ID = /^\d{12}$/;

/** Whether a string is an S3 canonical user id (64 lower-case hex characters). */
export function isCanonicalId(s: string): boolean {
  return CANONICAL_ID.test(s);
}

/** Whether a string is a 12-digit AWS account id. */
export function isAccountId(s: string): boolean {
  return ACCOUNT_ID.test(s);
}

/**
 * Turn a requester as logged (IAM/STS ARN, canonical id, `svc:<service>`, `AmazonS3`, a service
 * principal name, `-` or empty for anonymous) into a Principal. `identity` (CloudTrail
 * `userIdentity` facts) refines it: `sessionIssuerArn` gives the role ARN with its path, `type`
 * `AWSAccount` with account `anonymous` means an unsigned request, `AWSService` a service principal.
 */
export function principalFromString(raw: string, identity?: LogRecord['identity']): Principal {
  const s = (raw ?? '').trim();
  const type = identity?.type;
  if (type === 'AWSAccount' && identity?.accountId === 'anonymous') return { kind: 'anonymous' };
  if (s === '' || s === '-' || s.toLowerCase() === 'anonymous') {
    if (type === 'AWSService' && identity?.invokedBy) return { kind: 'service', service: identity.invokedBy };
    if (type === 'AWSAccount' && identity?.accountId && isAccountId(identity.accountId)) {
      // Another account's caller whose identity CloudTrail does not expose.
      return { kind: 'unknown', raw: identity.accountId };
    }
    if (type && type !== 'AWSAccount') return { kind: 'unknown', raw: s || type };
    return { kind: 'anonymous' };
  }
  if (s.startsWith('svc:')) return { kind: 'service', service: s.slice(4) };
  if (s === 'AmazonS3') return { kind: 'service', service: 's3.amazonaws.com' };
  if (isCanonicalId(s)) return { kind: 'canonical-user', canonicalId: s };
  if (!s.startsWith('arn:') && /^[a-z0-9.-]+\.amazonaws\.com(?:\.cn)?$/.test(s)) {
    return { kind: 'service', service: s };
  }
  const a = parseArn(s);
  if (!a || !isAccountId(a.account)) return { kind: 'unknown', raw: s };
  const res = a.resource;
  if (a.service === 'iam') {
    if (res === 'root') return { kind: 'root', arn: s, accountId: a.account };
    if (res.startsWith('user/')) {
      return { kind: 'iam-user', arn: s, accountId: a.account, name: lastSegment(res) };
    }
    if (res.startsWith('role/')) {
      return { kind: 'iam-role', arn: s, accountId: a.account, name: lastSegment(res) };
    }
    return { kind: 'unknown', raw: s };
  }
  if (a.service === 'sts') {
    if (res.startsWith('assumed-role/')) {
      const parts = res.split('/');
      const roleName = parts[1];
      const sessionName = parts.slice(2).join('/');
      if (!roleName || !sessionName) return { kind: 'unknown', raw: s };
      const issuer = identity?.sessionIssuerArn;
      const issuerArn = issuer ? parseArn(issuer) : undefined;
      const issuerMatches =
        issuerArn !== undefined &&
        issuerArn.service === 'iam' &&
        issuerArn.account === a.account &&
        issuerArn.resource.startsWith('role/') &&
        lastSegment(issuerArn.resource) === roleName;
      return {
        kind: 'role-session',
        arn: s,
        roleArn: issuerMatches ? issuer! : `arn:${a.partition}:iam::${a.account}:role/${roleName}`,
        rolePathKnown: issuerMatches,
        roleName,
        sessionName,
        accountId: a.account,
      };
    }
    if (res.startsWith('federated-user/')) {
      const name = res.slice('federated-user/'.length);
      if (!name) return { kind: 'unknown', raw: s };
      return { kind: 'federated-user', arn: s, accountId: a.account, name };
    }
  }
  return { kind: 'unknown', raw: s };
}

function lastSegment(resource: string): string {
  const i = resource.lastIndexOf('/');
  return i < 0 ? resource : resource.slice(i + 1);
}

/**
 * The value IAM uses for `aws:PrincipalArn`: the user, role, federated-user or root ARN, and for
 * a role session the **role** ARN (its path is only right when `rolePathKnown`). `undefined` for
 * anonymous callers, service principals, canonical ids and unknown principals (no ARN to give).
 */
export function principalArn(p: Principal): string | undefined {
  switch (p.kind) {
    case 'iam-user':
    case 'iam-role':
    case 'federated-user':
    case 'root':
      return p.arn;
    case 'role-session':
      return p.roleArn;
    default:
      return undefined;
  }
}

/** The principal's account id, when the input tells it. */
export function principalAccount(p: Principal): string | undefined {
  switch (p.kind) {
    case 'iam-user':
    case 'iam-role':
    case 'federated-user':
    case 'root':
    case 'role-session':
      return p.accountId;
    case 'canonical-user':
      return p.accountId;
    case 'unknown': {
      if (isAccountId(p.raw)) return p.raw;
      const a = parseArn(p.raw);
      return a && isAccountId(a.account) ? a.account : undefined;
    }
    default:
      return undefined;
  }
}

/** A short display string for reports: the ARN, `anonymous`, `service:<name>`, `canonical user <id>`. */
export function principalLabel(p: Principal): string {
  switch (p.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'service':
      return `service:${p.service}`;
    case 'canonical-user':
      return p.accountId
        ? `canonical user ${p.canonicalId.slice(0, 12)}... (account ${p.accountId})`
        : `canonical user ${p.canonicalId}`;
    case 'unknown':
      return isAccountId(p.raw) ? `a principal of account ${p.raw}` : p.raw;
    default:
      return p.arn;
  }
}

/**
 * `aws:PrincipalType` for the principal, or `undefined` when the input cannot tell.
 * Values: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltype
 */
export function principalType(p: Principal): string | undefined {
  switch (p.kind) {
    case 'anonymous':
      return 'Anonymous';
    case 'iam-user':
      return 'User';
    case 'role-session':
      return 'AssumedRole';
    case 'federated-user':
      return 'FederatedUser';
    case 'root':
      return 'Account';
    default:
      return undefined;
  }
}
