// Rule: the request came through an access point whose policy does not allow it.
import {
  authOf,
  defineRule,
  fixes,
  missingAllowFindings,
  traceOrMessage,
} from '../../src/engine/rule-kit.js';

/** Rule `access-point/missing-allow-access-point-policy`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 'access-point/missing-allow-access-point-policy',
  title: 'The access point policy does not allow the request',
  code: 'missing-allow-access-point-policy',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-delegating-access.html',
  ],
  messages: {
    missing:
      'The policy of access point {{accessPoint}} does not allow {{principal}} to perform {{action}} on {{resource}}.',
    nearMiss:
      'The policy of access point {{accessPoint}} does not allow {{principal}} to perform {{action}} on {{resource}}: statement {{statement}} names the action but fails on {{failedOn}}.',
    enhanced: 'AWS reported that no resource-based policy of access point {{resource}} allows {{action}}.',
  },
  match(ctx) {
    const accessPoint = ctx.request.s3.accessPointArn ?? '?';
    const found = missingAllowFindings(ctx, 'access-point-policy', {
      plain: 'missing',
      nearMiss: 'nearMiss',
    }).map((f) => ({
      ...f,
      data: { ...f.data, accessPoint },
    }));
    return traceOrMessage(ctx, 'missing-allow-access-point-policy', found, 'enhanced');
  },
  suggest(f, ctx) {
    const auth = authOf(f, ctx);
    const ap = ctx.request.s3.accessPointArn;
    if (!ctx.evidence || !auth || !ap) return [];
    return [fixes.addResourceStatement(ctx.evidence, ap, auth.principal, [auth.action], [auth.resource])];
  },
});
