// Rule: a service control policy on the principal's organization path explicitly denies the request.
import { fixes, layerRule } from '../../src/engine/rule-kit.js';

/** Rule `organizations/explicit-deny-scp`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'organizations/explicit-deny-scp',
  title: 'A service control policy explicitly denies the request',
  code: 'explicit-deny-scp',
  docs: [
    'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html',
    'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html',
  ],
  messages: {
    deny: 'Statement {{statement}} of the service control policy {{policyId}} denies {{action}} on {{resource}} for every principal in the account.',
    denyCondition:
      'Statement {{statement}} of the service control policy {{policyId}} denies {{action}} on {{resource}}: its condition {{operator}} {{key}} = {{policyValues}} matched the request value {{requestValue}}.',
    denyUnknown:
      'Statement {{statement}} of the service control policy {{policyId}} denies {{action}} on {{resource}} if {{operator}} {{key}} = {{policyValues}} matches, and the input does not show {{key}}.',
    enhanced: 'AWS reported an explicit deny in a service control policy for {{action}} on {{resource}}.',
  },
  suggest(f, ctx) {
    return f.policy ? [fixes.orgAdminAdvice(f.policy, ctx.statementDoc(f.policy))] : [];
  },
});
