// Ranking of causes: most certain first; then authentication, explicit deny, S3's own checks,
// missing allow; then authorization order and the chain's order of layers.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

import type { CauseCode } from '../model/cause.js';
import { CAUSE_KIND, type CauseKind } from '../authz/cause-table.js';
import type { LayerName } from '../model/evaluation.js';
import { confidenceRank } from './rule-kit.js';
import type { Confidence } from './rule-kit.js';

export { AUTH_CODES } from '../authz/cause-table.js';

/** Which group a code belongs to, in ranking order (the cause table's kind). */
export function causeKind(code: CauseCode): 0 | 1 | 2 | 3 {
  return KIND_RANK[CAUSE_KIND[code]];
}

const KIND_RANK: Readonly<Record<CauseKind, 0 | 1 | 2 | 3>> = {
  authentication: 0,
  'explicit-deny': 1,
  's3-check': 2,
  'missing-allow': 3,
};

/** AWS's documented order of checks, then S3's and KMS's steps. */
const LAYER_ORDER: readonly LayerName[] = [
  'authentication',
  'rcp',
  'scp',
  'vpc-endpoint-policy',
  'bucket-policy',
  'access-point-policy',
  'access-point-network-origin',
  'identity-policy',
  'permissions-boundary',
  'session-policy',
  'block-public-access',
  'bucket-acl',
  'object-acl',
  'object-ownership',
  'requester-pays',
  'object-lock',
  'object-state',
  'kms-key-policy',
  'kms-identity-policy',
  'kms-key-state',
];

/** What ranking reads from a cause under construction. */
export interface Rankable {
  code: CauseCode;
  confidence: Confidence;
  layer?: LayerName;
  authorizationIndex?: number;
}

/** Comparator: negative when `a` should be listed before `b`. */
export function compareCauses(a: Rankable, b: Rankable): number {
  return (
    confidenceRank(b.confidence) - confidenceRank(a.confidence) ||
    causeKind(a.code) - causeKind(b.code) ||
    (a.authorizationIndex ?? 99) - (b.authorizationIndex ?? 99) ||
    layerRank(a.layer) - layerRank(b.layer)
  );
}

function layerRank(l: LayerName | undefined): number {
  const i = l ? LAYER_ORDER.indexOf(l) : -1;
  return i < 0 ? LAYER_ORDER.length : i;
}
