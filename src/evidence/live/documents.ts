// Turns policy documents as AWS returns them into objects: IAM URL-encodes them (GetRolePolicy,
// GetPolicyVersion, ...), S3, S3 Control, KMS, Organizations and EC2 return plain JSON strings.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html ("URL-encoded")

import type { PolicyDocument } from '../../model/policy.js';

/** Parses a policy document string: plain JSON, or URL-encoded JSON (IAM). Undefined if neither. */
export function parsePolicyDocument(raw: string | undefined): PolicyDocument | undefined {
  if (raw === undefined || raw === '') return undefined;
  const text = raw.trimStart();
  const candidates = text.startsWith('{') ? [text] : [safeDecode(text), text];
  for (const c of candidates) {
    if (c === undefined) continue;
    try {
      const doc = JSON.parse(c) as unknown;
      if (doc && typeof doc === 'object' && 'Statement' in doc) return doc as PolicyDocument;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}
