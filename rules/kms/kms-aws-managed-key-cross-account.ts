// Rule: the object (or bucket default) uses the AWS managed key aws/s3, which no other account can use.
import {
  awsManagedCrossAccount,
  clientFix,
  configFix,
  defineRule,
  fixes,
} from '../../src/engine/rule-kit.js';
import type { Finding } from '../../src/engine/rule-kit.js';

type Id = 'managedKey' | 'invalidKeyId' | 'fixReencrypt' | 'fixDefaultKey';

/** Rule `kms/kms-aws-managed-key-cross-account`: its .md beside this file says what it means and how it decides. */
export default defineRule<Id>({
  id: 'kms/kms-aws-managed-key-cross-account',
  title: 'The AWS managed key aws/s3 cannot be used from another account',
  code: 'kms-aws-managed-key-cross-account',
  docs: [
    'https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
  ],
  messages: {
    managedKey:
      'The object is encrypted with the AWS managed key {{resource}} of account {{keyAccount}}; its fixed key policy only lets principals of that account use it through S3, so {{principal}} can never decrypt it.',
    invalidKeyId:
      'S3 answered {{errorCode}} naming the AWS managed key aws/s3: a principal from another account cannot use that key.',
    fixReencrypt:
      "Re-encrypt the objects with a customer managed key (CopyObject in place with --sse aws:kms --sse-kms-key-id <key>) and grant {{principal}} in that key's policy; the aws/s3 key policy cannot be edited.",
    fixDefaultKey:
      'Make a customer managed key the default encryption of bucket {{bucket}} so new objects can be shared.',
  },
  match(ctx) {
    const out: Finding<Id>[] = [];
    const principal = ctx.principalLabel();
    for (const name of ['kms-key-policy', 'kms-identity-policy'] as const) {
      for (const hit of ctx.blockingLayers(name)) {
        const key = hit.auth.request.resource;
        if (!awsManagedCrossAccount(ctx, key)) continue;
        const keyAccount = ctx.evidence?.kmsKeys[key]?.accountId ?? key.split(':')[4] ?? '?';
        out.push({
          confidence: hit.confidence,
          messageId: 'managedKey',
          data: { resource: key, keyAccount, principal },
          policy: { type: 'kms-key-policy', id: key },
          action: hit.auth.request.action,
          resource: key,
          layer: name,
          authorizationIndex: hit.index,
        });
      }
    }
    if (out.length > 0)
      return out.filter(
        (f, i) => out.findIndex((g) => g.resource === f.resource && g.action === f.action) === i,
      );
    const code = ctx.errorCode();
    if (code === 'KMS.NotFoundException' && /aws\/s3/.test(ctx.errorMessage() ?? ''))
      return [{ confidence: 'likely', messageId: 'invalidKeyId', data: { errorCode: code } }];
    return [];
  },
  suggest(_f, ctx, msg) {
    const bucket = ctx.request.s3.bucket ?? '<bucket>';
    const grantee = fixes.resourcePrincipalArn(ctx.request.principal, ctx.evidence) ?? ctx.principalLabel();
    return [
      clientFix(msg('fixReencrypt', { principal: grantee })),
      configFix(msg('fixDefaultKey', { bucket })),
    ];
  },
});
