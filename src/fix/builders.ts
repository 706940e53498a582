// Least-privilege patch builders: pure functions from evidence and the denied action/resource to a Fix draft.
//
// General rules (https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html): exactly the denied action(s) on exactly the resource ARN(s), existing
// conditions kept, added to the policy that should hold them; never `*`, `s3:*`, `kms:*` or Not* allows.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege

import type { Fix, PolicyPatch } from '../model/cause.js';
import type { AttachedPolicy, Evidence, PublicAccessBlock } from '../model/evidence.js';
import type { PolicyDocument, PolicyRef, PolicyStatement } from '../model/policy.js';
import type { Principal } from '../model/request.js';
import { clientAdviceForDeny, orgAdminAdvice } from './advice.js';
import { assertLeastPrivilege, GUARD_RAIL_KEYS } from './least-privilege.js';
import {
  accountOfArn,
  bucketArnOf,
  FixError,
  identityOwnerArn,
  objectArnOf,
  partitionOf,
  principalAccountId,
  principalElementFor,
  principalLabel,
  regionOf,
  resourcePrincipalArn,
  s3ArnParts,
  slug,
} from './resources.js';
import {
  addGrant,
  canonicalJson,
  type ConditionBlock,
  type GrantResult,
  statementsOf,
  toList,
} from './statements.js';

/** Options of `addIdentityStatement`. */
export interface IdentityStatementOptions {
  /** Conditions the new statement keeps (e.g. `s3:prefix` for ListBucket, or the denied statement's own). */
  conditions?: ConditionBlock;
  /** Inline policy name; default `s3doctor-<short name of the first resource>`. */
  policyName?: string;
  /** Statement id; default `S3doctor<Actions>`. */
  sid?: string;
}

/** Runs the least-privilege gate on every patch of a fix and returns it. */
function checked(fix: Fix): Fix {
  for (const p of [fix.patch, ...(fix.additionalPatches ?? [])]) if (p) assertLeastPrivilege(p);
  return fix;
}

function list(xs: string[]): string {
  return xs.join(', ');
}

/** A short name for an inline policy, from the resource it grants. */
function defaultPolicyName(resources: string[]): string {
  const r = resources[0] ?? '';
  const parts = s3ArnParts(r);
  if (parts) {
    const name = parts.kind === 'bucket' || parts.kind === 'object' ? parts.bucket : parts.name;
    return `s3doctor-${slug(name)}`;
  }
  if (/:kms:/.test(r))
    return `s3doctor-kms-${slug((r.split('/').pop() ?? 'key').split('-')[0] ?? 'key', 20)}`;
  return `s3doctor-${slug(r.split(':').pop() ?? 'access')}`;
}

/**
 * Adds an Allow of exactly `actions` on exactly `resources` to the principal's inline policy (the
 * role's for role sessions). An existing `s3doctor-*` inline policy is extended (an existing
 * statement with the same resources and conditions gets the actions); otherwise a new inline
 * policy `s3doctor-<short>` is created. Target: `{ type: 'identity-policy', id: <user/role ARN>, name }`.
 * Throws `FixError` for principals without identity policies (anonymous, root, services, federated users).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-attach-detach.html
 */
export function addIdentityStatement(
  evidence: Evidence,
  principal: Principal,
  actions: string[],
  resources: string[],
  opts: IdentityStatementOptions = {},
): Fix {
  const owner = identityOwnerArn(principal, evidence);
  if (!owner)
    throw new FixError(
      `${principalLabel(principal)} has no identity policy to extend; grant it on the resource.`,
    );
  if (actions.length === 0 || resources.length === 0) throw new FixError('No action or resource to grant.');
  const policies = evidence.principals[owner]?.policies;
  const wantedName = opts.policyName ?? defaultPolicyName(resources);
  const grant = { actions, resources, sid: opts.sid, conditions: opts.conditions };
  let patch: PolicyPatch;
  let how: GrantResult['how'];
  if (policies === undefined) {
    const r = addGrant(null, grant);
    how = r.how;
    patch = {
      target: { type: 'identity-policy', id: owner, name: wantedName },
      before: null,
      after: r.document,
      beforeUnknown: true,
    };
  } else {
    const ours = policies.filter((p) => p.kind === 'inline' && p.name.startsWith('s3doctor-'));
    // Prefer the inline policy that already has a statement on the same resources, then the named one.
    const sameResources = (p: AttachedPolicy) =>
      statementsOf(p.document).some(
        (s) => s.Effect === 'Allow' && toList(s.Resource).length > 0 && sameResourceSet(s, resources),
      );
    const existing =
      ours.find(sameResources) ??
      ours.find((p) => p.name === wantedName) ??
      (opts.policyName ? undefined : ours[0]);
    const before = existing ? existing.document : null;
    const r = addGrant(before, grant);
    how = r.how;
    patch = {
      target: { type: 'identity-policy', id: owner, name: existing?.name ?? wantedName },
      before: before ? structuredClone(before) : null,
      after: r.document,
    };
  }
  const kind = /:role\//.test(owner) ? 'role' : 'user';
  const sizeNote = inlineSizeNote(policies, patch, kind);
  const verb = how === 'extended' ? 'Extend' : how === 'new-document' ? 'Create' : 'Add to';
  return checked({
    kind: 'policy-patch',
    summary:
      `${verb} inline policy ${patch.target.name} of ${kind} ${owner}: allow ${list(actions)} on ${list(resources)}` +
      (patch.beforeUnknown
        ? ' (its current identity policies are not in the evidence: merge by hand).'
        : '.') +
      sizeNote,
    patch,
  });
}

/**
 * IAM's limits on the aggregate size of a principal's inline policies, whitespace not counted.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
const INLINE_LIMIT = { role: 10240, user: 2048 } as const;

/** A warning when the principal's inline policies would exceed IAM's size limit after the patch. */
function inlineSizeNote(
  policies: AttachedPolicy[] | undefined,
  patch: PolicyPatch,
  kind: 'role' | 'user',
): string {
  if (!policies) return '';
  const size = (d: unknown) => JSON.stringify(d).replace(/\s+/g, '').length;
  const others = policies.filter((p) => p.kind === 'inline' && p.name !== patch.target.name);
  const total = others.reduce((n, p) => n + size(p.document), 0) + size(patch.after);
  const limit = INLINE_LIMIT[kind];
  return total > limit
    ? ` Note: the ${kind}'s inline policies would total ${total} characters, over IAM's ${limit}; put this statement in a customer managed policy instead.`
    : '';
}

function sameResourceSet(s: PolicyStatement, resources: string[]): boolean {
  const have = new Set(toList(s.Resource));
  return have.size === new Set(resources).size && resources.every((r) => have.has(r));
}

/** Options of `addResourceStatement`. */
export interface ResourceStatementOptions {
  conditions?: ConditionBlock;
  sid?: string;
  /** Force (true) or suppress (false) the bucket-side delegation statement for access-point grants; default: when needed. */
  delegate?: boolean;
}

/** The bucket-policy resource behind an access-point resource (`accesspoint/ap/object/k` -> `bucket/k`). */
function bucketResourceFor(apResource: string, bucket: string, partition: string): string {
  const p = s3ArnParts(apResource);
  if (p?.kind === 'access-point-object') return objectArnOf(bucket, p.key, partition);
  return bucketArnOf(bucket, partition);
}

/** Whether a bucket policy already lets requests through this access point (delegation or a grant by AP). */
function bucketDelegates(doc: PolicyDocument | null | undefined, apArn: string, apAccount: string): boolean {
  return statementsOf(doc).some((s) => {
    if (s.Effect !== 'Allow') return false;
    for (const keys of Object.values(s.Condition ?? {})) {
      for (const [k, v] of Object.entries(keys)) {
        const key = k.toLowerCase();
        const vals = toList(v).map(String);
        if (key === 's3:dataaccesspointaccount' && vals.includes(apAccount)) return true;
        if (key === 's3:dataaccesspointarn' && vals.some((x) => x === apArn || x.endsWith(':accesspoint/*')))
          return true;
      }
    }
    return false;
  });
}

/**
 * Adds an Allow naming exactly this principal (the role ARN for sessions; never `*`) for exactly
 * `actions` on `resources` to the bucket policy (`bucketOrAccessPoint` = bucket name) or to the
 * access point policy (`bucketOrAccessPoint` = access point ARN; `resources` then are access point
 * ARNs). Through an access point, when the bucket policy does not delegate to access points and the
 * caller is in another account than the bucket (or `delegate: true`), an `additionalPatches` entry
 * adds a narrow delegation statement to the bucket policy: same principal and actions on the
 * bucket's own ARNs, `StringEquals s3:DataAccessPointAccount`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
 */
export function addResourceStatement(
  evidence: Evidence,
  bucketOrAccessPoint: string,
  principal: Principal,
  actions: string[],
  resources: string[],
  opts: ResourceStatementOptions = {},
): Fix {
  if (actions.length === 0 || resources.length === 0) throw new FixError('No action or resource to grant.');
  const principalEl = principalElementFor(principal, evidence);
  const grant = { actions, resources, principal: principalEl, conditions: opts.conditions, sid: opts.sid };
  const who = principalLabel(principal);
  const named = resourcePrincipalArn(principal, evidence) ?? who;
  const ap = s3ArnParts(bucketOrAccessPoint);
  if (ap?.kind === 'access-point' || ap?.kind === 'access-point-object') {
    const apEv = evidence.accessPoints[ap.arn];
    const apPatch = policyPatch('access-point-policy', ap.arn, apEv?.policy, grant);
    const fix: Fix = {
      kind: 'policy-patch',
      summary: `Allow ${named} ${list(actions)} on ${list(resources)} in the policy of access point ${ap.name}${unknownNote(apPatch)}`,
      patch: apPatch,
    };
    const bucket = apEv?.bucket;
    if (bucket) {
      const bucketEv = evidence.buckets[bucket];
      const callerAccount = principalAccountId(principal);
      const needed =
        opts.delegate ??
        // Unknown bucket policy: whether it delegates is unknown too, so the statement is offered to merge.
        (!bucketDelegates(bucketEv?.policy, ap.arn, ap.account) &&
          (callerAccount === undefined || callerAccount !== (bucketEv?.accountId ?? ap.account)));
      if (needed) {
        const partition = partitionOf(ap.arn);
        const bucketPatch = policyPatch('bucket-policy', bucket, bucketEv?.policy, {
          actions,
          resources: resources.map((r) => bucketResourceFor(r, bucket, partition)),
          principal: principalEl,
          conditions: { StringEquals: { 's3:DataAccessPointAccount': ap.account } },
          sid: 'S3doctorDelegateToAccessPoint',
        });
        fix.additionalPatches = [bucketPatch];
        fix.summary += `; let bucket ${bucket} delegate these requests to access points of account ${ap.account}`;
      }
    }
    fix.summary += '.';
    return checked(fix);
  }
  const bucket = bucketOrAccessPoint;
  const patch = policyPatch('bucket-policy', bucket, evidence.buckets[bucket]?.policy, grant);
  return checked({
    kind: 'policy-patch',
    summary: `Allow ${named} ${list(actions)} on ${list(resources)} in the bucket policy of ${bucket}${unknownNote(patch)}.`,
    patch,
  });
}

function unknownNote(p: PolicyPatch): string {
  return p.beforeUnknown ? ' (the current policy is not in the evidence: merge by hand)' : '';
}

/** A patch adding a grant to a resource-side document known (`PolicyDocument`), absent (`null`) or unknown (`undefined`). */
function policyPatch(
  type:
    | 'bucket-policy'
    | 'access-point-policy'
    | 'kms-key-policy'
    | 'vpc-endpoint-policy'
    | 'permissions-boundary'
    | 'session-policy',
  id: string,
  current: PolicyDocument | null | undefined,
  grant: Parameters<typeof addGrant>[1],
): PolicyPatch {
  const r = addGrant(current ?? null, grant);
  const patch: PolicyPatch = {
    target: { type, id },
    before: current ? structuredClone(current) : null,
    after: r.document,
  };
  if (current === undefined) patch.beforeUnknown = true;
  return patch;
}

/** Options of `addKeyPolicyStatement`. */
export interface KeyPolicyOptions {
  /** Pin the statement to use through S3 with `kms:ViaService` (default true). */
  viaService?: boolean;
  /** The bucket's region for `kms:ViaService`; default the key's region. */
  region?: string;
  /** Also add the identity-side grant on the key ARN: `auto` (default) = when the caller is in another account. */
  identitySide?: 'auto' | 'always' | 'never';
}

/**
 * Adds a key policy statement naming the principal (role ARN for sessions) for exactly `kmsActions`
 * with `StringEquals kms:ViaService s3.<region>.amazonaws.com` and `Resource: "*"` (in a key policy
 * `*` means this key: the documented form), plus, cross-account, the identity-side grant of the same
 * actions on the key ARN (both sides must allow). Throws `FixError` for AWS managed keys (`aws/s3`
 * cannot be edited or shared).
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function addKeyPolicyStatement(
  evidence: Evidence,
  keyArn: string,
  principal: Principal,
  kmsActions: string[],
  opts: KeyPolicyOptions = {},
): Fix {
  if (kmsActions.length === 0) throw new FixError('No KMS action to grant.');
  const key = evidence.kmsKeys[keyArn];
  if (key?.keyManager === 'AWS')
    throw new FixError(
      `Key ${keyArn} is AWS managed: its key policy cannot be changed. Re-encrypt with a customer managed key.`,
    );
  const region = opts.region ?? regionOf(keyArn);
  const conditions: ConditionBlock | undefined =
    opts.viaService === false || !region
      ? undefined
      : { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } };
  const patch = policyPatch('kms-key-policy', keyArn, key?.policy, {
    actions: kmsActions,
    resources: ['*'],
    principal: principalElementFor(principal, evidence),
    conditions,
    sid: undefined,
  });
  const named = resourcePrincipalArn(principal, evidence) ?? principalLabel(principal);
  const fix: Fix = {
    kind: 'policy-patch',
    summary: `Allow ${named} ${list(kmsActions)} on key ${keyArn} in its key policy${conditions ? `, only through S3 in ${region}` : ''}${unknownNote(patch)}`,
    patch,
  };
  const keyAccount = key?.accountId ?? accountOfArn(keyArn);
  const callerAccount = principalAccountId(principal);
  const identitySide = opts.identitySide ?? 'auto';
  const wantIdentity =
    identitySide === 'always' ||
    (identitySide === 'auto' && callerAccount !== undefined && callerAccount !== keyAccount);
  if (wantIdentity && identityOwnerArn(principal, evidence)) {
    const id = addIdentityStatement(evidence, principal, kmsActions, [keyArn]);
    if (id.patch) fix.additionalPatches = [id.patch];
    fix.summary += `; and in the identity policy of ${id.patch?.target.id}, ${list(kmsActions)} on the key ARN`;
  }
  fix.summary += '.';
  return checked(fix);
}

/**
 * Exempts one principal from an unintended Deny by adding `ArnNotEquals aws:PrincipalArn <arn>`
 * (or appending to an existing `aws:PrincipalArn` exemption). Only for Deny statements in bucket,
 * access point and identity policies; guard-rails are never edited: SCP/RCP denies get advice for
 * the organization's administrators, TLS (`aws:SecureTransport`, `s3:TlsVersion`) and VPC endpoint
 * (`aws:SourceVpce`, `aws:SourceVpc`) conditions and VPC endpoint policies get client-change advice.
 * `policyRef.id` for identity policies: the user/role ARN (inline, with `name`) or the managed policy ARN.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export function exemptPrincipalFromDeny(
  policyRef: PolicyRef,
  doc: PolicyDocument,
  statementIndex: number,
  principalArn: string,
  opts: ExemptOptions = {},
): Fix {
  const statements = toList(doc.Statement);
  const st = statements[statementIndex];
  if (!st || st.Effect !== 'Deny')
    throw new FixError(`Statement ${statementIndex} of ${policyRef.type} ${policyRef.id} is not a Deny.`);
  if (policyRef.type === 'scp' || policyRef.type === 'rcp') return orgAdminAdvice(policyRef, st);
  const conditionKeys = Object.values(st.Condition ?? {}).flatMap((keys) =>
    Object.keys(keys).map((k) => k.toLowerCase()),
  );
  const guardKey = conditionKeys.find((k) => GUARD_RAIL_KEYS.includes(k));
  if (guardKey || policyRef.type === 'vpc-endpoint-policy')
    return clientAdviceForDeny(policyRef, st, guardKey);
  if (!['bucket-policy', 'access-point-policy', 'identity-policy'].includes(policyRef.type))
    return clientAdviceForDeny(policyRef, st, undefined);
  if (/[*?]/.test(principalArn) || !principalArn.startsWith('arn:'))
    throw new FixError(`Exemptions name one exact principal ARN, not ${principalArn}.`);
  const after = structuredClone(doc);
  const list2 = toList(after.Statement);
  after.Statement = Array.isArray(doc.Statement) ? list2 : (list2[0] as PolicyStatement);
  const target = list2[statementIndex] as PolicyStatement;
  const cond = (target.Condition ??= {});
  let added = false;
  for (const op of ['ArnNotEquals', 'ArnNotLike']) {
    const block = cond[op];
    const k = block && Object.keys(block).find((x) => x.toLowerCase() === 'aws:principalarn');
    if (block && k) {
      const vals = toList(block[k]);
      if (!vals.includes(principalArn)) block[k] = [...vals, principalArn];
      added = true;
      break;
    }
  }
  if (!added) cond.ArnNotEquals = { ...(cond.ArnNotEquals ?? {}), 'aws:PrincipalArn': principalArn };
  const label = st.Sid ? `${st.Sid} (statement ${statementIndex})` : `statement ${statementIndex}`;
  const group =
    policyRef.type === 'identity-policy' ? inlineGroupOf(opts.evidence, policyRef, doc) : undefined;
  const where = group
    ? `inline policy ${policyRef.name ?? policyRef.id} of group ${group} (it applies to every member)`
    : `${policyRef.type} ${policyRef.name ?? policyRef.id}`;
  return checked({
    kind: 'policy-patch',
    summary: `Exempt ${principalArn} from Deny ${label} of ${where} with an ArnNotEquals aws:PrincipalArn condition (only if that Deny was not meant for it).`,
    patch: {
      target: {
        type: policyRef.type,
        id: policyRef.id,
        ...(policyRef.name ? { name: policyRef.name } : {}),
        ...(group ? { group } : {}),
      },
      before: structuredClone(doc),
      after,
    },
  });
}

/** Options of `exemptPrincipalFromDeny`. */
export interface ExemptOptions {
  /** The evidence the Deny was found in: tells a group's inline policy from the principal's own. */
  evidence?: Evidence;
}

/**
 * The group whose inline policy `ref` (an identity-policy reference: member ARN + policy name) is,
 * when the evidence shows it as a group inline policy; the principal's own inline policy of that
 * name, or one whose document differs from `doc`, is not.
 */
export function inlineGroupOf(
  evidence: Evidence | undefined,
  ref: PolicyRef,
  doc: PolicyDocument,
): string | undefined {
  if (!evidence || ref.type !== 'identity-policy' || ref.name === undefined) return undefined;
  const named = (evidence.principals[ref.id]?.policies ?? []).filter(
    (p) => p.name === ref.name && (p.kind === 'inline' || p.kind === 'group-inline'),
  );
  const want = canonicalJson(doc);
  const same = named.filter((p) => p.document === doc || canonicalJson(p.document) === want);
  const hit = (same.length > 0 ? same : named)[0];
  return hit?.kind === 'group-inline' ? hit.group : undefined;
}

/**
 * Adds an Allow for exactly this principal, `actions` and `resources` to a VPC endpoint's custom
 * policy. Throws `FixError` when the endpoint has the default full-access policy (`null`): nothing
 * is missing there, and a new custom policy would cut everyone else off.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 */
export function vpcEndpointPolicyAllow(
  evidence: Evidence,
  vpceId: string,
  principal: Principal,
  actions: string[],
  resources: string[],
): Fix {
  const current = evidence.vpcEndpoints[vpceId]?.policy;
  if (current === null)
    throw new FixError(
      `VPC endpoint ${vpceId} has the default full-access policy; it does not block this request.`,
    );
  const patch = policyPatch('vpc-endpoint-policy', vpceId, current, {
    actions,
    resources,
    principal: principalElementFor(principal, evidence),
  });
  const named = resourcePrincipalArn(principal, evidence) ?? principalLabel(principal);
  return checked({
    kind: 'policy-patch',
    summary: `Allow ${named} ${list(actions)} on ${list(resources)} in the policy of VPC endpoint ${vpceId}${unknownNote(patch)}.`,
    patch,
  });
}

/** Options for the identity-like documents (boundary, session policy). */
export interface ScopedStatementOptions {
  conditions?: ConditionBlock;
}

/**
 * Adds exactly `actions` on `resources` to the principal's permissions boundary (a managed policy
 * usually owned by a platform team: the summary says so).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export function addBoundaryStatement(
  evidence: Evidence,
  principal: Principal,
  actions: string[],
  resources: string[],
  opts: ScopedStatementOptions = {},
): Fix {
  const owner = identityOwnerArn(principal, evidence);
  if (!owner) throw new FixError(`${principalLabel(principal)} has no permissions boundary.`);
  const b = evidence.principals[owner]?.permissionsBoundary;
  if (b === null) throw new FixError(`${owner} has no permissions boundary.`);
  if (b === undefined) throw new FixError(`The permissions boundary of ${owner} is not in the evidence.`);
  const patch = policyPatch('permissions-boundary', b.arn, b.document, {
    actions,
    resources,
    conditions: opts.conditions,
  });
  return checked({
    kind: 'policy-patch',
    summary: `Ask the owner of permissions boundary ${b.arn} to allow ${list(actions)} on ${list(resources)} (it applies to every principal that uses it).`,
    patch,
  });
}

/**
 * Adds exactly `actions` on `resources` to the session policy of an assumed-role session; the
 * change takes effect by assuming the role again with the new `--policy`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
 */
export function addSessionPolicyStatement(
  evidence: Evidence,
  principal: Principal,
  actions: string[],
  resources: string[],
  opts: ScopedStatementOptions = {},
): Fix {
  if (principal.kind !== 'role-session' && principal.kind !== 'federated-user')
    throw new FixError(`${principalLabel(principal)} is not a session.`);
  const current = evidence.sessions[principal.arn]?.sessionPolicy;
  if (current === null) throw new FixError(`Session ${principal.arn} has no session policy.`);
  const patch = policyPatch('session-policy', principal.arn, current, {
    actions,
    resources,
    conditions: opts.conditions,
  });
  return checked({
    kind: 'policy-patch',
    summary: `Include ${list(actions)} on ${list(resources)} in the session policy passed when starting session ${principal.arn}${unknownNote(patch)}.`,
    patch,
  });
}

/**
 * Changes Block Public Access at the narrowest level, the bucket (never the account). The summary
 * says it needs explicit confirmation: it makes public grants effective again.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-bucket.html
 */
export function bucketPublicAccessBlockChange(
  evidence: Evidence,
  bucket: string,
  change: Partial<PublicAccessBlock>,
): Fix {
  const current = evidence.buckets[bucket]?.publicAccessBlock;
  if (current === null)
    throw new FixError(`Bucket ${bucket} has no Block Public Access configuration of its own to change.`);
  const flags = Object.keys(change) as (keyof PublicAccessBlock)[];
  if (flags.length === 0) throw new FixError('No Block Public Access flag to change.');
  const base: PublicAccessBlock = current ?? {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  };
  const after: PublicAccessBlock = { ...base, ...change };
  const patch: PolicyPatch = {
    target: { type: 'bucket-public-access-block', id: bucket },
    before: current ? { ...current } : null,
    after: { ...after },
  };
  if (current === undefined) patch.beforeUnknown = true;
  const text = flags.map((f) => `${f}=${String(change[f])}`).join(', ');
  return checked({
    kind: 'config-change',
    summary: `Set ${text} in the Block Public Access settings of bucket ${bucket} only (not the account). Needs explicit confirmation: this lets the bucket's public grants take effect; prefer naming the consuming principals.`,
    patch,
  });
}

/**
 * Sets Object Ownership of a bucket to `BucketOwnerEnforced` (ACLs disabled, the bucket owner owns
 * every object). The summary lists bucket-ACL grants to other accounts that must be removed first
 * (`InvalidBucketAclWithObjectOwnership`).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 */
export function objectOwnershipChange(evidence: Evidence, bucket: string): Fix {
  const b = evidence.buckets[bucket];
  const current = b?.objectOwnership;
  if (current === 'BucketOwnerEnforced')
    throw new FixError(`Bucket ${bucket} already enforces bucket ownership.`);
  const owner = b?.acl?.Owner?.ID ?? b?.ownerCanonicalId;
  const foreign = (b?.acl?.Grants ?? []).filter(
    (g) =>
      (g.Grantee.Type === 'CanonicalUser' && g.Grantee.ID !== owner) || g.Grantee.Type !== 'CanonicalUser',
  );
  const patch: PolicyPatch = {
    target: { type: 'bucket-ownership-controls', id: bucket },
    before: current === undefined ? null : { ObjectOwnership: current ?? 'ObjectWriter' },
    after: { ObjectOwnership: 'BucketOwnerEnforced' },
  };
  if (current === undefined) patch.beforeUnknown = true;
  const pre =
    foreign.length > 0
      ? ` First remove the bucket ACL's grants to others (${foreign.map((g) => g.Grantee.ID ?? g.Grantee.URI ?? g.Grantee.EmailAddress).join(', ')}), or S3 refuses the change.`
      : '';
  return checked({
    kind: 'config-change',
    summary: `Set Object Ownership of bucket ${bucket} to BucketOwnerEnforced: ACLs stop counting and the bucket owner owns every object.${pre}`,
    patch,
  });
}
