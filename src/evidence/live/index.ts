// Live evidence from AWS, read-only: `collectEvidence` gathers exactly what the given requests
// need (principals, buckets, objects, keys, access points, VPC endpoints, SCPs/RCPs) with the
// runner's credentials, fast (bounded parallel, one cache per run) and honest (not configured ->
// null; our own AccessDenied -> unknown + a note). The only code in s3doctor that talks to AWS.

import { readFile } from 'node:fs/promises';
import type * as STS from '@aws-sdk/client-sts';
import type { Evidence } from '../../model/evidence.js';
import type { S3Request } from '../../model/request.js';
import { principalFromString } from '../../s3/index.js';
import { collectBucket, type BucketInfo } from './bucket.js';
import { collectAccessPoint } from './access-point.js';
import { LiveContext, type LiveOptions } from './context.js';
import { LiveCollectError, LiveCredentialsError, redact, untrustedCertificate } from './errors.js';
import { collectIdentity } from './identity.js';
import { collectOrgPolicies } from './org.js';
import {
  allBucketNeeds,
  emptyPlan,
  planBucket,
  planPrincipal,
  planRequest,
  type CollectionPlan,
} from './plan.js';
import { collectStacks, type StackQuery, type StackRead } from './stacks.js';
import { collectTrails } from './trails.js';
import { collectVpcEndpoint } from './vpc-endpoint.js';
import { emptyEvidence, evidencePath } from '../index.js';

export type { LiveOptions, LiveCall, ClientOptionsByService } from './context.js';
export { LiveCollectError, LiveCredentialsError } from './errors.js';
export { COMMAND_PERMISSIONS } from './permissions.js';
export { toSnapshotJson } from './snapshot.js';
export type { StackQuery, StackRead } from './stacks.js';

/** Gathers, from AWS, the evidence the requests need. Throws LiveCredentialsError on expired/missing credentials. */
export async function collectEvidence(requests: S3Request[], opts: LiveOptions = {}): Promise<Evidence> {
  const plan = emptyPlan();
  for (const r of requests) planRequest(plan, r);
  return run(plan, opts);
}

/**
 * Gathers everything about the named buckets and principals (`collect --bucket B --principal ARN`):
 * every bucket setting, the principals' identity policies, and the SCPs/RCPs that apply.
 */
export async function collectFor(
  targets: {
    buckets?: string[];
    principals?: string[];
    /** Also the buckets' server access logging and lifecycle rules (logging readiness). */
    logging?: boolean;
    /** Also the CloudTrail trails and event data stores and the data events they record (logging readiness). */
    trails?: boolean;
  },
  opts: LiveOptions = {},
): Promise<Evidence> {
  const plan = emptyPlan();
  for (const b of targets.buckets ?? [])
    planBucket(plan, b, targets.logging ? { ...allBucketNeeds(), logging: true } : allBucketNeeds());
  if (targets.trails) plan.trails = true;
  for (const raw of targets.principals ?? []) {
    const p = principalFromString(raw);
    if (p.kind === 'unknown' || p.kind === 'anonymous') {
      plan.skipped.push({
        path: evidencePath('principals', raw),
        reason: 'not an IAM user, role or assumed-role ARN',
      });
      continue;
    }
    planPrincipal(plan, p);
  }
  return run(plan, opts);
}

/**
 * Reads a config file's `roles` object (`{ "roles": { "444455556666": "arn:aws:iam::444455556666:role/s3doctor-read" } }`),
 * for `LiveOptions.roles`. Throws with the file and the problem when it is malformed.
 */
export async function loadRoleConfig(path: string): Promise<Record<string, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new LiveCollectError(`${path}: cannot read the role config (${(e as Error).message})`);
  }
  const roles = (parsed as { roles?: unknown } | null)?.roles;
  if (!roles || typeof roles !== 'object' || Array.isArray(roles)) {
    throw new LiveCollectError(
      `${path}: expected { "roles": { "ACCOUNT_ID": "arn:aws:iam::ACCOUNT_ID:role/NAME" } }`,
    );
  }
  const out: Record<string, string> = {};
  for (const [account, arn] of Object.entries(roles)) {
    if (
      !/^\d{12}$/.test(account) ||
      typeof arn !== 'string' ||
      !new RegExp(`^arn:aws[\\w-]*:iam::${account}:role/`).test(arn)
    ) {
      throw new LiveCollectError(`${path}: roles.${account} must be a role ARN in account ${account}`);
    }
    out[account] = arn;
  }
  return out;
}

async function run(plan: CollectionPlan, opts: LiveOptions): Promise<Evidence> {
  const evidence = emptyEvidence();
  evidence.collectedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ctx = new LiveContext(opts, evidence);
  try {
    await ctx.resolveDefaultRegion();
    await whoAmI(ctx);
    for (const s of plan.skipped) ctx.note(s.path, s.reason);

    const work: Promise<unknown>[] = [];
    // Every piece is awaited below; when one fails (expired credentials end the run), the
    // others' later failures must not surface as unhandled rejections.
    const track = (p: Promise<unknown>) => {
      p.catch(() => undefined);
      work.push(p);
    };
    for (const t of plan.principals.values()) track(collectIdentity(ctx, t));
    if (plan.trails) track(collectTrails(ctx));
    for (const a of plan.principalAccounts) track(collectOrgPolicies(ctx, a, 'scp'));

    // Access points name their bucket: resolve them, then merge their needs into the bucket's.
    const apBuckets = await Promise.all(
      [...plan.accessPoints].map(async ([arn, ap]) => ({
        info: await collectAccessPoint(ctx, arn, ap.fallbackBucket),
        ap,
      })),
    );
    for (const { info, ap } of apBuckets) {
      if (!info.bucket) continue;
      if (info.bucketAccount && !ap.needs.accountHint) ap.needs.accountHint = info.bucketAccount;
      planBucket(plan, info.bucket, ap.needs);
    }
    const buckets = new Map<string, Promise<BucketInfo>>();
    for (const [name, needs] of plan.buckets) {
      const p = collectBucket(ctx, name, needs, (account) => track(collectOrgPolicies(ctx, account, 'rcp')));
      buckets.set(name, p);
      track(p);
    }
    for (const [id, v] of plan.vpcEndpoints) {
      const bucketP = v.bucket ? buckets.get(v.bucket) : undefined;
      track(
        (bucketP ?? Promise.resolve(undefined)).then((info) =>
          collectVpcEndpoint(ctx, id, v.account, info?.region ?? ctx.defaultRegion),
        ),
      );
    }
    // Work keeps arriving (a bucket's owner account starts its RCPs): wait until none is pending.
    for (let done = 0; done < work.length;) {
      const batch = work.slice(done);
      done = work.length;
      await Promise.all(batch);
    }
  } finally {
    await ctx.close();
  }
  return evidence;
}

/**
 * Reads CloudFormation stacks (`diagnose --iac DIR --live`): the stacks named and those owning the
 * physical ids, with parameters, outputs, resources and exports, read-only with the standard credential
 * chain. Refused calls are named in `notes`; expired or missing credentials throw LiveCredentialsError.
 */
export async function readStacks(q: StackQuery, opts: LiveOptions = {}): Promise<StackRead> {
  const ctx = new LiveContext(opts, emptyEvidence());
  try {
    await ctx.resolveDefaultRegion();
    await whoAmI(ctx);
    return await collectStacks(ctx, q);
  } finally {
    await ctx.close();
  }
}

/** STS GetCallerIdentity: whose credentials these are (and whether they work at all). */
async function whoAmI(ctx: LiveContext): Promise<void> {
  const sts = await ctx.module<typeof STS>('sts');
  const r = await ctx.send<STS.GetCallerIdentityCommandOutput>({
    service: 'sts',
    account: undefined,
    command: new sts.GetCallerIdentityCommand({}),
    label: 'caller identity',
  });
  if (!r.ok) {
    if (r.failure.kind === 'denied')
      throw new LiveCredentialsError({ name: r.failure.code, message: r.failure.message }, ctx.opts.profile);
    const tls = untrustedCertificate(r.failure.code, r.failure.message, 'STS');
    throw new LiveCollectError(
      tls ?? `cannot reach AWS STS to check the credentials: ${redact(r.failure.message)}`,
    );
  }
  ctx.callerAccount = r.value.Account ?? '';
  ctx.callerArn = r.value.Arn ?? '';
}
