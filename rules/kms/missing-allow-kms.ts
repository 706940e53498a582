// Rule: the KMS key policy or the identity policy lacks the KMS action S3 needs (Decrypt / GenerateDataKey).
import { authOf, awsManagedCrossAccount, fixes, layerRule } from '../../src/engine/rule-kit.js';

type Id = 'keyPolicy' | 'identity' | 'enhanced';

/** Rule `kms/missing-allow-kms`: its .md beside this file says what it means and how it decides. */
export default layerRule<Id>({
  id: 'kms/missing-allow-kms',
  title: 'The KMS permission S3 needs for the object is missing',
  code: 'missing-allow-kms',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
    'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html',
    'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service',
  ],
  messages: {
    keyPolicy:
      'The object uses KMS key {{resource}}, and its key policy does not allow {{principal}} to call {{action}} (a key policy must allow, or delegate to the account, before any IAM policy counts).',
    identity:
      "The object uses KMS key {{resource}}, and no identity policy of {{principal}} allows {{action}} on that key; S3 calls KMS with the requester's permissions.",
    enhanced:
      'AWS reported that {{principal}} may not call {{action}} on {{resource}}, which S3 needs to read or write the encrypted object.',
  },
  messageIds: {
    'kms-key-policy': { plain: 'keyPolicy' },
    'kms-identity-policy': { plain: 'identity' },
    'identity-policy': { plain: 'identity' },
  },
  // An AWS managed key of another account is its own cause (kms-aws-managed-key-cross-account).
  filter: (h, ctx) =>
    h.layer.layer !== 'kms-key-policy' || !awsManagedCrossAccount(ctx, h.auth.request.resource),
  suggest(f, ctx) {
    const auth = authOf(f, ctx);
    if (!ctx.evidence || !auth) return [];
    if (f.messageId === 'keyPolicy')
      return [fixes.addKeyPolicyStatement(ctx.evidence, auth.resource, auth.principal, [auth.action])];
    if (f.messageId === 'identity')
      return [fixes.addIdentityStatement(ctx.evidence, auth.principal, [auth.action], [auth.resource])];
    return [];
  },
});
