// The second authorization for SSE-KMS: which KMS calls S3 makes as the requester, and their chain
// (key policy mandatory, IAM only through the key policy's root delegation, cross-account both sides,
// the AWS managed aws/s3 key, key state).
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html
// https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html

import type {
  AuthorizationResult,
  AuthzRequest,
  ContextValue,
  Evidence,
  KmsKeyEvidence,
  PolicyDocument,
  S3Request,
  Tri,
} from '../model/index.js';
import { evidencePath } from '../evidence/path.js';
import type { ResolvedPrincipal } from './context.js';
import { enrichContext, resolvePrincipal } from './context.js';
import { boundaryWork, evalOptions, identityWork, rcpWork, scpWork, sessionWork } from './iam-layers.js';
import type { LayerWork } from './layers.js';
import { finish, recordPolicies, unknownWork, work } from './layers.js';
import { evaluateSet, resourceAllows } from './policies.js';
import { s3Target } from './s3-target.js';
import { memo } from './memo.js';
import type { Atom, Dnf } from './tri.js';
import { F, T, U, dnfValue } from './tri.js';

/** A KMS key as S3 will use it. */
export interface KeyRef {
  /** Key ARN (or the alias ARN when the key itself is not in the evidence). */
  arn: string;
  key?: KmsKeyEvidence;
  awsManaged: Tri;
  account?: string;
  region?: string;
  /**
   * Which key encrypts the data is not in the evidence (the object's encryption or key id, the
   * bucket's default encryption): the evidence path that would say. The key policy and key state are
   * then unknown, never the `aws/s3` default.
   */
  unknownPath?: string;
}

const KEY_ARN = /^arn:([^:]+):kms:([^:]+):(\d{12}):(key|alias)\/(.+)$/;

/** Resolves a key id / alias / ARN (or the default `aws/s3` key when `id` is undefined). */
export function resolveKey(
  id: string | undefined,
  ev: Evidence,
  where: { region?: string; account?: string; partition?: string },
): KeyRef {
  const part = where.partition ?? 'aws';
  const entries = Object.entries(ev.kmsKeys);
  const managed = (k: KmsKeyEvidence | undefined, alias?: string): Tri =>
    k?.keyManager === 'AWS' || alias === 'alias/aws/s3' || k?.aliases?.includes('alias/aws/s3')
      ? T
      : k?.keyManager === 'CUSTOMER'
        ? F
        : U;
  const byAlias = (alias: string, region?: string, account?: string): KeyRef | undefined => {
    const hit = entries.find(
      ([arn, k]) =>
        k.aliases?.includes(alias) &&
        (account === undefined || (k.accountId ?? KEY_ARN.exec(arn)?.[3]) === account) &&
        (region === undefined || KEY_ARN.exec(arn)?.[2] === region),
    );
    if (!hit) return undefined;
    const m = KEY_ARN.exec(hit[0]);
    const r: KeyRef = { arn: hit[0], key: hit[1], awsManaged: managed(hit[1], alias) };
    if (hit[1].accountId ?? m?.[3]) r.account = (hit[1].accountId ?? m?.[3]) as string;
    if (m?.[2]) r.region = m[2];
    return r;
  };
  const aliasRef = (alias: string, region?: string, account?: string): KeyRef => {
    const found = byAlias(alias, region, account);
    if (found) return found;
    const r: KeyRef = {
      arn: region && account ? `arn:${part}:kms:${region}:${account}:${alias}` : alias,
      awsManaged: alias === 'alias/aws/s3' ? T : U,
    };
    if (account) r.account = account;
    if (region) r.region = region;
    return r;
  };
  if (id === undefined) return aliasRef('alias/aws/s3', where.region, where.account);
  const m = KEY_ARN.exec(id);
  if (m) {
    if (m[4] === 'alias') return aliasRef(`alias/${m[5]}`, m[2], m[3]);
    const key = ev.kmsKeys[id];
    const r: KeyRef = {
      arn: id,
      awsManaged: managed(key),
      account: key?.accountId ?? (m[3] as string),
      region: m[2] as string,
    };
    if (key) r.key = key;
    return r;
  }
  if (id.startsWith('alias/')) return aliasRef(id, where.region, where.account);
  const hit = entries.find(([arn]) => arn.endsWith(`:key/${id}`));
  if (hit) return resolveKey(hit[0], ev, where);
  const r: KeyRef = {
    arn: where.region && where.account ? `arn:${part}:kms:${where.region}:${where.account}:key/${id}` : id,
    awsManaged: U,
  };
  if (where.account) r.account = where.account;
  if (where.region) r.region = where.region;
  return r;
}

/** The fixed key policy AWS gives the `aws/s3` managed key (same account, through S3 only). */
export function awsS3KeyPolicy(account: string, region: string | undefined): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Allow access through S3 for all principals in the account that are authorized to use S3',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': account,
            ...(region ? { 'kms:ViaService': `s3.${region}.amazonaws.com` } : {}),
          },
        },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
        Resource: '*',
      },
    ],
  };
}

const COPIED_KEYS =
  /^(aws:Principal|aws:userid$|aws:username$|aws:CurrentTime$|aws:EpochTime$|aws:MultiFactorAuth|aws:TokenIssueTime$|aws:SourceIdentity$|aws:FederatedProvider$)/i;

const MULTIPART = new Set([
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'UploadPartCopy',
]);

/** The KMS authorizations S3 needs for one S3 authorization (none when the data is not SSE-KMS). */
export function kmsAuthorizationsFor(
  az: AuthzRequest,
  req: S3Request,
  ev: Evidence,
): { az: AuthzRequest; key: KeyRef }[] {
  const action = az.action.toLowerCase();
  const t = s3Target(az, ev);
  if (!t || !t.isObject || t.bucket === undefined) return [];
  const op = req.s3.operation;
  const read =
    (action === 's3:getobject' || action === 's3:getobjectversion') &&
    op !== 'HeadObject' &&
    op !== 'GetObjectAttributes';
  const write = action === 's3:putobject';
  if (!read && !write) return [];
  const b = t.bucketEv;
  const defaultKms = b?.encryption?.SSEAlgorithm?.startsWith('aws:kms') === true;
  let keyId: string | undefined;
  let need: 'required' | 'possible' = az.need;
  let sse: Tri;
  // Evidence that would name the key when it is unknown (absent = unknown, never "no encryption").
  let unknownPath: string | undefined;
  if (read) {
    const o = t.objectEv;
    const alg = o?.serverSideEncryption;
    const objectPath = t.objectPath ?? t.bucketPath;
    if (o?.exists === false) return [];
    if (alg === undefined) {
      // The object's encryption is unknown: it may be SSE-KMS whatever the bucket default says
      // (a writer can name a key per request). https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html
      sse = U;
      keyId = o?.kmsKeyId ?? (defaultKms ? b?.encryption?.KMSMasterKeyID : undefined);
      if (keyId === undefined && !defaultKms)
        unknownPath = o ? `${objectPath}.serverSideEncryption` : t.bucketEv ? objectPath : t.bucketPath;
    } else {
      sse = alg !== null && alg.startsWith('aws:kms') ? T : F;
      keyId = o?.kmsKeyId ?? (sse === T ? b?.encryption?.KMSMasterKeyID : undefined);
      // HeadObject names the key of every SSE-KMS object; without it the key is unknown, not aws/s3.
      if (sse === T && o?.kmsKeyId === undefined && !defaultKms) unknownPath = `${objectPath}.kmsKeyId`;
    }
  } else {
    const hdr = req.s3.sseHeader;
    if (hdr !== undefined && hdr !== null) {
      sse = hdr.startsWith('aws:kms') ? T : F;
      keyId = req.s3.sseKmsKeyId ?? (defaultKms ? b?.encryption?.KMSMasterKeyID : undefined);
    } else if (b?.encryption === undefined) {
      // The bucket's default encryption is unknown: the write may be SSE-KMS with a key it names.
      sse = U;
      unknownPath = t.bucketEv ? `${t.bucketPath}.encryption` : t.bucketPath;
    } else {
      sse = defaultKms ? T : F;
      keyId = b.encryption?.KMSMasterKeyID;
    }
  }
  if (sse === F) return [];
  if (sse === U) need = 'possible';
  const region = b?.region;
  const key: KeyRef = unknownPath
    ? {
        arn: `arn:${t.partition}:kms:${region ?? '*'}:${t.bucketAccount ?? '*'}:key/*`,
        awsManaged: U,
        unknownPath,
      }
    : resolveKey(keyId, ev, {
        ...(region ? { region } : {}),
        ...(t.bucketAccount ? { account: t.bucketAccount } : {}),
        partition: t.partition,
      });
  const kmsRegion = region ?? key.region;
  const bucketKey = b?.encryption?.BucketKeyEnabled;
  const context: Record<string, ContextValue> = {};
  for (const [k, v] of Object.entries(az.context)) if (COPIED_KEYS.test(k)) context[k] = v;
  const unknownKeys = az.unknownKeys.filter((k) => COPIED_KEYS.test(k));
  context['aws:SecureTransport'] = 'true';
  context['aws:ViaAWSService'] = 'true';
  context['aws:CalledVia'] = ['s3.amazonaws.com'];
  context['aws:CalledViaFirst'] = 's3.amazonaws.com';
  context['aws:CalledViaLast'] = 's3.amazonaws.com';
  if (kmsRegion) context['kms:ViaService'] = `s3.${kmsRegion}.amazonaws.com`;
  else unknownKeys.push('kms:ViaService');
  const p = az.principal;
  if ('accountId' in p && p.accountId) context['kms:CallerAccount'] = p.accountId;
  const objArn = `arn:${t.partition}:s3:::${t.bucket}/${t.key}`;
  const bucketArn = `arn:${t.partition}:s3:::${t.bucket}`;
  if (bucketKey === undefined && b?.encryption === undefined)
    unknownKeys.push('kms:EncryptionContext:aws:s3:arn');
  else context['kms:EncryptionContext:aws:s3:arn'] = bucketKey ? bucketArn : objArn;
  context['kms:EncryptionContextKeys'] = ['aws:s3:arn'];
  const actions: string[] = [];
  if (read) actions.push('kms:Decrypt');
  if (write) {
    actions.push('kms:GenerateDataKey');
    if (MULTIPART.has(op)) actions.push('kms:Decrypt');
  }
  return actions.map((kmsAction) => {
    const out: AuthzRequest = {
      principal: az.principal,
      action: kmsAction,
      resource: key.arn,
      context: { ...context },
      unknownKeys: [...new Set(unknownKeys)],
      need,
      purpose: `${kmsAction === 'kms:Decrypt' ? 'decrypt' : 'encrypt'} ${t.key} with its SSE-KMS key (${az.action} on ${az.resource})`,
    };
    if (key.account) out.resourceAccount = key.account;
    return { az: out, key };
  });
}

/** A key ARN standing for the unknown key an alias names: `key/*` in the alias's account and region. */
function keyArnPlaceholder(key: KeyRef, az: AuthzRequest): string {
  const part = /^arn:([^:]+):/.exec(key.arn)?.[1] ?? 'aws';
  return `arn:${part}:kms:${key.region ?? '*'}:${key.account ?? az.resourceAccount ?? '*'}:key/*`;
}

/**
 * The key ARN is unknown (evaluated against a placeholder): a statement whose Resource did not match
 * the placeholder may still match the real key ARN, so its Allow or Deny becomes possible, never
 * certainly absent. The key's evidence path names what would settle it.
 */
function widenForUnknownKeyArn(w: LayerWork, keyPath: string): boolean {
  let allow = false;
  let deny = false;
  const evaluations = w.policies.map((e) => {
    let changed = false;
    const statements = e.statements.map((st) => {
      if (st.matched !== F || st.failedOn !== 'resource') return st;
      changed = true;
      if (st.effect === 'Allow') allow = true;
      else deny = true;
      return { ...st, matched: U, resource: { ...st.resource, uncertain: true } };
    });
    if (!changed) return e;
    const out = { ...e, statements };
    if (statements.some((st) => st.effect === 'Allow' && st.matched === U) && e.allow === F) out.allow = U;
    if (statements.some((st) => st.effect === 'Deny' && st.matched === U) && e.explicitDeny === F)
      out.explicitDeny = U;
    return out;
  });
  if (!allow && !deny) return false;
  w.policies = evaluations;
  w.missing.push(keyPath);
  if (deny && w.deny === F) w.deny = U;
  if (allow) {
    if (w.ownAllow === F) w.ownAllow = U;
    if (w.guard?.value === F && w.guard.kind === 'missing-allow') w.guard = { ...w.guard, value: U };
    if (w.levels) w.levels = w.levels.map((l) => (l.allow === F ? { ...l, allow: U } : l));
  }
  if (deny && w.levels)
    w.levels = w.levels.map((l) => (l.explicitDeny === F ? { ...l, explicitDeny: U } : l));
  return allow;
}

const BAD_STATES: Record<string, string> = {
  Disabled: 'KMS.DisabledException',
  PendingDeletion: 'KMS.KMSInvalidStateException',
  PendingImport: 'KMS.KMSInvalidStateException',
  Unavailable: 'KMS.KMSInvalidStateException',
  PendingReplicaDeletion: 'KMS.KMSInvalidStateException',
};

/** Evaluates one KMS authorization: guardrails, identity side, the key policy and the key state. */
export function evaluateKmsAuthorization(
  az0: AuthzRequest,
  ev: Evidence,
  keyIn?: KeyRef,
): AuthorizationResult {
  const rp: ResolvedPrincipal = resolvePrincipal(az0.principal, ev);
  const key = keyIn ?? resolveKey(az0.resource, ev, {});
  const keyAccount = key.account ?? az0.resourceAccount;
  const az = memo(az0, ev, 'enriched-kms', () =>
    enrichContext({ ...az0, principal: rp.principal }, rp, ev, keyAccount ? { account: keyAccount } : {}),
  );
  const keyPath = evidencePath('kmsKeys', key.arn);
  if (key.unknownPath) {
    // Which key S3 would use is unknown: its policy and state are, whatever the caller's policies say.
    const kp = unknownWork('kms-key-policy', key.unknownPath);
    const st = unknownWork('kms-key-state', key.unknownPath, 'block');
    // The request's resource is only a placeholder (`key/*`): reports name the key as unknown.
    kp.facts.keyUnknown = true;
    st.facts.keyUnknown = true;
    return finish(az, [kp, st], [[{ layer: 'kms-key-policy', value: U, granting: true }]]);
  }
  // Known only by an alias: KMS authorizes on the key ARN, never the alias ARN, so policies are
  // matched against a placeholder key ARN and any statement whose Resource missed it may still name
  // the real key (see widenForUnknownKeyArn).
  // https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html
  const aliasOnly = key.key === undefined && /(^|:)alias\//.test(key.arn);
  const eaz = aliasOnly ? { ...az, resource: keyArnPlaceholder(key, az0) } : az;
  const works: LayerWork[] = [];
  works.push(scpWork(rp, eaz, ev));
  works.push(
    rcpWork(rp, eaz, ev, keyAccount, {
      awsManagedKey: key.awsManaged === T,
      resourcePath: `${keyPath}.accountId`,
    }),
  );
  const idw = identityWork(rp, eaz, 'kms-identity-policy');
  const pbw = boundaryWork(rp, eaz);
  const spw = sessionWork(rp, eaz);
  works.push(idw.work, pbw.work, spw.work);

  // Key policy (mandatory).
  let doc: PolicyDocument | undefined = key.key?.policy;
  let kpw: LayerWork;
  let allows: { direct: Tri; role: Tri; account: Tri; directRef?: never } & Record<string, unknown> = {
    direct: U,
    role: U,
    account: U,
  };
  const synthetic = doc === undefined && key.awsManaged === T && keyAccount !== undefined;
  if (synthetic) doc = awsS3KeyPolicy(keyAccount as string, key.region);
  if (doc === undefined) {
    kpw = unknownWork('kms-key-policy', key.key ? `${keyPath}.policy` : keyPath);
  } else {
    const set = evaluateSet(
      [{ document: doc, ref: { type: 'kms-key-policy', id: key.arn } }],
      eaz,
      evalOptions(rp, ev),
    );
    kpw = recordPolicies(work('kms-key-policy', T), set);
    allows = resourceAllows(set.evaluations, [doc], rp.principal) as typeof allows;
    if (synthetic) kpw.facts.syntheticPolicy = 'aws-managed-aws/s3';
  }
  kpw.facts.keyArn = key.arn;
  kpw.facts.awsManagedKey = key.awsManaged;
  const cross: Tri =
    keyAccount === undefined || rp.account === undefined ? U : keyAccount !== rp.account ? T : F;
  kpw.facts.crossAccount = cross;
  if (key.awsManaged === T && cross === T) kpw.facts.check = 'aws-managed-key-cross-account';
  if (rp.principal.kind === 'anonymous') {
    // KMS cannot authorize an unsigned caller: anonymous reads of SSE-KMS objects always fail.
    kpw.guard = { value: F, kind: 'block' };
    kpw.facts.check = 'anonymous-sse-kms';
  }
  works.push(kpw);

  // Key state.
  const sw = work('kms-key-state', T);
  const state = key.key?.keyState ?? (key.awsManaged === T ? 'Enabled' : undefined);
  sw.facts.keyState = state;
  if (state === undefined) {
    sw.guard = { value: U, kind: 'block' };
    sw.missing.push(key.key ? `${keyPath}.keyState` : keyPath);
  } else if (BAD_STATES[state]) {
    sw.guard = { value: F, kind: 'block' };
    sw.facts.errorCode = BAD_STATES[state];
  } else sw.guard = { value: T, kind: 'block' };
  works.push(sw);

  if (aliasOnly) {
    let keyPolicyWidened = false;
    for (const w of works) if (widenForUnknownKeyArn(w, keyPath) && w === kpw) keyPolicyWidened = true;
    for (const side of [idw, pbw, spw]) if (side.allow === F && side.work.ownAllow === U) side.allow = U;
    if (keyPolicyWidened) {
      for (const k of ['direct', 'role', 'account'] as const)
        if (allows[k] === F) allows = { ...allows, [k]: U };
    }
    kpw.facts.keyArnUnknown = true;
  }
  const kp = (v: Tri, ref?: unknown): Atom => {
    const a: Atom = { layer: 'kms-key-policy', value: v, granting: true };
    if (ref) a.statement = ref as Atom['statement'];
    return a;
  };
  const id: Atom = {
    layer: 'kms-identity-policy',
    value: idw.allow,
    granting: true,
    ...(idw.allowRef ? { statement: idw.allowRef } : {}),
  };
  const pb: Atom = { layer: 'permissions-boundary', value: pbw.allow };
  const sp: Atom = { layer: 'session-policy', value: spw.allow };
  const a = allows as unknown as {
    direct: Tri;
    role: Tri;
    account: Tri;
    directRef?: unknown;
    roleRef?: unknown;
    accountRef?: unknown;
  };
  const dnfFor = (same: boolean): Dnf => {
    const kind = rp.principal.kind;
    if (kind === 'anonymous') return [];
    if (kind === 'service' || (kind === 'root' && same)) return [[kp(a.direct, a.directRef)]];
    if (same) {
      return [
        // Root delegation ("Enable IAM User Permissions"): IAM policies in the key's account can grant.
        [id, pb, sp, kp(a.account, a.accountRef)],
        [kp(a.role, a.roleRef), pb, sp],
        [kp(a.direct, a.directRef)],
      ];
    }
    return [
      [id, pb, sp, kp(a.direct, a.directRef)],
      [id, pb, sp, kp(a.role, a.roleRef)],
      [id, pb, sp, kp(a.account, a.accountRef)],
    ];
  };
  let grant: Dnf;
  if (cross === U) {
    const s = dnfFor(true);
    const c = dnfFor(false);
    grant = dnfValue(s) === dnfValue(c) ? c : [[{ layer: 'kms-key-policy', value: U, granting: true }]];
    if (dnfValue(s) !== dnfValue(c)) kpw.missing.push(`${keyPath}.accountId`);
  } else grant = dnfFor(cross === F);
  return finish(az, works, grant);
}

export { F };
