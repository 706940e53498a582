// Rule: some level of the organization path has no SCP that allows the action.
import { fixes, layerRule } from '../../src/engine/rule-kit.js';

/** Rule `organizations/missing-allow-scp`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'organizations/missing-allow-scp',
  title: 'No service control policy allows the action at some level',
  code: 'missing-allow-scp',
  docs: [
    'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html',
    'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html',
  ],
  messages: {
    missing:
      'At {{level}} of the organization path no service control policy allows {{action}}; every level from the root to the account must allow it.',
    enhanced: 'AWS reported that no service control policy allows {{action}} on {{resource}}.',
  },
  create(ctx, found) {
    return found.map((f) => {
      const hit = ctx.authorizations()[f.authorizationIndex ?? -1]?.layers.find((l) => l.layer === 'scp');
      const level =
        hit?.levels?.find((l) => l.allow === 'false') ?? hit?.levels?.find((l) => l.allow === 'unknown');
      return { ...f, data: { ...f.data, level: level?.target ?? 'one level' } };
    });
  },
  suggest(f) {
    const level = String(f.data?.['level'] ?? 'scp');
    return [
      fixes.orgAdminAdvice(f.policy ?? { type: 'scp', id: level, name: `the SCPs attached at ${level}` }),
    ];
  },
});
