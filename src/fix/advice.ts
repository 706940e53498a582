// Advice fixes: client changes, credential refreshes and configuration changes that grant nothing new.
//
// Each carries a `requestChange` (or an evidence patch) so `verifyFix` can re-evaluate it, and AWS
// CLI commands where one exists.

import type { Fix, RequestChange } from '../model/cause.js';
import type { PolicyRef, PolicyStatement } from '../model/policy.js';
import type { Principal, S3Request } from '../model/request.js';
import { FixError, principalLabel, regionOf } from './resources.js';
import { toList } from './statements.js';

import { shellQuote } from './shell-quote.js';

export { shellQuote };

/** `s3://bucket/key` of a request, when it names one. */
function s3Url(req: S3Request): string | undefined {
  const { bucket, key } = req.s3;
  if (!bucket) return undefined;
  return `s3://${bucket}/${key ?? ''}`;
}

/**
 * An AWS CLI command that repeats the request with extra arguments, for the common operations;
 * undefined when there is no obvious one.
 */
export function retryCommand(req: S3Request, extra: string[]): string | undefined {
  const { bucket, key, versionId, operation } = req.s3;
  if (!bucket) return undefined;
  const b = shellQuote(bucket);
  const k = key !== undefined ? shellQuote(key) : undefined;
  const v = versionId ? ` --version-id ${shellQuote(versionId)}` : '';
  const x = extra.length ? ` ${extra.join(' ')}` : '';
  switch (operation) {
    case 'GetObject':
      return k
        ? `aws s3api get-object --bucket ${b} --key ${k}${v}${x} ${shellQuote(key?.split('/').pop() || 'object')}`
        : undefined;
    case 'HeadObject':
      return k ? `aws s3api head-object --bucket ${b} --key ${k}${v}${x}` : undefined;
    case 'PutObject':
      return k ? `aws s3api put-object --bucket ${b} --key ${k} --body FILE${x}` : undefined;
    case 'CopyObject':
      return k && req.s3.copySource
        ? `aws s3api copy-object --bucket ${b} --key ${k} --copy-source ${shellQuote(`${req.s3.copySource.bucket}/${req.s3.copySource.key}`)}${x}`
        : undefined;
    case 'DeleteObject':
      return k ? `aws s3api delete-object --bucket ${b} --key ${k}${v}${x}` : undefined;
    case 'ListObjects':
    case 'ListObjectsV2':
      return `aws s3api list-objects-v2 --bucket ${b}${x}`;
    default:
      return undefined;
  }
}

function withCommands(fix: Fix, commands: (string | undefined)[]): Fix {
  const c = commands.filter((x): x is string => x !== undefined);
  if (c.length > 0) fix.commands = c;
  return fix;
}

function clientChange(
  summary: string,
  requestChange: RequestChange,
  commands: (string | undefined)[] = [],
): Fix {
  return withCommands({ kind: 'client-change', summary, requestChange }, commands);
}

/**
 * Use HTTPS: satisfies `Bool aws:SecureTransport false` denies (and TLS-version minimums).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
 */
export function useHttps(req?: S3Request): Fix {
  const context: Record<string, string> = { 'aws:SecureTransport': 'true' };
  const tls = req?.authorizations[0]?.context['s3:TlsVersion'];
  if (typeof tls !== 'string' || Number(tls) < 1.2) context['s3:TlsVersion'] = '1.2';
  return clientChange(
    'Send the request over HTTPS with TLS 1.2 or later (an https:// endpoint; no --endpoint-url http://...): the policy requires encrypted transport, keep it.',
    { context },
  );
}

/**
 * Acknowledge Requester Pays: send `x-amz-request-payer: requester`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ObjectsinRequesterPaysBuckets.html
 */
export function sendRequestPayer(req: S3Request): Fix {
  return clientChange(
    `Send x-amz-request-payer: requester (CLI --request-payer requester, SDK RequestPayer: "requester"): bucket ${req.s3.bucket ?? ''} is Requester Pays.`,
    { s3: { requestPayerSent: true } },
    [retryCommand(req, ['--request-payer', 'requester'])],
  );
}

/**
 * Upload with the `bucket-owner-full-control` canned ACL (the only ACL accepted when ACLs are
 * disabled, and the one cross-account writers should send).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
 */
export function useBucketOwnerFullControl(req: S3Request): Fix {
  return clientChange(
    'Send the canned ACL bucket-owner-full-control (CLI --acl bucket-owner-full-control) instead of any other ACL header.',
    {
      s3: { aclHeader: 'bucket-owner-full-control' },
      context: { 's3:x-amz-acl': 'bucket-owner-full-control' },
      removeContextKeys: GRANT_KEYS,
    },
    [retryCommand(req, ['--acl', 'bucket-owner-full-control'])],
  );
}

const GRANT_KEYS = [
  's3:x-amz-grant-read',
  's3:x-amz-grant-write',
  's3:x-amz-grant-read-acp',
  's3:x-amz-grant-write-acp',
  's3:x-amz-grant-full-control',
];

/** Stop sending ACL headers (ACLs are disabled on the bucket); grant through policies instead. */
export function removeAclHeader(req: S3Request): Fix {
  return clientChange(
    'Remove the ACL header or parameter (--acl, x-amz-acl, x-amz-grant-*) from the request: the bucket has ACLs disabled; grant access with policies.',
    // Without the header the upload no longer needs s3:PutObjectAcl (PutObject's Permissions section).
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
    {
      s3: { aclHeader: null },
      removeContextKeys: ['s3:x-amz-acl', ...GRANT_KEYS],
      removeActions: ['s3:PutObjectAcl'],
    },
    [retryCommand(req, [])],
  );
}

/** Options of `refreshCredentials`. */
export interface RefreshOptions {
  /** AWS CLI profile that supplied the credentials. */
  profile?: string;
  /** Whether the profile is an IAM Identity Center (SSO) profile (default: when a profile is given). */
  sso?: boolean;
}

/**
 * Refresh expired temporary credentials: `aws sso login`, or assume the role again.
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sso.html
 */
export function refreshCredentials(principal: Principal, opts: RefreshOptions = {}): Fix {
  const p = opts.profile ? ` --profile ${shellQuote(opts.profile)}` : '';
  const commands: string[] = [];
  if (opts.profile && opts.sso !== false) commands.push(`aws sso login${p}`);
  if (principal.kind === 'role-session')
    commands.push(
      `aws sts assume-role --role-arn ${shellQuote(principal.roleArn)} --role-session-name ${shellQuote(principal.sessionName)}${p}`,
    );
  commands.push(`aws sts get-caller-identity${p}`);
  // Without an identified caller there is no name to give: say which credentials are meant.
  const whose =
    principal.kind === 'unknown' || principal.kind === 'anonymous'
      ? 'the credentials that signed this request'
      : `the temporary credentials of ${principalLabel(principal)}`;
  return withCommands(
    {
      kind: 'credential-refresh',
      summary: `Refresh ${whose} (sign in again or re-run AssumeRole) and check the credential provider chain; long jobs need a provider that refreshes itself.`,
      requestChange: { clearAuthError: true },
    },
    commands,
  );
}

/** Check which access key the client really uses (profile, environment variables). */
export function checkAccessKey(opts: { profile?: string } = {}): Fix {
  const p = opts.profile ? ` --profile ${shellQuote(opts.profile)}` : '';
  return withCommands(
    {
      kind: 'credential-refresh',
      summary:
        'Check which profile or environment variable supplied the access key, that the key still exists, is active and belongs to this partition.',
      requestChange: { clearAuthError: true },
    },
    [`aws configure list${p}`, `aws sts get-caller-identity${p}`],
  );
}

/** Check the secret key, the region in the signing scope and proxies that rewrite the request. */
export function checkSignature(opts: { region?: string } = {}): Fix {
  return clientChange(
    `Check the secret access key, that the request is signed for the bucket's region${opts.region ? ` (${opts.region})` : ''}, and that no proxy rewrites headers or the URL.`,
    { clearAuthError: true },
  );
}

/** Sync the client clock (more than 15 minutes off). https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html */
export function syncClock(): Fix {
  return clientChange(
    "Synchronise the client's clock with NTP: S3 refuses requests more than 15 minutes off.",
    { clearAuthError: true },
    ['sudo timedatectl set-ntp true', 'timedatectl status'],
  );
}

/**
 * Issue a new presigned URL with an adequate expiry (SigV4 at most 7 days, and never beyond the
 * signing credentials' own expiry).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html
 */
export function newPresignedUrl(req: S3Request, expiresInSeconds = 3600): Fix {
  const secs = Math.min(Math.max(1, Math.floor(expiresInSeconds)), 604800);
  const url = s3Url(req);
  return clientChange(
    `Generate a new presigned URL (expires in ${secs} s; at most 7 days, and not beyond the signing credentials' expiry).`,
    { clearAuthError: true },
    [url ? `aws s3 presign ${shellQuote(url)} --expires-in ${secs}` : undefined],
  );
}

/**
 * Restore an archived object, then read it. Carries an `object-restore` patch so verification
 * sees the restored copy.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects.html
 */
export function restoreObject(
  req: S3Request,
  opts: { days?: number; tier?: 'Standard' | 'Bulk' | 'Expedited' } = {},
): Fix {
  const { bucket, key } = req.s3;
  if (!bucket || key === undefined) throw new FixError('RestoreObject needs a bucket and key.');
  const days = opts.days ?? 7;
  const tier = opts.tier ?? 'Standard';
  return {
    kind: 'config-change',
    summary: `Restore the archived object with RestoreObject (needs s3:RestoreObject; ${tier} tier, ${days} days), wait until it completes, then read it.`,
    patch: {
      target: { type: 'object-restore', id: `${bucket}/${key}` },
      before: { restoreStatus: null },
      after: { restoreStatus: 'restored', days, tier },
    },
  };
}

/**
 * Wait until the object's retention date, or (GOVERNANCE only, if authorised) bypass governance
 * retention. https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
 */
export function waitForRetention(req: S3Request, retainUntil: string): Fix {
  const after = new Date(Date.parse(retainUntil) + 1000);
  if (Number.isNaN(after.getTime())) throw new FixError(`Not a date: ${retainUntil}`);
  return clientChange(
    `Wait until the retention period ends (${retainUntil}), then retry.`,
    { time: after.toISOString() },
    [retryCommand(req, [])],
  );
}

/** Bypass GOVERNANCE retention (needs `s3:BypassGovernanceRetention`; impossible for COMPLIANCE). */
export function bypassGovernance(req: S3Request): Fix {
  return clientChange(
    'If you are authorised to override GOVERNANCE retention: send x-amz-bypass-governance-retention: true (CLI --bypass-governance-retention); this needs s3:BypassGovernanceRetention.',
    { s3: { bypassGovernance: true }, addActions: ['s3:BypassGovernanceRetention'] },
    [retryCommand(req, ['--bypass-governance-retention'])],
  );
}

/** Contact AWS Support or fix the account: no policy change helps `AllAccessDisabled`/`AccountProblem`. */
export function contactSupport(errorCode?: string): Fix {
  return {
    kind: 'config-change',
    summary: `Resolve the account or billing problem${errorCode ? ` named by ${errorCode}` : ''} with AWS Support; no policy change helps.`,
  };
}

/** Check the key (case, encoding, prefix, version): the object may simply not exist. */
export function checkObjectKey(req: S3Request): Fix {
  const { bucket, key } = req.s3;
  const prefix = key?.includes('/') ? key.slice(0, key.lastIndexOf('/') + 1) : '';
  return withCommands(
    {
      kind: 'client-change',
      summary:
        'Check the key (case, URL encoding, prefix, version id): S3 answers 403 instead of 404 for a missing key when the caller may not list the bucket. Grant s3:ListBucket only if listing is really needed.',
    },
    [
      bucket
        ? `aws s3api list-objects-v2 --bucket ${shellQuote(bucket)}${prefix ? ` --prefix ${shellQuote(prefix)}` : ''} --max-items 20`
        : undefined,
    ],
  );
}

/** For SCP/RCP denies: route to the organization's administrators, never detach the policy. */
export function orgAdminAdvice(policyRef: PolicyRef, st?: PolicyStatement): Fix {
  const what = policyRef.type === 'rcp' ? 'resource control policy' : 'service control policy';
  const sid = st?.Sid ? ` statement ${st.Sid}` : '';
  return {
    kind: 'config-change',
    summary: `The ${what} ${policyRef.name ?? policyRef.id}${sid} blocks this request: it is an organization guard-rail. Ask the organization's administrators; if policy allows, they may add a narrow exception on aws:PrincipalArn. Do not detach it.`,
  };
}

/**
 * Client-side advice for a guard-rail Deny: HTTPS for TLS conditions, the required VPC endpoint for
 * network conditions, otherwise "satisfy the condition".
 */
export function clientAdviceForDeny(policyRef: PolicyRef, st: PolicyStatement, guardKey?: string): Fix {
  if (guardKey === 'aws:securetransport' || guardKey === 's3:tlsversion') return useHttps();
  const where = `${policyRef.type} ${policyRef.name ?? policyRef.id}`;
  if (
    guardKey === 'aws:sourcevpce' ||
    guardKey === 'aws:sourcevpc' ||
    policyRef.type === 'vpc-endpoint-policy'
  ) {
    const values = Object.values(st.Condition ?? {}).flatMap((keys) =>
      Object.entries(keys)
        .filter(([k]) => ['aws:sourcevpce', 'aws:sourcevpc'].includes(k.toLowerCase()))
        .flatMap(([, v]) => toList(v)),
    );
    const change: RequestChange = {};
    const vpce = values.find((v) => String(v).startsWith('vpce-'));
    const vpc = values.find((v) => String(v).startsWith('vpc-'));
    if (vpce || vpc) {
      change.context = {};
      if (vpce) change.context['aws:SourceVpce'] = String(vpce);
      if (vpc) change.context['aws:SourceVpc'] = String(vpc);
    }
    return {
      kind: 'client-change',
      summary: `Send the request through the network path ${where} requires${values.length ? ` (${values.join(', ')})` : ''}: a network guard-rail, not to be weakened.`,
      ...(change.context ? { requestChange: change } : {}),
    };
  }
  return {
    kind: 'client-change',
    summary: `Satisfy the condition of Deny ${st.Sid ?? ''} in ${where}; ${policyRef.type === 'permissions-boundary' ? 'boundaries belong to the platform team that set them' : 'it is not for this tool to weaken'}.`,
  };
}

/**
 * The AWS CLI commands that make a KMS key usable again from `keyState`: `enable-key` for
 * `Disabled`; `cancel-key-deletion` then `enable-key` for `PendingDeletion` (a cancelled key is
 * `Disabled`); the first step of re-importing key material for `PendingImport`; reconnecting the
 * custom key store for `Unavailable`; for an unknown state, the command that shows it.
 * `key` is the key id or ARN (`<key-id>` when unknown); the region is the ARN's.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys-cancelling-key-deletion.html
 */
export function keyStateCommands(key: string | undefined, keyState: string | undefined): string[] {
  const k = key ? shellQuote(key) : '<key-id>';
  const region = key ? regionOf(key) : undefined;
  const r = region ? ` --region ${shellQuote(region)}` : '';
  const describe = `aws kms describe-key --key-id ${k}${r} --query 'KeyMetadata.[KeyState,DeletionDate,CustomKeyStoreId]'`;
  switch (keyState) {
    case 'Disabled':
      return [`aws kms enable-key --key-id ${k}${r}`];
    case 'PendingDeletion':
    case 'PendingReplicaDeletion':
      return [`aws kms cancel-key-deletion --key-id ${k}${r}`, `aws kms enable-key --key-id ${k}${r}`];
    case 'PendingImport':
      return [
        `aws kms get-parameters-for-import --key-id ${k} --wrapping-algorithm RSAES_OAEP_SHA_256 --wrapping-key-spec RSA_4096${r}`,
      ];
    case 'Unavailable':
      return [describe, `aws kms connect-custom-key-store --custom-key-store-id <CustomKeyStoreId>${r}`];
    default:
      return [describe];
  }
}

/** What to do about a key in one state, for the summary. */
const KEY_STATE_ACTIONS: Readonly<Record<string, string>> = {
  Disabled: 'Enable the KMS key {key} (it is Disabled)',
  PendingDeletion:
    'Cancel the scheduled deletion of the KMS key {key}, then enable it (a cancelled key stays Disabled); once deleted, the objects it encrypts cannot be decrypted',
  PendingReplicaDeletion:
    'Cancel the scheduled deletion of the KMS key {key}, then enable it (a cancelled key stays Disabled)',
  PendingImport:
    'Import the key material of the KMS key {key} again (GetParametersForImport, then ImportKeyMaterial with the same material it had: other material cannot decrypt existing objects)',
  Unavailable:
    'Reconnect the custom key store of the KMS key {key} (ConnectCustomKeyStore) and check its CloudHSM cluster or external key manager',
};

/**
 * A configuration change for a KMS key S3 cannot use because of its state (Disabled,
 * PendingDeletion, PendingImport, Unavailable). It changes the key's state, never a policy: it
 * grants nothing that the key's policies did not already grant, but it does make every existing
 * grant usable again, hence the warning to check why the key was disabled. With the state known it
 * carries a `kms-key-state` patch (`Enabled`) so `verifyFix` can re-evaluate (unless `verifiable` is
 * false: the state came from an error, not from evidence); without a state it names the command that
 * shows it.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html
 */
export function restoreKeyState(
  key: string | undefined,
  keyState: string | undefined,
  opts: { verifiable?: boolean } = {},
): Fix {
  const warning =
    "Warning: keys are disabled or scheduled for deletion on purpose (a suspected compromise, a retired workload): ask the key's owner first; enabling it makes every grant of its key policy usable again.";
  const label = key ?? 'that S3 needs';
  const action = keyState ? KEY_STATE_ACTIONS[keyState] : undefined;
  const summary = action
    ? `${action.replace('{key}', label)}. ${warning}`
    : `Find the state of the KMS key ${label} (describe-key): enable it if Disabled, cancel its deletion and enable it if PendingDeletion, re-import its key material if PendingImport, reconnect its custom key store if Unavailable. ${warning}`;
  const fix: Fix = {
    kind: 'config-change',
    summary,
    commands: keyStateCommands(key, action ? keyState : undefined),
  };
  if (key && action && keyState && opts.verifiable !== false)
    fix.patch = {
      target: { type: 'kms-key-state', id: key },
      before: { KeyState: keyState },
      after: { KeyState: 'Enabled' },
    };
  return fix;
}
