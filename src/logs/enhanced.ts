// Parses the AccessDenied message that names the policy type (the "enhanced" message S3 and IAM send).

import type { LogRecord } from '../model/input.js';

/**
 * Policy-type phrases AWS writes, per
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html and
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html .
 */
export const POLICY_TYPE_PHRASES = [
  'identity-based policy',
  'resource-based policy',
  'permissions boundary',
  'session policy',
  'service control policy',
  'resource control policy',
  'VPC endpoint policy',
] as const;

const PT = POLICY_TYPE_PHRASES.join('|');

/** Groups: 1 principal, 2 action, 3 resource, 4 missing-allow layer, 5 explicit-deny layer. */
const ENHANCED_RE = new RegExp(
  `User: (\\S+) is not authorized to perform: ([\\w-]+:[\\w*]+) on resource: "?([^"\\s]+)"? ` +
    `(?:because no (${PT}) allows the \\S+ action|with an explicit deny in an? (${PT}))`,
);

/** Same sentence, global, tolerant of line breaks (for finding it inside pasted text). */
export const ENHANCED_RE_GLOBAL = new RegExp(ENHANCED_RE.source.replace(/ /g, '\\s+'), 'g');

/** Collapses runs of whitespace (incl. newlines) to one space and trims. */
export function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Reads an enhanced AccessDenied message: who, which action, which resource, which policy type,
 * and whether it was an explicit deny or a missing allow. Undefined when the text does not hold
 * one (or names a policy type not listed in {@link POLICY_TYPE_PHRASES}).
 */
export function parseEnhancedMessage(message: string | undefined): LogRecord['enhanced'] | undefined {
  if (!message || !message.includes('is not authorized')) return undefined;
  const m = ENHANCED_RE.exec(collapseWhitespace(message));
  if (!m) return undefined;
  const missing = m[4];
  const deny = m[5];
  return {
    principalArn: m[1] ?? '',
    action: m[2] ?? '',
    resource: m[3] ?? '',
    policyType: (deny ?? missing ?? '') as string,
    kind: deny ? 'explicit-deny' : 'missing-allow',
  };
}
