// Rule: a Deny statement in the bucket policy matches the request.
import { layerRule } from '../../src/engine/rule-kit.js';

/** Rule `bucket-policy/explicit-deny-bucket-policy`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'bucket-policy/explicit-deny-bucket-policy',
  title: 'The bucket policy explicitly denies the request',
  code: 'explicit-deny-bucket-policy',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html',
  ],
  messages: {
    deny: 'Statement {{statement}} of the bucket policy on {{policyId}} denies {{action}} on {{resource}} to {{principal}}.',
    denyCondition:
      'Statement {{statement}} of the bucket policy on {{policyId}} denies {{action}} on {{resource}}: its condition {{operator}} {{key}} = {{policyValues}} matched the request value {{requestValue}}.',
    denyUnknown:
      'Statement {{statement}} of the bucket policy on {{policyId}} denies {{action}} on {{resource}} if {{operator}} {{key}} = {{policyValues}} matches, and the input does not show {{key}}.',
    enhanced:
      'AWS reported an explicit deny in a resource-based policy (the bucket policy) for {{action}} on {{resource}}.',
  },
});
