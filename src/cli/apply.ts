// Applying a verified patch to AWS: the only AWS write calls, each after a backup of the current document.
// The SDK loads lazily; clients take no endpoint of their own (but --endpoint-url), so AWS_ENDPOINT_URL(_<SERVICE>) is honoured.

import type { ExitCode } from './program.js';
import type { Evidence, Fix, LogRecord, PolicyPatch, Result } from '../model/index.js';
import { UserError } from '../model/user-error.js';
import type { EvidenceSource } from '../api/pipeline.js';
import type { DiagnoseOptions } from './options.js';
import { notice, writeNewFile } from './output.js';
import { patchFileName, patchFixes } from './patches.js';

/** The patch could not be applied (unsupported target, document changed, AWS refused): exit 2 with the reason. */
export class ApplyError extends UserError {}

/** Patch targets s3doctor can write, with the AWS API that writes each. */
export const APPLY_TARGETS: Record<string, string> = {
  'bucket-policy': 's3:PutBucketPolicy',
  'identity-policy': 'iam:PutRolePolicy / iam:PutUserPolicy / iam:CreatePolicyVersion',
  'permissions-boundary': 'iam:CreatePolicyVersion',
  'kms-key-policy': 'kms:PutKeyPolicy',
  'bucket-public-access-block': 's3:PutBucketPublicAccessBlock',
  'bucket-ownership-controls': 's3:PutBucketOwnershipControls',
};

/** Why a patch cannot be applied automatically, or undefined when it can. */
export function notApplicableReason(fix: Fix, patch: PolicyPatch): string | undefined {
  if (patch.beforeUnknown)
    return 'the current document was not in the evidence, so the change must be merged by hand';
  if (fix.verified !== true) return 'the fix is not verified to allow the request';
  if (!(patch.target.type in APPLY_TARGETS)) {
    if (patch.target.type === 'scp' || patch.target.type === 'rcp')
      return 'organization policies are changed by the organization administrators';
    if (patch.target.type === 'session-policy')
      return 'a session policy is passed by whoever starts the session';
    return `s3doctor does not write ${patch.target.type} (use the AWS CLI commands shown)`;
  }
  return undefined;
}

/** How AWS is reached. */
export interface AwsOptions {
  profile?: string;
  region?: string;
  /** The evidence the patch was made from: gives the bucket's region. */
  evidence?: Evidence;
}

/** The region to write a target in: the flag, the bucket's or the key ARN's region, the SDK's default. */
export function targetRegion(patch: PolicyPatch, aws: AwsOptions): string {
  if (aws.region) return aws.region;
  const { type, id } = patch.target;
  if (type.startsWith('bucket-')) {
    const r = aws.evidence?.buckets[id]?.region;
    if (r) return r;
  }
  const arnRegion = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(id)?.[1];
  if (arnRegion) return arnRegion;
  return process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/** The document or configuration the target holds in AWS now (`null`: none). */
type Current = Record<string, unknown> | null;

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 1 ? canonical(v[0]) : v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  return v;
}

/** Whether two documents say the same (key order, one-element lists and bool/number spelling aside). */
export function sameDocument(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a ?? null)) === JSON.stringify(canonical(b ?? null));
}

function firstLine(e: unknown): string {
  return String((e as { message?: unknown })?.message ?? e).split('\n')[0] ?? '';
}

function errName(e: unknown): string {
  return (e as { name?: string })?.name ?? '';
}

function parseDoc(s: string | undefined): Record<string, unknown> | null {
  if (!s) return null;
  const text = s.trimStart().startsWith('{') ? s : decodeURIComponent(s);
  return JSON.parse(text) as Record<string, unknown>;
}

function nameFromArn(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

/** The AWS calls behind one target type: read the current value and write the new one. */
interface TargetIo {
  read(): Promise<Current>;
  write(after: Record<string, unknown>): Promise<void>;
}

async function targetIo(patch: PolicyPatch, aws: AwsOptions): Promise<TargetIo> {
  const { sharedClientConfig, instrumentClient } = await import('../evidence/live/client-settings.js');
  const { type, id, name } = patch.target;
  const service = type.startsWith('bucket-') ? 's3' : type === 'kms-key-policy' ? 'kms' : 'iam';
  const config = {
    region: targetRegion(patch, aws),
    ...(aws.profile ? { profile: aws.profile } : {}),
    // S3 path-style for a local AWS_ENDPOINT_URL (a bucket cannot be a subdomain of an IP address).
    ...(service === 's3'
      ? { forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_S3) }
      : {}),
    // A socket that never answers fails in seconds, not minutes; --endpoint-url and AWS_CA_BUNDLE.
    ...sharedClientConfig(service, {
      connectionTimeout: 5_000,
      requestTimeout: 15_000,
      throwOnRequestTimeout: true,
    }),
  };
  // Writes are sent once, whatever AWS_MAX_ATTEMPTS says: a retried write may already have landed
  // (CreatePolicyVersion is not idempotent), so a failed write is reported, never repeated.
  const once = { ...config, maxAttempts: 1 };
  if (
    type === 'bucket-policy' ||
    type === 'bucket-public-access-block' ||
    type === 'bucket-ownership-controls'
  ) {
    const s3 = await import('@aws-sdk/client-s3');
    const client = instrumentClient(new s3.S3Client(config), service);
    const writer = instrumentClient(new s3.S3Client(once), service);
    if (type === 'bucket-policy') {
      return {
        read: async () => {
          try {
            return parseDoc((await client.send(new s3.GetBucketPolicyCommand({ Bucket: id }))).Policy);
          } catch (e) {
            if (errName(e) === 'NoSuchBucketPolicy') return null;
            throw e;
          }
        },
        write: async (after) =>
          void (await writer.send(
            new s3.PutBucketPolicyCommand({ Bucket: id, Policy: JSON.stringify(after) }),
          )),
      };
    }
    if (type === 'bucket-public-access-block') {
      return {
        read: async () => {
          try {
            const r = await client.send(new s3.GetPublicAccessBlockCommand({ Bucket: id }));
            return (r.PublicAccessBlockConfiguration ?? null) as Current;
          } catch (e) {
            if (errName(e) === 'NoSuchPublicAccessBlockConfiguration') return null;
            throw e;
          }
        },
        write: async (after) =>
          void (await writer.send(
            new s3.PutPublicAccessBlockCommand({ Bucket: id, PublicAccessBlockConfiguration: after }),
          )),
      };
    }
    return {
      read: async () => {
        try {
          const r = await client.send(new s3.GetBucketOwnershipControlsCommand({ Bucket: id }));
          const o = r.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
          return o ? { ObjectOwnership: o } : null;
        } catch (e) {
          if (errName(e) === 'OwnershipControlsNotFoundError') return null;
          throw e;
        }
      },
      write: async (after) =>
        void (await writer.send(
          new s3.PutBucketOwnershipControlsCommand({
            Bucket: id,
            OwnershipControls: {
              Rules: [{ ObjectOwnership: String(after.ObjectOwnership) as 'BucketOwnerEnforced' }],
            },
          }),
        )),
    };
  }
  if (type === 'kms-key-policy') {
    const kms = await import('@aws-sdk/client-kms');
    const client = instrumentClient(new kms.KMSClient(config), service);
    const writer = instrumentClient(new kms.KMSClient(once), service);
    return {
      read: async () =>
        parseDoc(
          (await client.send(new kms.GetKeyPolicyCommand({ KeyId: id, PolicyName: 'default' }))).Policy,
        ),
      write: async (after) =>
        void (await writer.send(
          new kms.PutKeyPolicyCommand({ KeyId: id, PolicyName: 'default', Policy: JSON.stringify(after) }),
        )),
    };
  }
  // identity-policy and permissions-boundary: IAM.
  const iam = await import('@aws-sdk/client-iam');
  const client = instrumentClient(new iam.IAMClient(config), service);
  const writer = instrumentClient(new iam.IAMClient(once), service);
  if (id.includes(':policy/')) {
    return {
      read: async () => {
        const p = await client.send(new iam.GetPolicyCommand({ PolicyArn: id }));
        const v = await client.send(
          new iam.GetPolicyVersionCommand({ PolicyArn: id, VersionId: p.Policy?.DefaultVersionId }),
        );
        return parseDoc(v.PolicyVersion?.Document);
      },
      write: async (after) =>
        void (await writer.send(
          new iam.CreatePolicyVersionCommand({
            PolicyArn: id,
            PolicyDocument: JSON.stringify(after),
            SetAsDefault: true,
          }),
        )),
    };
  }
  if (type !== 'identity-policy' || !name)
    throw new ApplyError(`cannot tell which policy of ${id} to change.`);
  if (id.includes(':role/')) {
    const RoleName = nameFromArn(id);
    return {
      read: async () => {
        try {
          return parseDoc(
            (await client.send(new iam.GetRolePolicyCommand({ RoleName, PolicyName: name }))).PolicyDocument,
          );
        } catch (e) {
          if (errName(e) === 'NoSuchEntityException' || errName(e) === 'NoSuchEntity') return null;
          throw e;
        }
      },
      write: async (after) =>
        void (await writer.send(
          new iam.PutRolePolicyCommand({ RoleName, PolicyName: name, PolicyDocument: JSON.stringify(after) }),
        )),
    };
  }
  if (id.includes(':user/')) {
    const UserName = nameFromArn(id);
    return {
      read: async () => {
        try {
          return parseDoc(
            (await client.send(new iam.GetUserPolicyCommand({ UserName, PolicyName: name }))).PolicyDocument,
          );
        } catch (e) {
          if (errName(e) === 'NoSuchEntityException' || errName(e) === 'NoSuchEntity') return null;
          throw e;
        }
      },
      write: async (after) =>
        void (await writer.send(
          new iam.PutUserPolicyCommand({ UserName, PolicyName: name, PolicyDocument: JSON.stringify(after) }),
        )),
    };
  }
  throw new ApplyError(
    `cannot write identity policies of ${id}: only IAM users and roles have inline policies.`,
  );
}

/** What applying did. */
export interface ApplyOutcome {
  target: PolicyPatch['target'];
  /** The file holding the document as it was before the change. */
  backupPath: string;
}

/** `s3doctor-backup-<target>-<time>.json`. */
export function backupFileName(patch: PolicyPatch, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return patchFileName(patch)
    .replace(/^s3doctor-patch-/, 's3doctor-backup-')
    .replace(/\.json$/, `-${stamp}.json`);
}

/**
 * Applies one patch: reads the current value, refuses when it differs from the patch's `before`
 * (the evidence is stale), writes it to a backup file, then writes `after`.
 */
export async function applyPatch(
  patch: PolicyPatch,
  opts: AwsOptions & { backupDir?: string },
): Promise<ApplyOutcome> {
  const io = await targetIo(patch, opts);
  const service = patch.target.type.startsWith('bucket-')
    ? 'S3'
    : patch.target.type === 'kms-key-policy'
      ? 'KMS'
      : 'IAM';
  const { awsCallUserError } = await import('../evidence/live/errors.js');
  let current: Current;
  try {
    current = await io.read();
  } catch (e) {
    const reason = awsCallUserError(e, service, opts.profile)?.message ?? `${errName(e)}: ${firstLine(e)}`;
    throw new ApplyError(
      `nothing was changed: the current ${patch.target.type} of ${patch.target.id} could not be read before the change. ${reason}`,
    );
  }
  if (!sameDocument(current, patch.before)) {
    throw new ApplyError(
      `${patch.target.type} ${patch.target.id} changed since the evidence was collected (the document in AWS differs from the one diagnosed): collect the evidence again and re-run diagnose. Nothing was changed.`,
    );
  }
  const backupPath = await writeNewFile(
    `${opts.backupDir ?? '.'}/${backupFileName(patch)}`,
    JSON.stringify({ target: patch.target, document: current }, null, 2) + '\n',
  );
  try {
    await io.write(patch.after as Record<string, unknown>);
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // No HTTP answer (timeout, reset): the write may have landed. It is not sent again.
    const unsure = status === undefined;
    throw new ApplyError(
      unsure
        ? `the change to ${patch.target.type} ${patch.target.id} got no answer from AWS (${errName(e)}: ${firstLine(e)}); it may or may not have been made, so it was not sent again. Check the document in AWS before trying again; the backup of the previous one is at ${backupPath}.`
        : `AWS refused the change to ${patch.target.type} ${patch.target.id} (${errName(e)}: ${firstLine(e)}). Nothing was changed; the backup is at ${backupPath}.`,
    );
  }
  return { target: patch.target, backupPath };
}

/** The exact change, for a confirmation or a dry run. */
export function describeChange(fix: Fix, patch: PolicyPatch): string {
  const t = patch.target;
  const lines = [
    `${t.type} ${t.name ? `${t.name} of ` : ''}${t.id} (${APPLY_TARGETS[t.type] ?? 'not writable'})`,
    fix.summary,
  ];
  if (fix.diff && patch === fix.patch) lines.push(fix.diff.trimEnd());
  else lines.push(JSON.stringify(patch.after, null, 2));
  return lines.join('\n');
}

/** The patches `--apply` would write: verified, known documents, supported targets, one per target. */
export function applicablePatches(results: Result[]): { fix: Fix; patch: PolicyPatch }[] {
  const seen = new Set<string>();
  return patchFixes(results).filter(({ fix, patch }) => {
    if (notApplicableReason(fix, patch)) return false;
    const k = `${patch.target.type}\u0000${patch.target.id}\u0000${patch.target.name ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * `diagnose --apply`: without `--yes` a dry run that prints the exact change and writes nothing;
 * with `--yes` backs up and applies each verified patch, then collects again and re-diagnoses.
 * Returns the exit code after re-diagnosis, or undefined to keep the report's.
 */
export async function applyFromFlags(
  results: Result[],
  ev: EvidenceSource,
  opts: DiagnoseOptions,
  records: LogRecord[],
): Promise<ExitCode | undefined> {
  const items = applicablePatches(results);
  if (items.length === 0) {
    const reasons = patchFixes(results).map(
      ({ fix, patch }) =>
        `${patch.target.type} ${patch.target.id}: ${notApplicableReason(fix, patch) ?? 'duplicate'}`,
    );
    notice(
      `--apply: nothing to apply.${reasons.length ? `\n  ${reasons.join('\n  ')}` : ' No fix changes a policy or configuration.'}`,
    );
    return undefined;
  }
  const yes = opts.yes === true || opts.assumeYes === true;
  if (!yes) {
    for (const { fix, patch } of items)
      notice(`Dry run: --apply would change\n${describeChange(fix, patch)}`);
    notice('Dry run: nothing was changed. Add --yes to apply (a backup of each document is written first).');
    return undefined;
  }
  const aws: AwsOptions & { backupDir?: string } = {
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.backupDir ? { backupDir: opts.backupDir } : {}),
    ...(ev.evidence ? { evidence: ev.evidence } : {}),
  };
  for (const { patch } of items) {
    const out = await applyPatch(patch, aws);
    notice(
      `Applied the change to ${patch.target.type} ${patch.target.id}; the previous document is saved in ${out.backupPath}`,
    );
  }
  return reDiagnose(records, opts);
}

/** Collects the evidence again from AWS and re-diagnoses, to confirm a fix; prints the new verdicts. */
export async function reDiagnose(records: LogRecord[], opts: DiagnoseOptions): Promise<ExitCode | undefined> {
  try {
    const { collectLive } = await import('./evidence-source.js');
    const { diagnoseRecords, toRequests } = await import('../api/pipeline.js');
    const evidence = await collectLive(await toRequests(records), opts);
    const after = await diagnoseRecords(records, { evidence, kind: 'live' }, opts);
    for (const r of after) {
      notice(
        `After the change: ${r.request.action} on ${r.request.resource}: ${r.decision}${r.decision === 'Allowed' ? ' (fixed)' : ` (${r.causes.map((c) => c.code).join(', ') || 'no cause shown'})`}`,
      );
    }
    // Applying was meant to allow each request: one still denied is a failure a script must see.
    return after.every((r) => r.decision === 'Allowed') ? 0 : 1;
  } catch (e) {
    notice(
      `Applied, but could not collect the evidence again to confirm (${(e as Error).message}). Run s3doctor diagnose --live to check.`,
    );
    return 1;
  }
}
