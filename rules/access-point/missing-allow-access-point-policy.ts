// Rule: the request came through an access point whose policy does not allow it.
import { authOf, fixes, layerRule } from '../../src/engine/rule-kit.js';

/** Rule `access-point/missing-allow-access-point-policy`: its .md beside this file says what it means and how it decides. */
export default layerRule({
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
  create(ctx, found) {
    const accessPoint = ctx.request.s3.accessPointArn ?? '?';
    return found.map((f) => ({ ...f, data: { ...f.data, accessPoint } }));
  },
  suggest(f, ctx) {
    const auth = authOf(f, ctx);
    const ap = ctx.request.s3.accessPointArn;
    if (!ctx.evidence || !auth || !ap) return [];
    return [fixes.addResourceStatement(ctx.evidence, ap, auth.principal, [auth.action], [auth.resource])];
  },
});
