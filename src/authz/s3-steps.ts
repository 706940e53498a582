// S3's own checks beyond policies: Block Public Access flags and write-time blocks, ACL-setting under
// BucketOwnerEnforced, access point network origin, Requester Pays, Object Lock, and object state
// (403 instead of 404 without s3:ListBucket, archived objects, disabled buckets).
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (403 vs 404, InvalidObjectState)
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html (AllAccessDisabled)

import type {
  AuthorizationResult,
  AuthzRequest,
  BlockPublicAccessFacts,
  BpaFlagFacts,
  Evidence,
  ObjectOwnershipFacts,
  PublicAccessBlock,
  Tri,
} from '../model/index.js';
import { validatePolicy } from '../iam/index.js';
import { evidencePath } from '../evidence/path.js';
import type { ChainOptions } from './chain.js';
import type { ResolvedPrincipal } from './context.js';
import { ctx, isUnknownKey } from './iam-layers.js';
import type { LayerWork } from './layers.js';
import { work } from './layers.js';
import { memo } from './memo.js';
import { isPublicAclHeader, isPublicPolicy } from './public.js';
import type { S3Target } from './s3-target.js';
import { F, T, U, and, not, or } from './tri.js';

type Flag = keyof PublicAccessBlock;
const FLAGS: Flag[] = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'];

/** One BPA flag's effective value (most restrictive of account, bucket, access point) and where it is on. */
export interface FlagValue {
  value: Tri;
  /** Levels where the flag is on: `account`, `bucket`, `access-point`. */
  levels: string[];
  /** Levels whose configuration is unknown. */
  unknownLevels: string[];
}

/** All four flags, plus facts and the evidence paths that would settle unknown levels. */
export type BpaFlags = Record<Flag, FlagValue> & { facts: Record<Flag, BpaFlagFacts>; missing: string[] };

/** Combines account, bucket and access point Block Public Access settings (the result is frozen). */
export function bpaFlags(t: S3Target, ev: Evidence): BpaFlags {
  const levels: { name: string; path: string; value: PublicAccessBlock | null | undefined }[] = [];
  const acct = t.bucketAccount;
  levels.push({
    name: 'account',
    path: evidencePath('accounts', acct ?? '?', 'publicAccessBlock'),
    value: acct === undefined ? undefined : ev.accounts[acct]?.publicAccessBlock,
  });
  levels.push({
    name: 'bucket',
    path: `${t.bucketPath}.publicAccessBlock`,
    value: t.bucketEv?.publicAccessBlock,
  });
  if (t.apArn) {
    levels.push({
      name: 'access-point',
      path: evidencePath('accessPoints', t.apArn, 'publicAccessBlock'),
      value: t.ap?.publicAccessBlock,
    });
  }
  const out = { facts: {} as Record<Flag, BpaFlagFacts>, missing: [] as string[] } as BpaFlags;
  for (const flag of FLAGS) {
    const on: string[] = [];
    const unknown: string[] = [];
    const vals: Tri[] = levels.map((l) => {
      if (l.value === undefined) {
        unknown.push(l.name);
        return U;
      }
      if (l.value === null || !l.value[flag]) return F;
      on.push(l.name);
      return T;
    });
    out[flag] = { value: or(...vals), levels: on, unknownLevels: unknown };
    out.facts[flag] = {
      effective: or(...vals),
      levels: on,
      ...(unknown.length ? { unknownLevels: unknown } : {}),
    };
  }
  out.missing = levels.filter((l) => l.value === undefined).map((l) => l.path);
  // Shared by every evaluation of the same target and evidence: frozen so no result can edit it.
  for (const flag of FLAGS) {
    Object.freeze(out[flag].levels);
    Object.freeze(out[flag].unknownLevels);
    Object.freeze(out[flag]);
    const f = out.facts[flag];
    Object.freeze(f.levels);
    if (f.unknownLevels) Object.freeze(f.unknownLevels);
    Object.freeze(f);
  }
  Object.freeze(out.facts);
  Object.freeze(out.missing);
  return Object.freeze(out);
}

/** What the S3 steps contribute to the chain. */
export interface S3StepsResult {
  aclNotSupported?: { guard: LayerWork['guard'] & object; facts: ObjectOwnershipFacts; missing: string[] };
  bpaWrite?: { guard: LayerWork['guard'] & object; facts: BlockPublicAccessFacts; missing: string[] };
  networkOrigin?: LayerWork;
  others: LayerWork[];
}

const ACL_SETTING = new Set(['s3:putobjectacl', 's3:putobjectversionacl', 's3:putbucketacl']);
const ACL_HEADER_WRITES = new Set(['s3:putobject', 's3:createbucket']);
const POLICY_WRITES = new Set(['s3:putbucketpolicy', 's3:putaccesspointpolicy']);
const DISABLED_CODES = new Set(['AllAccessDisabled', 'AccountProblem', 'InvalidPayer', 'NotSignedUp']);
const ARCHIVE_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);

function allowedOf(r: AuthorizationResult): Tri {
  if (r.possibleDecisions.length === 1) return r.possibleDecisions[0] === 'Allowed' ? T : F;
  return r.possibleDecisions.includes('Allowed') ? U : F;
}

/** Runs S3's own checks for one authorization on an S3 resource. */
export function s3Steps(
  az: AuthzRequest,
  opts: ChainOptions,
  rp: ResolvedPrincipal,
  t: S3Target,
  bpa: BpaFlags,
  subEvaluate: (az: AuthzRequest) => AuthorizationResult,
): S3StepsResult {
  const { req } = opts;
  const action = az.action.toLowerCase();
  const s3 = req.s3;
  const out: S3StepsResult = { others: [] };
  const b = t.bucketEv;
  const principalAccount = rp.account;
  const anonymous = rp.principal.kind === 'anonymous';

  // ACLs disabled: requests that set an ACL fail with AccessControlListNotSupported.
  const setsAcl = ACL_SETTING.has(action) || (ACL_HEADER_WRITES.has(action) && s3.aclHeader != null);
  if (setsAcl) {
    const header = s3.aclHeader;
    const ownerOnly =
      header !== undefined && header !== null && /^bucket-owner-full-control$/i.test(header.trim());
    const enforced: Tri =
      b === undefined || b.objectOwnership === undefined
        ? U
        : b.objectOwnership === 'BucketOwnerEnforced'
          ? T
          : F;
    const value = ownerOnly ? T : not(enforced);
    out.aclNotSupported = {
      guard: { value, kind: 'block' },
      facts: {
        check: 'acl-not-supported',
        aclHeader: header ?? null,
        ...(value === F ? { errorCode: 'AccessControlListNotSupported', httpStatus: 400 } : {}),
      },
      missing: enforced === U ? [`${t.bucketPath}.objectOwnership`] : [],
    };
  }

  // Block Public Access on writes that would make things public.
  const bpaGuards: Tri[] = [];
  const bpaFacts: BlockPublicAccessFacts = {};
  const bpaMissing: string[] = [];
  if (ACL_SETTING.has(action) || (ACL_HEADER_WRITES.has(action) && s3.aclHeader !== null)) {
    const pub = isPublicAclHeader(s3.aclHeader);
    const pubT: Tri = pub === undefined ? (ACL_SETTING.has(action) ? U : F) : pub ? T : F;
    const v = not(and(bpa.BlockPublicAcls.value, pubT));
    bpaGuards.push(v);
    if (v !== T) {
      bpaFacts.flag = 'BlockPublicAcls';
      bpaFacts.level = bpa.BlockPublicAcls.levels[0];
      bpaFacts.blocked = 'public-acl-write';
      bpaFacts.publicAclRequested = pubT;
      if (pub === undefined) bpaMissing.push('s3.aclHeader');
    }
  }
  if (POLICY_WRITES.has(action)) {
    let pubT: Tri = U;
    if (s3.submittedPolicy !== undefined) {
      const r = validatePolicy(s3.submittedPolicy, 's3.submittedPolicy');
      if (r.document && r.problems.length === 0)
        pubT = isPublicPolicy(r.document, { accessPoint: action === 's3:putaccesspointpolicy' }) ? T : F;
    }
    const v = not(and(bpa.BlockPublicPolicy.value, pubT));
    bpaGuards.push(v);
    if (v !== T) {
      bpaFacts.flag = 'BlockPublicPolicy';
      bpaFacts.level = bpa.BlockPublicPolicy.levels[0];
      bpaFacts.blocked = 'public-policy-write';
      bpaFacts.publicPolicySubmitted = pubT;
      if (pubT === U) bpaMissing.push('s3.submittedPolicy');
    }
  }
  if (bpaGuards.length > 0) {
    out.bpaWrite = {
      guard: { value: and(...bpaGuards), kind: 'block' },
      facts: bpaFacts,
      missing: bpaMissing,
    };
  }

  // Access point network origin: a VPC access point only takes requests from its VPC.
  if (t.apArn) {
    const w = work('access-point-network-origin', T);
    w.facts.check = 'network-origin';
    const origin = t.ap?.networkOrigin;
    w.facts.networkOrigin = origin;
    if (origin === undefined) {
      w.guard = { value: U, kind: 'block' };
      w.missing.push(evidencePath('accessPoints', t.apArn, 'networkOrigin'));
    } else if (origin === 'Internet') {
      w.guard = { value: T, kind: 'block' };
    } else {
      const want = t.ap?.vpcId ?? undefined;
      w.facts.vpcId = want;
      const srcVpc = ctx(az, 'aws:SourceVpc');
      const vpce = ctx(az, 'aws:SourceVpce');
      const vpceId = Array.isArray(vpce) ? vpce[0] : vpce;
      let fromVpc: string | undefined = Array.isArray(srcVpc) ? srcVpc[0] : srcVpc;
      if (fromVpc === undefined && vpceId !== undefined) fromVpc = opts.ev.vpcEndpoints[vpceId]?.vpcId;
      w.facts.requestVpc = fromVpc;
      if (fromVpc !== undefined && want !== undefined)
        w.guard = { value: fromVpc === want ? T : F, kind: 'block' };
      else if (vpceId === undefined && !isUnknownKey(az, 'aws:SourceVpce'))
        w.guard = { value: F, kind: 'block' };
      else {
        w.guard = { value: U, kind: 'block' };
        if (want === undefined) w.missing.push(evidencePath('accessPoints', t.apArn, 'vpcId'));
        else if (vpceId !== undefined) w.missing.push(evidencePath('vpcEndpoints', vpceId, 'vpcId'));
        else w.missing.push('context.aws:SourceVpce');
      }
    }
    out.networkOrigin = w;
  }

  // Requester Pays: callers from other accounts must acknowledge the charges (§4.6).
  if (t.bucket !== undefined) {
    const w = work('requester-pays', T);
    w.facts.check = 'requester-pays';
    const payer = b?.requestPayer;
    w.facts.requestPayer = payer;
    w.facts.requestPayerSent = s3.requestPayerSent;
    const cross: Tri =
      rp.principal.kind === 'service'
        ? F
        : anonymous
          ? T
          : t.bucketAccount === undefined || principalAccount === undefined
            ? U
            : t.bucketAccount === principalAccount
              ? F
              : T;
    w.facts.crossAccount = cross;
    const requester: Tri = payer === undefined ? U : payer === 'Requester' ? T : F;
    const sent: Tri = anonymous ? F : s3.requestPayerSent === undefined ? U : s3.requestPayerSent ? T : F;
    const v = not(and(requester, cross, not(sent)));
    w.guard = { value: v, kind: 'block' };
    if (v === U) {
      if (payer === undefined) w.missing.push(`${t.bucketPath}.requestPayer`);
      // Which account is unknown: the bucket owner's, or the caller's (the input does not name it).
      if (cross === U && t.bucketAccount === undefined) w.missing.push(`${t.bucketPath}.accountId`);
      if (cross === U && principalAccount === undefined) w.missing.push('principal');
      if (sent === U) w.missing.push('s3.requestPayerSent');
    }
    if (payer !== 'Requester' && cross !== U) w.applies = payer === undefined ? U : F;
    out.others.push(w);
  }

  // Object Lock: deleting a version or shortening retention while protected (§4.7).
  const versionDelete =
    action === 's3:deleteobjectversion' || (action === 's3:deleteobject' && s3.versionId !== undefined);
  if (t.isObject && (versionDelete || action === 's3:putobjectretention')) {
    const w = work('object-lock', T);
    w.facts.check = 'object-lock';
    const lock = b?.objectLock;
    const o = t.objectEv;
    if (lock === null || lock?.enabled === false) {
      w.applies = F;
      w.guard = { value: T, kind: 'block' };
    } else {
      const legal = o?.legalHold;
      const retention = o?.retention;
      w.facts.legalHold = legal;
      if (retention) {
        w.facts.mode = retention.Mode;
        w.facts.retainUntilDate = retention.RetainUntilDate;
      }
      const future = retention ? Date.parse(retention.RetainUntilDate) > opts.time : false;
      const parts: Tri[] = [];
      if (versionDelete) parts.push(legal === undefined ? U : legal === 'ON' ? F : T);
      if (retention === undefined) parts.push(U);
      else if (retention === null || !future) parts.push(T);
      else if (retention.Mode === 'COMPLIANCE') parts.push(versionDelete ? F : U);
      else
        parts.push(s3.bypassGovernance === true ? T : s3.bypassGovernance === false && versionDelete ? F : U);
      const v = and(...parts);
      w.guard = { value: v, kind: 'block' };
      if (v === F) w.facts.protectedBy = legal === 'ON' && versionDelete ? 'legal-hold' : 'retention';
      if (v === U) {
        if (o === undefined) w.missing.push(t.objectPath ?? t.bucketPath);
        else {
          if (versionDelete && legal === undefined) w.missing.push(`${t.objectPath}.legalHold`);
          if (retention === undefined) w.missing.push(`${t.objectPath}.retention`);
          if (retention && future && s3.bypassGovernance === undefined && retention.Mode === 'GOVERNANCE')
            w.missing.push('s3.bypassGovernance');
        }
      }
    }
    out.others.push(w);
  }

  // Object state: disabled bucket, missing object without s3:ListBucket, archived object.
  const reads = action === 's3:getobject' || action === 's3:getobjectversion';
  if (DISABLED_CODES.has(req.errorCode ?? '') || (reads && t.isObject)) {
    const w = work('object-state', T);
    const parts: Tri[] = [];
    if (DISABLED_CODES.has(req.errorCode ?? '')) {
      parts.push(F);
      w.facts.check = 'bucket-access-disabled';
      w.facts.errorCode = req.errorCode;
    } else {
      const o = t.objectEv;
      w.facts.exists = o?.exists;
      let exists: Tri = o?.exists === undefined ? U : o.exists ? T : F;
      let notFoundPass: Tri = T;
      if (exists !== T) {
        const list = listBucketAllowed(az, t, opts, subEvaluate);
        w.facts.listBucketAllowed = list;
        // Without s3:ListBucket a missing key answers 403 AccessDenied instead of 404 NoSuchKey.
        notFoundPass = or(exists, list);
        if (exists === F && list === T) w.facts.expectedError = 'NoSuchKey';
        if (notFoundPass === F) w.facts.check = 'not-found';
      }
      let archivedPass: Tri = T;
      const op = s3.operation;
      if (op !== 'HeadObject' && op !== 'GetObjectAttributes' && exists !== F) {
        const cls = o?.storageClass;
        w.facts.storageClass = cls;
        w.facts.restoreStatus = o?.restoreStatus;
        if (cls === undefined) archivedPass = U;
        else if (ARCHIVE_CLASSES.has(cls)) {
          const restore = o?.restoreStatus;
          archivedPass = restore === 'restored' ? T : restore === undefined ? U : F;
          if (archivedPass === F) {
            w.facts.check = 'archived';
            w.facts.errorCode = 'InvalidObjectState';
          }
        }
      }
      parts.push(notFoundPass, archivedPass);
      if (and(notFoundPass, archivedPass) === U) {
        if (o === undefined) w.missing.push(t.objectPath ?? t.bucketPath);
        else {
          if (notFoundPass === U) w.missing.push(`${t.objectPath}.exists`);
          if (archivedPass === U)
            w.missing.push(
              `${t.objectPath}.${o.storageClass === undefined ? 'storageClass' : 'restoreStatus'}`,
            );
        }
      }
      exists = exists as Tri;
    }
    w.guard = { value: and(...parts), kind: 'block' };
    out.others.push(w);
  }
  return out;
}

function listBucketAllowed(
  az: AuthzRequest,
  t: S3Target,
  opts: ChainOptions,
  subEvaluate: (az: AuthzRequest) => AuthorizationResult,
): Tri {
  if ((opts.depth ?? 0) > 0) return U;
  const resource = t.apArn ?? `arn:${t.partition}:s3:::${t.bucket}`;
  const sub: AuthzRequest = memo(az, opts.ev, 'list-bucket', () => ({
    ...az,
    action: 's3:ListBucket',
    resource,
    need: 'required' as const,
    purpose: '403-vs-404 check',
  }));
  return allowedOf(subEvaluate(sub));
}
