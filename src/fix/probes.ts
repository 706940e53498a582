// Blast radius: a probe set of neighbouring requests, evaluated before and after a patch.
//
// Probes: the caller's other S3 actions on the same resource (from iam-data's S3 action list),
// sibling keys, the parent prefix's other keys, a key at the bucket root, the bucket ARN, another
// bucket, another role in the account, a principal in another account (given worst-case identity
// permissions, so only the resource side decides), anonymous; and for KMS patches, other KMS actions
// and callers on the key, through S3 and directly.

import { evaluateRequest } from '../authz/index.js';
import { actionMatches, resourceMatches } from '../iam/index.js';
import type { BlastRadius, PolicyPatch } from '../model/cause.js';
import type { BucketEvidence, Evidence } from '../model/evidence.js';
import type { PolicyDocument, PolicyStatement } from '../model/policy.js';
import type { AuthzRequest, ContextValue, Principal, S3Request } from '../model/request.js';
import {
  accountOfArn,
  bucketArnOf,
  objectArnOf,
  partitionOf,
  principalAccountId,
  principalLabel,
  regionOf,
  resourcePrincipalArn,
  s3ArnParts,
} from './resources.js';
import { POLICY_TARGETS } from './least-privilege.js';
import { s3ActionsFor } from './s3-actions.js';
import { canonicalJson, statementsOf, toList } from './statements.js';

/** One probe: a single-authorization request and how to label it. */
export interface Probe {
  request: S3Request;
  label: { principal: string; action: string; resource: string; note?: string };
}

/** A probe set and the evidence fixtures (probe principals, buckets, objects) it needs. */
export interface ProbePlan {
  probes: Probe[];
  /** Adds the probe fixtures to a copy of the evidence (before any patch is applied). */
  withFixtures(evidence: Evidence): Evidence;
}

const PROBE = 's3doctor-probe';

/** Context keys that describe the caller (replaced for other principals). */
const PRINCIPAL_KEY =
  /^aws:(principal|userid$|username$|multifactor|tokenissuetime|sourceidentity|federatedprovider)/i;

/** S3 keys that do not depend on the action (kept for neighbouring actions). */
const GENERIC_S3_KEYS = new Set([
  's3:tlsversion',
  's3:signatureversion',
  's3:authtype',
  's3:signatureage',
  's3:x-amz-content-sha256',
  's3:resourceaccount',
  's3:dataaccesspointarn',
  's3:dataaccesspointaccount',
  's3:accesspointnetworkorigin',
]);

/** KMS actions probed on a key, beyond the ones granted. */
const KMS_NEIGHBOURS = [
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:Encrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
];

function genericContext(
  ctx: Record<string, ContextValue>,
  keepAction: boolean,
): Record<string, ContextValue> {
  const out: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries(ctx)) {
    const lk = k.toLowerCase();
    if (lk.startsWith('aws:') || keepAction || GENERIC_S3_KEYS.has(lk)) out[k] = v;
  }
  return out;
}

function contextFor(
  p: Principal,
  base: Record<string, ContextValue>,
  original: Principal,
): Record<string, ContextValue> {
  if (p === original) return { ...base };
  const out: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries(base)) if (!PRINCIPAL_KEY.test(k)) out[k] = v;
  if (p.kind === 'anonymous') {
    out['aws:PrincipalType'] = 'Anonymous';
    out['aws:userid'] = 'anonymous';
  } else if (p.kind === 'role-session') {
    out['aws:PrincipalArn'] = p.roleArn;
    out['aws:PrincipalAccount'] = p.accountId;
    out['aws:PrincipalType'] = 'AssumedRole';
    out['aws:userid'] = `AROAS3DOCTORPROBE:${p.sessionName}`;
  }
  return out;
}

function roleSession(
  account: string,
  name: string,
  partition: string,
): Extract<Principal, { kind: 'role-session' }> {
  return {
    kind: 'role-session',
    arn: `arn:${partition}:sts::${account}:assumed-role/${name}/probe`,
    roleArn: `arn:${partition}:iam::${account}:role/${name}`,
    rolePathKnown: true,
    roleName: name,
    sessionName: 'probe',
    accountId: account,
  };
}

function pickForeignAccount(evidence: Evidence, taken: (string | undefined)[]): string {
  for (let n = 999999999999; ; n--) {
    const a = String(n);
    if (!evidence.accounts[a] && !taken.includes(a)) return a;
  }
}

function otherBucketName(bucket: string): string {
  const name = `${bucket}-${PROBE}`;
  return name.length <= 63 ? name : `${PROBE}-other-bucket`;
}

/** Keys near `key`: a sibling, the parent prefix's other key, a key at the root. */
function nearbyKeys(key: string): string[] {
  const dir = key.includes('/') ? key.slice(0, key.lastIndexOf('/') + 1) : '';
  const out = [`${dir}${PROBE}-sibling`];
  if (dir) {
    const trimmed = dir.slice(0, -1);
    const parent = trimmed.includes('/') ? trimmed.slice(0, trimmed.lastIndexOf('/') + 1) : '';
    out.push(`${parent}${PROBE}-other`);
    if (parent) out.push(`${PROBE}-root`);
  }
  return out;
}

/** The KMS keys a set of patches touches: key policies, and key ARNs granted in statements. */
function kmsKeysOf(patches: PolicyPatch[]): string[] {
  const keys = new Set<string>();
  for (const p of patches) {
    if (p.target.type === 'kms-key-policy') keys.add(p.target.id);
    const after = p.after as { Statement?: unknown };
    if (!after || !('Statement' in after)) continue;
    for (const st of statementsOf(p.after as never))
      for (const r of toList(st.Resource)) if (/^arn:[\w-]+:kms:[^:]*:\d{12}:key\//.test(r)) keys.add(r);
  }
  return [...keys];
}

/** Builds the probe plan for a request and the patches of one fix. */
export function planProbes(req: S3Request, evidence: Evidence, patches: PolicyPatch[]): ProbePlan {
  const original = req.principal;
  const partition = partitionOf(req.authorizations[0]?.resource);
  const bucket = req.s3.bucket;
  const bucketEv: BucketEvidence | undefined = bucket ? evidence.buckets[bucket] : undefined;
  const homeAccount = principalAccountId(original) ?? bucketEv?.accountId ?? '111111111111';
  const other = roleSession(homeAccount, `${PROBE}-other-role`, partition);
  // A role in the caller's account whose own identity policies allow everything: shows grants that
  // name the whole account (which delegate to IAM) on resources in other accounts.
  const peer = roleSession(homeAccount, `${PROBE}-peer-role`, partition);
  const foreignAccount = pickForeignAccount(evidence, [homeAccount, bucketEv?.accountId]);
  const foreign = roleSession(foreignAccount, `${PROBE}-external-role`, partition);
  const anonymous: Principal = { kind: 'anonymous' };
  const probes: Probe[] = [];
  const exclude = new Set(
    req.authorizations.map((a) => `${principalLabel(original)}|${a.action}|${a.resource}`),
  );
  const seen = new Set<string>();
  const fixtureObjects: { bucket: string; key: string; like?: string }[] = [];
  let otherBucket: string | undefined;

  const add = (
    p: Principal,
    action: string,
    resource: string,
    base: AuthzRequest,
    note?: string,
    extraCtx?: Record<string, ContextValue>,
    kms = false,
  ) => {
    const label = { principal: principalLabel(p), action, resource, ...(note ? { note } : {}) };
    const id = `${label.principal}|${action}|${resource}|${note ?? ''}`;
    if (seen.has(id) || (!note && exclude.has(`${label.principal}|${action}|${resource}`))) return;
    seen.add(id);
    const sameAction = action === base.action;
    let ctx = contextFor(p, genericContext(base.context, sameAction), original);
    if (kms)
      ctx = Object.fromEntries(Object.entries(ctx).filter(([k]) => k.toLowerCase().startsWith('aws:')));
    if (extraCtx) Object.assign(ctx, extraCtx);
    const parts = s3ArnParts(resource);
    const authz: AuthzRequest = {
      principal: p,
      action,
      resource,
      ...(base.resourceAccount && !kms ? { resourceAccount: base.resourceAccount } : {}),
      context: ctx,
      unknownKeys: base.unknownKeys.filter(
        (k) => k.toLowerCase().startsWith('aws:') && !(p !== original && PRINCIPAL_KEY.test(k)),
      ),
      need: 'required',
      purpose: 'blast-radius probe',
    };
    if (parts?.kind === 'access-point-object' || parts?.kind === 'access-point') {
      // The bucket policy is evaluated against the bucket/object behind the access point.
      const apBucket = evidence.accessPoints[parts.arn]?.bucket;
      if (apBucket)
        authz.underlyingResource =
          parts.kind === 'access-point-object'
            ? objectArnOf(apBucket, parts.key, partition)
            : bucketArnOf(apBucket, partition);
    }
    if (kms && accountOfArn(resource)) authz.resourceAccount = accountOfArn(resource) as string;
    const s3 = kms
      ? { operation: action.split(':')[1] ?? action, dataAccess: 'none' as const }
      : {
          operation: action.split(':')[1] ?? action,
          ...(parts?.kind === 'bucket' || parts?.kind === 'object'
            ? { bucket: parts.bucket }
            : bucket
              ? { bucket }
              : {}),
          ...(parts?.kind === 'object' || parts?.kind === 'access-point-object' ? { key: parts.key } : {}),
          ...(parts?.kind === 'access-point' || parts?.kind === 'access-point-object'
            ? { accessPointArn: parts.arn }
            : {}),
          ...(req.s3.requestPayerSent !== undefined ? { requestPayerSent: req.s3.requestPayerSent } : {}),
          aclHeader: null,
          dataAccess: 'none' as const,
        };
    probes.push({
      request: { principal: p, authorizations: [authz], s3, unknownKeys: [...authz.unknownKeys] },
      label,
    });
  };

  for (const base of req.authorizations.filter((a) => a.action.toLowerCase().startsWith('s3:'))) {
    const parts = s3ArnParts(base.resource);
    if (!parts) continue;
    const originals = [base.action];
    // 1. The caller's neighbouring actions on the same resource.
    const kind =
      parts.kind === 'access-point-object'
        ? 'accesspointobject'
        : parts.kind === 'access-point'
          ? 'accesspoint'
          : parts.kind;
    for (const a of s3ActionsFor(kind)) add(original, a, base.resource, base);
    if (parts.kind === 'object') {
      // 2. Other keys in the bucket, and the same key in another bucket.
      for (const k of nearbyKeys(parts.key)) {
        fixtureObjects.push({ bucket: parts.bucket, key: k, like: parts.key });
        for (const a of originals) add(original, a, objectArnOf(parts.bucket, k, partition), base);
      }
      otherBucket = otherBucketName(parts.bucket);
      fixtureObjects.push({ bucket: otherBucket, key: parts.key, like: parts.key });
      for (const a of originals) add(original, a, objectArnOf(otherBucket, parts.key, partition), base);
      // 3. The bucket itself.
      for (const a of s3ActionsFor('bucket')) add(original, a, bucketArnOf(parts.bucket, partition), base);
    }
    if (parts.kind === 'access-point-object') {
      const dir = parts.key.includes('/') ? parts.key.slice(0, parts.key.lastIndexOf('/') + 1) : '';
      for (const a of originals) add(original, a, `${parts.arn}/object/${dir}${PROBE}-sibling`, base);
      for (const a of s3ActionsFor('accesspoint')) add(original, a, parts.arn, base);
      const apBucket = evidence.accessPoints[parts.arn]?.bucket;
      if (apBucket) {
        const direct = Object.fromEntries(
          Object.entries(base.context).filter(([k]) => !/^s3:(dataaccesspoint|accesspoint)/i.test(k)),
        );
        for (const a of originals)
          add(
            original,
            a,
            objectArnOf(apBucket, parts.key, partition),
            { ...base, context: direct },
            'directly, not through the access point',
          );
      }
    }
    if (parts.kind === 'bucket') {
      otherBucket = otherBucketName(parts.bucket);
      for (const a of originals) add(original, a, bucketArnOf(otherBucket, partition), base);
    }
    // 4. Other principals on the same resource (and a sibling key).
    for (const p of [other, peer, foreign, anonymous]) {
      for (const a of originals) {
        add(p, a, base.resource, base);
        if (parts.kind === 'object')
          add(p, a, objectArnOf(parts.bucket, nearbyKeys(parts.key)[0] as string, partition), base);
      }
    }
  }

  // 5. KMS keys the fix touches.
  const granted = new Set<string>();
  for (const p of patches)
    for (const st of p.after && 'Statement' in (p.after as object) ? statementsOf(p.after as never) : [])
      if (st.Effect === 'Allow') for (const a of toList(st.Action)) granted.add(a.toLowerCase());
  for (const keyArn of kmsKeysOf(patches)) {
    const region = regionOf(keyArn) ?? 'us-east-1';
    const base: AuthzRequest = req.authorizations[0] ?? {
      principal: original,
      action: 'kms:Decrypt',
      resource: keyArn,
      context: {},
      unknownKeys: [],
      need: 'required',
    };
    const via = (p: Principal) => ({
      'kms:ViaService': `s3.${region}.amazonaws.com`,
      ...(principalAccountId(p) ? { 'kms:CallerAccount': principalAccountId(p) as string } : {}),
    });
    const direct = (p: Principal): Record<string, ContextValue> => {
      const acct = principalAccountId(p);
      return acct ? { 'kms:CallerAccount': acct } : {};
    };
    for (const a of KMS_NEIGHBOURS) {
      // The caller's own intended KMS actions through S3 are the fix itself, not its blast radius.
      if (!granted.has(a.toLowerCase())) add(original, a, keyArn, base, 'through S3', via(original), true);
      add(original, a, keyArn, base, 'direct call, not through S3', direct(original), true);
    }
    for (const p of [other, peer, foreign])
      for (const a of KMS_NEIGHBOURS.slice(0, 2)) {
        add(p, a, keyArn, base, 'through S3', via(p), true);
        add(p, a, keyArn, base, 'direct call, not through S3', direct(p), true);
      }
  }

  const withFixtures = (ev0: Evidence): Evidence => {
    // A copy of the maps the fixtures go into; the rest is shared with `ev0`, which stays as it was.
    const ev: Evidence = {
      ...ev0,
      principals: { ...ev0.principals },
      sessions: { ...ev0.sessions },
      accounts: { ...ev0.accounts },
      buckets: { ...ev0.buckets },
    };
    const otherRoleArn = resourcePrincipalArn(other) as string;
    ev.principals[otherRoleArn] ??= { policies: [], permissionsBoundary: null, tags: {} };
    ev.sessions[other.arn] ??= { sessionPolicy: null };
    for (const p of [foreign, peer]) {
      ev.principals[p.roleArn] ??= {
        policies: [
          {
            name: `${PROBE}-worst-case`,
            kind: 'inline',
            // Such a principal's own identity side is not ours to know: assume it allows, so only
            // the resource-side documents decide whether the probe gets in.
            document: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: ['s3:*', 'kms:*'], Resource: '*' }],
            },
          },
        ],
        permissionsBoundary: null,
      };
      ev.sessions[p.arn] ??= { sessionPolicy: null };
    }
    ev.accounts[foreignAccount] ??= {
      organizationId: null,
      serviceControlPolicies: null,
      resourceControlPolicies: null,
      publicAccessBlock: null,
    };
    if (otherBucket && bucketEv && !ev.buckets[otherBucket]) {
      const { policy: _p, objects: _o, ...rest } = structuredClone(bucketEv);
      ev.buckets[otherBucket] = { ...rest, policy: null, objects: {} };
    }
    const copied = new Set<string>();
    for (const f of fixtureObjects) {
      let b = ev.buckets[f.bucket];
      if (!b) continue;
      const like = f.like !== undefined && bucket ? evidence.buckets[bucket]?.objects?.[f.like] : undefined;
      if (b.objects?.[f.key] || !like) continue;
      if (!copied.has(f.bucket)) {
        b = ev.buckets[f.bucket] = { ...b, objects: { ...b.objects } };
        copied.add(f.bucket);
      }
      b.objects![f.key] = structuredClone(like);
    }
    return ev;
  };
  return { probes, withFixtures };
}

/**
 * The statements a set of patches adds, changes or removes, or `undefined` when a patch is not a
 * policy document (configuration changes can affect any probe).
 */
function changedStatements(patches: PolicyPatch[]): PolicyStatement[] | undefined {
  const out: PolicyStatement[] = [];
  for (const p of patches) {
    if (!POLICY_TARGETS.has(p.target.type)) return undefined;
    const before = p.before && 'Statement' in p.before ? statementsOf(p.before as PolicyDocument) : [];
    const after = 'Statement' in p.after ? statementsOf(p.after as PolicyDocument) : [];
    // A change outside the statements (Version decides policy variables) can reach any probe.
    const version = (d: unknown) =>
      d && typeof d === 'object' ? (d as { Version?: string }).Version : undefined;
    if (p.before && version(p.before) !== version(p.after)) return undefined;
    const b = new Set(before.map(canonicalJson));
    const a = new Set(after.map(canonicalJson));
    out.push(
      ...after.filter((st) => !b.has(canonicalJson(st))),
      ...before.filter((st) => !a.has(canonicalJson(st))),
    );
  }
  return out;
}

/**
 * Whether any changed statement could apply to the probe (by action and resource). A probe no changed
 * statement can reach evaluates the same before and after, so it need not be evaluated twice.
 */
function reachable(probe: Probe, changed: PolicyStatement[]): boolean {
  const az = probe.request.authorizations[0];
  if (!az) return false;
  const targets = [az.resource, ...(az.underlyingResource ? [az.underlyingResource] : [])];
  return changed.some((st) => {
    const actionOk = st.NotAction !== undefined || toList(st.Action).some((p) => actionMatches(p, az.action));
    if (!actionOk) return false;
    if (st.NotResource !== undefined || st.Resource === undefined) return true;
    return toList(st.Resource).some(
      (p) => p === '*' || p.includes('${') || targets.some((r) => resourceMatches(p, r)),
    );
  });
}

/**
 * Evaluates the probe set against the evidence before and after the patches and lists what the
 * patches newly allow (denied before, `Allowed` after). `after` must already contain the patches;
 * both get the probe fixtures here. With `patches` given, probes no changed statement can reach are
 * counted without being evaluated (their decision cannot change).
 */
export function measureBlastRadius(
  plan: ProbePlan,
  before: Evidence,
  after: Evidence,
  patches?: PolicyPatch[],
): BlastRadius {
  const b = plan.withFixtures(before);
  const a = plan.withFixtures(after);
  const newlyAllowed: BlastRadius['newlyAllowed'] = [];
  const changed = patches ? changedStatements(patches) : undefined;
  let probes = 0;
  for (const probe of plan.probes) {
    if (changed && !reachable(probe, changed)) {
      probes++;
      continue;
    }
    let was: string;
    let now: string;
    try {
      was = evaluateRequest(probe.request, b).decision;
      now = evaluateRequest(probe.request, a).decision;
    } catch {
      continue;
    }
    probes++;
    if (was !== 'Allowed' && now === 'Allowed') newlyAllowed.push({ ...probe.label });
  }
  return { probes, newlyAllowed };
}
