// The one cause table: which cause code a (layer, outcome, facts) or an S3 error code stands for, and
// which kind each cause is. Read by the evaluator (unknowns, authentication), ranking, the rules and
// fix verification; adding a cause is a row here and a rule file.

import { CAUSE_CODES, type CauseCode } from '../model/cause.js';
import {
  LAYER_NAMES,
  type AnyLayerFacts,
  type AuthorizationResult,
  type Evaluation,
  type LayerName,
  type LayerResult,
} from '../model/evaluation.js';

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

/** A layer outcome that refuses the request. */
export type BlockingOutcome = 'explicit-deny' | 'missing-allow' | 'block';

/** What a row's condition may read: the blocking layer (its facts) and the action of its authorization. */
export interface RowInput {
  layer: LayerResult;
  action: string;
}

/** One row of the cause table: a layer's blocking outcome and the cause code it stands for. */
export interface CauseRow {
  layer: LayerName;
  /** The outcomes of `layer` this row covers. */
  outcomes: readonly BlockingOutcome[];
  code: CauseCode;
  /** Only when this holds (the layer's facts, the authorization's action); rows without one always match. */
  when?: (i: RowInput) => boolean;
  /** Left out of what an unknown layer could explain (`Unknown.couldExplain`). */
  notForUnknowns?: true;
  /** Only for a caller from another account than the resource's (left out when both accounts are known and equal). */
  crossAccountOnly?: true;
  /**
   * A refusal no grant can lift: an unknown layer names it even when the known evidence already refuses, since
   * the fix of that other refusal would not end it.
   */
  unliftable?: true;
}

const ANY: readonly BlockingOutcome[] = ['explicit-deny', 'missing-allow', 'block'];
const DENY: readonly BlockingOutcome[] = ['explicit-deny'];
/** A policy layer that lacks an Allow, or a guard that fails. */
const NOT_DENY: readonly BlockingOutcome[] = ['missing-allow', 'block'];

const isKms = (i: RowInput) => i.action.toLowerCase().startsWith('kms:');

/** Storage classes whose objects must be restored before reading. */
const ARCHIVED_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/** The object-state step's checks (its `facts.check`) and their causes. */
const OBJECT_STATE_CHECKS: Readonly<Record<string, CauseCode>> = {
  archived: 'archived-object',
  'not-found': 'object-not-found-without-list',
  'bucket-access-disabled': 'bucket-access-disabled',
};

/** The object-state step: archived, missing without ListBucket, or disabled bucket, from its facts. */
function objectStateCause(l: LayerResult): CauseCode | undefined {
  const f = factsOf(l);
  const byCheck = typeof f.check === 'string' ? OBJECT_STATE_CHECKS[f.check] : undefined;
  if (byCheck) return byCheck;
  if (f.exists === false) return 'object-not-found-without-list';
  if (typeof f.storageClass === 'string' && ARCHIVED_CLASSES.has(f.storageClass)) return 'archived-object';
  return undefined;
}

const objectState = (code: CauseCode) => (i: RowInput) => objectStateCause(i.layer) === code;

/** An AWS managed key used from another account: its fixed key policy admits no one else (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html). */
const awsManaged = (i: RowInput) => {
  const f = factsOf(i.layer);
  return f.check === 'aws-managed-key-cross-account';
};

/** Another account owns the object (the ownership step compared the owners). */
const foreignOwner = (i: RowInput) => factsOf(i.layer).foreignOwner === true;

/** A policy layer's two rows: its explicit deny and its missing allow. */
function policyRows(layer: LayerName, deny: CauseCode, missing?: CauseCode): CauseRow[] {
  const rows: CauseRow[] = [{ layer, outcomes: DENY, code: deny }];
  if (missing) rows.push({ layer, outcomes: NOT_DENY, code: missing });
  return rows;
}

/**
 * The cause table: which (layer, outcome, facts) each cause code stands for, in order; the first row
 * that matches names the cause. The authentication step is by error code (`ERROR_CODE_CAUSES`), and a
 * layer whose facts name a cause (`facts.cause`, an S3 error code in `facts.errorCode`) is that cause.
 * RCPs have no missing-allow code: RCPFullAWSAccess cannot be detached (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
 */
export const CAUSE_ROWS: readonly CauseRow[] = [
  ...policyRows('scp', 'explicit-deny-scp', 'missing-allow-scp'),
  ...policyRows('rcp', 'explicit-deny-rcp'),
  ...policyRows(
    'vpc-endpoint-policy',
    'explicit-deny-vpc-endpoint-policy',
    'missing-allow-vpc-endpoint-policy',
  ),
  { layer: 'identity-policy', outcomes: DENY, code: 'explicit-deny-identity-policy' },
  {
    layer: 'identity-policy',
    outcomes: NOT_DENY,
    code: 'missing-allow-identity-policy',
    when: (i) => !isKms(i),
  },
  // A KMS call S3 makes for the requester: the identity policy lacks the KMS action.
  {
    layer: 'identity-policy',
    outcomes: NOT_DENY,
    code: 'missing-allow-kms',
    when: isKms,
    notForUnknowns: true,
  },
  ...policyRows(
    'permissions-boundary',
    'explicit-deny-permissions-boundary',
    'missing-allow-permissions-boundary',
  ),
  ...policyRows('session-policy', 'explicit-deny-session-policy', 'missing-allow-session-policy'),
  ...policyRows('bucket-policy', 'explicit-deny-bucket-policy', 'missing-allow-bucket-policy'),
  ...policyRows(
    'access-point-policy',
    'explicit-deny-access-point-policy',
    'missing-allow-access-point-policy',
  ),
  // A VPC-only access point refusing a request from elsewhere: S3 reports it as an explicit deny in a
  // resource-based policy. https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-vpc.html
  { layer: 'access-point-network-origin', outcomes: ANY, code: 'explicit-deny-access-point-policy' },
  // No ACL grant is a missing resource-side allow; an object ACL that blocks means another account owns the object.
  { layer: 'bucket-acl', outcomes: ['missing-allow'], code: 'missing-allow-bucket-policy' },
  { layer: 'object-acl', outcomes: ['missing-allow'], code: 'missing-allow-bucket-policy' },
  { layer: 'object-acl', outcomes: ['explicit-deny', 'block'], code: 'object-owned-by-other-account' },
  // The same step refuses ACL headers under BucketOwnerEnforced and checks the object owner.
  { layer: 'object-ownership', outcomes: ANY, code: 'object-owned-by-other-account', when: foreignOwner },
  { layer: 'object-ownership', outcomes: ANY, code: 'acl-not-supported', when: (i) => !foreignOwner(i) },
  { layer: 'block-public-access', outcomes: ANY, code: 'block-public-access' },
  { layer: 'requester-pays', outcomes: ANY, code: 'requester-pays-not-acknowledged' },
  { layer: 'object-lock', outcomes: ANY, code: 'object-lock-protected' },
  {
    layer: 'object-state',
    outcomes: ANY,
    code: 'object-not-found-without-list',
    when: objectState('object-not-found-without-list'),
  },
  { layer: 'object-state', outcomes: ANY, code: 'archived-object', when: objectState('archived-object') },
  {
    layer: 'object-state',
    outcomes: ANY,
    code: 'bucket-access-disabled',
    when: objectState('bucket-access-disabled'),
    notForUnknowns: true,
  },
  { layer: 'kms-key-policy', outcomes: DENY, code: 'explicit-deny-kms-key-policy' },
  { layer: 'kms-key-policy', outcomes: NOT_DENY, code: 'missing-allow-kms', when: (i) => !awsManaged(i) },
  {
    layer: 'kms-key-policy',
    outcomes: NOT_DENY,
    code: 'kms-aws-managed-key-cross-account',
    when: awsManaged,
    // AWS managed keys can be used by principals of their own account only.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
    crossAccountOnly: true,
    // Its key policy cannot be edited: the fix is another key, whatever else refuses.
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
    unliftable: true,
  },
  { layer: 'kms-identity-policy', outcomes: DENY, code: 'explicit-deny-identity-policy' },
  { layer: 'kms-identity-policy', outcomes: NOT_DENY, code: 'missing-allow-kms' },
  // A disabled, pending-deletion, pending-import or unavailable key: S3 cannot use it, whatever the policies say.
  { layer: 'kms-key-state', outcomes: ANY, code: 'kms-key-unusable' },
];

/** Layers whose result carries policy statements (the others are S3's and KMS's own steps). */
export const STATEMENT_LAYERS: ReadonlySet<LayerName> = new Set<LayerName>([
  'scp',
  'rcp',
  'vpc-endpoint-policy',
  'identity-policy',
  'permissions-boundary',
  'session-policy',
  'bucket-policy',
  'access-point-policy',
  'kms-key-policy',
  'kms-identity-policy',
]);

/** Codes of refusals no grant can lift (see {@link CauseRow.unliftable}). */
export const UNLIFTABLE_CODES: ReadonlySet<CauseCode> = new Set(
  CAUSE_ROWS.filter((r) => r.unliftable).map((r) => r.code),
);

/** The rows of one cause code (what a rule for that code reads). */
export function rowsOf(code: CauseCode): CauseRow[] {
  return CAUSE_ROWS.filter((r) => r.code === code);
}

/** Which cause codes each layer stands for: what an unknown layer could explain (`Unknown.couldExplain`). */
export const LAYER_CODES: Readonly<Record<LayerName, CauseCode[]>> = Object.fromEntries(
  LAYER_NAMES.map((l) => [
    l,
    [...new Set(CAUSE_ROWS.filter((r) => r.layer === l && !r.notForUnknowns).map((r) => r.code))],
  ]),
) as Record<LayerName, CauseCode[]>;

/** Every code a layer's rows name, in table order, including rows left out of `LAYER_CODES`. */
export function codesOfLayer(layer: LayerName): CauseCode[] {
  return [...new Set(CAUSE_ROWS.filter((r) => r.layer === layer).map((r) => r.code))];
}

/**
 * The codes an unknown layer could explain given the outcomes still possible for it: a deny code
 * when a Deny may match (or, for a step S3 reports as a deny, when it may block), a missing-allow
 * code when an Allow may be missing or the layer may block, an S3 check's code always; a
 * cross-account cause only when the caller and the resource are not known to share an account.
 */
export function unknownCauseCodes(
  layer: LayerName,
  possible: readonly string[],
  sameAccount = false,
): CauseCode[] {
  const out: CauseCode[] = [];
  for (const r of CAUSE_ROWS) {
    if (r.layer !== layer || r.notForUnknowns || out.includes(r.code)) continue;
    if (r.crossAccountOnly && sameAccount) continue;
    const kind = CAUSE_KIND[r.code];
    const ok =
      kind === 'explicit-deny'
        ? possible.includes('explicit-deny') || (r.outcomes.includes('block') && possible.includes('block'))
        : kind === 'missing-allow'
          ? possible.includes('missing-allow') || possible.includes('block')
          : true;
    if (ok) out.push(r.code);
  }
  return out;
}

/**
 * S3 (and STS) error codes that name their cause by themselves: authentication errors (no policy was
 * evaluated), disabled accounts, archived objects, and KMS keys S3 could not use because of their
 * key state (a disabled key answers `DisabledException`; pending deletion, pending import or an
 * unavailable custom key store `KMSInvalidStateException`; S3 passes them on as `KMS.<Exception>`).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
 */
export const ERROR_CODE_CAUSES: Readonly<Record<string, CauseCode>> = {
  ExpiredToken: 'expired-credentials',
  ExpiredTokenException: 'expired-credentials',
  TokenRefreshRequired: 'expired-credentials',
  InvalidToken: 'expired-credentials',
  InvalidAccessKeyId: 'invalid-access-key',
  InvalidClientTokenId: 'invalid-access-key',
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

/** The error codes that mean the request never reached authorization: the credentials or the signature failed. */
export const AUTHENTICATION_ERRORS: Readonly<Record<string, CauseCode>> = Object.fromEntries(
  Object.entries(ERROR_CODE_CAUSES).filter(([, c]) => CAUSE_KIND[c] === 'authentication'),
);

/** Whether an S3 error code and message say a presigned URL had expired (S3 answers AccessDenied). */
export function presignedExpired(errorCode: string | undefined, errorMessage: string | undefined): boolean {
  return errorCode === 'AccessDenied' && /request has expired/i.test(errorMessage ?? '');
}

const VALID = new Set<string>(CAUSE_CODES);

function isCause(v: unknown): v is CauseCode {
  return typeof v === 'string' && VALID.has(v);
}

/** A layer's facts, read by key whatever the layer (the table's conditions test a key's value). */
type AnyFacts = Readonly<AnyLayerFacts>;

/** A layer's facts as one record of every known key, for the table's conditions. */
function factsOf(l: LayerResult): AnyFacts {
  return (l.facts ?? {}) as AnyFacts;
}

/** The cause a layer's structured facts name, if any (`facts.cause`, or the cause of `facts.errorCode`). */
function causeFromFacts(l: LayerResult): CauseCode | undefined {
  const f = factsOf(l);
  if (isCause(f.cause)) return f.cause;
  const err = f.errorCode;
  if (typeof err === 'string' && ERROR_CODE_CAUSES[err]) return ERROR_CODE_CAUSES[err];
  return undefined;
}

/**
 * The codes one layer stands for when its outcome is `outcome` (the layer's own, or one an unknown
 * layer could have): its facts' cause first, then the first row of the table that matches.
 */
export function causeCodesFor(
  l: LayerResult,
  outcome: BlockingOutcome,
  auth: AuthorizationResult,
  evaluation?: Evaluation,
): CauseCode[] {
  const fromFacts = causeFromFacts(l);
  if (fromFacts) return [fromFacts];
  if (l.layer === 'authentication') {
    const code = evaluation?.request.errorCode;
    if (code === 'AccessDenied' && /expired/i.test(evaluation?.request.errorMessage ?? ''))
      return ['presigned-url-expired'];
    const c = code ? ERROR_CODE_CAUSES[code] : undefined;
    return c ? [c] : [];
  }
  const c = rowCode(l, outcome, auth.request.action);
  return c ? [c] : [];
}

/** The first row of the table that matches a layer, an outcome and an action. */
function rowCode(l: LayerResult, outcome: BlockingOutcome, action: string): CauseCode | undefined {
  const input: RowInput = { layer: l, action };
  for (const r of CAUSE_ROWS)
    if (r.layer === l.layer && r.outcomes.includes(outcome) && (!r.when || r.when(input))) return r.code;
  return undefined;
}

/**
 * The cause code of a layer and a kind of refusal known from words alone (an enhanced AccessDenied
 * message), with no facts: the table's row for it, else the layer's first code (an RCP has no
 * missing-allow code: its refusals are denies).
 */
export function causeCodeOfLayer(
  layer: LayerName,
  outcome: 'explicit-deny' | 'missing-allow',
  action: string,
): CauseCode | undefined {
  const l: LayerResult = { layer, applies: 'true', outcome, policies: [] };
  return rowCode(l, outcome, action) ?? CAUSE_ROWS.find((r) => r.layer === layer)?.code;
}

/** The codes one blocking layer stands for (empty for layers that let the request through). */
export function layerCauseCodes(
  l: LayerResult,
  auth: AuthorizationResult,
  evaluation?: Evaluation,
): CauseCode[] {
  const outcome = l.outcome;
  if (outcome !== 'explicit-deny' && outcome !== 'missing-allow' && outcome !== 'block') return [];
  return causeCodesFor(l, outcome, auth, evaluation);
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
  // Another account owns the object: the bucket owner's grants cannot reach it (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html), so
  // the missing resource-side allow the engine reports for it is that owner's.
  const foreign = auth.layers.some((l) => l.layer === 'object-ownership' && factsOf(l).foreignOwner === true);
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
 *   when the key step found an AWS managed key used from another account, `facts.check`); `kms-identity-policy` -> `explicit-deny-identity-policy` / `missing-allow-kms`;
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
    const c = code ? ERROR_CODE_CAUSES[code] : undefined;
    if (c) out.push(c);
  }
  return out;
}
