// Logging readiness (`s3doctor logging`): is a bucket's access logged, can the log delivery write, are logs kept, does CloudTrail record data events.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html (same Region; bucket-owner-enforced targets take no grants)
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_LoggingEnabled.html (target: no SSE-KMS default encryption, no Object Lock default retention, no Requester Pays)

import type {
  BucketEvidence,
  Evaluation,
  Evidence,
  LifecycleRule,
  PolicyDocument,
  TrailEvidence,
} from '../model/index.js';
import {
  bucketPolicyFix,
  enableLoggingFix,
  encryptionFix,
  lifecycleFix,
  trailFix,
  type LoggingFix,
} from './fixes.js';

/** The log delivery service principal. */
export const LOG_DELIVERY = 'logging.s3.amazonaws.com';

/** One check's verdict. */
export type CheckStatus = 'ok' | 'gap' | 'unknown' | 'advice';

/** One readiness check of one bucket. */
export interface LoggingCheck {
  id:
    | 'access-logging'
    | 'key-format'
    | 'target-location'
    | 'delivery-permission'
    | 'delivery-scoped'
    | 'target-encryption'
    | 'target-settings'
    | 'log-retention'
    | 'cloudtrail-data-events';
  status: CheckStatus;
  /** One plain sentence. */
  summary: string;
  /** Snapshot paths whose absence made the check unknown. */
  missing?: string[];
  fix?: LoggingFix;
}

/** The log delivery's own PutObject, evaluated by the engine. */
export interface DeliveryEvaluation {
  key: string;
  decision: Evaluation['decision'];
  certain: boolean;
  /** Layers that block it (`bucket-policy: missing-allow`). */
  blocking: string[];
  evaluation: Evaluation;
}

/** The readiness report of one bucket. */
export interface LoggingReport {
  bucket: string;
  target?: { bucket: string; prefix: string };
  checks: LoggingCheck[];
  delivery?: DeliveryEvaluation;
}

/** Options of {@link checkLogging}. */
export interface LoggingCheckOptions {
  /** Evaluates a simulate-shaped request (the engine, injected so this module stays pure). */
  evaluate: (request: Record<string, unknown>, evidence: Evidence) => Evaluation;
  /** Days of retention a suggested lifecycle rule sets (default 365). */
  retentionDays?: number;
  /** Target bucket and prefix to suggest when logging is off (default `<bucket>-logs`, `<bucket>/`). */
  suggestTarget?: string;
}

function rulePrefix(r: LifecycleRule): string {
  const f = r.Filter as { Prefix?: string; And?: { Prefix?: string } } | undefined;
  return f?.Prefix ?? f?.And?.Prefix ?? r.Prefix ?? '';
}

/** Whether a rule expires objects under `prefix`. */
export function expiresPrefix(r: LifecycleRule, prefix: string): boolean {
  return (
    r.Status === 'Enabled' &&
    prefix.startsWith(rulePrefix(r)) &&
    (r.Expiration?.Days !== undefined || r.Expiration?.Date !== undefined)
  );
}

/** Whether a trail (or event data store) records S3 data events for objects of `bucket`. */
export function recordsDataEvents(t: TrailEvidence, bucket: string): boolean {
  if (t.isLogging === false) return false;
  const objects = `arn:aws:s3:::${bucket}/`;
  for (const s of t.eventSelectors ?? []) {
    for (const d of s.DataResources ?? []) {
      if (d.Type !== 'AWS::S3::Object') continue;
      for (const v of d.Values ?? []) {
        // `arn:aws:s3` (or `arn:aws:s3:::`) selects every bucket; `arn:aws:s3:::b/` (with an optional prefix) one.
        if (v === 'arn:aws:s3' || v === 'arn:aws:s3:::' || objects.startsWith(v) || v.startsWith(objects))
          return true;
      }
    }
  }
  for (const a of t.advancedEventSelectors ?? []) {
    const field = (name: string) => a.FieldSelectors.find((f) => f.Field === name);
    const category = field('eventCategory');
    const type = field('resources.type');
    if (!category?.Equals?.includes('Data') || !type?.Equals?.includes('AWS::S3::Object')) continue;
    const arn = field('resources.ARN');
    if (!arn) return true;
    if (arn.Equals?.some((v) => v.startsWith(objects))) return true;
    if (arn.StartsWith?.some((v) => objects.startsWith(v) || v.startsWith(objects))) return true;
    // Only exclusions: recorded unless one of them excludes this bucket.
    if (!arn.Equals && !arn.StartsWith && !arn.NotStartsWith?.some((v) => objects.startsWith(v))) return true;
  }
  return false;
}

function blockingLayers(e: Evaluation): string[] {
  const out: string[] = [];
  for (const a of e.authorizations)
    for (const l of a.layers)
      if (l.outcome === 'explicit-deny' || l.outcome === 'missing-allow' || l.outcome === 'block')
        out.push(`${l.layer}: ${l.outcome}`);
      else if (l.outcome === 'unknown' && l.possible?.some((p) => p !== 'allow'))
        out.push(`${l.layer}: unknown (${(l.missingEvidence ?? []).join(', ') || 'evidence missing'})`);
  return [...new Set(out)];
}

function policyStatements(doc: PolicyDocument | null | undefined): Record<string, unknown>[] {
  if (!doc) return [];
  const s = (doc as { Statement?: unknown }).Statement;
  return (Array.isArray(s) ? s : s ? [s] : []) as Record<string, unknown>[];
}

function namesLogDelivery(stmt: Record<string, unknown>): boolean {
  const p = stmt.Principal as { Service?: string | string[] } | string | undefined;
  if (!p || typeof p === 'string') return false;
  const svc = p.Service;
  return Array.isArray(svc) ? svc.includes(LOG_DELIVERY) : svc === LOG_DELIVERY;
}

function scopedBySource(stmt: Record<string, unknown>): boolean {
  const c = stmt.Condition as Record<string, Record<string, unknown>> | undefined;
  if (!c) return false;
  return Object.values(c).some((block) =>
    Object.keys(block ?? {}).some((k) => /^aws:Source(Arn|Account)$/i.test(k)),
  );
}

/** Checks one bucket's logging readiness against the evidence. */
export function checkLogging(evidence: Evidence, bucket: string, opts: LoggingCheckOptions): LoggingReport {
  const b: BucketEvidence = evidence.buckets[bucket] ?? {};
  const path = `buckets.${bucket}`;
  const checks: LoggingCheck[] = [];
  const report: LoggingReport = { bucket, checks };
  const days = opts.retentionDays ?? 365;

  if (b.logging === undefined) {
    checks.push({
      id: 'access-logging',
      status: 'unknown',
      summary: `Whether server access logging is on for ${bucket} is not in the evidence.`,
      missing: [`${path}.logging`],
    });
  } else if (b.logging === null) {
    const target = opts.suggestTarget ?? `${bucket}-logs`;
    checks.push({
      id: 'access-logging',
      status: 'gap',
      summary: `Server access logging is off for ${bucket}: denied requests leave no access log.`,
      fix: enableLoggingFix(bucket, target, `${bucket}/`, b.accountId),
    });
  } else {
    const t = b.logging;
    report.target = { bucket: t.TargetBucket, prefix: t.TargetPrefix };
    checks.push({
      id: 'access-logging',
      status: 'ok',
      summary: `Server access logging is on: logs go to s3://${t.TargetBucket}/${t.TargetPrefix}.`,
    });
    const partitioned = t.TargetObjectKeyFormat?.PartitionedPrefix !== undefined;
    checks.push(
      partitioned
        ? {
            id: 'key-format',
            status: 'ok',
            summary: `Log keys are date-partitioned (${t.TargetObjectKeyFormat?.PartitionedPrefix?.PartitionDateSource ?? 'EventTime'}).`,
          }
        : {
            id: 'key-format',
            status: 'advice',
            summary:
              'Log keys use the simple prefix: date-partitioned keys (PartitionedPrefix) let Athena partition projection and lifecycle rules work by day.',
            fix: enableLoggingFix(bucket, t.TargetBucket, t.TargetPrefix, b.accountId),
          },
    );
    checkTarget(evidence, bucket, b, t.TargetBucket, t.TargetPrefix, checks, report, opts, days);
  }
  checkTrails(evidence, bucket, checks);
  return report;
}

function checkTarget(
  evidence: Evidence,
  bucket: string,
  b: BucketEvidence,
  target: string,
  prefix: string,
  checks: LoggingCheck[],
  report: LoggingReport,
  opts: LoggingCheckOptions,
  days: number,
): void {
  const t: BucketEvidence | undefined = evidence.buckets[target];
  const tpath = `buckets.${target}`;
  // Same Region and owner.
  const missing: string[] = [];
  if (!b.region) missing.push(`buckets.${bucket}.region`);
  if (!t?.region) missing.push(`${tpath}.region`);
  if (missing.length) {
    checks.push({
      id: 'target-location',
      status: 'unknown',
      summary: `Whether ${target} is in the same Region as ${bucket} is not in the evidence.`,
      missing,
    });
  } else if (b.region !== t!.region) {
    checks.push({
      id: 'target-location',
      status: 'gap',
      summary: `The target bucket ${target} is in ${t!.region}, ${bucket} in ${b.region}: S3 delivers logs only to a bucket in the same Region.`,
    });
  } else if (b.accountId && t!.accountId && b.accountId !== t!.accountId) {
    checks.push({
      id: 'target-location',
      status: 'gap',
      summary: `The target bucket ${target} belongs to account ${t!.accountId}, ${bucket} to ${b.accountId}: the target must be owned by the same account.`,
    });
  } else {
    checks.push({
      id: 'target-location',
      status: 'ok',
      summary: `${target} is in the same Region (${b.region}).`,
    });
  }

  // The log delivery's own PutObject, evaluated by the engine.
  // A log object key as S3 writes it (simple format): <prefix>YYYY-mm-DD-HH-MM-SS-UniqueString.
  const key = `${prefix}2026-01-01-00-00-00-0123456789ABCDEF`;
  const context: Record<string, string> = { 'aws:SourceArn': `arn:aws:s3:::${bucket}` };
  if (b.accountId) context['aws:SourceAccount'] = b.accountId;
  const request: Record<string, unknown> = {
    principal: LOG_DELIVERY,
    action: 's3:PutObject',
    resource: `arn:aws:s3:::${target}/${key}`,
    context,
    ...(t?.accountId
      ? { resourceAccount: t.accountId }
      : b.accountId
        ? { resourceAccount: b.accountId }
        : {}),
  };
  const e = opts.evaluate(request, evidence);
  const blocking = blockingLayers(e);
  report.delivery = { key, decision: e.decision, certain: e.certain, blocking, evaluation: e };
  if (e.decision === 'Allowed' && e.certain) {
    checks.push({
      id: 'delivery-permission',
      status: 'ok',
      summary: `${LOG_DELIVERY} may write s3://${target}/${key} (evaluated with the engine).`,
    });
  } else if (e.possibleDecisions.includes('Allowed')) {
    checks.push({
      id: 'delivery-permission',
      status: 'unknown',
      summary: `Whether ${LOG_DELIVERY} may write to ${target} depends on evidence that is missing (possible: ${e.possibleDecisions.join(', ')}).`,
      missing: [...new Set(e.unknowns.map((u) => u.path))],
    });
  } else {
    checks.push({
      id: 'delivery-permission',
      status: 'gap',
      summary: `${LOG_DELIVERY} cannot write s3://${target}/${key}: ${e.decision}${e.certain ? '' : ` (possible: ${e.possibleDecisions.join(', ')})`}, blocked by ${blocking.join('; ') || 'the evaluation'}. This is why logs stop arriving.`,
      ...(t?.policy !== undefined
        ? { fix: bucketPolicyFix(target, prefix, bucket, b.accountId, t.policy ?? null) }
        : {}),
    });
  }

  // Scoped grant: the statements granting the log delivery carry aws:SourceArn / aws:SourceAccount.
  if (t?.policy === undefined) {
    checks.push({
      id: 'delivery-scoped',
      status: 'unknown',
      summary: `The bucket policy of ${target} is not in the evidence.`,
      missing: [`${tpath}.policy`],
    });
  } else {
    const grants = policyStatements(t.policy).filter((s) => s.Effect === 'Allow' && namesLogDelivery(s));
    if (grants.length === 0)
      checks.push({
        id: 'delivery-scoped',
        status: 'gap',
        summary: `The bucket policy of ${target} does not grant ${LOG_DELIVERY}.`,
        fix: bucketPolicyFix(target, prefix, bucket, b.accountId, t.policy),
      });
    else if (grants.every(scopedBySource))
      checks.push({
        id: 'delivery-scoped',
        status: 'ok',
        summary: `The grant to ${LOG_DELIVERY} is scoped with aws:SourceArn / aws:SourceAccount.`,
      });
    else
      checks.push({
        id: 'delivery-scoped',
        status: 'advice',
        summary: `A grant to ${LOG_DELIVERY} has no aws:SourceArn or aws:SourceAccount condition: any bucket's logs could be delivered there (confused deputy).`,
        fix: bucketPolicyFix(target, prefix, bucket, b.accountId, t.policy),
      });
  }

  // Default encryption.
  if (t?.encryption === undefined) {
    checks.push({
      id: 'target-encryption',
      status: 'unknown',
      summary: `The default encryption of ${target} is not in the evidence.`,
      missing: [`${tpath}.encryption`],
    });
  } else if (t.encryption && t.encryption.SSEAlgorithm.startsWith('aws:kms')) {
    checks.push({
      id: 'target-encryption',
      status: 'gap',
      summary: `${target} uses ${t.encryption.SSEAlgorithm} default encryption: AWS documents SSE-KMS and DSSE-KMS default encryption as unsupported for log delivery targets; use SSE-S3 (AES256).`,
      fix: encryptionFix(target),
    });
  } else {
    checks.push({
      id: 'target-encryption',
      status: 'ok',
      summary: `${target} default encryption (${t.encryption?.SSEAlgorithm ?? 'SSE-S3'}) works with log delivery.`,
    });
  }

  // Object Ownership, grants, Object Lock default retention, Requester Pays.
  const problems: string[] = [];
  const unknown: string[] = [];
  if (t?.objectOwnership === undefined) unknown.push(`${tpath}.objectOwnership`);
  else if (t.objectOwnership === 'BucketOwnerEnforced' && b.logging?.TargetGrants?.length)
    problems.push(
      'the logging configuration has TargetGrants, which a bucket-owner-enforced target does not support',
    );
  else if (t.objectOwnership !== 'BucketOwnerEnforced')
    problems.push(
      `Object Ownership is ${t.objectOwnership ?? 'not set (ObjectWriter)'}: set BucketOwnerEnforced and grant the log delivery by bucket policy, not ACL`,
    );
  if (t?.objectLock === undefined) unknown.push(`${tpath}.objectLock`);
  else if (t.objectLock?.defaultRetention)
    problems.push('Object Lock has a default retention, which log delivery does not support');
  if (t?.requestPayer === undefined) unknown.push(`${tpath}.requestPayer`);
  else if (t.requestPayer === 'Requester')
    problems.push('Requester Pays is on, which log delivery does not support');
  if (problems.length)
    checks.push({ id: 'target-settings', status: 'gap', summary: `${target}: ${problems.join('; ')}.` });
  else if (unknown.length)
    checks.push({
      id: 'target-settings',
      status: 'unknown',
      summary: `Some settings of ${target} are not in the evidence.`,
      missing: unknown,
    });
  else
    checks.push({
      id: 'target-settings',
      status: 'ok',
      summary: `${target}: Object Ownership BucketOwnerEnforced, no default retention, no Requester Pays.`,
    });

  // Retention.
  if (t?.lifecycle === undefined) {
    checks.push({
      id: 'log-retention',
      status: 'unknown',
      summary: `The lifecycle rules of ${target} are not in the evidence.`,
      missing: [`${tpath}.lifecycle`],
    });
  } else {
    const rule = (t.lifecycle ?? []).find((r) => expiresPrefix(r, prefix));
    checks.push(
      rule
        ? {
            id: 'log-retention',
            status: 'ok',
            summary: `Lifecycle rule ${rule.ID ?? '(no id)'} expires the logs under ${prefix || '(the whole bucket)'} after ${rule.Expiration?.Days !== undefined ? `${rule.Expiration.Days} days` : rule.Expiration?.Date}.`,
          }
        : {
            id: 'log-retention',
            status: 'gap',
            summary: `No enabled lifecycle rule expires the logs under s3://${target}/${prefix}: they are kept (and billed) forever.`,
            fix: lifecycleFix(target, prefix, days, t.lifecycle ?? []),
          },
    );
  }
}

function checkTrails(evidence: Evidence, bucket: string, checks: LoggingCheck[]): void {
  if (evidence.trails === undefined) {
    checks.push({
      id: 'cloudtrail-data-events',
      status: 'unknown',
      summary: 'CloudTrail trails and event data stores are not in the evidence.',
      missing: ['trails'],
    });
    return;
  }
  const hits = Object.entries(evidence.trails).filter(([, t]) => recordsDataEvents(t, bucket));
  if (hits.length)
    checks.push({
      id: 'cloudtrail-data-events',
      status: 'ok',
      summary: `S3 data events for ${bucket} are recorded by ${hits.map(([, t]) => `${t.kind} ${t.name}`).join(', ')}.`,
    });
  else {
    const trail = Object.values(evidence.trails).find((t) => t.kind === 'trail');
    checks.push({
      id: 'cloudtrail-data-events',
      status: 'gap',
      summary: `No trail or event data store records S3 data events (GetObject, PutObject, ...) for ${bucket}: object-level denials are missing from CloudTrail.`,
      fix: trailFix(bucket, trail?.name),
    });
  }
}

/** Every bucket of the evidence (for `logging` without a bucket name). */
export function bucketsOf(evidence: Evidence): string[] {
  return Object.keys(evidence.buckets).sort();
}
