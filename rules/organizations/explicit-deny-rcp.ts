// Rule: a resource control policy of the bucket owner's organization explicitly denies the request.
import { fixes, layerRule } from '../../src/engine/rule-kit.js';

/** Rule `organizations/explicit-deny-rcp`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'organizations/explicit-deny-rcp',
  title: 'A resource control policy explicitly denies the request',
  code: 'explicit-deny-rcp',
  docs: [
    'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html',
    'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html',
  ],
  messages: {
    deny: 'Statement {{statement}} of the resource control policy {{policyId}} denies {{action}} on {{resource}}.',
    denyCondition:
      'Statement {{statement}} of the resource control policy {{policyId}} denies {{action}} on {{resource}}: its condition {{operator}} {{key}} = {{policyValues}} matched the request value {{requestValue}}.',
    denyUnknown:
      'Statement {{statement}} of the resource control policy {{policyId}} denies {{action}} on {{resource}} if {{operator}} {{key}} = {{policyValues}} matches, and the input does not show {{key}}.',
    enhanced: 'AWS reported an explicit deny in a resource control policy for {{action}} on {{resource}}.',
  },
  suggest(f, ctx) {
    return f.policy ? [fixes.orgAdminAdvice(f.policy, ctx.statementDoc(f.policy))] : [];
  },
});
