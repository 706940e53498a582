// The authorization engine's output: a decision and a trace precise enough to name the statement,
// the condition and the value that decided it.

import type { PolicyRef } from './policy.js';
import type { AuthzRequest, ContextValue, S3Request } from './request.js';
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

/** One layer's verdict for one authorization. */
export interface LayerResult {
  layer: LayerName;
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
  /** Structured facts for rules and formatters (never prose): e.g. `{ flag: 'RestrictPublicBuckets', level: 'account' }`. */
  facts?: Record<string, unknown>;
}

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
