// Where a command's evidence comes from: snapshot files, live AWS, both merged, or none (logs alone).

import type { Evidence, S3Request } from '../model/index.js';
import type { LiveCall } from '../evidence/live/index.js';
import type { EvidenceOptions } from './options.js';
import { startSpinner } from './progress.js';

import type { EvidenceSource } from '../api/pipeline.js';

/**
 * Loads `--snapshot` files (merged, validated: SnapshotError lists every problem) and, with
 * `--live`, collects from AWS for `requests` (LiveCredentialsError when credentials are missing).
 */
export async function gatherEvidence(
  opts: EvidenceOptions,
  requests: () => S3Request[],
): Promise<EvidenceSource> {
  const parts: Evidence[] = [];
  let kind: EvidenceSource['kind'] = 'none';
  if (opts.snapshot?.length) {
    const { loadSnapshot } = await import('../api/snapshot.js');
    parts.push(
      await loadSnapshot(opts.snapshot, {
        onWarning: (w) => process.stderr.write(`s3doctor: warning: ${w}\n`),
      }),
    );
    kind = 'snapshot';
  }
  if (opts.live) {
    parts.push(await collectLive(requests(), opts));
    kind = 'live';
  }
  if (parts.length === 0) return { kind };
  if (parts.length === 1) return { evidence: parts[0]!, kind };
  const { mergeEvidence } = await import('../evidence/index.js');
  return { evidence: mergeEvidence(...parts), kind };
}

/** Live collection with a spinner naming what is being fetched. */
export async function collectLive(
  requests: S3Request[],
  opts: EvidenceOptions,
  onCall?: (call: LiveCall) => void,
): Promise<Evidence> {
  const { collect } = await import('../api/index.js');
  const spinner = await startSpinner('Collecting evidence from AWS');
  try {
    const evidence = await collect(
      { requests },
      {
        ...(opts.profile ? { profile: opts.profile } : {}),
        ...(opts.region ? { region: opts.region } : {}),
        ...(opts.roleArn?.length ? { roleArns: opts.roleArn } : {}),
        onProgress: (msg: string) => spinner.text(`Collecting evidence: ${msg}`),
        ...(onCall ? { onCall } : {}),
      },
    );
    spinner.succeed('Evidence collected from AWS');
    return evidence;
  } catch (e) {
    spinner.fail('Could not collect evidence from AWS');
    throw e;
  }
}
