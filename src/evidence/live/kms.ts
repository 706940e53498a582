// KMS evidence for the key that encrypts an object or a bucket by default: DescribeKey (works
// cross-account when the key policy allows it), GetKeyPolicy and ListAliases (the key's own
// account only), all in the key's region (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html).
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html
// https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html

import type * as KMS from '@aws-sdk/client-kms';
import type { KmsKeyEvidence } from '../../model/evidence.js';
import type { LiveContext } from './context.js';
import { parsePolicyDocument } from './documents.js';
import { evidencePath } from '../index.js';

const KEY_ARN = /^arn:(aws[\w-]*):kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const ALIAS_ARN = /^arn:(aws[\w-]*):kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;

/**
 * Collects a key named by ARN, key id or alias (`alias/aws/s3` for S3's AWS managed key).
 * `region`/`account`: where a bare id or alias lives (the bucket's). Returns the key ARN when known.
 */
export function collectKey(
  ctx: LiveContext,
  keyRef: string,
  region: string,
  account: string | undefined,
): Promise<string | undefined> {
  const arnMatch = KEY_ARN.exec(keyRef) ?? ALIAS_ARN.exec(keyRef);
  const keyRegion = arnMatch?.[2] ?? region;
  const keyAccount = arnMatch?.[3] ?? account;
  return ctx.once(`kms:${keyRegion}:${keyAccount}:${keyRef}`, () =>
    collect(ctx, keyRef, keyRegion, keyAccount),
  );
}

async function collect(
  ctx: LiveContext,
  keyRef: string,
  region: string,
  account: string | undefined,
): Promise<string | undefined> {
  const kms = await ctx.module<typeof KMS>('kms');
  const knownArn = KEY_ARN.exec(keyRef) ? keyRef : undefined;
  const native = await ctx.hasAccount(account);
  const send = <O>(command: object) =>
    ctx.send<O>({ service: 'kms', account, region, command, label: `key ${keyRef}` });
  // With a key ARN and credentials in its account, the three reads go out together.
  const policyAndAliases = (arn: string) =>
    Promise.all([
      send<KMS.GetKeyPolicyCommandOutput>(new kms.GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' })),
      send<KMS.ListAliasesCommandOutput>(new kms.ListAliasesCommand({ KeyId: arn })),
    ]);
  const early = knownArn && native ? policyAndAliases(knownArn) : undefined;
  early?.catch(() => undefined); // awaited below; a credentials error may end the run first
  const described = await send<KMS.DescribeKeyCommandOutput>(new kms.DescribeKeyCommand({ KeyId: keyRef }));
  const arn = described.ok ? (described.value.KeyMetadata?.Arn ?? knownArn) : knownArn;
  if (!arn) {
    if (!described.ok) ctx.noteFailure(evidencePath('kmsKeys', keyRef), described);
    return undefined;
  }
  const keyAccount = KEY_ARN.exec(arn)?.[3] ?? account;
  const ev: KmsKeyEvidence = ctx.evidence.kmsKeys[arn] ?? {};
  ctx.evidence.kmsKeys[arn] = ev;
  if (keyAccount) ev.accountId = keyAccount;
  const path = evidencePath('kmsKeys', arn);
  if (described.ok) {
    const md = described.value.KeyMetadata;
    if (md?.KeyManager === 'AWS' || md?.KeyManager === 'CUSTOMER') ev.keyManager = md.KeyManager;
    if (md?.KeyState) ev.keyState = md.KeyState;
  } else if (described.failure.kind === 'not-found') {
    ctx.note(path, `${described.failure.code} on ${described.action}: the key does not exist (deleted?)`);
  } else {
    ctx.noteFailure(`${path}.keyState`, described);
  }
  const ownAccount = keyAccount === account ? native : await ctx.hasAccount(keyAccount);
  if (!ownAccount) {
    ctx.note(
      `${path}.policy`,
      `the key is in account ${keyAccount}, where s3doctor has no credentials; GetKeyPolicy works only there (pass --role-arn)`,
    );
    return arn;
  }
  const [policy, aliases] = await (early ?? policyAndAliases(arn));
  if (policy.ok) {
    const doc = parsePolicyDocument(policy.value.Policy);
    if (doc) ev.policy = doc;
    else ctx.note(`${path}.policy`, 'GetKeyPolicy returned a document that is not JSON');
  } else ctx.noteFailure(`${path}.policy`, policy);
  if (aliases.ok) ev.aliases = (aliases.value.Aliases ?? []).map((a) => a.AliasName ?? '').filter(Boolean);
  else ctx.noteFailure(`${path}.aliases`, aliases);
  return arn;
}
