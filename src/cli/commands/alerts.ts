// `s3doctor alerts`: prints the CloudWatch Logs metric filter and alarm that catch future AccessDenied events (no AWS calls).

import type { ExitCode } from '../program.js';

/** Runs `alerts`. */
export async function runAlerts(opts: Record<string, unknown>): Promise<ExitCode> {
  const { renderAlerts, filterPattern, MAX_FILTER_PATTERN } = await import('../../triage/alerts.js');
  const { UsageError } = await import('../errors.js');
  const scope = {
    ...(Array.isArray(opts.bucket) ? { buckets: opts.bucket as string[] } : {}),
    ...(Array.isArray(opts.principal) ? { principals: opts.principal as string[] } : {}),
  };
  const pattern = filterPattern(scope);
  if (pattern.length > MAX_FILTER_PATTERN)
    throw new UsageError(
      `the metric filter pattern would be ${pattern.length} characters, over CloudWatch Logs' ${MAX_FILTER_PATTERN}: name fewer --bucket/--principal values and run alerts once per group.`,
    );
  process.stdout.write(
    renderAlerts({
      logGroup: typeof opts.logGroup === 'string' ? opts.logGroup : 'CloudTrail/DefaultLogGroup',
      ...(Array.isArray(opts.bucket) ? { buckets: opts.bucket as string[] } : {}),
      ...(Array.isArray(opts.principal) ? { principals: opts.principal as string[] } : {}),
      ...(typeof opts.threshold === 'number' ? { threshold: opts.threshold } : {}),
      ...(typeof opts.period === 'number' ? { periodSeconds: opts.period } : {}),
      ...(typeof opts.snsTopic === 'string' ? { snsTopic: opts.snsTopic } : {}),
      ...(typeof opts.topThreshold === 'number' ? { topThreshold: opts.topThreshold } : {}),
    }),
  );
  return 0;
}
