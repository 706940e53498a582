// Maps the enhanced AccessDenied message's policy-type phrase (https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html) to a layer, and
// through the cause table to a cause code.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html

import { causeCodeOfLayer } from '../authz/cause-table.js';
import type { CauseCode } from '../model/cause.js';
import type { LayerName } from '../model/evaluation.js';
import type { LogRecord } from '../model/input.js';

/** Policy-type phrase (lower-case) -> the layer it names. Resource-based is resolved by ARN. */
const PHRASES: Record<string, LayerName | 'resource-based'> = {
  'identity-based policy': 'identity-policy',
  'resource-based policy': 'resource-based',
  'permissions boundary': 'permissions-boundary',
  'session policy': 'session-policy',
  'service control policy': 'scp',
  'resource control policy': 'rcp',
  'vpc endpoint policy': 'vpc-endpoint-policy',
};

/** Which resource-based policy a resource ARN's message means: a KMS key's, an access point's, else the bucket's. */
function resourceBased(resource: string): LayerName {
  if (/^arn:aws[\w-]*:kms:/.test(resource)) return 'kms-key-policy';
  if (/:accesspoint\//.test(resource)) return 'access-point-policy';
  return 'bucket-policy';
}

/**
 * The cause code an enhanced message names, or undefined (no enhanced message, or an unknown phrase).
 * A `kms:*` action with "no identity-based policy" is `missing-allow-kms` (the table's row).
 */
export function enhancedCauseCode(record: LogRecord): CauseCode | undefined {
  const e = record.enhanced;
  if (!e) return undefined;
  const entry = PHRASES[e.policyType.toLowerCase().replace(/^an? /, '')];
  if (!entry) return undefined;
  const layer = entry === 'resource-based' ? resourceBased(e.resource) : entry;
  return causeCodeOfLayer(layer, e.kind, e.action);
}
