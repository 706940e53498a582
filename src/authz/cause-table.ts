// The one cause table: which cause code a (layer, outcome, facts) or an S3 error code stands for, and
// which kind each cause is. Read by the evaluator (unknowns, authentication), ranking, the rules and
// fix verification; adding a cause is a row here and a rule file.

import { CAUSE_CODES, type CauseCode } from '../model/cause.js';
import type { AuthorizationResult, Evaluation, LayerName, LayerResult } from '../model/evaluation.js';

/** What a cause is: no policy evaluated, a Deny matched, an S3 check refused, an Allow is missing. */
export type CauseKind = 'authentication' | 'explicit-deny' | 's3-check' | 'missing-allow';

/** The kind of every cause code, in ranking order of kinds (authentication first, missing allow last). */
export const CAUSE_KIND: Readonly<Record<CauseCode, CauseKind>> = Object.fromEntries(
  CAUSE_CODES.map((c) => [
    c,
    c.startsWith('explicit-deny-')
      ? 'explicit-deny'
      : c.startsWith('missing-allow-')
        ? 'missing-allow'
        : [
              'expired-credentials',
              'invalid-access-key',
              'signature-mismatch',
              'clock-skew',
              'presigned-url-expired',
            ].includes(c)
          ? 'authentication'
          : 's3-check',
  ]),
) as Record<CauseCode, CauseKind>;

/** The credential and signing codes: no policy was evaluated. */
export const AUTH_CODES: readonly CauseCode[] = CAUSE_CODES.filter((c) => CAUSE_KIND[c] === 'authentication');

/** Which cause codes each layer stands for: what an unknown layer could explain (`Unknown.couldExplain`). */
export const LAYER_CODES: Record<LayerName, CauseCode[]> = {
  authentication: [],
  scp: ['explicit-deny-scp', 'missing-allow-scp'],
  rcp: ['explicit-deny-rcp'],
  'vpc-endpoint-policy': ['explicit-deny-vpc-endpoint-policy', 'missing-allow-vpc-endpoint-policy'],
  'identity-policy': ['explicit-deny-identity-policy', 'missing-allow-identity-policy'],
  'permissions-boundary': ['explicit-deny-permissions-boundary', 'missing-allow-permissions-boundary'],
  'session-policy': ['explicit-deny-session-policy', 'missing-allow-session-policy'],
  'bucket-policy': ['explicit-deny-bucket-policy', 'missing-allow-bucket-policy'],
  'access-point-policy': ['explicit-deny-access-point-policy', 'missing-allow-access-point-policy'],
  // S3 reports a network-origin refusal as an explicit deny in a resource-based policy.
  'access-point-network-origin': ['explicit-deny-access-point-policy'],
  'bucket-acl': ['missing-allow-bucket-policy'],
  'object-acl': ['missing-allow-bucket-policy', 'object-owned-by-other-account'],
  'object-ownership': ['object-owned-by-other-account', 'acl-not-supported'],
  'block-public-access': ['block-public-access'],
  'requester-pays': ['requester-pays-not-acknowledged'],
  'object-lock': ['object-lock-protected'],
  'object-state': ['object-not-found-without-list', 'archived-object'],
  'kms-key-policy': [
    'explicit-deny-kms-key-policy',
    'missing-allow-kms',
    'kms-aws-managed-key-cross-account',
  ],
  'kms-identity-policy': ['explicit-deny-identity-policy', 'missing-allow-kms'],
  'kms-key-state': ['kms-key-unusable'],
  'resource-policy': [],
};

/** S3 steps whose refusal (`block`) S3 words as an explicit deny. */
export const BLOCK_AS_EXPLICIT_DENY: ReadonlySet<LayerName> = new Set(['access-point-network-origin']);

/**
 * S3 (and STS) error codes that mean the request never reached authorization: the credentials or
 * the signature failed. https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
export const AUTHENTICATION_ERRORS: Readonly<Record<string, CauseCode>> = {
  ExpiredToken: 'expired-credentials',
  ExpiredTokenException: 'expired-credentials',
  TokenRefreshRequired: 'expired-credentials',
  InvalidToken: 'expired-credentials',
  InvalidAccessKeyId: 'invalid-access-key',
  InvalidClientTokenId: 'invalid-access-key',
  SignatureDoesNotMatch: 'signature-mismatch',
  AuthorizationHeaderMalformed: 'signature-mismatch',
  RequestTimeTooSkewed: 'clock-skew',
};

/**
 * S3 error codes that name their cause by themselves: authentication errors (no policy was
 * evaluated), disabled accounts, archived objects, and KMS keys S3 could not use because of their
 * key state (a disabled key answers `DisabledException`; pending deletion, pending import or an
 * unavailable custom key store `KMSInvalidStateException`; S3 passes them on as `KMS.<Exception>`).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
 */
export const AUTH_ERROR_CAUSES: Readonly<Record<string, CauseCode>> = {
  ExpiredToken: 'expired-credentials',
  TokenRefreshRequired: 'expired-credentials',
  InvalidToken: 'expired-credentials',
  InvalidAccessKeyId: 'invalid-access-key',
  SignatureDoesNotMatch: 'signature-mismatch',
  AuthorizationHeaderMalformed: 'signature-mismatch',
  RequestTimeTooSkewed: 'clock-skew',
  AllAccessDisabled: 'bucket-access-disabled',
  AccountProblem: 'bucket-access-disabled',
  InvalidPayer: 'bucket-access-disabled',
  NotSignedUp: 'bucket-access-disabled',
  InvalidObjectState: 'archived-object',
  'KMS.DisabledException': 'kms-key-unusable',
  'KMS.KMSInvalidStateException': 'kms-key-unusable',
  DisabledException: 'kms-key-unusable',
  KMSInvalidStateException: 'kms-key-unusable',
};

/** Policy layers whose explicit denies and missing allows have `explicit-deny-<layer>` / `missing-allow-<layer>` codes. */
const POLICY_LAYERS = new Set<LayerName>([
  'scp',
  'rcp',
  'vpc-endpoint-policy',
  'identity-policy',
  'permissions-boundary',
  'session-policy',
  'bucket-policy',
  'access-point-policy',
]);

/**
 * S3 steps that block with one cause code whatever their facts say (shared with the rules, which
 * report these layers under the same codes).
 *
 * A VPC-only access point refusing a request from elsewhere: S3 reports it as an explicit deny in a
 * resource-based policy, so it is the access point's explicit deny.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-vpc.html
 */
export const S3_STEP_CAUSES: Readonly<Partial<Record<LayerName, CauseCode>>> = {
  'block-public-access': 'block-public-access',
  'requester-pays': 'requester-pays-not-acknowledged',
  'object-lock': 'object-lock-protected',
  'access-point-network-origin': 'explicit-deny-access-point-policy',
};

/** The S3 steps whose `block` outcome `S3_STEP_CAUSES` reports as `code`. */
export function stepsWithCause(code: CauseCode): LayerName[] {
  return (Object.keys(S3_STEP_CAUSES) as LayerName[]).filter((l) => S3_STEP_CAUSES[l] === code);
}

const VALID = new Set<string>(CAUSE_CODES);

function isCause(v: unknown): v is CauseCode {
  return typeof v === 'string' && VALID.has(v);
}

/** The cause a layer's structured facts name, if any (`facts.cause`, `facts.code`, `facts.errorCode`). */
function causeFromFacts(l: LayerResult): CauseCode | undefined {
  const f = l.facts ?? {};
  for (const k of ['cause', 'causeCode', 'code']) if (isCause(f[k])) return f[k];
  const err = f.errorCode ?? f.code;
  if (typeof err === 'string' && AUTH_ERROR_CAUSES[err]) return AUTH_ERROR_CAUSES[err];
  return undefined;
}

/** The object-state step's checks (its `facts.check`) and their causes. */
const OBJECT_STATE_CHECKS: Readonly<Record<string, CauseCode>> = {
  archived: 'archived-object',
  'not-found': 'object-not-found-without-list',
  'bucket-access-disabled': 'bucket-access-disabled',
};

/** Storage classes whose objects must be restored before reading. */
const ARCHIVED_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** The object-state step: archived, missing without ListBucket, or disabled bucket, from its facts. */
function objectStateCause(l: LayerResult): CauseCode | undefined {
  const f = l.facts ?? {};
  const byCheck = typeof f.check === 'string' ? OBJECT_STATE_CHECKS[f.check] : undefined;
  if (byCheck) return byCheck;
  if (f.exists === false) return 'object-not-found-without-list';
  if (typeof f.storageClass === 'string' && ARCHIVED_CLASSES.has(f.storageClass)) return 'archived-object';
  return undefined;
}

/** The codes one blocking layer stands for (empty for layers that let the request through). */
export function layerCauseCodes(
  l: LayerResult,
  auth: AuthorizationResult,
  evaluation?: Evaluation,
): CauseCode[] {
  const outcome = l.outcome;
  if (outcome !== 'explicit-deny' && outcome !== 'missing-allow' && outcome !== 'block') return [];
  const fromFacts = causeFromFacts(l);
  if (fromFacts) return [fromFacts];
  const kms = auth.request.action.toLowerCase().startsWith('kms:');
  const layer = l.layer;
  if (layer === 'authentication') {
    const code = evaluation?.request.errorCode;
    if (code === 'AccessDenied' && /expired/i.test(evaluation?.request.errorMessage ?? ''))
      return ['presigned-url-expired'];
    const c = code ? AUTH_ERROR_CAUSES[code] : undefined;
    return c ? [c] : [];
  }
  if (layer === 'kms-key-policy' || layer === 'kms-identity-policy') {
    if (outcome === 'explicit-deny')
      return [layer === 'kms-key-policy' ? 'explicit-deny-kms-key-policy' : 'explicit-deny-identity-policy'];
    const f = l.facts ?? {};
    if (f.check === 'aws-managed-key-cross-account' || f.keyManager === 'AWS')
      return ['kms-aws-managed-key-cross-account'];
    return ['missing-allow-kms'];
  }
  // A disabled, pending-deletion, pending-import or unavailable key: S3 cannot use it, whatever the policies say.
  if (layer === 'kms-key-state') return ['kms-key-unusable'];
  if (POLICY_LAYERS.has(layer)) {
    if (outcome === 'explicit-deny') return [`explicit-deny-${layer}` as CauseCode];
    if (kms && layer === 'identity-policy') return ['missing-allow-kms'];
    const code = `missing-allow-${layer}`;
    return isCause(code) ? [code] : [];
  }
  if (layer === 'bucket-acl' || layer === 'object-acl') {
    // No ACL grant is a missing resource-side allow; an object ACL that blocks means another account owns the object.
    if (outcome === 'missing-allow') return ['missing-allow-bucket-policy'];
    return layer === 'object-acl' ? ['object-owned-by-other-account'] : [];
  }
  if (layer === 'object-ownership') {
    // The same step refuses ACL headers under BucketOwnerEnforced and checks the object owner.
    return [l.facts?.foreignOwner === true ? 'object-owned-by-other-account' : 'acl-not-supported'];
  }
  if (layer === 'object-state') {
    const c = objectStateCause(l);
    return c ? [c] : [];
  }
  const c = S3_STEP_CAUSES[layer];
  return c ? [c] : [];
}

/**
 * Within one account the identity side and the bucket policy are a union: when both lack an allow,
 * the cause is the identity policy's (`missing-allow-bucket-policy` is for cross-account and
 * anonymous callers). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 */
function sameAccountFilter(auth: AuthorizationResult, codes: CauseCode[]): CauseCode[] {
  const p = auth.request.principal;
  const account = 'accountId' in p ? p.accountId : undefined;
  const owner = auth.request.resourceAccount;
  const sameAccount = account !== undefined && owner !== undefined && account === owner;
  // Another account owns the object: the bucket owner's grants cannot reach it (DOMAIN-AUTHZ §4.3), so
  // the missing resource-side allow the engine reports for it is that owner's.
  const foreign = auth.layers.some((l) => l.layer === 'object-ownership' && l.facts?.foreignOwner === true);
  let out = codes;
  if (foreign && !out.includes('object-owned-by-other-account'))
    out = ['object-owned-by-other-account', ...out];
  if (sameAccount && (foreign || out.includes('missing-allow-identity-policy')))
    out = out.filter((c) => c !== 'missing-allow-bucket-policy');
  return out;
}

/** Options of `causeCodesOf`. */
export interface CauseCodesOptions {
  /** Also count authorizations S3 only possibly needs (`need: 'possible'`); default false. */
  includePossible?: boolean;
  /** Only layers known to block (their `applies` is not unknown); default false. */
  known?: boolean;
}

/**
 * The cause codes of every layer that blocks the request, in evaluation order, without duplicates.
 * Only authorizations that are not allowed count; within them, every layer whose outcome is
 * `explicit-deny`, `missing-allow` or `block`:
 * - policy layers -> `explicit-deny-<layer>` / `missing-allow-<layer>` (scp, rcp, vpc-endpoint-policy,
 *   identity-policy, permissions-boundary, session-policy, bucket-policy, access-point-policy;
 *   RCPs have no missing-allow code); for `kms:` authorizations a missing identity allow is `missing-allow-kms`;
 * - `kms-key-policy` -> `explicit-deny-kms-key-policy` / `missing-allow-kms` (`kms-aws-managed-key-cross-account`
 *   when `facts.keyManager` is `AWS`); `kms-identity-policy` -> `explicit-deny-identity-policy` / `missing-allow-kms`;
 *   `kms-key-state` (a key that is not `Enabled`) -> `kms-key-unusable`;
 * - `authentication` -> by the request's error code (`ExpiredToken` -> `expired-credentials`, ...);
 * - `access-point-network-origin` (a VPC-only access point refusing the request) -> `explicit-deny-access-point-policy`,
 *   as S3 reports it;
 * - `block-public-access`, `object-ownership` (`acl-not-supported`, or `object-owned-by-other-account` when
 *   `facts.foreignOwner`), `requester-pays`, `object-lock`, `bucket-acl`/`object-acl` (missing allow ->
 *   `missing-allow-bucket-policy`; an object ACL that blocks -> `object-owned-by-other-account`),
 *   `object-state` (archived / not found without ListBucket / disabled, from its facts);
 * - a layer whose `facts.cause` is a cause code maps to that code first;
 * - an object another account owns (`object-ownership` `facts.foreignOwner`) adds `object-owned-by-other-account`;
 * - same account: `missing-allow-bucket-policy` is dropped when the identity policy lacks the allow too,
 *   or when the object belongs to another account.
 */
export function causeCodesOf(evaluation: Evaluation, opts: CauseCodesOptions = {}): CauseCode[] {
  const out: CauseCode[] = [];
  if (evaluation.decision === 'Allowed') return out;
  for (const auth of evaluation.authorizations) {
    if (auth.decision === 'Allowed') continue;
    if (auth.request.need === 'possible' && !opts.includePossible) continue;
    const codes: CauseCode[] = [];
    for (const l of auth.layers) {
      if (opts.known && l.applies === 'unknown') continue;
      for (const c of layerCauseCodes(l, auth, evaluation)) if (!codes.includes(c)) codes.push(c);
    }
    for (const c of sameAccountFilter(auth, codes)) if (!out.includes(c)) out.push(c);
  }
  if (out.length === 0 && evaluation.decision === 'NotAuthenticated') {
    const code = evaluation.request.errorCode;
    const c = code ? AUTH_ERROR_CAUSES[code] : undefined;
    if (c) out.push(c);
  }
  return out;
}
