// Rule: a Deny statement in the principal's permissions boundary matches the request.
import { layerRule } from '../../src/engine/rule-kit.js';

/** Rule `boundary/explicit-deny-permissions-boundary`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'boundary/explicit-deny-permissions-boundary',
  title: 'The permissions boundary explicitly denies the request',
  code: 'explicit-deny-permissions-boundary',
  docs: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html'],
  messages: {
    deny: 'Statement {{statement}} of the permissions boundary {{policyName}} denies {{action}} on {{resource}}.',
    denyCondition:
      'Statement {{statement}} of the permissions boundary {{policyName}} denies {{action}} on {{resource}}: its condition {{operator}} {{key}} = {{policyValues}} matched the request value {{requestValue}}.',
    denyUnknown:
      'Statement {{statement}} of the permissions boundary {{policyName}} denies {{action}} on {{resource}} if {{operator}} {{key}} = {{policyValues}} matches, and the input does not show {{key}}.',
    enhanced:
      'AWS reported an explicit deny in the permissions boundary of {{principal}} for {{action}} on {{resource}}.',
  },
});
