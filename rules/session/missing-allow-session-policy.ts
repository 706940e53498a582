// Rule: the session was created with a session policy that does not allow the action.
import { authOf, fixes, layerRule, unknownLayerFindings } from '../../src/engine/rule-kit.js';

/** Rule `session/missing-allow-session-policy`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'session/missing-allow-session-policy',
  title: 'The session policy does not allow the action',
  code: 'missing-allow-session-policy',
  docs: [
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session',
    'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
  ],
  messages: {
    missing:
      'The session policy of {{principal}} does not allow {{action}} on {{resource}}; a session policy limits the session to what both it and the role allow.',
    enhanced: 'AWS reported that no session policy allows {{action}} on {{resource}} for {{principal}}.',
    unknown:
      'The session policy of {{principal}} is not in the evidence (no AWS API returns it), and it is the one layer left that could refuse {{action}} on {{resource}}: if it does not allow the action, it explains the denial.',
  },
  // An enhanced message that names another layer settles where the Allow is missing.
  fallback: (ctx) => (ctx.enhancedCode() ? [] : unknownLayerFindings(ctx, 'session-policy', 'unknown')),
  suggest(f, ctx) {
    // An unknown session policy cannot be patched: the fix is to start the session without one.
    if (f.messageId === 'unknown') return [];
    const auth = authOf(f, ctx);
    if (!ctx.evidence || !auth) return [];
    return [fixes.addSessionPolicyStatement(ctx.evidence, auth.principal, [auth.action], [auth.resource])];
  },
});
