// `s3doctor alerts`: prints the CloudWatch Logs metric filter and alarm that catch future AccessDenied events (no AWS calls).

import type { ExitCode } from '../program.js';

/** Runs `alerts`. */
export async function runAlerts(opts: Record<string, unknown>): Promise<ExitCode> {
  const { renderAlerts } = await import('../../triage/alerts.js');
  process.stdout.write(
    renderAlerts({
      logGroup: typeof opts.logGroup === 'string' ? opts.logGroup : 'CloudTrail/DefaultLogGroup',
      ...(Array.isArray(opts.bucket) ? { buckets: opts.bucket as string[] } : {}),
      ...(Array.isArray(opts.principal) ? { principals: opts.principal as string[] } : {}),
      ...(typeof opts.threshold === 'number' ? { threshold: opts.threshold } : {}),
      ...(typeof opts.period === 'number' ? { periodSeconds: opts.period } : {}),
      ...(typeof opts.snsTopic === 'string' ? { snsTopic: opts.snsTopic } : {}),
    }),
  );
  return 0;
}
