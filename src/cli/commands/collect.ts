// `s3doctor collect [INPUT...] --out FILE`: gather live evidence for the inputs' requests (or named buckets/principals) into a snapshot.

import type { ExitCode } from '../program.js';
import type { Evidence } from '../../model/index.js';
import { UsageError } from '../errors.js';
import { collectLive } from '../evidence-source.js';
import type { CollectOptions } from '../options.js';
import { notice, writeNewFile } from '../output.js';
import { readRecords, toRequests } from '../pipeline.js';
import { startSpinner } from '../progress.js';

/** Runs `collect`. */
export async function runCollect(inputs: string[], opts: CollectOptions): Promise<ExitCode> {
  if (!opts.out) throw new UsageError('collect needs --out FILE: the snapshot file to write.');
  if (inputs.length === 0 && !opts.bucket?.length && !opts.principal?.length) {
    if (process.stdin.isTTY)
      throw new UsageError(
        'give inputs (logs with denied requests), or --bucket NAME / --principal ARN, to say what to collect.',
      );
    inputs = ['-'];
  }
  const parts: Evidence[] = [];
  if (inputs.length) {
    const read = await readRecords(inputs);
    for (const m of read.malformed.slice(0, 5))
      notice(`skipped ${m.source}${m.line !== undefined ? `:${m.line}` : ''}: ${m.reason}`);
    if (read.records.length) parts.push(await collectLive(await toRequests(read.records), opts));
    else notice('No denied request found in the inputs.');
  }
  if (opts.bucket?.length || opts.principal?.length) {
    const live = await import('../../evidence/live/index.js');
    const spinner = await startSpinner('Collecting evidence from AWS');
    try {
      parts.push(
        await live.collectFor(
          {
            ...(opts.bucket?.length ? { buckets: opts.bucket } : {}),
            ...(opts.principal?.length ? { principals: opts.principal } : {}),
          },
          {
            ...(opts.profile ? { profile: opts.profile } : {}),
            ...(opts.region ? { region: opts.region } : {}),
            ...(opts.roleArn?.length ? { roleArns: opts.roleArn } : {}),
            onProgress: (msg: string) => spinner.text(`Collecting evidence: ${msg}`),
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
  const { mergeEvidence } = await import('../../evidence/index.js');
  const { toSnapshotJson } = await import('../../evidence/live/index.js');
  const evidence = parts.length === 1 ? parts[0]! : mergeEvidence(...parts);
  const json = toSnapshotJson(evidence);
  const text = typeof json === 'string' ? json : JSON.stringify(json, null, 2) + '\n';
  const abs = await writeNewFile(opts.out, text, opts.force);
  notice(
    `Snapshot written to ${abs}${evidence.notes.length ? ` (${evidence.notes.length} item(s) could not be collected: see "notes")` : ''}`,
  );
  return 0;
}
