// Who the caller really is (role found by name when the log hides its path) and the request-context
// keys the evidence can fill in (principal tags, org id, resource account, existing object tags).
//
// Keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html

import type {
  AuthzRequest,
  ContextValue,
  Evidence,
  Principal,
  PrincipalEvidence,
  SessionEvidence,
} from '../model/index.js';
import { principalAccount, principalArn } from '../s3/index.js';

/** The caller, resolved against the evidence. */
export interface ResolvedPrincipal {
  principal: Principal;
  account?: string;
  /** `principals` key of the user or role whose policies apply. */
  identityArn?: string;
  /** Its evidence entry; `undefined`: unknown. */
  identity?: PrincipalEvidence;
  /** Assumed-role or federated session ARN (`sessions` key). */
  sessionArn?: string;
  session?: SessionEvidence;
  /** The role ARN's path was unknown and the role was found by name within the account. */
  roleMatchedByName?: string;
  /** Several roles of that name exist with different paths: which one is unknown. */
  roleAmbiguous?: string[];
  /** Service-linked role: exempt from SCPs and RCPs. */
  serviceLinked: boolean;
}

function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Resolves the principal's identity entry, session entry and role path against the evidence. */
export function resolvePrincipal(p: Principal, ev: Evidence): ResolvedPrincipal {
  const account = principalAccount(p);
  const out: ResolvedPrincipal = { principal: p, serviceLinked: false };
  if (account !== undefined) out.account = account;
  if (p.kind === 'iam-user' || p.kind === 'iam-role') {
    out.identityArn = p.arn;
    out.identity = ev.principals[p.arn];
  } else if (p.kind === 'role-session') {
    out.sessionArn = p.arn;
    out.session = ev.sessions[p.arn];
    let roleArn = p.roleArn;
    if (ev.principals[roleArn] === undefined && !p.rolePathKnown) {
      const prefix = roleArn.slice(0, roleArn.indexOf(':role/') + ':role/'.length);
      const candidates = Object.keys(ev.principals).filter(
        (k) => k.startsWith(prefix) && roleNameOf(k) === p.roleName,
      );
      if (candidates.length === 1) {
        roleArn = candidates[0] as string;
        out.roleMatchedByName = roleArn;
        out.principal = { ...p, roleArn, rolePathKnown: true };
      } else if (candidates.length > 1) {
        out.roleAmbiguous = candidates;
      }
    }
    out.identityArn = roleArn;
    out.identity = ev.principals[roleArn];
  } else if (p.kind === 'federated-user') {
    out.sessionArn = p.arn;
    out.session = ev.sessions[p.arn];
  }
  const arn = out.identityArn;
  out.serviceLinked =
    out.identity?.serviceLinked === true || (arn !== undefined && /:role\/aws-service-role\//.test(arn));
  return out;
}

function principalType(p: Principal): string | undefined {
  switch (p.kind) {
    case 'root':
      return 'Account';
    case 'iam-user':
      return 'User';
    case 'federated-user':
      return 'FederatedUser';
    case 'role-session':
    case 'iam-role':
      return 'AssumedRole';
    case 'anonymous':
      return 'Anonymous';
    default:
      return undefined;
  }
}

/** Facts about the resource that fill `aws:ResourceAccount`, org keys and object tags. */
export interface ResourceFacts {
  account?: string;
  objectTags?: Record<string, string> | undefined;
  /** The object is known to exist, so `s3:ExistingObjectTag/*` applies. */
  objectTagsApply?: boolean;
  /** The request goes through this access point (fills `s3:DataAccessPoint*`). */
  accessPoint?: { arn: string; account?: string | undefined; networkOrigin?: string | undefined };
}

/**
 * Returns a copy of the authorization with the context keys the principal and the evidence reveal
 * added (never overriding a value the input gave, except `aws:PrincipalArn` when the role path
 * was resolved), and keys the evidence leaves open moved to `unknownKeys`.
 */
export function enrichContext(
  az: AuthzRequest,
  rp: ResolvedPrincipal,
  ev: Evidence,
  res: ResourceFacts,
): AuthzRequest {
  const given = Object.keys(az.context);
  const present = new Set<string>();
  for (const k of given) present.add(k.toLowerCase());
  // lower-case name -> name as given
  const unknown = new Map<string, string>();
  for (const u of az.unknownKeys) unknown.set(u.toLowerCase(), u);
  const isUnknown = (k: string) => unknown.size > 0 && unknown.has(k.toLowerCase());
  const added: [string, ContextValue][] = [];
  // A key the evidence proves absent (e.g. an account outside any organization has no aws:PrincipalOrgID).
  const absent = (...ks: string[]) => {
    for (const k of ks)
      if (unknown.size > 0 && !present.has(k.toLowerCase())) unknown.delete(k.toLowerCase());
  };
  const set = (k: string, v: ContextValue | undefined) => {
    if (v === undefined) return;
    const lk = k.toLowerCase();
    if (present.has(lk)) return;
    added.push([k, v]);
    present.add(lk);
    if (unknown.size > 0) unknown.delete(lk);
  };
  const p = rp.principal;
  let dropPrincipalArn = false;
  if (rp.roleMatchedByName) {
    dropPrincipalArn = present.has('aws:principalarn');
    present.delete('aws:principalarn');
    set('aws:PrincipalArn', rp.roleMatchedByName);
  }
  if (p.kind !== 'anonymous' && p.kind !== 'service' && p.kind !== 'unknown') {
    const arn = principalArn(rp.principal);
    if (!isUnknown('aws:PrincipalArn')) set('aws:PrincipalArn', arn);
    if (!isUnknown('aws:PrincipalAccount')) set('aws:PrincipalAccount', rp.account);
    const t = principalType(p);
    if (t) set('aws:PrincipalType', t);
    if (p.kind === 'iam-user') set('aws:username', p.name);
    if (p.kind === 'root' && rp.account) set('aws:userid', rp.account);
    if (rp.identity?.uniqueId) {
      if (p.kind === 'iam-user') set('aws:userid', rp.identity.uniqueId);
      if (p.kind === 'role-session') set('aws:userid', `${rp.identity.uniqueId}:${p.sessionName}`);
    }
    set('aws:PrincipalIsAWSService', 'false');
    // Principal tags: the user's or role's tags, session tags override (same key).
    const tags = { ...(rp.identity?.tags ?? {}), ...(rp.session?.tags ?? {}) };
    for (const [k, v] of Object.entries(tags)) set(`aws:PrincipalTag/${k}`, v);
    if (rp.session?.sourceIdentity) set('aws:SourceIdentity', rp.session.sourceIdentity);
    if (rp.account) {
      const org = ev.accounts[rp.account]?.organizationId;
      if (org) set('aws:PrincipalOrgID', org);
      // organizationId null: the account is in no organization, so the request carries no org keys.
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
      else if (org === null) absent('aws:PrincipalOrgID', 'aws:PrincipalOrgPaths');
      else if (org === undefined && !present.has('aws:principalorgid') && !isUnknown('aws:PrincipalOrgID'))
        unknown.set('aws:principalorgid', 'aws:PrincipalOrgID');
    }
  } else if (p.kind === 'service') {
    set('aws:PrincipalIsAWSService', 'true');
    set('aws:PrincipalServiceName', p.service);
  } else if (p.kind === 'anonymous') {
    set('aws:PrincipalType', 'Anonymous');
    set('aws:PrincipalIsAWSService', 'false');
  }
  if (res.account) {
    set('aws:ResourceAccount', res.account);
    if (az.action.toLowerCase().startsWith('s3:')) set('s3:ResourceAccount', res.account);
    const rorg = ev.accounts[res.account]?.organizationId;
    if (rorg) set('aws:ResourceOrgID', rorg);
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
    else if (rorg === null) absent('aws:ResourceOrgID', 'aws:ResourceOrgPaths');
  }
  if (res.accessPoint) {
    set('s3:DataAccessPointArn', res.accessPoint.arn);
    set('s3:DataAccessPointAccount', res.accessPoint.account);
    if (res.accessPoint.networkOrigin) set('s3:AccessPointNetworkOrigin', res.accessPoint.networkOrigin);
    else if (!present.has('s3:accesspointnetworkorigin') && !isUnknown('s3:AccessPointNetworkOrigin'))
      unknown.set('s3:accesspointnetworkorigin', 's3:AccessPointNetworkOrigin');
  }
  // A request through a VPC endpoint comes from that endpoint's VPC: the snapshot's endpoint entry
  // settles aws:SourceVpc. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpc
  const vpceKey = given.find((k) => k.toLowerCase() === 'aws:sourcevpce');
  const vpce = vpceKey ? az.context[vpceKey] : undefined;
  if (typeof vpce === 'string') set('aws:SourceVpc', ev.vpcEndpoints[vpce]?.vpcId);
  if (res.objectTagsApply && res.objectTags) {
    for (const [k, v] of Object.entries(res.objectTags)) set(`s3:ExistingObjectTag/${k}`, v);
  }
  if (added.length === 0 && unknown.size === az.unknownKeys.length) return az;
  const context: Record<string, ContextValue> = {};
  for (const k of given) {
    if (dropPrincipalArn && k.toLowerCase() === 'aws:principalarn') continue;
    context[k] = az.context[k] as ContextValue;
  }
  for (const [k, v] of added) context[k] = v;
  return {
    ...az,
    context,
    unknownKeys: unknown.size === az.unknownKeys.length ? az.unknownKeys : [...unknown.values()],
  };
}
