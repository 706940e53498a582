// `s3doctor collect [INPUT...] --out FILE`: gather live evidence for the inputs' requests (or named buckets/principals) into a snapshot.

import type { ExitCode } from '../program.js';
import type { Evidence } from '../../model/index.js';
import { UsageError } from '../errors.js';
import { UserError } from '../../model/user-error.js';
import type { LiveCall } from '../../evidence/live/index.js';
import { collectLive } from '../evidence-source.js';
import type { CollectOptions } from '../options.js';
import { assertCanWrite, notice, writeNewFile } from '../output.js';
import { announceStdin } from '../tty.js';
import { readRecords, toRequests } from '../../api/pipeline.js';
import { startSpinner } from '../progress.js';

/** Runs `collect`. */
export async function runCollect(inputs: string[], opts: CollectOptions): Promise<ExitCode> {
  if (!opts.out) throw new UsageError('collect needs --out FILE: the snapshot file to write.');
  // The target is checked before any AWS call, so a run is never wasted on a file that exists.
  await assertCanWrite(opts.out, opts.force);
  const calls: LiveCall[] = [];
  const onCall = (c: LiveCall): void => void calls.push(c);
  if (inputs.length === 0 && !opts.bucket?.length && !opts.principal?.length) {
    if (process.stdin.isTTY)
      throw new UsageError(
        'give inputs (logs with denied requests), or --bucket NAME / --principal ARN, to say what to collect.',
      );
    inputs = ['-'];
  }
  const parts: Evidence[] = [];
  if (inputs.length) {
    announceStdin(inputs);
    const read = await readRecords(inputs, process.stdin);
    for (const m of read.malformed.slice(0, 5))
      notice(`skipped ${m.source}${m.line !== undefined ? `:${m.line}` : ''}: ${m.reason}`);
    if (read.records.length) parts.push(await collectLive(await toRequests(read.records), opts, onCall));
    else notice('No denied request found in the inputs.');
  }
  if (opts.bucket?.length || opts.principal?.length) {
    const { collect } = await import('../../api/index.js');
    const spinner = await startSpinner('Collecting evidence from AWS');
    try {
      parts.push(
        await collect(
          {
            ...(opts.bucket?.length ? { buckets: opts.bucket } : {}),
            ...(opts.principal?.length ? { principals: opts.principal } : {}),
          },
          {
            ...(opts.profile ? { profile: opts.profile } : {}),
            ...(opts.region ? { region: opts.region } : {}),
            ...(opts.roleArn?.length ? { roleArns: opts.roleArn } : {}),
            onProgress: (msg: string) => spinner.text(`Collecting evidence: ${msg}`),
            onCall,
          },
        ),
      );
      spinner.succeed('Evidence collected from AWS');
    } catch (e) {
      spinner.fail('Could not collect evidence from AWS');
      throw e;
    }
  }
  if (parts.length === 0)
    throw new UsageError(
      'nothing to collect: no denied request in the inputs; name --bucket or --principal.',
    );
  const read = calls.filter((c) => c.service !== 'sts');
  const denied = read.filter((c) => c.outcome === 'denied');
  const missing = [...new Set(denied.map((c) => c.action).filter((a): a is string => a !== null))].sort();
  if (read.length > 0 && read.every((c) => c.outcome !== 'ok')) {
    const why = denied.length
      ? `every read was refused (${denied.length} of ${read.length} calls AccessDenied); the credentials in use lack ${missing.join(', ')}`
      : `no read succeeded (${[...new Set(read.map((c) => c.outcome))].join(', ')})`;
    throw new UserError(
      `nothing could be collected, so no snapshot was written: ${why}. Grant the read-only permissions of examples/collector-policy.json (or use another --profile), then run again.`,
    );
  }
  const { mergeEvidence } = await import('../../evidence/index.js');
  const { toSnapshotJson } = await import('../../api/index.js');
  const evidence = parts.length === 1 ? parts[0]! : mergeEvidence(...parts);
  const text = await toSnapshotJson(evidence);
  const abs = await writeNewFile(opts.out, text, opts.force);
  notice(
    `Snapshot written to ${abs}${evidence.notes.length ? ` (${evidence.notes.length} item(s) could not be collected: see "notes")` : ''}`,
  );
  if (missing.length)
    notice(
      `Could not read ${denied.length} item(s): the credentials in use lack ${missing.join(', ')} (examples/collector-policy.json lists every read s3doctor makes).`,
    );
  return 0;
}
