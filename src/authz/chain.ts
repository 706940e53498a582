// The authorization chain for one IAM authorization: guardrails, identity side, resource side
// (access point, bucket policy, ACLs, object ownership, Block Public Access) and S3's own checks.
//
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html

import type {
  AuthorizationResult,
  AuthzRequest,
  Evidence,
  LayerName,
  PolicyDocument,
  PolicyRef,
  S3Request,
  ServiceResourcePolicyFacts,
  Tri,
} from '../model/index.js';
import { evidencePath } from '../evidence/path.js';
import type { AclGrant } from './acl.js';
import { accountOfCanonicalId, aclGrants, aclRequirement } from './acl.js';
import type { ResolvedPrincipal } from './context.js';
import { enrichContext, resolvePrincipal } from './context.js';
import {
  boundaryWork,
  evalOptions,
  identityWork,
  rcpWork,
  scpWork,
  sessionWork,
  vpceWork,
} from './iam-layers.js';
import type { SideWork } from './iam-layers.js';
import type { LayerWork } from './layers.js';
import { finish, recordPolicies, unknownWork, work } from './layers.js';
import type { ResourceAllows } from './policies.js';
import { compiledSources, evaluateCompiled, resourceAllows } from './policies.js';
import { memo } from './memo.js';
import { isPublicPolicy } from './public.js';
import type { S3Target } from './s3-target.js';
import { s3Target } from './s3-target.js';
import type { FlagValue } from './s3-steps.js';
import { bpaFlags, s3Steps } from './s3-steps.js';
import type { Atom, Dnf } from './tri.js';
import { F, T, U, and, andDnf, dnfValue, not, or } from './tri.js';

/** Options threaded through one evaluation. */
export interface ChainOptions {
  req: S3Request;
  ev: Evidence;
  /** Request time (for Object Lock). */
  time: number;
  /** Nesting depth of helper evaluations (ListBucket for 403-vs-404). */
  depth?: number;
}

/** How the principal relates to grants. */
type PrincipalClass = 'iam' | 'root' | 'anonymous' | 'service' | 'unknown';

function classOf(rp: ResolvedPrincipal): PrincipalClass {
  switch (rp.principal.kind) {
    case 'iam-user':
    case 'iam-role':
    case 'role-session':
    case 'federated-user':
      return 'iam';
    case 'root':
      return 'root';
    case 'anonymous':
      return 'anonymous';
    case 'service':
      return 'service';
    default:
      return 'unknown';
  }
}

/** The identity side's atoms. */
interface IdentityAtoms {
  id: Atom;
  pb: Atom;
  sp: Atom;
}

/** One resource-side check (access point or bucket/object): who owns it and what grants. */
export interface ResourceCheck {
  layer: Extract<LayerName, 'bucket-policy' | 'access-point-policy'>;
  owner: string | undefined;
  ownerPath: string;
  allows: ResourceAllows;
  /** Atoms every grant from this policy also needs (Block Public Access, object ownership). */
  policyExtra: Atom[];
  /** The policy cannot grant here (object owned by another account): only the ACL can. */
  noPolicy?: boolean;
  acl?: {
    layer: Extract<LayerName, 'bucket-acl' | 'object-acl'>;
    grant: AclGrant;
    publicExtra: Atom[];
    blame?: LayerName;
  };
}

function atom(layer: LayerName, value: Tri, statement?: PolicyRef, granting = true): Atom {
  const a: Atom = { layer, value, granting };
  if (statement) a.statement = statement;
  return a;
}

/**
 * The grant a resource check gives, as a DNF over the identity and resource atoms. Same account:
 * the identity side or the resource policy suffices (a policy naming the role is still filtered by
 * the boundary and session policy; naming the account delegates to IAM). Cross account: both.
 */
export function checkDnf(check: ResourceCheck, ids: IdentityAtoms, pc: PrincipalClass, same: boolean): Dnf {
  const a = check.allows;
  const pol = (v: Tri, ref?: PolicyRef): Atom[] => [atom(check.layer, v, ref), ...check.policyExtra];
  const acl = check.acl;
  const aclPublic = acl
    ? [
        {
          ...atom(acl.layer, acl.grant.public),
          ...(acl.blame ? { blame: acl.blame, kind: 'block' as const } : {}),
        },
        ...acl.publicExtra,
      ]
    : undefined;
  const aclAccount = acl
    ? [
        {
          ...atom(acl.layer, acl.grant.account),
          ...(acl.blame ? { blame: acl.blame, kind: 'block' as const } : {}),
        },
      ]
    : undefined;
  const terms: Dnf = [];
  if (check.noPolicy) {
    // Only the ACL can grant (an object owned by another account).
    if (pc === 'anonymous' || pc === 'service') return aclPublic ? [aclPublic] : [];
    if (pc === 'root' && same) return [[atom('identity-policy', T)]];
    const idOnly = [ids.id, ids.pb, ids.sp];
    if (same) return [idOnly, ...(aclPublic ? [aclPublic] : [])];
    return [
      ...(aclAccount ? [[...idOnly, ...aclAccount]] : []),
      ...(aclPublic ? [[...idOnly, ...aclPublic]] : []),
    ];
  }
  if (pc === 'anonymous' || pc === 'service') {
    terms.push(pol(a.direct, a.directRef));
    if (aclPublic) terms.push(aclPublic);
    return terms;
  }
  if (pc === 'root' && same) return [[atom('identity-policy', T)]];
  const idPath = [ids.id, ids.pb, ids.sp];
  if (same) {
    // Order matters for blame on ties: the identity path first, then a role grant (filtered by the
    // boundary and session policy), then a direct grant.
    terms.push(idPath);
    terms.push([...pol(a.role, a.roleRef), ids.pb, ids.sp]);
    terms.push(pol(a.direct, a.directRef));
    if (aclPublic) terms.push(aclPublic);
    return terms;
  }
  for (const [v, ref] of [
    [a.direct, a.directRef],
    [a.role, a.roleRef],
    [a.account, a.accountRef],
  ] as const) {
    terms.push([...idPath, ...pol(v, ref)]);
  }
  if (aclAccount) terms.push([...idPath, ...aclAccount]);
  if (aclPublic) terms.push([...idPath, ...aclPublic]);
  return terms;
}

/** Same-account-or-not, resolved: when unknown, both branches; equal values keep the cross branch. */
function branchDnf(
  check: ResourceCheck,
  ids: IdentityAtoms,
  pc: PrincipalClass,
  principalAccount: string | undefined,
): { dnf: Dnf; unknownOwner: boolean } {
  if (pc === 'anonymous' || pc === 'service')
    return { dnf: checkDnf(check, ids, pc, false), unknownOwner: false };
  if (check.owner !== undefined && principalAccount !== undefined)
    return { dnf: checkDnf(check, ids, pc, check.owner === principalAccount), unknownOwner: false };
  // Owner unknown: the cross-account grant, or the same-account one if the caller is the owner's. A
  // cross-account grant also holds in the same account, so the grant is crossD OR (same AND sameD); the
  // unknown "same account" atom is a filter, so blame still names what each branch lacks (even where
  // both branches agree on the value, the cause depends on the account relationship).
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
  const sameD = checkDnf(check, ids, pc, true);
  const crossD = checkDnf(check, ids, pc, false);
  const sameAtom: Atom = { layer: check.layer, value: U, granting: false };
  return {
    dnf: [...crossD, ...sameD.map((term) => [...term, sameAtom])],
    unknownOwner: dnfValue(crossD) !== T,
  };
}

/**
 * The evidence that would settle same-account-or-not: the resource owner's account and/or the caller
 * (`principal`: the input does not name the caller's account).
 */
function accountPaths(check: ResourceCheck, principalAccount: string | undefined): string[] {
  const out: string[] = [];
  if (check.owner === undefined) out.push(check.ownerPath);
  if (principalAccount === undefined) out.push('principal');
  return out;
}

const OWNER_ROOT_ESCAPE = new Set(['s3:getbucketpolicy', 's3:putbucketpolicy', 's3:deletebucketpolicy']);

/** Actions for which the object owner (not the bucket owner) must grant. */
function objectContextApplies(action: string): boolean {
  const a = action.toLowerCase();
  return (
    a.startsWith('s3:getobject') ||
    a === 's3:putobjectacl' ||
    a === 's3:putobjectversionacl' ||
    a === 's3:restoreobject'
  );
}

/** Resource-policy layer work and its allows. */
function resourcePolicyWork(
  layer: 'bucket-policy' | 'access-point-policy',
  id: string,
  doc: PolicyDocument | null | undefined,
  path: () => string,
  az: AuthzRequest,
  rp: ResolvedPrincipal,
  ev: Evidence,
): { work: LayerWork; allows: ResourceAllows } {
  if (doc === undefined) {
    return { work: unknownWork(layer, path()), allows: { direct: U, role: U, account: U } };
  }
  if (doc === null) {
    const w = work(layer, T);
    w.facts.noPolicy = true;
    w.ownAllow = F;
    return { work: w, allows: { direct: F, role: F, account: F } };
  }
  const set = evaluateCompiled(
    compiledSources(doc, `${layer}:${id}`, () => [{ document: doc, ref: { type: layer, id } }]),
    az,
    evalOptions(rp, ev),
  );
  const w = recordPolicies(work(layer, T), set);
  return { work: w, allows: resourceAllows(set.evaluations, [doc], rp.principal) };
}

/** Evaluates one authorization through the whole chain. */
export function evaluateAuthorization(az0: AuthzRequest, opts: ChainOptions): AuthorizationResult {
  const { ev } = opts;
  // Pure functions of (request, evidence), both immutable once evaluated: computed once per pair.
  const rp = memo(az0, ev, 'resolved-principal', () => resolvePrincipal(az0.principal, ev));
  const isS3 = az0.action.toLowerCase().startsWith('s3:');
  const target = isS3 ? memo(az0, ev, 's3-target', () => s3Target(az0, ev)) : undefined;
  const resourceAccount = target
    ? target.apArn
      ? target.apAccount
      : target.bucketAccount
    : (az0.resourceAccount ?? arnAccount(az0.resource));
  const az = memo(az0, ev, 'enriched', () =>
    enrichContext({ ...az0, principal: rp.principal }, rp, ev, {
      ...((target?.bucketAccount ?? resourceAccount)
        ? { account: (target?.bucketAccount ?? resourceAccount) as string }
        : {}),
      objectTags: target?.objectEv?.tags,
      objectTagsApply: target?.objectEv?.exists === true,
      ...(target?.apArn
        ? {
            accessPoint: {
              arn: target.apArn,
              account: target.apAccount,
              networkOrigin: target.ap?.networkOrigin,
            },
          }
        : {}),
    }),
  );
  const pc = classOf(rp);
  const works: LayerWork[] = [];
  works.push(scpWork(rp, az, ev));
  works.push(
    rcpWork(rp, az, ev, resourceAccount, {
      resourcePath:
        target && resourceAccount === undefined
          ? evidencePath('buckets', target.bucket ?? '?', 'accountId')
          : undefined,
    }),
  );
  works.push(vpceWork(az, ev, rp));
  const idw = identityWork(rp, az, 'identity-policy');
  const pbw = boundaryWork(rp, az);
  const spw = sessionWork(rp, az);
  works.push(idw.work, pbw.work, spw.work);
  const ids: IdentityAtoms = identityAtoms(idw, pbw, spw);
  if (!target) {
    const grant: Dnf = pc === 'iam' || pc === 'root' || pc === 'unknown' ? [[ids.id, ids.pb, ids.sp]] : [];
    if (isS3 || !['iam', 'root'].includes(pc)) idw.work.facts.resourcePolicy = 'none-in-evidence';
    // Another account's resource of a service whose resource policies are not modelled: that policy must
    // grant too, and it is not in the evidence, so the grant is unknown (never Allowed on the identity alone).
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
    const cross =
      (pc === 'iam' || pc === 'root') &&
      resourceAccount !== undefined &&
      rp.account !== undefined &&
      resourceAccount !== rp.account;
    if (!isS3 && cross && grant.length > 0) {
      const rw = unknownWork('resource-policy', `resourcePolicies.${az.resource}`);
      rw.deny = U;
      Object.assign(rw.facts, { crossAccount: 'true' } satisfies ServiceResourcePolicyFacts);
      works.push(rw);
      grant[0]!.push({ layer: 'resource-policy', value: U, granting: true });
    }
    return finish(az, works, grant);
  }
  return s3Chain(az, opts, rp, pc, target, works, ids);
}

function identityAtoms(idw: SideWork, pbw: SideWork, spw: SideWork): IdentityAtoms {
  return {
    id: atom('identity-policy', idw.allow, idw.allowRef),
    pb: atom('permissions-boundary', pbw.allow, undefined, false),
    sp: atom('session-policy', spw.allow, undefined, false),
  };
}

function arnAccount(arn: string): string | undefined {
  const m = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(arn);
  return m?.[1];
}

function s3Chain(
  az: AuthzRequest,
  opts: ChainOptions,
  rp: ResolvedPrincipal,
  pc: PrincipalClass,
  t: S3Target,
  works: LayerWork[],
  ids: IdentityAtoms,
): AuthorizationResult {
  const { ev } = opts;
  const action = az.action.toLowerCase();
  const principalAccount = rp.account;
  // The flags depend on the bucket entry, its account, the access point and the evidence only: keyed on
  // the bucket entry (when known), so a new request for the same bucket reuses them.
  const bpa = t.bucketEv
    ? memo(t.bucketEv, ev, `bpa:${t.bucketPath}:${t.bucketAccount ?? ''}:${t.apArn ?? ''}`, () =>
        bpaFlags(t, ev),
      )
    : memo(az, ev, 'bpa', () => bpaFlags(t, ev));
  const checks: { dnf: Dnf }[] = [];
  let ownerUnknownPaths: string[] = [];

  // Access point: network origin and its own policy (§4.5).
  if (t.apArn) {
    const apArn = t.apArn;
    const apPath = () => evidencePath('accessPoints', apArn, 'policy');
    const apDoc = t.ap === undefined ? undefined : t.ap.policy;
    const apw = resourcePolicyWork('access-point-policy', t.apArn, apDoc, apPath, az, rp, ev);
    apw.work.facts.accessPoint = t.apArn;
    apw.work.facts.crossAccount = crossOf(pc, t.apAccount, principalAccount);
    works.push(apw.work);
    const apPublic: Tri =
      apDoc === undefined
        ? U
        : apDoc === null
          ? F
          : tri(
              isPublicPolicy(apDoc, {
                accessPoint: true,
                ...(t.ap?.networkOrigin ? { networkOrigin: t.ap.networkOrigin } : {}),
              }),
            );
    const check: ResourceCheck = {
      layer: 'access-point-policy',
      owner: t.apAccount,
      ownerPath: evidencePath('accessPoints', t.apArn, 'accountId'),
      allows: apw.allows,
      policyExtra: [],
    };
    const restricted = restrictAtom(pc, t.apAccount, principalAccount, bpa.RestrictPublicBuckets, apPublic);
    if (restricted) check.policyExtra.push(restricted);
    const b = branchDnf(check, ids, pc, principalAccount);
    if (b.unknownOwner) ownerUnknownPaths.push(...accountPaths(check, principalAccount));
    checks.push({ dnf: b.dnf });
  }

  // Bucket policy (for access point requests, against the bucket form of the ARN).
  const bucketForm = t.bucketFormArn;
  // A bucket or object ARN is its own bucket form: the same request object then (no copy to prepare).
  const bucketAz: AuthzRequest =
    bucketForm && bucketForm !== az.resource
      ? memo(az, ev, 'bucket-form', () => ({ ...az, resource: bucketForm }))
      : az;
  let bucketDoc: PolicyDocument | null | undefined;
  let bucketPolicyPath: () => string;
  if (t.bucket === undefined) {
    bucketPolicyPath = () => evidencePath('accessPoints', t.apArn ?? '?', 'bucket');
    bucketDoc = undefined;
  } else {
    const bucket = t.bucket;
    bucketPolicyPath = () => evidencePath('buckets', bucket, 'policy');
    bucketDoc = t.bucketEv?.policy;
  }
  const bpw = resourcePolicyWork(
    'bucket-policy',
    t.bucket ?? '?',
    bucketDoc,
    bucketPolicyPath,
    bucketAz,
    rp,
    ev,
  );
  if (
    rp.principal.kind === 'root' &&
    OWNER_ROOT_ESCAPE.has(action) &&
    t.bucketAccount !== undefined &&
    t.bucketAccount === principalAccount &&
    bpw.work.deny !== F
  ) {
    // The bucket owner's root can always manage the bucket policy: a Deny there cannot lock it out.
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
    bpw.work.facts.ownerRootEscapeHatch = true;
    bpw.work.deny = F;
    delete bpw.work.denyRef;
  }
  if (OWNER_ROOT_ESCAPE.has(action) && pc !== 'service') {
    // Bucket-policy APIs only work for identities of the bucket owner's account: others get
    // 405 MethodNotAllowed whatever the policies say.
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
    const sameOwner: Tri =
      pc === 'anonymous'
        ? F
        : t.bucketAccount === undefined || principalAccount === undefined
          ? U
          : tri(t.bucketAccount === principalAccount);
    bpw.work.guard = { value: sameOwner, kind: 'block' };
    if (sameOwner === F)
      Object.assign(bpw.work.facts, {
        check: 'method-not-allowed',
        httpStatus: 405,
        errorCode: 'MethodNotAllowed',
      });
    if (sameOwner === U) {
      if (t.bucketAccount === undefined) bpw.work.missing.push(`${t.bucketPath}.accountId`);
      if (principalAccount === undefined) bpw.work.missing.push('principal');
    }
  }
  bpw.work.facts.crossAccount = crossOf(pc, t.bucketAccount, principalAccount);
  works.push(bpw.work);
  const bucketPublic: Tri =
    bucketDoc === undefined ? U : bucketDoc === null ? F : tri(isPublicPolicy(bucketDoc));
  bpw.work.facts.publicPolicy = bucketPublic;

  // ACLs: which one can grant this action, and whether ACLs count at all (Object Ownership).
  const ownership = t.bucketEv?.objectOwnership;
  const aclsEnabled: Tri =
    t.bucketEv === undefined || ownership === undefined ? U : ownership === 'BucketOwnerEnforced' ? F : T;
  const req = aclRequirement(az.action);
  let aclWork: LayerWork | undefined;
  let grant: AclGrant | undefined;
  let aclUnknownPath: string | undefined;
  if (req && !(req.on === 'object' && !t.isObject)) {
    const layer = req.on === 'bucket' ? 'bucket-acl' : 'object-acl';
    const aclPath = req.on === 'bucket' ? `${t.bucketPath}.acl` : `${t.objectPath ?? t.bucketPath}.acl`;
    const acl = req.on === 'bucket' ? t.bucketEv?.acl : t.objectEv?.acl;
    if (aclsEnabled === F) {
      aclWork = work(layer, F);
      aclWork.facts.aclsDisabled = true;
      grant = { public: F, account: F, grantees: [] };
    } else {
      grant = aclGrants(acl, req.permission, rp.principal, principalAccount, ev);
      if (action === 's3:deleteobjectversion' && principalAccount !== t.bucketAccount) grant.account = F;
      grant = { ...grant, public: and(aclsEnabled, grant.public), account: and(aclsEnabled, grant.account) };
      aclWork = work(layer, aclsEnabled === U ? U : T);
      aclWork.ownAllow = or(grant.public, grant.account);
      if (grant.grantees.length > 0) aclWork.facts.grantees = grant.grantees;
      aclWork.facts.permission = req.permission;
      if (acl === undefined) {
        aclWork.missing.push(aclPath);
        aclUnknownPath = aclPath;
      }
      if (aclsEnabled === U) aclWork.missing.push(`${t.bucketPath}.objectOwnership`);
      aclWork.facts.publicAcl =
        acl === undefined
          ? U
          : acl === null
            ? F
            : tri(
                acl.Grants.some(
                  (g) =>
                    g.Grantee.Type === 'Group' && /AllUsers|AuthenticatedUsers/.test(g.Grantee.URI ?? ''),
                ),
              );
    }
    works.push(aclWork);
  }

  // Block Public Access: RestrictPublicBuckets and IgnorePublicAcls act on grants.
  const bpaWork = work('block-public-access', T);
  bpaWork.facts.flags = bpa.facts;
  bpaWork.missing.push(...bpa.missing);
  const restrictBucket = restrictAtom(
    pc,
    t.bucketAccount,
    principalAccount,
    bpa.RestrictPublicBuckets,
    bucketPublic,
  );
  const ignoreAtom: Atom = {
    layer: 'block-public-access',
    value: not(bpa.IgnorePublicAcls.value),
    kind: 'block',
    granting: false,
    facts: { flag: 'IgnorePublicAcls', level: bpa.IgnorePublicAcls.levels[0], blocked: 'public-acl-grant' },
  };

  const bucketCheck: ResourceCheck = {
    layer: 'bucket-policy',
    owner: t.bucketAccount,
    ownerPath: `${t.bucketPath}.accountId`,
    allows: bpw.allows,
    policyExtra: restrictBucket ? [restrictBucket] : [],
  };
  if (aclWork && grant && aclWork.applies !== F) {
    bucketCheck.acl = {
      layer: aclWork.layer as 'bucket-acl' | 'object-acl',
      grant,
      publicExtra: grant.public === F ? [] : [ignoreAtom],
    };
  }

  // Object ownership: for reads of existing objects the object owner must grant (§4.1, §4.3).
  const ownWork = work('object-ownership', T);
  if (ownership !== undefined) ownWork.facts.objectOwnership = ownership;
  ownWork.facts.bucketOwnerCanonicalId = t.bucketEv?.ownerCanonicalId;
  let bucketDnf: Dnf;
  if (t.isObject && objectContextApplies(az.action) && aclsEnabled !== F) {
    const objOwnerId = t.objectEv?.ownerCanonicalId ?? t.objectEv?.acl?.Owner?.ID;
    const bucketOwnerId = t.bucketEv?.ownerCanonicalId ?? t.bucketEv?.acl?.Owner?.ID;
    const objOwnerAccount = accountOfCanonicalId(ev, objOwnerId);
    // A canonical user ID stands for one account: an owner whose account the snapshot maps settles
    // the question against the bucket's account when the bucket's canonical ID is not in the evidence.
    // https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
    const bucketOwnerAccount = accountOfCanonicalId(ev, bucketOwnerId) ?? t.bucketAccount;
    let ownedByBucketOwner: Tri =
      objOwnerId !== undefined && bucketOwnerId !== undefined
        ? tri(objOwnerId === bucketOwnerId)
        : objOwnerAccount !== undefined && bucketOwnerAccount !== undefined
          ? tri(objOwnerAccount === bucketOwnerAccount)
          : U;
    if (aclsEnabled === U && ownedByBucketOwner === F) ownedByBucketOwner = U;
    if (t.objectEv?.exists === false) ownedByBucketOwner = T;
    ownWork.facts.objectOwnerCanonicalId = objOwnerId;
    if (objOwnerAccount) ownWork.facts.objectOwnerAccount = objOwnerAccount;
    ownWork.facts.ownedByBucketOwner = ownedByBucketOwner;
    ownWork.facts.check = 'object-owner';
    if (ownedByBucketOwner === U) {
      if (objOwnerId === undefined)
        ownWork.missing.push(t.objectPath ? `${t.objectPath}.ownerCanonicalId` : t.bucketPath);
      if (bucketOwnerId === undefined) ownWork.missing.push(`${t.bucketPath}.ownerCanonicalId`);
      if (aclsEnabled === U) ownWork.missing.push(`${t.bucketPath}.objectOwnership`);
    }
    const branches: Dnf = [];
    if (ownedByBucketOwner !== F) {
      // Every grant of this branch (the identity path too) holds only if the bucket owner owns the object.
      const b = branchDnf(bucketCheck, ids, pc, principalAccount);
      if (b.unknownOwner) ownerUnknownPaths.push(...accountPaths(bucketCheck, principalAccount));
      const owned: Atom[] =
        ownedByBucketOwner === U
          ? [{ layer: 'object-ownership', value: U, kind: 'block', granting: false }]
          : [];
      branches.push(...b.dnf.map((term) => [...term, ...owned]));
    }
    if (ownedByBucketOwner !== T) {
      // Would the bucket owner's grants have sufficed? Then the foreign owner is the cause.
      const asOwned = branchDnf(bucketCheck, ids, pc, principalAccount);
      const wouldGrant = dnfValue(asOwned.dnf);
      const foreign: ResourceCheck = {
        layer: 'bucket-policy',
        owner: objOwnerAccount,
        ownerPath: t.objectPath ? `${t.objectPath}.ownerCanonicalId` : t.bucketPath,
        allows: { direct: F, role: F, account: F },
        policyExtra: [],
        noPolicy: true,
      };
      const objGrant = bucketCheck.acl?.grant ?? { public: F, account: F, grantees: [] };
      foreign.acl = {
        layer: 'object-acl',
        grant: objGrant,
        publicExtra: objGrant.public === F ? [] : [ignoreAtom],
        ...(wouldGrant !== F ? { blame: 'object-ownership' as const } : {}),
      };
      // The object owner's ACL, blamed on ownership: its unknown ACL is what leaves that layer open.
      if (foreign.acl.blame && aclUnknownPath) ownWork.missing.push(aclUnknownPath);
      const fb = branchDnf(foreign, ids, pc, principalAccount);
      const extra: Atom[] =
        ownedByBucketOwner === U
          ? [{ layer: 'object-ownership', value: U, kind: 'block', granting: false }]
          : [];
      branches.push(...fb.dnf.map((term) => [...term, ...extra]));
      if (ownedByBucketOwner === F) ownWork.facts.foreignOwner = true;
    }
    bucketDnf = branches;
  } else {
    const b = branchDnf(bucketCheck, ids, pc, principalAccount);
    if (b.unknownOwner) ownerUnknownPaths.push(...accountPaths(bucketCheck, principalAccount));
    bucketDnf = b.dnf;
    ownWork.applies = aclsEnabled === F ? T : ownWork.applies;
  }
  checks.push({ dnf: bucketDnf });
  if (ownerUnknownPaths.length > 0) {
    ownerUnknownPaths = [...new Set(ownerUnknownPaths)];
    bpw.work.missing.push(...ownerUnknownPaths);
    if (ownerUnknownPaths.some((x) => x !== 'principal')) bpw.work.facts.resourceAccountUnknown = true;
  }

  // S3's request-time checks (ACL-setting under BucketOwnerEnforced, BPA on writes, network
  // origin, Requester Pays, Object Lock, object state).
  const steps = s3Steps(az, opts, rp, t, bpa, (sub) =>
    evaluateAuthorization(sub, { ...opts, depth: (opts.depth ?? 0) + 1 }),
  );
  if (steps.aclNotSupported) {
    ownWork.guard = steps.aclNotSupported.guard;
    Object.assign(ownWork.facts, steps.aclNotSupported.facts);
    ownWork.missing.push(...steps.aclNotSupported.missing);
  }
  if (steps.bpaWrite) {
    bpaWork.guard = steps.bpaWrite.guard;
    Object.assign(bpaWork.facts, steps.bpaWrite.facts);
    bpaWork.missing.push(...steps.bpaWrite.missing);
  }
  if (steps.networkOrigin) works.splice(works.indexOf(bpw.work) - (t.apArn ? 1 : 0), 0, steps.networkOrigin);
  works.push(ownWork, bpaWork, ...steps.others);

  const grantDnf = andDnf(...checks.map((c) => c.dnf));
  return finish(az, works, grantDnf);
}

/** Whether the caller is outside the owner's account (anonymous callers are; service principals are not counted). */
function crossOf(pc: PrincipalClass, owner: string | undefined, principalAccount: string | undefined): Tri {
  if (pc === 'anonymous') return T;
  if (pc === 'service') return F;
  return owner === undefined || principalAccount === undefined ? U : tri(owner !== principalAccount);
}

function tri(b: boolean): Tri {
  return b ? T : F;
}

/**
 * RestrictPublicBuckets: grants from a public policy only reach service principals and the owner
 * account's principals. Returns the atom a grant needs, or undefined when the restriction cannot bite.
 */
function restrictAtom(
  pc: PrincipalClass,
  owner: string | undefined,
  principalAccount: string | undefined,
  flag: FlagValue,
  isPublic: Tri,
): Atom | undefined {
  if (pc === 'service') return undefined;
  const outside: Tri =
    pc === 'anonymous'
      ? T
      : owner === undefined || principalAccount === undefined
        ? U
        : tri(owner !== principalAccount);
  if (outside === F) return undefined;
  const v = not(and(flag.value, isPublic, outside));
  if (v === T) return undefined;
  return {
    layer: 'block-public-access',
    value: v,
    kind: 'block',
    granting: false,
    facts: { flag: 'RestrictPublicBuckets', level: flag.levels[0], blocked: 'public-policy-grant' },
  };
}
