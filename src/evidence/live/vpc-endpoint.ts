// VPC endpoint evidence: the endpoint's VPC, owner and policy, from EC2 DescribeVpcEndpoints in
// the endpoint owner's account and region (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html). @aws-sdk/client-ec2 (28 MB for this
// one call) is an optional peer dependency: without it the evidence stays unknown, with a note.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html

import type * as EC2 from '@aws-sdk/client-ec2';
import type { LiveContext } from './context.js';
import { parsePolicyDocument } from './documents.js';
import { evidencePath } from '../index.js';

/** Collects `vpce-...` as seen from `account` (the requester's, usually) in `region`. */
export function collectVpcEndpoint(
  ctx: LiveContext,
  id: string,
  account: string | undefined,
  region: string,
): Promise<void> {
  return ctx.once(`vpce:${id}`, async () => {
    const path = evidencePath('vpcEndpoints', id);
    const ec2 = await ctx.optionalModule<typeof EC2>('ec2', path);
    if (!ec2) return;
    const r = await ctx.send<EC2.DescribeVpcEndpointsCommandOutput>({
      service: 'ec2',
      account,
      region,
      command: new ec2.DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }),
      label: `VPC endpoint ${id}`,
    });
    if (!r.ok) {
      const where = `account ${account ?? ctx.callerAccount}, ${region}`;
      ctx.noteFailure(path, r, r.failure.kind === 'not-found' ? `not found in ${where}` : '');
      return;
    }
    const e = r.value.VpcEndpoints?.find((x) => x.VpcEndpointId === id);
    if (!e) {
      ctx.note(path, `DescribeVpcEndpoints did not return ${id}`);
      return;
    }
    const policy = e.PolicyDocument ? parsePolicyDocument(e.PolicyDocument) : null;
    if (policy === undefined)
      ctx.note(`${path}.policy`, 'DescribeVpcEndpoints returned a policy that is not JSON');
    ctx.evidence.vpcEndpoints[id] = {
      ...(e.OwnerId ? { accountId: e.OwnerId } : {}),
      ...(e.VpcId ? { vpcId: e.VpcId } : {}),
      ...(policy !== undefined ? { policy } : {}),
    };
  });
}
