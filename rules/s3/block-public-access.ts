// Rule: S3 Block Public Access (account, bucket or access point) refused a public grant or a public write.
import { configFix, defineRule, fixes } from '../../src/engine/rule-kit.js';

/** Rule `s3/block-public-access`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 's3/block-public-access',
  title: 'Block Public Access stops the request',
  code: 'block-public-access',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status',
  ],
  messages: {
    restrict:
      'Block Public Access ({{flag}} at the {{level}} level) stops {{principal}}: the only grant for {{action}} comes from a public policy or ACL, and BPA limits public policies to the owner account and AWS services.',
    blocked: 'Block Public Access ({{flag}} at the {{level}} level) refuses {{action}} on {{resource}}.',
    maybe:
      'Block Public Access may stop {{action}} on {{resource}}: the grant is public, and the {{level}} BPA settings are not known.',
    fixNamed:
      'Keep Block Public Access on and make the grant non-public: name the consuming principals or accounts (or add an aws:SourceVpce / aws:PrincipalOrgID condition); for a website use CloudFront with origin access control.',
    fixWrite:
      'Do not send a public ACL or policy; grant named principals instead (BPA {{flag}} rejects public grants by design).',
  },
  match(ctx) {
    // Unknown BPA settings are worth naming as a possible cause when the bucket policy is known
    // (the trace then knows whether the grant is public); otherwise they stay in the unknowns.
    const bucket = ctx.request.s3.bucket;
    const policyKnown = !!bucket && ctx.evidence?.buckets[bucket]?.policy !== undefined;
    return ctx
      .blockingLayers('block-public-access', undefined, { includeMissingEvidence: policyKnown })
      .map((hit) => {
        const facts = hit.layer.layer === 'block-public-access' ? hit.layer.facts : undefined;
        const flag = facts?.flag ?? 'RestrictPublicBuckets';
        const level = facts?.level ?? 'account or bucket';
        const write = flag === 'BlockPublicAcls' || flag === 'BlockPublicPolicy';
        return {
          confidence: hit.confidence,
          messageId: hit.layer.outcome === 'unknown' ? 'maybe' : write ? 'blocked' : 'restrict',
          data: {
            flag,
            level,
            action: hit.auth.request.action,
            resource: hit.auth.request.resource,
            principal: ctx.principalLabel(),
          },
          action: hit.auth.request.action,
          resource: hit.auth.request.resource,
          layer: hit.layer.layer,
          authorizationIndex: hit.index,
        };
      });
  },
  suggest(f, ctx, msg) {
    const out = [configFix(msg(f.messageId === 'blocked' ? 'fixWrite' : 'fixNamed', f.data))];
    const bucket = ctx.request.s3.bucket;
    if (ctx.evidence && bucket && f.data?.['level'] === 'bucket' && f.messageId === 'restrict')
      out.push(fixes.bucketPublicAccessBlockChange(ctx.evidence, bucket, { RestrictPublicBuckets: false }));
    return out;
  },
});
