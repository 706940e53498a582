// Rule: a Deny statement in one of the principal's identity policies matches the request.
import { layerRule } from '../../src/engine/rule-kit.js';

/** Rule `identity/explicit-deny-identity-policy`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'identity/explicit-deny-identity-policy',
  title: 'An identity policy explicitly denies the request',
  code: 'explicit-deny-identity-policy',
  docs: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html',
  ],
  messages: {
    deny: 'Statement {{statement}} of identity policy {{policyName}} denies {{action}} on {{resource}}.',
    denyCondition:
      'Statement {{statement}} of identity policy {{policyName}} denies {{action}} on {{resource}}: its condition {{operator}} {{key}} = {{policyValues}} matched the request value {{requestValue}}.',
    denyUnknown:
      'Statement {{statement}} of identity policy {{policyName}} denies {{action}} on {{resource}} if {{operator}} {{key}} = {{policyValues}} matches, and the input does not show {{key}}.',
    enhanced:
      'AWS reported an explicit deny in an identity-based policy of {{principal}} for {{action}} on {{resource}}.',
  },
});
