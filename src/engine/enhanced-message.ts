// Maps the enhanced AccessDenied message's policy-type phrase (DOMAIN-LOGS §3.1) to a cause code.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html

import type { CauseCode } from '../model/cause.js';
import type { LogRecord } from '../model/input.js';

type Kind = 'explicit-deny' | 'missing-allow';

/** Policy-type phrase (lower-case) -> [explicit-deny code, missing-allow code]. Resource-based is resolved by ARN. */
const PHRASES: Record<string, [CauseCode, CauseCode] | 'resource-based'> = {
  'identity-based policy': ['explicit-deny-identity-policy', 'missing-allow-identity-policy'],
  'resource-based policy': 'resource-based',
  'permissions boundary': ['explicit-deny-permissions-boundary', 'missing-allow-permissions-boundary'],
  'session policy': ['explicit-deny-session-policy', 'missing-allow-session-policy'],
  'service control policy': ['explicit-deny-scp', 'missing-allow-scp'],
  // No missing-allow-rcp exists: RCPFullAWSAccess cannot be detached (DOMAIN-AUTHZ §8).
  'resource control policy': ['explicit-deny-rcp', 'explicit-deny-rcp'],
  'vpc endpoint policy': ['explicit-deny-vpc-endpoint-policy', 'missing-allow-vpc-endpoint-policy'],
};

/** Which resource-based policy a resource ARN's message means. */
function resourceBased(resource: string, kind: Kind): CauseCode {
  if (resource.startsWith('arn:aws:kms:') || /^arn:aws[\w-]*:kms:/.test(resource))
    return kind === 'explicit-deny' ? 'explicit-deny-kms-key-policy' : 'missing-allow-kms';
  if (/:accesspoint\//.test(resource))
    return kind === 'explicit-deny'
      ? 'explicit-deny-access-point-policy'
      : 'missing-allow-access-point-policy';
  return kind === 'explicit-deny' ? 'explicit-deny-bucket-policy' : 'missing-allow-bucket-policy';
}

/**
 * The cause code an enhanced message names, or undefined (no enhanced message, or an unknown phrase).
 * A `kms:*` action with "no identity-based policy" is `missing-allow-kms`.
 */
export function enhancedCauseCode(record: LogRecord): CauseCode | undefined {
  const e = record.enhanced;
  if (!e) return undefined;
  const entry = PHRASES[e.policyType.toLowerCase().replace(/^an? /, '')];
  if (!entry) return undefined;
  if (entry === 'resource-based') return resourceBased(e.resource, e.kind);
  const isKms = e.action.toLowerCase().startsWith('kms:');
  if (isKms && e.kind === 'missing-allow' && entry[1] === 'missing-allow-identity-policy')
    return 'missing-allow-kms';
  return e.kind === 'explicit-deny' ? entry[0] : entry[1];
}
