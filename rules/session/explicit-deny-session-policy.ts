// Rule: a Deny statement in the session policy passed when the role was assumed matches the request.
import { layerRule } from '../../src/engine/rule-kit.js';

/** Rule `session/explicit-deny-session-policy`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'session/explicit-deny-session-policy',
  title: 'The session policy explicitly denies the request',
  code: 'explicit-deny-session-policy',
  docs: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session'],
  messages: {
    deny: 'Statement {{statement}} of the session policy of {{principal}} denies {{action}} on {{resource}}.',
    denyCondition:
      'Statement {{statement}} of the session policy of {{principal}} denies {{action}} on {{resource}}: its condition {{operator}} {{key}} = {{policyValues}} matched the request value {{requestValue}}.',
    denyUnknown:
      'Statement {{statement}} of the session policy of {{principal}} denies {{action}} on {{resource}} if {{operator}} {{key}} = {{policyValues}} matches, and the input does not show {{key}}.',
    enhanced:
      'AWS reported an explicit deny in a session policy of {{principal}} for {{action}} on {{resource}}.',
  },
});
