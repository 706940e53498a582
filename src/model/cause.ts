// Causes and fixes: what the rule engine concludes from an evaluation, and what it suggests.

import type { IacFix } from './iac.js';
import type { PolicyDocument, PolicyRef } from './policy.js';
import type { ContextValue, S3CallFacts } from './request.js';

/** The stable cause codes of CONTRACT.md. */
export const CAUSE_CODES = [
  'expired-credentials',
  'invalid-access-key',
  'signature-mismatch',
  'clock-skew',
  'presigned-url-expired',
  'explicit-deny-identity-policy',
  'explicit-deny-bucket-policy',
  'explicit-deny-access-point-policy',
  'explicit-deny-permissions-boundary',
  'explicit-deny-session-policy',
  'explicit-deny-scp',
  'explicit-deny-rcp',
  'explicit-deny-vpc-endpoint-policy',
  'explicit-deny-kms-key-policy',
  'missing-allow-identity-policy',
  'missing-allow-bucket-policy',
  'missing-allow-access-point-policy',
  'missing-allow-permissions-boundary',
  'missing-allow-session-policy',
  'missing-allow-scp',
  'missing-allow-vpc-endpoint-policy',
  'missing-allow-kms',
  'block-public-access',
  'acl-not-supported',
  'object-owned-by-other-account',
  'object-not-found-without-list',
  'requester-pays-not-acknowledged',
  'object-lock-protected',
  'kms-aws-managed-key-cross-account',
  'kms-key-unusable',
  'bucket-access-disabled',
  'archived-object',
] as const;

/** One stable cause code. */
export type CauseCode = (typeof CAUSE_CODES)[number];

/** How sure the engine is: `certain` (proved), `likely` (strong signal), `possible` (consistent with the evidence). */
export type Confidence = 'certain' | 'likely' | 'possible';

/** The condition that decided a statement, with the request's value. */
export interface ConditionRef {
  operator: string;
  key: string;
  policyValues: string[];
  /** Absent when the request did not carry the key (or it is unknown). */
  requestValue?: ContextValue;
}

/** The patch part of a fix: whole documents before and after. */
export interface PolicyPatch {
  /**
   * What the patch changes. `group`: for a group's inline identity policy, the group's name (`id`
   * is then the ARN of the member the evidence shows it for, `name` the policy name).
   */
  target: { type: string; id: string; name?: string; group?: string };
  /** `null`: there was no document (a new policy). */
  before: PolicyDocument | Record<string, unknown> | null;
  after: PolicyDocument | Record<string, unknown>;
  /**
   * The current document was not in the evidence (unknown): `after` holds only what the fix adds,
   * to be merged by hand; applying it cannot prove anything, so such a fix is never verified.
   */
  beforeUnknown?: boolean;
}

/**
 * A change on the client side, as data, so a fix can be verified by re-evaluating the changed
 * request (e.g. HTTPS: `context: { 'aws:SecureTransport': 'true' }`).
 */
export interface RequestChange {
  /** Context keys to set on every authorization (and drop from `unknownKeys`). */
  context?: Record<string, ContextValue>;
  /** Context keys the changed request no longer sends. */
  removeContextKeys?: string[];
  /** S3 call facts to overwrite (`requestPayerSent: true`, `aclHeader: 'bucket-owner-full-control'`). */
  s3?: Partial<S3CallFacts>;
  /** The retried request authenticates (fresh credentials, synced clock, new presigned URL). */
  clearAuthError?: boolean;
  /** Send the request at this time instead (ISO 8601), e.g. after a retention date. */
  time?: string;
  /** Extra IAM actions the changed request needs, on the same resource as the first authorization. */
  addActions?: string[];
  /** IAM actions the changed request no longer needs (e.g. s3:PutObjectAcl once no ACL header is sent); never the first authorization's. */
  removeActions?: string[];
}

/** What applying a patch would newly allow beyond the denied request. */
export interface BlastRadius {
  /** Probes evaluated before and after. */
  probes: number;
  /** Probes that were denied before and are allowed after, other than the denied request itself. */
  newlyAllowed: {
    principal: string;
    action: string;
    resource: string;
    /** How the probe differed, when principal/action/resource do not say it (e.g. `direct call, not via S3`). */
    note?: string;
  }[];
}

/** One suggested fix. */
export interface Fix {
  kind: 'client-change' | 'policy-patch' | 'config-change' | 'credential-refresh';
  summary: string;
  patch?: PolicyPatch;
  /** Re-evaluated with the patch applied: the request is now allowed. Never assumed. */
  verified?: boolean;
  /** When not verified: the causes known to still block after the patch (the evidence proves them). */
  remainingCauses?: CauseCode[];
  /**
   * When not verified because evidence is unknown: what that evidence could still block with (`causes`)
   * and which evidence it is (`unknowns`: snapshot paths or `context.<key>`). Never proven blockers.
   */
  mayRemain?: { causes: CauseCode[]; unknowns: string[] };
  blastRadius?: BlastRadius;
  /** AWS CLI commands that would apply it. */
  commands?: string[];
  /** Unified diff of before/after, for display. */
  diff?: string;
  /** Further patches that belong to the same fix and are applied together with `patch`. */
  additionalPatches?: PolicyPatch[];
  /**
   * Another way to the same end as the cause's first fix (e.g. a same-account bucket-policy grant beside
   * the identity-policy fix): shown, but `--apply` and `--save-patch` take the first fix only.
   */
  alternative?: boolean;
  /** For client changes: how the request changes, so the fix can be re-evaluated. */
  requestChange?: RequestChange;
  /** With `--iac DIR`: the fix as a diff of the Terraform or CloudFormation source that defines the policy. */
  iac?: IacFix;
}

/** One cause of the denial. */
export interface Cause {
  code: CauseCode;
  confidence: Confidence;
  /** Rule id (its path under rules/). */
  rule: string;
  policy?: PolicyRef;
  condition?: ConditionRef;
  /** One or two plain sentences, from the rule's messages. */
  explanation: string;
  fixes: Fix[];
  /** The authorization (action + resource) this cause blocks, when it is one of several. */
  action?: string;
  resource?: string;
}
