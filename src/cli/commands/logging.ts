// `s3doctor logging [BUCKET...]`: logging readiness of buckets from a snapshot or live (read-only) evidence.

import type { ExitCode } from '../program.js';
import type { Evidence } from '../../model/index.js';
import { UsageError } from '../errors.js';
import type { CommonOptions } from '../options.js';
import { emitReport } from '../output.js';
import { processTerminal, stdoutColour } from '../tty.js';

/** `logging`'s flags. */
export interface LoggingOptions extends CommonOptions {
  retentionDays?: number;
  trace?: boolean;
}

async function liveEvidence(buckets: string[], opts: LoggingOptions): Promise<Evidence> {
  const { collectFor } = await import('../../evidence/live/index.js');
  const live = {
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.roleArn?.length ? { roleArns: opts.roleArn } : {}),
  };
  const first = await collectFor({ buckets, logging: true, trails: true }, live);
  // Then the target buckets the logging configurations name.
  const targets = [
    ...new Set(
      buckets
        .map((b) => first.buckets[b]?.logging?.TargetBucket)
        .filter((t): t is string => !!t && !buckets.includes(t)),
    ),
  ];
  if (!targets.length) return first;
  const { mergeEvidence } = await import('../../evidence/index.js');
  // The target's policy, encryption, ownership and lifecycle (the retention rule lives there).
  return mergeEvidence(first, await collectFor({ buckets: targets, logging: true }, live));
}

/** Runs `logging`: exit 0 when no gap was found, 1 when a gap (or unknown evidence) remains. */
export async function runLogging(buckets: string[], opts: LoggingOptions): Promise<ExitCode> {
  if (!opts.snapshot?.length && !opts.live)
    throw new UsageError(
      'logging needs evidence: --snapshot FILE (see s3doctor collect --bucket) or --live.',
    );
  if (opts.live && !buckets.length)
    throw new UsageError('with --live, name the buckets to check: s3doctor logging BUCKET... --live');
  const parts: Evidence[] = [];
  if (opts.snapshot?.length) {
    const { loadSnapshots } = await import('../../evidence/index.js');
    parts.push(
      await loadSnapshots(opts.snapshot, {
        onWarning: (w) => process.stderr.write(`s3doctor: warning: ${w}\n`),
      }),
    );
  }
  if (opts.live) parts.push(await liveEvidence(buckets, opts));
  const { mergeEvidence } = await import('../../evidence/index.js');
  const evidence = parts.length === 1 ? parts[0]! : mergeEvidence(...parts);
  const { checkLogging, bucketsOf } = await import('../../logging/check.js');
  const names = buckets.length ? buckets : bucketsOf(evidence);
  if (!names.length) throw new UsageError('the evidence has no bucket: name one, or collect with --bucket.');
  for (const b of names)
    if (!evidence.buckets[b])
      throw new UsageError(
        `bucket ${b} is not in the evidence: collect it (s3doctor collect --bucket ${b}) or use --live.`,
      );
  const { evaluateRequest, parseSimulateRequest } = await import('../../authz/index.js');
  const reports = names.map((b) =>
    checkLogging(evidence, b, {
      evaluate: (req, ev) => evaluateRequest(parseSimulateRequest(req), ev),
      ...(opts.retentionDays ? { retentionDays: opts.retentionDays } : {}),
    }),
  );
  const fmt = await import('../format/logging.js');
  const format = opts.format ?? 'text';
  const text =
    format === 'json'
      ? fmt.renderLoggingJson(reports)
      : format === 'markdown'
        ? fmt.renderLoggingMarkdown(reports)
        : fmt.renderLoggingText(reports, {
            colour: !opts.out && stdoutColour(processTerminal()),
            ...(opts.trace ? { trace: true } : {}),
          });
  await emitReport(text, opts);
  return reports.some((r) => r.checks.some((c) => c.status === 'gap' || c.status === 'unknown')) ? 1 : 0;
}
