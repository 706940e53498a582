// Access point evidence through S3 Control in the access point's region and account: its bucket,
// network origin, VPC, Block Public Access settings and policy (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetAccessPoint.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetAccessPointPolicy.html

import type * as S3C from '@aws-sdk/client-s3-control';
import type { AccessPointEvidence } from '../../model/evidence.js';
import { parseAccessPointArn } from '../../s3/index.js';
import type { LiveContext } from './context.js';
import { parsePolicyDocument } from './documents.js';
import { toPublicAccessBlock } from './shapes.js';
import { evidencePath } from '../index.js';

/** What an access point tells about its bucket. */
export interface AccessPointInfo {
  bucket?: string;
  bucketAccount?: string;
}

/** Collects one access point (by ARN); `fallbackBucket` is the bucket the request named. */
export function collectAccessPoint(
  ctx: LiveContext,
  arn: string,
  fallbackBucket?: string,
): Promise<AccessPointInfo> {
  return ctx.once(`ap:${arn}`, () => collect(ctx, arn, fallbackBucket));
}

async function collect(
  ctx: LiveContext,
  arn: string,
  fallbackBucket: string | undefined,
): Promise<AccessPointInfo> {
  const ref = parseAccessPointArn(arn);
  const path = evidencePath('accessPoints', arn);
  if (!ref) {
    ctx.note(path, 'not an access point ARN');
    return {};
  }
  if (!(await ctx.hasAccount(ref.account))) {
    ctx.note(
      path,
      `the access point is in account ${ref.account}, where s3doctor has no credentials (pass --role-arn)`,
    );
    return fallbackBucket ? { bucket: fallbackBucket } : {};
  }
  const s3c = await ctx.optionalModule<typeof S3C>('s3control', path);
  if (!s3c) return fallbackBucket ? { bucket: fallbackBucket } : {};
  const send = <O>(command: object, absent?: string[]) =>
    ctx.send<O>({
      service: 's3control',
      account: ref.account,
      region: ref.region,
      command,
      label: `access point ${ref.name}`,
      ...(absent ? { absent } : {}),
    });
  const [ap, policy] = await Promise.all([
    send<S3C.GetAccessPointCommandOutput>(
      new s3c.GetAccessPointCommand({ AccountId: ref.account, Name: ref.name }),
    ),
    send<S3C.GetAccessPointPolicyCommandOutput>(
      new s3c.GetAccessPointPolicyCommand({ AccountId: ref.account, Name: ref.name }),
      ['NoSuchAccessPointPolicy'],
    ),
  ]);
  const bucket = ap.ok ? ap.value.Bucket : fallbackBucket;
  if (!ap.ok) ctx.noteFailure(ap.failure.kind === 'not-found' ? path : `${path}.networkOrigin`, ap);
  if (!bucket) return {};
  const ev: AccessPointEvidence = { bucket, accountId: ref.account };
  if (ap.ok) {
    const v = ap.value;
    if (v.NetworkOrigin === 'Internet' || v.NetworkOrigin === 'VPC') ev.networkOrigin = v.NetworkOrigin;
    ev.vpcId = v.VpcConfiguration?.VpcId ?? null;
    ev.publicAccessBlock = v.PublicAccessBlockConfiguration
      ? toPublicAccessBlock(v.PublicAccessBlockConfiguration)
      : null;
  }
  if (policy.ok) {
    const doc = parsePolicyDocument(policy.value.Policy);
    if (doc) ev.policy = doc;
    else ctx.note(`${path}.policy`, 'GetAccessPointPolicy returned a document that is not JSON');
  } else if (policy.failure.kind === 'absent') ev.policy = null;
  else ctx.noteFailure(`${path}.policy`, policy);
  ctx.evidence.accessPoints[arn] = ev;
  const bucketAccount = ap.ok ? ap.value.BucketAccountId : undefined;
  return { bucket, ...(bucketAccount ? { bucketAccount } : {}) };
}
