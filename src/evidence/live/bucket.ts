// Bucket and object evidence: the bucket's region (redirects handled), account, policy, ACL,
// Object Ownership, Block Public Access (bucket and account), default encryption and its key,
// Requester Pays, Object Lock; per object HeadObject, owner/ACL, tags, retention, legal hold.
// Only what the requests need is read (https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadBucket.html (x-amz-bucket-region, ExpectedBucketOwner)
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html (owner account only, else 405)
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html (BucketOwnerEnforced: the bucket owner owns every object)

import type * as S3 from '@aws-sdk/client-s3';
import type * as S3C from '@aws-sdk/client-s3-control';
import type { BucketEvidence, BucketLogging, LifecycleRule, ObjectEvidence } from '../../model/evidence.js';
import type { LiveContext, SendResult } from './context.js';
import { parsePolicyDocument } from './documents.js';
import { collectKey } from './kms.js';
import { toAcl, toPublicAccessBlock, toRestoreStatus } from './shapes.js';
import { evidencePath } from '../index.js';

/** What one object's requests need. */
export interface ObjectNeeds {
  versionId?: string;
  /** Retention and legal hold (deletes, overwrites of locked versions, lock changes). */
  lock: boolean;
  /** The request reads or writes the data: the object's KMS key matters. */
  kms: boolean;
}

/** What the requests against one bucket need, merged. */
export interface BucketNeeds {
  /** Account that owns the bucket, when a request or hint says. */
  accountHint?: string;
  /** Accounts of the principals (undefined: anonymous or unknown); Requester Pays matters cross-account. */
  principalAccounts: Set<string | undefined>;
  /** Everything about the bucket (`collect --bucket`). */
  all: boolean;
  objectLock: boolean;
  /** A request writes: the default encryption and its key matter. */
  encryption: boolean;
  /** Logging readiness: server access logging and lifecycle rules (`s3doctor logging --live`). */
  logging?: boolean;
  /** KMS keys writes named (`x-amz-server-side-encryption-aws-kms-key-id`, or `alias/aws/s3`). */
  writeKeys: Set<string>;
  objects: Map<string, ObjectNeeds>;
}

/** What collecting a bucket learnt, for the org and VPC endpoint collectors. */
export interface BucketInfo {
  exists: boolean;
  account?: string;
  region?: string;
}

/** Fresh needs for one bucket. */
export function emptyBucketNeeds(): BucketNeeds {
  return {
    principalAccounts: new Set(),
    all: false,
    objectLock: false,
    encryption: false,
    writeKeys: new Set(),
    objects: new Map(),
  };
}

/**
 * Collects one bucket (once per run). `onAccount` hears the owner account as soon as it is known
 * (so its RCPs are read alongside, not after, the bucket).
 */
export function collectBucket(
  ctx: LiveContext,
  name: string,
  needs: BucketNeeds,
  onAccount?: (account: string) => void,
): Promise<BucketInfo> {
  return ctx.once(`bucket:${name}`, () => collect(ctx, name, needs, onAccount));
}

type Region = { kind: 'ok'; region: string } | { kind: 'missing' } | { kind: 'unknown' };

/** The bucket's region: GetBucketLocation, else HeadBucket's `x-amz-bucket-region` (sent even on 403). */
export function bucketRegion(ctx: LiveContext, name: string, account: string | undefined): Promise<Region> {
  return ctx.once(`bucket-region:${name}`, async () => {
    const s3 = await ctx.module<typeof S3>('s3');
    const loc = await ctx.send<S3.GetBucketLocationCommandOutput>({
      service: 's3',
      account,
      command: new s3.GetBucketLocationCommand({ Bucket: name }),
      label: `bucket ${name}`,
      followRedirect: false,
    });
    if (loc.ok) {
      // Empty LocationConstraint = us-east-1; the legacy `EU` = eu-west-1.
      const c = loc.value.LocationConstraint as string | undefined;
      return { kind: 'ok', region: !c ? 'us-east-1' : c === 'EU' ? 'eu-west-1' : c };
    }
    if (loc.failure.code === 'NoSuchBucket') return { kind: 'missing' };
    const head = await ctx.send<S3.HeadBucketCommandOutput>({
      service: 's3',
      account,
      command: new s3.HeadBucketCommand({ Bucket: name }),
      label: `bucket ${name}`,
      // A redirect's x-amz-bucket-region already is the answer.
      followRedirect: false,
    });
    if (head.ok && head.value.BucketRegion) return { kind: 'ok', region: head.value.BucketRegion };
    if (head.ok) return { kind: 'ok', region: head.region };
    if (head.failure.region) return { kind: 'ok', region: head.failure.region };
    if (head.failure.code === 'NotFound' || head.failure.code === 'NoSuchBucket') return { kind: 'missing' };
    ctx.noteFailure(evidencePath('buckets', name, 'region'), loc);
    return { kind: 'unknown' };
  });
}

function bucket(ctx: LiveContext, name: string): BucketEvidence {
  const b = ctx.evidence.buckets[name] ?? {};
  ctx.evidence.buckets[name] = b;
  return b;
}

async function collect(
  ctx: LiveContext,
  name: string,
  needs: BucketNeeds,
  onAccount: ((account: string) => void) | undefined,
): Promise<BucketInfo> {
  const s3 = await ctx.module<typeof S3>('s3');
  const path = evidencePath('buckets', name);
  let account = needs.accountHint;
  const where = await bucketRegion(ctx, name, account);
  if (where.kind === 'missing') {
    ctx.note(path, 'NoSuchBucket on s3:GetBucketLocation: the bucket does not exist');
    return { exists: false };
  }
  const ev = bucket(ctx, name);
  const region = where.kind === 'ok' ? where.region : undefined;
  if (region) ev.region = region;
  const send = <O>(command: object, absent?: readonly string[], acct = account) =>
    ctx.send<O>({
      service: 's3',
      account: acct,
      region,
      command,
      label: `bucket ${name}`,
      ...(absent ? { absent } : {}),
    });
  const getPolicy = (acct: string | undefined) =>
    send<S3.GetBucketPolicyCommandOutput>(
      new s3.GetBucketPolicyCommand({ Bucket: name }),
      ['NoSuchBucketPolicy'],
      acct,
    );

  // The owner: GetBucketPolicy answers (or says there is none) only in the owner's account.
  let policy: SendResult<S3.GetBucketPolicyCommandOutput> | undefined;
  if (!account) {
    policy = await getPolicy(undefined);
    if (policy.ok || policy.failure.kind === 'absent') account = ctx.callerAccount;
    else {
      account = await findOwner(ctx, s3, name, region);
      if (account) policy = undefined;
    }
  }
  if (account) {
    ev.accountId = account;
    onAccount?.(account);
  }

  const policyP = policy ? Promise.resolve(policy) : getPolicy(account);
  const aclP = send<S3.GetBucketAclCommandOutput>(new s3.GetBucketAclCommand({ Bucket: name }));
  const ownershipP = send<S3.GetBucketOwnershipControlsCommandOutput>(
    new s3.GetBucketOwnershipControlsCommand({ Bucket: name }),
    ['OwnershipControlsNotFoundError'],
  );
  const bpaP = send<S3.GetPublicAccessBlockCommandOutput>(
    new s3.GetPublicAccessBlockCommand({ Bucket: name }),
    ['NoSuchPublicAccessBlockConfiguration'],
  );
  // Requester Pays only matters when the requester is not the bucket owner.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html
  const payNeeded = needs.all || !account || [...needs.principalAccounts].some((a) => a !== account);
  const payP = payNeeded
    ? send<S3.GetBucketRequestPaymentCommandOutput>(new s3.GetBucketRequestPaymentCommand({ Bucket: name }))
    : undefined;
  const lockNeeded = needs.all || needs.objectLock || [...needs.objects.values()].some((o) => o.lock);
  const lockP = lockNeeded
    ? send<S3.GetObjectLockConfigurationCommandOutput>(
        new s3.GetObjectLockConfigurationCommand({ Bucket: name }),
        ['ObjectLockConfigurationNotFoundError'],
      )
    : undefined;
  const encryption = () =>
    ctx.once(`bucket-encryption:${name}`, async () => {
      const r = await send<S3.GetBucketEncryptionCommandOutput>(
        new s3.GetBucketEncryptionCommand({ Bucket: name }),
        ['ServerSideEncryptionConfigurationNotFoundError'],
      );
      if (r.ok) {
        const rule = r.value.ServerSideEncryptionConfiguration?.Rules?.[0];
        const d = rule?.ApplyServerSideEncryptionByDefault;
        ev.encryption = d?.SSEAlgorithm
          ? {
              SSEAlgorithm: d.SSEAlgorithm,
              ...(d.KMSMasterKeyID ? { KMSMasterKeyID: d.KMSMasterKeyID } : {}),
              ...(rule?.BucketKeyEnabled !== undefined ? { BucketKeyEnabled: rule.BucketKeyEnabled } : {}),
            }
          : null;
      } else if (r.failure.kind === 'absent') ev.encryption = null;
      else ctx.noteFailure(`${path}.encryption`, r);
      return ev.encryption;
    });

  const tasks: Promise<unknown>[] = [];
  tasks.push(
    policyP.then((r) => {
      if (r.ok && !ev.region) {
        // The region was unknown; a redirect-followed call found it.
        ev.region = r.region;
        ctx.dropNotes(`${path}.region`);
      }
      if (r.ok) {
        const doc = parsePolicyDocument(r.value.Policy);
        if (doc) ev.policy = doc;
        else ctx.note(`${path}.policy`, 'GetBucketPolicy returned a document that is not JSON');
      } else if (r.failure.kind === 'absent') ev.policy = null;
      else
        ctx.noteFailure(
          `${path}.policy`,
          r,
          r.failure.status === 405 ? 'only the bucket owner account can read it' : '',
        );
    }),
  );
  const ownerIdP = aclP.then((r) => {
    if (r.ok) {
      ev.acl = toAcl(r.value);
      const id = r.value.Owner?.ID;
      if (id) {
        ev.ownerCanonicalId = id;
        if (account) ctx.evidence.canonicalIds[id] = account;
      }
      return id;
    }
    ctx.noteFailure(`${path}.acl`, r);
    return undefined;
  });
  tasks.push(ownerIdP);
  const ownershipValue = ownershipP.then((r) => {
    if (r.ok) {
      const o = r.value.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
      ev.objectOwnership =
        o === 'BucketOwnerEnforced' || o === 'BucketOwnerPreferred' || o === 'ObjectWriter' ? o : null;
    } else if (r.failure.kind === 'absent') ev.objectOwnership = null;
    else ctx.noteFailure(`${path}.objectOwnership`, r);
    return ev.objectOwnership;
  });
  tasks.push(ownershipValue);
  tasks.push(
    bpaP.then((r) => {
      if (r.ok) ev.publicAccessBlock = toPublicAccessBlock(r.value.PublicAccessBlockConfiguration ?? {});
      else if (r.failure.kind === 'absent') ev.publicAccessBlock = null;
      else ctx.noteFailure(`${path}.publicAccessBlock`, r);
    }),
  );
  if (payP) {
    tasks.push(
      payP.then((r) => {
        if (r.ok) ev.requestPayer = r.value.Payer === 'Requester' ? 'Requester' : 'BucketOwner';
        else ctx.noteFailure(`${path}.requestPayer`, r);
      }),
    );
  }
  const lockValue = lockP
    ? lockP.then((r) => {
        if (r.ok) {
          const c = r.value.ObjectLockConfiguration;
          const d = c?.Rule?.DefaultRetention;
          ev.objectLock = {
            enabled: c?.ObjectLockEnabled === 'Enabled',
            ...(d?.Mode
              ? {
                  defaultRetention: {
                    Mode: d.Mode,
                    ...(d.Days !== undefined ? { Days: d.Days } : {}),
                    ...(d.Years !== undefined ? { Years: d.Years } : {}),
                  },
                }
              : {}),
          };
        } else if (r.failure.kind === 'absent') ev.objectLock = null;
        else ctx.noteFailure(`${path}.objectLock`, r);
        return ev.objectLock;
      })
    : Promise.resolve(undefined);
  tasks.push(lockValue);
  if (needs.all || needs.encryption) {
    tasks.push(
      encryption().then((enc) => {
        if (region && enc && enc.SSEAlgorithm.startsWith('aws:kms')) {
          return collectKey(ctx, enc.KMSMasterKeyID ?? 'alias/aws/s3', region, account);
        }
        return undefined;
      }),
    );
  }
  if (region) for (const k of needs.writeKeys) tasks.push(collectKey(ctx, k, region, account));
  if (needs.logging) tasks.push(collectLogging(ctx, s3, name, send));
  if (account) tasks.push(collectAccountPublicAccessBlock(ctx, account));
  else
    ctx.note(
      `${path}.accountId`,
      "the owner account is unknown (not s3doctor's account, and no --role-arn matched it)",
    );

  // Reading objects of someone else's Requester Pays bucket needs x-amz-request-payer.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/ObjectsinRequesterPaysBuckets.html
  const foreign = !(await ctx.hasAccount(account));
  const requesterPays =
    foreign && payP ? payP.then((r) => r.ok && r.value.Payer === 'Requester') : Promise.resolve(false);
  const shared: ObjectContext = {
    name,
    region,
    account,
    requesterPays,
    ownership: ownershipValue,
    lock: lockValue,
    ownerId: ownerIdP,
    encryption,
  };
  for (const [key, need] of needs.objects) tasks.push(collectObject(ctx, s3, shared, key, need));
  await Promise.all(tasks);
  return { exists: true, ...(account ? { account } : {}), ...(region ? { region } : {}) };
}

/**
 * Which configured role's account owns the bucket: HeadBucket with `ExpectedBucketOwner` answers
 * 403 for any other account. Only tried when the requests do not say and roles are configured.
 */
async function findOwner(
  ctx: LiveContext,
  s3: typeof S3,
  name: string,
  region: string | undefined,
): Promise<string | undefined> {
  const candidates = Object.keys(ctx.roles).filter((a) => a !== ctx.callerAccount);
  const answers = await Promise.all(
    candidates.map(async (acct) => {
      if (!(await ctx.hasAccount(acct))) return undefined;
      const r = await ctx.send<S3.HeadBucketCommandOutput>({
        service: 's3',
        account: acct,
        region,
        command: new s3.HeadBucketCommand({ Bucket: name, ExpectedBucketOwner: acct }),
        label: `bucket ${name} owner`,
      });
      return r.ok ? acct : undefined;
    }),
  );
  return answers.find((a) => a !== undefined);
}

/** The account-level Block Public Access (S3 Control), once per account. */
export function collectAccountPublicAccessBlock(ctx: LiveContext, account: string): Promise<void> {
  return ctx.once(`account-bpa:${account}`, async () => {
    const path = evidencePath('accounts', account, 'publicAccessBlock');
    if (!(await ctx.hasAccount(account))) {
      ctx.note(
        path,
        `account ${account} is not s3doctor's; pass --role-arn for it to read its Block Public Access`,
      );
      return;
    }
    const s3c = await ctx.optionalModule<typeof S3C>('s3control', path);
    if (!s3c) return;
    const r = await ctx.send<S3C.GetPublicAccessBlockCommandOutput>({
      service: 's3control',
      account,
      command: new s3c.GetPublicAccessBlockCommand({ AccountId: account }),
      label: `account ${account}`,
      absent: ['NoSuchPublicAccessBlockConfiguration'],
    });
    const acct = ctx.evidence.accounts[account] ?? {};
    ctx.evidence.accounts[account] = acct;
    if (r.ok) acct.publicAccessBlock = toPublicAccessBlock(r.value.PublicAccessBlockConfiguration ?? {});
    else if (r.failure.kind === 'absent') acct.publicAccessBlock = null;
    else ctx.noteFailure(path, r);
  });
}

interface ObjectContext {
  name: string;
  region: string | undefined;
  /** Object reads must send `RequestPayer: 'requester'` (someone else's Requester Pays bucket). */
  requesterPays: Promise<boolean>;
  account: string | undefined;
  ownership: Promise<BucketEvidence['objectOwnership']>;
  lock: Promise<BucketEvidence['objectLock']>;
  ownerId: Promise<string | undefined>;
  encryption: () => Promise<BucketEvidence['encryption']>;
}

async function collectObject(
  ctx: LiveContext,
  s3: typeof S3,
  b: ObjectContext,
  key: string,
  need: ObjectNeeds,
): Promise<void> {
  const path = evidencePath('buckets', b.name, 'objects', key);
  const o: ObjectEvidence = {};
  const objects = bucket(ctx, b.name).objects ?? {};
  bucket(ctx, b.name).objects = objects;
  objects[key] = o;
  const send = <O>(command: object, absent?: readonly string[]) =>
    ctx.send<O>({
      service: 's3',
      account: b.account,
      region: b.region,
      command,
      label: `object ${key}`,
      ...(need.versionId ? { versioned: true } : {}),
      ...(absent ? { absent } : {}),
    });
  const version = {
    ...(need.versionId ? { VersionId: need.versionId } : {}),
    ...((await b.requesterPays) ? { RequestPayer: 'requester' as const } : {}),
  };
  const head = await send<S3.HeadObjectCommandOutput>(
    new s3.HeadObjectCommand({ Bucket: b.name, Key: key, ...version }),
  );
  if (head.ok) {
    const h = head.value;
    o.exists = true;
    o.storageClass = h.StorageClass ?? 'STANDARD';
    o.restoreStatus = toRestoreStatus(h.Restore);
    o.serverSideEncryption = h.ServerSideEncryption ?? null;
    if (h.SSEKMSKeyId) o.kmsKeyId = h.SSEKMSKeyId;
  } else if (head.failure.kind === 'not-found') {
    // A 404 (not 403) means the object is not there: S3 only tells callers who may list the bucket.
    o.exists = false;
    return;
  } else ctx.noteFailure(path, head);

  const tasks: Promise<unknown>[] = [];
  tasks.push(
    b.ownership.then(async (ownership) => {
      if (ownership === 'BucketOwnerEnforced') {
        // ACLs are disabled and the bucket owner owns every object: no GetObjectAcl needed.
        const id = await b.ownerId;
        if (id) o.ownerCanonicalId = id;
        return;
      }
      const r = await send<S3.GetObjectAclCommandOutput>(
        new s3.GetObjectAclCommand({ Bucket: b.name, Key: key, ...version }),
      );
      if (r.ok) {
        o.acl = toAcl(r.value);
        if (r.value.Owner?.ID) o.ownerCanonicalId = r.value.Owner.ID;
      } else if (r.failure.kind === 'not-found') o.exists = false;
      else ctx.noteFailure(`${path}.acl`, r);
    }),
  );
  tasks.push(
    send<S3.GetObjectTaggingCommandOutput>(
      new s3.GetObjectTaggingCommand({ Bucket: b.name, Key: key, ...version }),
    ).then((r) => {
      if (r.ok) o.tags = Object.fromEntries((r.value.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
      else ctx.noteFailure(`${path}.tags`, r);
    }),
  );
  if (need.lock) {
    tasks.push(
      b.lock.then(async (lock) => {
        if (lock === null) {
          // Without Object Lock on the bucket no object version can carry retention or a legal hold.
          o.retention = null;
          o.legalHold = 'OFF';
          return;
        }
        const absent = ['NoSuchObjectLockConfiguration'];
        const [ret, hold] = await Promise.all([
          send<S3.GetObjectRetentionCommandOutput>(
            new s3.GetObjectRetentionCommand({ Bucket: b.name, Key: key, ...version }),
            absent,
          ),
          send<S3.GetObjectLegalHoldCommandOutput>(
            new s3.GetObjectLegalHoldCommand({ Bucket: b.name, Key: key, ...version }),
            absent,
          ),
        ]);
        if (ret.ok) {
          const r = ret.value.Retention;
          o.retention =
            r?.Mode && r.RetainUntilDate
              ? { Mode: r.Mode, RetainUntilDate: new Date(r.RetainUntilDate).toISOString() }
              : null;
        } else if (ret.failure.kind === 'absent') o.retention = null;
        else ctx.noteFailure(`${path}.retention`, ret);
        if (hold.ok) o.legalHold = hold.value.LegalHold?.Status === 'ON' ? 'ON' : 'OFF';
        else if (hold.failure.kind === 'absent') o.legalHold = 'OFF';
        else ctx.noteFailure(`${path}.legalHold`, hold);
      }),
    );
  }
  if (need.kms && b.region) {
    const region = b.region;
    if (o.serverSideEncryption?.startsWith('aws:kms')) {
      tasks.push(collectKey(ctx, o.kmsKeyId ?? 'alias/aws/s3', region, b.account));
    } else if (o.serverSideEncryption === undefined) {
      // The object's own encryption is unknown: the bucket default is the next best evidence.
      tasks.push(
        b
          .encryption()
          .then((enc) =>
            enc && enc.SSEAlgorithm.startsWith('aws:kms')
              ? collectKey(ctx, enc.KMSMasterKeyID ?? 'alias/aws/s3', region, b.account)
              : undefined,
          ),
      );
    }
  }
  await Promise.all(tasks);
}

type Send = <O>(command: object, absent?: readonly string[]) => Promise<SendResult<O>>;

/**
 * Server access logging (GetBucketLogging: no `LoggingEnabled` means off) and lifecycle rules
 * (GetBucketLifecycleConfiguration: NoSuchLifecycleConfiguration means none), for `s3doctor logging --live`.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLogging.html ,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLifecycleConfiguration.html
 */
async function collectLogging(ctx: LiveContext, s3: typeof S3, name: string, send: Send): Promise<void> {
  const ev = bucket(ctx, name);
  const path = evidencePath('buckets', name);
  const [logging, lifecycle] = await Promise.all([
    send<S3.GetBucketLoggingCommandOutput>(new s3.GetBucketLoggingCommand({ Bucket: name })),
    send<S3.GetBucketLifecycleConfigurationCommandOutput>(
      new s3.GetBucketLifecycleConfigurationCommand({ Bucket: name }),
      ['NoSuchLifecycleConfiguration'],
    ),
  ]);
  if (logging.ok) {
    const l = logging.value.LoggingEnabled;
    if (l?.TargetBucket) {
      const out: BucketLogging = { TargetBucket: l.TargetBucket, TargetPrefix: l.TargetPrefix ?? '' };
      const f = l.TargetObjectKeyFormat;
      if (f?.PartitionedPrefix) {
        const src = f.PartitionedPrefix.PartitionDateSource;
        out.TargetObjectKeyFormat = {
          PartitionedPrefix:
            src === 'EventTime' || src === 'DeliveryTime' ? { PartitionDateSource: src } : {},
        };
      } else if (f?.SimplePrefix) out.TargetObjectKeyFormat = { SimplePrefix: {} };
      if (l.TargetGrants?.length) out.TargetGrants = l.TargetGrants;
      ev.logging = out;
    } else ev.logging = null;
  } else ctx.noteFailure(`${path}.logging`, logging);
  if (lifecycle.ok) {
    ev.lifecycle = (lifecycle.value.Rules ?? []).map((r) => {
      const rule: LifecycleRule = { Status: r.Status === 'Enabled' ? 'Enabled' : 'Disabled' };
      if (r.ID) rule.ID = r.ID;
      if (r.Prefix !== undefined) rule.Prefix = r.Prefix;
      if (r.Filter) {
        const filter: NonNullable<LifecycleRule['Filter']> = {};
        if (r.Filter.Prefix !== undefined) filter.Prefix = r.Filter.Prefix;
        if (r.Filter.And)
          filter.And = r.Filter.And.Prefix !== undefined ? { Prefix: r.Filter.And.Prefix } : {};
        if (r.Filter.Tag) filter.Tag = r.Filter.Tag;
        if (r.Filter.ObjectSizeGreaterThan !== undefined)
          filter.ObjectSizeGreaterThan = r.Filter.ObjectSizeGreaterThan;
        if (r.Filter.ObjectSizeLessThan !== undefined)
          filter.ObjectSizeLessThan = r.Filter.ObjectSizeLessThan;
        rule.Filter = filter;
      }
      if (r.Expiration) {
        const e = r.Expiration;
        rule.Expiration = {
          ...(e.Days !== undefined ? { Days: e.Days } : {}),
          ...(e.Date ? { Date: e.Date.toISOString() } : {}),
          ...(e.ExpiredObjectDeleteMarker !== undefined
            ? { ExpiredObjectDeleteMarker: e.ExpiredObjectDeleteMarker }
            : {}),
        };
      }
      if (r.Transitions?.length) rule.Transitions = r.Transitions;
      if (r.NoncurrentVersionExpiration?.NoncurrentDays !== undefined)
        rule.NoncurrentVersionExpiration = { NoncurrentDays: r.NoncurrentVersionExpiration.NoncurrentDays };
      return rule;
    });
  } else if (lifecycle.failure.kind === 'absent') ev.lifecycle = null;
  else ctx.noteFailure(`${path}.lifecycle`, lifecycle);
}
