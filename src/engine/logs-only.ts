// Logs-only diagnosis: which evidence (snapshot paths) would decide a request, and what each could
// explain. Data-driven from the request; no AWS, no evidence.

import type { CauseCode } from '../model/cause.js';
import type { Unknown } from '../model/evaluation.js';
import type { S3Request } from '../model/request.js';
import { LAYER_CODES, codesOfLayer } from '../authz/cause-table.js';
import { evidencePath } from '../evidence/path.js';
import { accountOf, identityArn } from './rule-kit.js';

/** Operations that read object data (KMS Decrypt, archive tiers, missing keys). */
const OBJECT_READS = ['GetObject', 'HeadObject', 'CopyObject', 'SelectObjectContent', 'GetObjectAttributes'];
/** Operations Object Lock can refuse. */
const LOCKABLE = ['DeleteObject', 'DeleteObjects', 'PutObjectRetention', 'PutObjectLegalHold'];

/**
 * The evidence paths that would decide a request the logs alone cannot explain. When AWS's enhanced
 * message names a layer (`named`), only the paths that could hold that layer's statement are kept.
 */
export function logsOnlyUnknowns(req: S3Request, named?: CauseCode): Unknown[] {
  const out: Unknown[] = [];
  const add = (path: string, couldExplain: readonly CauseCode[]) =>
    out.push({ path, couldExplain: [...couldExplain] });
  const p = req.principal;
  const id = identityArn(p);
  const account = accountOf(p);
  const { bucket, key, operation, accessPointArn } = req.s3;
  const primary = req.authorizations.find((a) => a.need === 'required') ?? req.authorizations[0];
  const bucketAccount = primary?.resourceAccount;
  const crossOrUnknown = p.kind === 'anonymous' || !account || !bucketAccount || account !== bucketAccount;

  if (id) {
    add(evidencePath('principals', id, 'policies'), codesOfLayer('identity-policy'));
    add(evidencePath('principals', id, 'permissionsBoundary'), LAYER_CODES['permissions-boundary']);
  }
  if (p.kind === 'role-session' || p.kind === 'federated-user')
    add(evidencePath('sessions', p.arn, 'sessionPolicy'), LAYER_CODES['session-policy']);
  if (account && p.kind !== 'anonymous' && p.kind !== 'service')
    add(evidencePath('accounts', account, 'serviceControlPolicies'), LAYER_CODES.scp);
  if (bucketAccount) add(evidencePath('accounts', bucketAccount, 'resourceControlPolicies'), LAYER_CODES.rcp);
  const vpce = primary?.context['aws:SourceVpce'];
  if (typeof vpce === 'string')
    add(evidencePath('vpcEndpoints', vpce, 'policy'), LAYER_CODES['vpc-endpoint-policy']);
  if (accessPointArn)
    add(evidencePath('accessPoints', accessPointArn, 'policy'), LAYER_CODES['access-point-policy']);
  if (bucket) {
    add(evidencePath('buckets', bucket, 'policy'), LAYER_CODES['bucket-policy']);
    if (crossOrUnknown) {
      add(evidencePath('buckets', bucket, 'publicAccessBlock'), LAYER_CODES['block-public-access']);
      if (p.kind !== 'anonymous')
        add(evidencePath('buckets', bucket, 'requestPayer'), LAYER_CODES['requester-pays']);
    }
    if (key !== undefined && OBJECT_READS.includes(operation)) {
      add(evidencePath('buckets', bucket, 'objects', key), [
        'object-owned-by-other-account',
        'object-not-found-without-list',
        'missing-allow-kms',
        'kms-aws-managed-key-cross-account',
        'kms-key-unusable',
        'archived-object',
      ]);
    } else if (key !== undefined && LOCKABLE.includes(operation)) {
      add(evidencePath('buckets', bucket, 'objects', key), ['object-lock-protected']);
    } else if (operation === 'PutObject' || operation === 'CreateMultipartUpload') {
      add(evidencePath('buckets', bucket, 'encryption'), [
        'missing-allow-kms',
        'kms-aws-managed-key-cross-account',
        'kms-key-unusable',
      ]);
    }
  }
  if (!named) return out;
  const kept = out.filter((u) => u.couldExplain.includes(named));
  return kept.length > 0 ? kept.map((u) => ({ path: u.path, couldExplain: [named] })) : out;
}
