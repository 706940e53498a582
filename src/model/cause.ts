// Causes and fixes: what the rule engine concludes from an evaluation, and what it suggests.

import type { PolicyDocument, PolicyRef } from './policy.js';
import type { ContextValue } from './request.js';

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
  target: { type: string; id: string; name?: string };
  /** `null`: there was no document (a new policy). */
  before: PolicyDocument | Record<string, unknown> | null;
  after: PolicyDocument | Record<string, unknown>;
}

/** What applying a patch would newly allow beyond the denied request. */
export interface BlastRadius {
  /** Probes evaluated before and after. */
  probes: number;
  /** Probes that were denied before and are allowed after, other than the denied request itself. */
  newlyAllowed: { principal: string; action: string; resource: string }[];
}

/** One suggested fix. */
export interface Fix {
  kind: 'client-change' | 'policy-patch' | 'config-change' | 'credential-refresh';
  summary: string;
  patch?: PolicyPatch;
  /** Re-evaluated with the patch applied: the request is now allowed. Never assumed. */
  verified?: boolean;
  /** When not verified: the causes that still block after the patch. */
  remainingCauses?: CauseCode[];
  blastRadius?: BlastRadius;
  /** AWS CLI commands that would apply it. */
  commands?: string[];
  /** Unified diff of before/after, for display. */
  diff?: string;
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
