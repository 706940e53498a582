// The authorization engine's output: a decision and a trace precise enough to name the statement,
// the condition and the value that decided it.

import type { PolicyRef } from './policy.js';
import type { AuthzRequest, ContextValue, Principal, S3Request } from './request.js';
import type { CauseCode } from './cause.js';

/** Three-valued logic: `unknown` when evidence or request context is missing. */
export type Tri = 'true' | 'false' | 'unknown';

/** The contract's decisions. */
export type Decision = 'Allowed' | 'ExplicitDeny' | 'ImplicitDeny' | 'NotAuthenticated';

/** How one condition (operator + key) evaluated. */
export interface ConditionTrace {
  /** Operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string;
  key: string;
  policyValues: string[];
  /** The request's value; absent when the key is absent or unknown. */
  requestValue?: ContextValue;
  /** Whether the key was present, absent, or not knowable from the input. */
  keyState: 'present' | 'absent' | 'unknown';
  result: Tri;
  /**
   * Why the condition could not be evaluated normally (unknown operator, unresolved policy variable,
   * plain operator on a multi-valued key...); absent when it evaluated normally.
   */
  error?: string;
}

/**
 * How a Principal element matched: `wildcard` (`*`), `account` (names the account: delegation),
 * `root` (names the account, caller is its root user), `user`, `role` (every session of the role),
 * `session` (the exact assumed-role session), `federated-user`, `service`, `canonical-user`, or
 * `not-principal` (a NotPrincipal element decided).
 */
export type PrincipalMatchVia =
  | 'wildcard'
  | 'account'
  | 'root'
  | 'user'
  | 'role'
  | 'session'
  | 'federated-user'
  | 'service'
  | 'canonical-user'
  | 'not-principal';

/** How one statement evaluated against one authorization. */
export interface StatementTrace {
  /** Which policy and statement (statementIndex, sid). */
  policy: PolicyRef;
  effect: 'Allow' | 'Deny';
  /** Whether every element matched. */
  matched: Tri;
  action: { matched: boolean; by?: string };
  /** `uncertain`: the match depends on a policy variable whose key is unknown (statement `matched` is `unknown`). */
  resource: { matched: boolean; by?: string; uncertain?: boolean };
  /**
   * Principal element (resource policies only). `account` means the statement names the account
   * (delegation to IAM), which alone grants nothing to a non-root principal.
   */
  principal?: {
    matched: 'true' | 'false' | 'account';
    by?: string;
    /** Which kind of entry matched (absent when nothing matched). */
    via?: PrincipalMatchVia;
    /** The caller could not be identified, so the match is undecided (statement `matched` is `unknown`). */
    uncertain?: boolean;
  };
  conditions: ConditionTrace[];
  /** The first element that made the statement not match, for "why didn't it apply". */
  failedOn?: 'action' | 'resource' | 'principal' | 'condition';
}

/** What one policy document said about one authorization. */
export interface PolicyEvaluation {
  policy: PolicyRef;
  /** A matching Deny exists (`unknown`: it might, depending on unknown context). */
  explicitDeny: Tri;
  /** A matching Allow exists. */
  allow: Tri;
  /** The same, restricted to Allows naming the principal directly (not the account). */
  directAllow?: Tri;
  /** Every statement's trace, in document order. */
  statements: StatementTrace[];
}

/** Every step of the authorization chain, IAM's and S3's, in evaluation order. */
export const LAYER_NAMES = [
  'authentication',
  'scp',
  'rcp',
  'vpc-endpoint-policy',
  'identity-policy',
  'permissions-boundary',
  'session-policy',
  'bucket-policy',
  'access-point-policy',
  'access-point-network-origin',
  'bucket-acl',
  'object-acl',
  'object-ownership',
  'block-public-access',
  'requester-pays',
  'object-lock',
  'object-state',
  'kms-key-policy',
  'kms-identity-policy',
  'kms-key-state',
  // The resource-based policy of a service s3doctor does not model (cross-account calls need its grant).
  'resource-policy',
] as const;

/** Names every step of the authorization chain, IAM's and S3's. */
export type LayerName = (typeof LAYER_NAMES)[number];

/** Facts every layer may carry: whether its own policies allow, and an S3 step's check and error. */
export interface CommonLayerFacts {
  /** Whether the layer's own policies allow (policy layers). */
  ownAllow?: Tri;
  /** Which S3 check the step is. */
  check?:
    | 'authentication'
    | 'acl-not-supported'
    | 'object-owner'
    | 'network-origin'
    | 'requester-pays'
    | 'object-lock'
    | 'archived'
    | 'not-found'
    | 'disabled'
    | 'method-not-allowed'
    | 'aws-managed-key-cross-account'
    | 'key-state'
    | (string & {});
  /** The error code S3 (or KMS) answers with when this step refuses. */
  errorCode?: string;
  httpStatus?: number;
  /** A cause code this layer stands for, ahead of the cause table's mapping. */
  cause?: CauseCode;
}

/** Facts of a layer that compares the caller's account with the resource owner's. */
export interface AccountFacts {
  /** Whether the caller is in another account than the resource owner (anonymous: `true`). */
  crossAccount?: Tri;
}

/** One Block Public Access flag: effective value and the levels (account, bucket, access point) that set it. */
export interface BpaFlagFacts {
  effective: Tri;
  levels: string[];
  unknownLevels?: string[];
}

/** Facts of an SCP or RCP layer. */
export interface OrganizationPolicyFacts extends CommonLayerFacts {
  /** Why the layer does not apply to this caller (`anonymous`, `service-linked-role`, `aws-managed-key`, ...). */
  exempt?: string;
  inOrganization?: boolean;
  /** Org levels with no Allow for the request. */
  levelsWithoutAllow?: string[];
}

/** Facts of the identity side (identity policies, KMS identity policies). */
export interface IdentityFacts extends CommonLayerFacts {
  principalKind?: Principal['kind'];
  principalArn?: string;
  root?: boolean;
  /** Roles of that name in the evidence when the path is unknown. */
  roleCandidates?: string[];
  rolePathKnown?: boolean;
  roleMatchedByName?: string;
  principalDeleted?: boolean;
  /** `none-in-evidence`: another service's resource policy is not modelled. */
  resourcePolicy?: 'none-in-evidence';
}

/** Facts of a VPC endpoint policy layer. */
export interface VpcEndpointFacts extends CommonLayerFacts {
  vpce?: string;
  /** The endpoint has the default full-access policy. */
  defaultPolicy?: boolean;
}

/** Facts of a bucket or access point policy layer. */
export interface ResourcePolicyFacts extends CommonLayerFacts, AccountFacts {
  noPolicy?: boolean;
  publicPolicy?: Tri;
  accessPoint?: string;
  /** The bucket owner's root user can always manage the bucket policy. */
  ownerRootEscapeHatch?: boolean;
  /** Same-account-or-not is open because the resource owner's account is unknown. */
  resourceAccountUnknown?: boolean;
}

/** Facts of a bucket or object ACL layer. */
export interface AclFacts extends CommonLayerFacts {
  aclsDisabled?: boolean;
  grantees?: string[];
  permission?: string;
  publicAcl?: Tri;
}

/** Facts of the Object Ownership step. */
export interface ObjectOwnershipFacts extends CommonLayerFacts {
  objectOwnership?: string | null;
  bucketOwnerCanonicalId?: string;
  objectOwnerCanonicalId?: string;
  objectOwnerAccount?: string;
  ownedByBucketOwner?: Tri;
  /** Another account owns the object. */
  foreignOwner?: boolean;
  aclHeader?: string | null;
}

/** Facts of the Block Public Access step. */
export interface BlockPublicAccessFacts extends CommonLayerFacts {
  /** Every flag as evaluated. */
  flags?: Partial<
    Record<
      'BlockPublicAcls' | 'IgnorePublicAcls' | 'BlockPublicPolicy' | 'RestrictPublicBuckets',
      BpaFlagFacts
    >
  >;
  /** The flag that blocks and the level that sets it. */
  flag?: 'BlockPublicAcls' | 'IgnorePublicAcls' | 'BlockPublicPolicy' | 'RestrictPublicBuckets';
  level?: string;
  blocked?: 'public-acl-grant' | 'public-policy-grant' | 'public-acl-write' | 'public-policy-write';
  publicAclRequested?: Tri;
  publicPolicySubmitted?: Tri;
}

/** Facts of an access point's network origin step. */
export interface NetworkOriginFacts extends CommonLayerFacts {
  networkOrigin?: 'Internet' | 'VPC';
  vpcId?: string;
  requestVpc?: string;
}

/** Facts of the Requester Pays step. */
export interface RequesterPaysFacts extends CommonLayerFacts, AccountFacts {
  requestPayer?: 'BucketOwner' | 'Requester';
  requestPayerSent?: boolean;
}

/** Facts of the Object Lock step. */
export interface ObjectLockFacts extends CommonLayerFacts {
  mode?: string;
  retainUntilDate?: string;
  legalHold?: string;
  protectedBy?: 'retention' | 'legal-hold';
}

/** Facts of the object state step (archived, missing). */
export interface ObjectStateFacts extends CommonLayerFacts {
  exists?: boolean;
  storageClass?: string;
  restoreStatus?: string | null;
  listBucketAllowed?: Tri;
  /** What S3 answers when the request is allowed (`NoSuchKey`). */
  expectedError?: string;
}

/** Facts of a KMS key policy layer. */
export interface KmsKeyPolicyFacts extends CommonLayerFacts, AccountFacts {
  keyArn?: string;
  awsManagedKey?: Tri;
  /** The policy is the one AWS writes for aws/s3 (not read from AWS). */
  syntheticPolicy?: string;
  /** Which key S3 would use is not known: the authorization's `key/*` resource is a placeholder. */
  keyUnknown?: boolean;
  /** The key is known only by its alias: its key ARN, which KMS authorizes on, is not in the evidence. */
  keyArnUnknown?: boolean;
}

/** Facts of the resource-based policy of a service s3doctor does not model. */
export interface ServiceResourcePolicyFacts extends CommonLayerFacts, AccountFacts {}

/** Facts of a KMS key state layer. */
export interface KmsKeyStateFacts extends CommonLayerFacts {
  keyState?: string;
  keyUnknown?: boolean;
}

/** The facts each layer of the chain records, by layer name. */
export interface LayerFactsMap {
  authentication: CommonLayerFacts;
  scp: OrganizationPolicyFacts;
  rcp: OrganizationPolicyFacts;
  'vpc-endpoint-policy': VpcEndpointFacts;
  'identity-policy': IdentityFacts;
  'permissions-boundary': IdentityFacts;
  'session-policy': IdentityFacts;
  'bucket-policy': ResourcePolicyFacts;
  'access-point-policy': ResourcePolicyFacts;
  'access-point-network-origin': NetworkOriginFacts;
  'bucket-acl': AclFacts;
  'object-acl': AclFacts;
  'object-ownership': ObjectOwnershipFacts;
  'block-public-access': BlockPublicAccessFacts;
  'requester-pays': RequesterPaysFacts;
  'object-lock': ObjectLockFacts;
  'object-state': ObjectStateFacts;
  'kms-key-policy': KmsKeyPolicyFacts;
  'kms-identity-policy': IdentityFacts;
  'kms-key-state': KmsKeyStateFacts;
  'resource-policy': ServiceResourcePolicyFacts;
}

/** The facts of one layer (of any layer when `L` is the whole union). */
export type LayerFacts<L extends LayerName = LayerName> = LayerFactsMap[L];

/** Every fact any layer records: what the engine builds before a layer's result is sealed. */
export type AnyLayerFacts = OrganizationPolicyFacts &
  IdentityFacts &
  VpcEndpointFacts &
  ResourcePolicyFacts &
  AclFacts &
  ObjectOwnershipFacts &
  BlockPublicAccessFacts &
  NetworkOriginFacts &
  RequesterPaysFacts &
  ObjectLockFacts &
  ObjectStateFacts &
  KmsKeyPolicyFacts &
  KmsKeyStateFacts &
  ServiceResourcePolicyFacts;

/** What every layer's verdict holds, whatever the layer. */
export interface LayerResultBase<L extends LayerName = LayerName> {
  layer: L;
  /** Whether this layer takes part (SCPs only in an organization, VPCE only through an endpoint...). */
  applies: Tri;
  /**
   * `allow`: this layer lets the request through; `explicit-deny`: a Deny matched;
   * `missing-allow`: nothing allows and this layer must; `block`: an S3 check refused it;
   * `not-applicable`; `unknown`: evidence or context is missing.
   */
  outcome: 'allow' | 'explicit-deny' | 'missing-allow' | 'block' | 'not-applicable' | 'unknown';
  /** Unknown outcomes: the outcomes still possible. */
  possible?: ('allow' | 'explicit-deny' | 'missing-allow' | 'block')[];
  /** Policies consulted (SCP/RCP: one per attached policy, with `levels`). */
  policies: PolicyEvaluation[];
  /** SCP/RCP: per level of the org path, whether some policy there allows. */
  levels?: { target: string; allow: Tri; explicitDeny: Tri }[];
  /** Snapshot paths of missing evidence that would settle an `unknown`. */
  missingEvidence?: string[];
  /** Structured facts for rules and formatters (never prose), typed per layer: e.g. `{ flag: 'RestrictPublicBuckets', level: 'account' }`. */
  facts?: LayerFactsMap[L];
}

/** One layer's verdict for one authorization: a union keyed by `layer`, so `facts` has that layer's type. */
export type LayerResult = { [L in LayerName]: LayerResultBase<L> }[LayerName];

/** The evaluation of one authorization through the whole chain. */
export interface AuthorizationResult {
  request: AuthzRequest;
  decision: Decision;
  /** True when unknown evidence means another decision is still possible. */
  certain: boolean;
  /** Decisions that remain possible given unknown evidence (always includes `decision`). */
  possibleDecisions: Decision[];
  layers: LayerResult[];
  /**
   * The layer (and, for policy layers, the statement) that decided: the matching Deny for
   * ExplicitDeny, the first blocking layer for ImplicitDeny, the granting Allow for Allowed.
   */
  deciding?: { layer: LayerName; policy?: PolicyRef };
}

/** Evidence the engine needed but did not have, and what it could explain. */
export interface Unknown {
  /** Snapshot path (`accounts.111122223333.serviceControlPolicies`) or `context.aws:SourceVpce`. */
  path: string;
  couldExplain: CauseCode[];
  /**
   * Why it is missing, when the report says so: the collector's note (`AccessDenied on s3:GetBucketPolicy`), or
   * the kind of gap (not in the snapshot, never returned by AWS, not in the input).
   */
  reason?: string;
}

/** The whole S3 request's evaluation: every authorization plus S3's own steps. */
export interface Evaluation {
  request: S3Request;
  decision: Decision;
  certain: boolean;
  possibleDecisions: Decision[];
  authorizations: AuthorizationResult[];
  unknowns: Unknown[];
}
