// Rule: the policy of the VPC endpoint the request went through explicitly denies it.
import { layerRule } from '../../src/engine/rule-kit.js';

/** Rule `vpc-endpoint/explicit-deny-vpc-endpoint-policy`: its .md beside this file says what it means and how it decides. */
export default layerRule({
  id: 'vpc-endpoint/explicit-deny-vpc-endpoint-policy',
  title: 'The VPC endpoint policy explicitly denies the request',
  code: 'explicit-deny-vpc-endpoint-policy',
  docs: [
    'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html',
  ],
  messages: {
    deny: 'Statement {{statement}} of the policy of VPC endpoint {{policyId}} denies {{action}} on {{resource}}.',
    denyCondition:
      'Statement {{statement}} of the policy of VPC endpoint {{policyId}} denies {{action}} on {{resource}}: its condition {{operator}} {{key}} = {{policyValues}} matched the request value {{requestValue}}.',
    denyUnknown:
      'Statement {{statement}} of the policy of VPC endpoint {{policyId}} denies {{action}} on {{resource}} if {{operator}} {{key}} = {{policyValues}} matches, and the input does not show {{key}}.',
    enhanced: 'AWS reported an explicit deny in a VPC endpoint policy for {{action}} on {{resource}}.',
  },
});
