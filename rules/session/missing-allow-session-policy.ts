// Rule: the session was created with a session policy that does not allow the action.
import {
  authOf,
  defineRule,
  fixes,
  missingAllowFindings,
  traceOrMessage,
} from '../../src/engine/rule-kit.js';

/** Rule `session/missing-allow-session-policy`: its .md beside this file says what it means and how it decides. */
export default defineRule({
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
  },
  match(ctx) {
    const found = missingAllowFindings(ctx, 'session-policy', { plain: 'missing' });
    return traceOrMessage(ctx, 'missing-allow-session-policy', found, 'enhanced');
  },
  suggest(f, ctx) {
    const auth = authOf(f, ctx);
    if (!ctx.evidence || !auth) return [];
    return [fixes.addSessionPolicyStatement(ctx.evidence, auth.principal, [auth.action], [auth.resource])];
  },
});
