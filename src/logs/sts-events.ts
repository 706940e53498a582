// STS AssumeRole* CloudTrail events: the session each one created and the session policy passed to it.

import { createHash } from 'node:crypto';
import type { InputSource, SessionGrant } from '../model/input.js';
import type { PolicyDocument } from '../model/policy.js';

/*
 * AssumeRole's Policy and PolicyArns: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html ;
 * the STS events CloudTrail logs: https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html .
 */

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const ASSUME: ReadonlySet<string> = new Set([
  'AssumeRole',
  'AssumeRoleWithWebIdentity',
  'AssumeRoleWithSAML',
]);

/** A one-way fingerprint of an access key id: matches a request to the AssumeRole event that issued its key. */
export function accessKeyFingerprint(accessKeyId: string): string {
  return createHash('sha256').update(accessKeyId).digest('hex').slice(0, 16);
}

function maybeJson(x: unknown): unknown {
  if (typeof x !== 'string') return x;
  const t = x.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return x;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return x;
  }
}

/** Whether a CloudTrail event is a successful STS AssumeRole* call. */
export function isAssumeRoleEvent(ev: Obj): boolean {
  return (
    ev.eventSource === 'sts.amazonaws.com' &&
    typeof ev.eventName === 'string' &&
    ASSUME.has(ev.eventName) &&
    !ev.errorCode
  );
}

/** The session an STS AssumeRole* CloudTrail event created; undefined for any other event or a failed call. */
export function sessionGrantOf(ev: unknown, source?: InputSource): SessionGrant | undefined {
  if (!isObj(ev) || !isAssumeRoleEvent(ev)) return undefined;
  const rp = maybeJson(ev.requestParameters);
  const re = maybeJson(ev.responseElements);
  if (!isObj(rp)) return undefined;
  const user = isObj(re) ? maybeJson(re.assumedRoleUser) : undefined;
  let sessionArn = isObj(user) && typeof user.arn === 'string' ? user.arn : undefined;
  if (!sessionArn && typeof rp.roleArn === 'string' && typeof rp.roleSessionName === 'string') {
    const m = /^arn:(aws[\w-]*):iam::(\d{12}):role\/(?:[^/]*\/)*([^/]+)$/.exec(rp.roleArn);
    if (m) sessionArn = `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/${rp.roleSessionName}`;
  }
  if (!sessionArn) return undefined;
  const creds = isObj(re) ? maybeJson(re.credentials) : undefined;
  const key = isObj(creds) && typeof creds.accessKeyId === 'string' ? creds.accessKeyId : undefined;
  let policy: SessionGrant['policy'] = null;
  if (rp.policy !== undefined && rp.policy !== null && rp.policy !== '') {
    const parsed = maybeJson(rp.policy);
    policy = isObj(parsed) ? (parsed as unknown as PolicyDocument) : String(rp.policy);
  }
  const list = maybeJson(rp.policyArns);
  const policyArns = Array.isArray(list)
    ? list.flatMap((p) =>
        isObj(p) && typeof p.arn === 'string' ? [p.arn] : typeof p === 'string' ? [p] : [],
      )
    : [];
  return {
    sessionArn,
    ...(key ? { accessKeyIdHash: accessKeyFingerprint(key) } : {}),
    ...(typeof ev.eventTime === 'string' ? { time: ev.eventTime } : {}),
    policy,
    policyArns,
    ...(source ? { source } : {}),
  };
}
