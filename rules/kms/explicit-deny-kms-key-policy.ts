// Rule: the KMS key policy explicitly denies the KMS call S3 makes for the requester.
import { layerRule } from '../../src/engine/rule-kit.js';

/** Rule `kms/explicit-deny-kms-key-policy`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'kms/explicit-deny-kms-key-policy',
  title: 'The KMS key policy explicitly denies the key use',
  code: 'explicit-deny-kms-key-policy',
  docs: [
    'https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
  ],
  messages: {
    deny: 'Statement {{statement}} of the policy of KMS key {{policyId}} denies {{action}}, which S3 needs for this request.',
    denyCondition:
      'Statement {{statement}} of the policy of KMS key {{policyId}} denies {{action}}: its condition {{operator}} {{key}} = {{policyValues}} matched the request value {{requestValue}}.',
    denyUnknown:
      'Statement {{statement}} of the policy of KMS key {{policyId}} denies {{action}} if {{operator}} {{key}} = {{policyValues}} matches, and the input does not show {{key}}.',
    enhanced: 'AWS reported an explicit deny in the key policy of {{resource}} for {{action}}.',
  },
});
