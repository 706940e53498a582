// The principal-side and guardrail layers shared by the S3 and KMS chains: SCPs, RCPs, VPC endpoint
// policies, identity policies, permissions boundaries and session policies.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html

import type { AuthzRequest, ContextValue, Evidence, LayerName, PolicyRef, Tri } from '../model/index.js';
import { evidencePath } from '../evidence/path.js';
import type { ResolvedPrincipal } from './context.js';
import type { LayerWork } from './layers.js';
import { recordPolicies, unknownWork, work } from './layers.js';
import { compiledSources, evaluateCompiled, evaluateLevels, firstMatched } from './policies.js';
import { F, T, U } from './tri.js';
import type { EvaluateOptions } from '../iam/index.js';

/** Options the policy engine needs from the evidence for this caller. */
export function evalOptions(rp: ResolvedPrincipal, ev: Evidence): EvaluateOptions {
  return {
    canonicalIds: ev.canonicalIds,
    callerHasPermissionsBoundary: rp.identity?.permissionsBoundary != null,
  };
}

/** Services whose resources RCPs can restrict (launch list, Nov 2024; AWS has added more since). */
const RCP_SERVICES = new Set(['s3', 'sts', 'kms', 'sqs', 'secretsmanager']);

/** A context value, looked up case-insensitively. */
export function ctx(az: AuthzRequest, key: string): ContextValue | undefined {
  const k = key.toLowerCase();
  const c = az.context;
  for (const name in c) if (Object.hasOwn(c, name) && name.toLowerCase() === k) return c[name];
  return undefined;
}

/** Whether a key is listed as unknown. */
export function isUnknownKey(az: AuthzRequest, key: string): boolean {
  const k = key.toLowerCase();
  return az.unknownKeys.some(
    (u) => u.toLowerCase() === k || (u.endsWith('*') && k.startsWith(u.slice(0, -1).toLowerCase())),
  );
}

function denyRef(evals: LayerWork['policies']): PolicyRef | undefined {
  return firstMatched(evals, 'Deny', T) ?? firstMatched(evals, 'Deny', U);
}

/** SCPs of the principal's account: every level must allow; exempt principals skip the layer. */
export function scpWork(rp: ResolvedPrincipal, az: AuthzRequest, ev: Evidence): LayerWork {
  const p = rp.principal;
  if (p.kind === 'anonymous' || p.kind === 'service') {
    const w = work('scp', F);
    w.facts.exempt = p.kind === 'anonymous' ? 'anonymous' : 'service-principal';
    return w;
  }
  if (rp.serviceLinked) {
    const w = work('scp', F);
    w.facts.exempt = 'service-linked-role';
    return w;
  }
  const account = rp.account;
  if (account === undefined)
    return unknownWork('scp', evidencePath('accounts', '?', 'serviceControlPolicies'), 'missing-allow');
  const a = ev.accounts[account];
  if (a?.isManagementAccount) {
    const w = work('scp', F);
    w.facts.exempt = 'management-account';
    return w;
  }
  const levels = a?.serviceControlPolicies;
  if (levels === null || (levels === undefined && a?.organizationId === null)) {
    const w = work('scp', F);
    w.facts.inOrganization = false;
    return w;
  }
  const path = () => evidencePath('accounts', account, 'serviceControlPolicies');
  if (levels === undefined) return unknownWork('scp', path(), 'missing-allow');
  const r = evaluateLevels('scp', levels, az, evalOptions(rp, ev));
  const w = recordPolicies(work('scp', T), r);
  w.levels = r.levels;
  w.guard = { value: r.allow, kind: 'missing-allow' };
  const lacking = r.levels.filter((l) => l.allow !== T).map((l) => l.target);
  if (lacking.length > 0) w.facts.levelsWithoutAllow = lacking;
  if (levels.length === 0) w.missing.push(path());
  return w;
}

/**
 * RCPs of the resource's account. `RCPFullAWSAccess` cannot be detached, so only Deny statements
 * decide. Not for service-linked roles, management-account resources, AWS managed KMS keys, or
 * services RCPs do not cover.
 */
export function rcpWork(
  rp: ResolvedPrincipal,
  az: AuthzRequest,
  ev: Evidence,
  resourceAccount: string | undefined,
  opts: { awsManagedKey?: boolean; resourcePath?: string } = {},
): LayerWork {
  const service = az.action.split(':')[0]?.toLowerCase() ?? '';
  const exempt = (why: string) => {
    const w = work('rcp', F);
    w.facts.exempt = why;
    return w;
  };
  if (!RCP_SERVICES.has(service)) return exempt('service-not-covered');
  if (az.resource === '*') return exempt('no-resource');
  if (rp.serviceLinked) return exempt('service-linked-role');
  if (opts.awsManagedKey) return exempt('aws-managed-key');
  if (resourceAccount === undefined)
    return unknownWork('rcp', opts.resourcePath ?? evidencePath('accounts', '?', 'resourceControlPolicies'));
  const a = ev.accounts[resourceAccount];
  if (a?.isManagementAccount) return exempt('management-account');
  const levels = a?.resourceControlPolicies;
  if (levels === null || (levels === undefined && a?.organizationId === null)) {
    const w = work('rcp', F);
    w.facts.inOrganization = false;
    return w;
  }
  if (levels === undefined)
    return unknownWork('rcp', evidencePath('accounts', resourceAccount, 'resourceControlPolicies'));
  const r = evaluateLevels('rcp', levels, az, evalOptions(rp, ev));
  const w = work('rcp', T);
  w.policies = r.evaluations;
  w.levels = r.levels;
  w.deny = r.deny;
  const d = denyRef(r.evaluations);
  if (d) w.denyRef = d;
  return w;
}

/** The VPC endpoint policy, when the request came through an endpoint (`aws:SourceVpce`). */
export function vpceWork(az: AuthzRequest, ev: Evidence, rp: ResolvedPrincipal): LayerWork {
  const raw = ctx(az, 'aws:SourceVpce');
  const vpce = Array.isArray(raw) ? raw[0] : raw;
  if (vpce === undefined) {
    if (isUnknownKey(az, 'aws:SourceVpce'))
      return unknownWork('vpc-endpoint-policy', 'context.aws:SourceVpce', 'missing-allow');
    return work('vpc-endpoint-policy', F);
  }
  const e = ev.vpcEndpoints[vpce];
  if (e === undefined || e.policy === undefined) {
    const w = unknownWork(
      'vpc-endpoint-policy',
      evidencePath('vpcEndpoints', vpce, 'policy'),
      'missing-allow',
    );
    w.facts.vpce = vpce;
    return w;
  }
  const w = work('vpc-endpoint-policy', T);
  w.facts.vpce = vpce;
  if (e.policy === null) {
    // No custom policy: the default endpoint policy allows full access.
    w.facts.defaultPolicy = true;
    w.guard = { value: T, kind: 'missing-allow' };
    w.ownAllow = T;
    return w;
  }
  const doc = e.policy;
  const set = evaluateCompiled(
    compiledSources(doc, `vpc-endpoint-policy:${vpce}`, () => [
      { document: doc, ref: { type: 'vpc-endpoint-policy', id: vpce } },
    ]),
    az,
    evalOptions(rp, ev),
  );
  recordPolicies(w, set);
  w.guard = { value: set.allow, kind: 'missing-allow' };
  return w;
}

/** Identity-side result: the layer and the value its Allow contributes to a grant. */
export interface SideWork {
  work: LayerWork;
  allow: Tri;
  allowRef?: PolicyRef;
}

/** Identity policies of the user or role (a session's role). Root: allowed in its own account. */
export function identityWork(
  rp: ResolvedPrincipal,
  az: AuthzRequest,
  layer: Extract<LayerName, 'identity-policy' | 'kms-identity-policy'>,
): SideWork {
  const p = rp.principal;
  if (p.kind === 'anonymous' || p.kind === 'service') {
    const w = work(layer, F);
    w.facts.principalKind = p.kind;
    return { work: w, allow: F };
  }
  if (p.kind === 'root') {
    const w = work(layer, T);
    w.facts.root = true;
    w.ownAllow = T;
    return { work: w, allow: T };
  }
  if (rp.roleAmbiguous) {
    const w = unknownWork(layer, evidencePath('principals', rp.identityArn ?? '?'));
    w.facts.roleCandidates = rp.roleAmbiguous;
    w.facts.rolePathKnown = false;
    return { work: w, allow: U };
  }
  if (!rp.identityArn) {
    const w = unknownWork(layer, p.kind === 'federated-user' ? evidencePath('sessions', p.arn) : 'principal');
    w.facts.principalKind = p.kind;
    return { work: w, allow: U };
  }
  const ident = rp.identity;
  const identityArn = rp.identityArn;
  const base = (w: LayerWork) => {
    w.facts.principalArn = rp.identityArn;
    if (rp.roleMatchedByName) w.facts.roleMatchedByName = rp.roleMatchedByName;
    if (p.kind === 'role-session' && !p.rolePathKnown && !rp.roleMatchedByName) w.facts.rolePathKnown = false;
    if (ident?.deleted) w.facts.principalDeleted = true;
    return w;
  };
  if (!ident || ident.policies === undefined)
    return { work: base(unknownWork(layer, evidencePath('principals', identityArn, 'policies'))), allow: U };
  const policies = ident.policies;
  const set = evaluateCompiled(
    compiledSources(policies, identityArn, () =>
      policies.map((pol) => ({
        document: pol.document,
        ref: { type: 'identity-policy' as const, id: pol.arn ?? identityArn, name: pol.name },
      })),
    ),
    az,
  );
  const w = recordPolicies(base(work(layer, T)), set);
  const allowRef = firstMatched(set.evaluations, 'Allow', T) ?? firstMatched(set.evaluations, 'Allow', U);
  return allowRef ? { work: w, allow: set.allow, allowRef } : { work: w, allow: set.allow };
}

/** The permissions boundary of the user or role; `null` in evidence: none, the layer passes. */
export function boundaryWork(rp: ResolvedPrincipal, az: AuthzRequest): SideWork {
  const p = rp.principal;
  if (p.kind !== 'iam-user' && p.kind !== 'iam-role' && p.kind !== 'role-session') {
    return {
      work: work('permissions-boundary', p.kind === 'federated-user' ? U : F),
      allow: p.kind === 'federated-user' ? U : T,
    };
  }
  const ident = rp.identity;
  if (rp.roleAmbiguous || !ident || ident.permissionsBoundary === undefined) {
    const path = evidencePath('principals', rp.identityArn ?? '?', 'permissionsBoundary');
    return { work: unknownWork('permissions-boundary', path), allow: U };
  }
  if (ident.permissionsBoundary === null) return { work: work('permissions-boundary', F), allow: T };
  const pb = ident.permissionsBoundary;
  const set = evaluateCompiled(
    compiledSources(pb, 'permissions-boundary', () => [
      { document: pb.document, ref: { type: 'permissions-boundary', id: pb.arn } },
    ]),
    az,
  );
  const w = recordPolicies(work('permissions-boundary', T), set);
  return { work: w, allow: set.allow };
}

/** One-entry memo of `sessions.<arn>.sessionPolicy`: sessions are often not in evidence. */
let lastSessionArn: string | undefined;
let lastSessionPath = '';

/** The session policy of an assumed-role or federated session; `null`: none was passed. */
export function sessionWork(rp: ResolvedPrincipal, az: AuthzRequest): SideWork {
  const p = rp.principal;
  if (p.kind !== 'role-session' && p.kind !== 'federated-user')
    return { work: work('session-policy', F), allow: T };
  const sp = rp.session?.sessionPolicy;
  if (sp === undefined) {
    if (lastSessionArn !== p.arn) {
      lastSessionPath = evidencePath('sessions', p.arn, 'sessionPolicy');
      lastSessionArn = p.arn;
    }
    return { work: unknownWork('session-policy', lastSessionPath), allow: U };
  }
  if (sp === null) return { work: work('session-policy', F), allow: T };
  const set = evaluateCompiled(
    compiledSources(sp, `session-policy:${p.arn}`, () => [
      { document: sp, ref: { type: 'session-policy', id: p.arn } },
    ]),
    az,
  );
  const w = recordPolicies(work('session-policy', T), set);
  return { work: w, allow: set.allow };
}
