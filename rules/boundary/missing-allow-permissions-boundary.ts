// Rule: the principal's permissions boundary does not allow the action.
import { authOf, fixes, layerRule } from '../../src/engine/rule-kit.js';

/** Rule `boundary/missing-allow-permissions-boundary`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'boundary/missing-allow-permissions-boundary',
  title: 'The permissions boundary does not allow the action',
  code: 'missing-allow-permissions-boundary',
  docs: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  ],
  messages: {
    missing:
      'The permissions boundary {{policyName}} of {{principal}} does not allow {{action}} on {{resource}}; a boundary caps what identity policies can grant.',
    nearMiss:
      'The permissions boundary {{policyName}} of {{principal}} does not allow {{action}} on {{resource}}: statement {{statement}} names the action but fails on {{failedOn}}.',
    enhanced:
      'AWS reported that no permissions boundary allows {{action}} on {{resource}} for {{principal}}.',
  },
  suggest(f, ctx) {
    const auth = authOf(f, ctx);
    if (!ctx.evidence || !auth) return [];
    return [fixes.addBoundaryStatement(ctx.evidence, auth.principal, [auth.action], [auth.resource])];
  },
});
