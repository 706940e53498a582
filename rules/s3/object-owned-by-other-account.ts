// Rule: the object belongs to another account (ObjectWriter ownership), so the bucket policy cannot grant it.
import { clientFix, defineRule, fixes } from '../../src/engine/rule-kit.js';

/** Rule `s3/object-owned-by-other-account`: its .md beside this file says what it means and how it decides. */
export default defineRule({
  id: 's3/object-owned-by-other-account',
  title: 'The object is owned by another account',
  code: 'object-owned-by-other-account',
  docs: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html',
  ],
  messages: {
    foreignOwner:
      "Object {{object}} is owned by {{owner}}, not by the bucket owner {{bucketOwner}} (Object Ownership is {{ownership}}); only the object owner's ACL can grant {{action}} on it, whatever the bucket policy says.",
    fixWriter:
      'Have the writer copy or re-upload {{object}} with the bucket-owner-full-control ACL, and require that ACL for cross-account PutObject in the bucket policy.',
  },
  match(ctx) {
    const { bucket, key } = ctx.request.s3;
    const b = bucket ? ctx.evidence?.buckets[bucket] : undefined;
    // The chain settles ownership (from the canonical IDs, or from the accounts they map to) and
    // records it on the object-ownership layer; only an owner known to be foreign is this cause.
    const own = ctx
      .layersOf('object-ownership')
      .find(
        (h) =>
          h.layer.layer === 'object-ownership' &&
          h.layer.facts?.check === 'object-owner' &&
          h.layer.facts.ownedByBucketOwner === 'false',
      );
    const facts = own?.layer.layer === 'object-ownership' ? own.layer.facts : undefined;
    if (!facts) return [];
    const hits = [...ctx.blockingLayers('object-acl'), ...ctx.blockingLayers('object-ownership')];
    const hit = hits[0];
    // The evaluation saw the request allowed everywhere: then ownership is not what blocked it.
    if (!hit && ctx.evaluation?.decision === 'Allowed' && ctx.evaluation.certain) return [];
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const ownerAccount = str(facts.objectOwnerAccount);
    const owner = ownerAccount ? `account ${ownerAccount}` : (str(facts.objectOwnerCanonicalId) ?? '?');
    const bucketOwner = b?.accountId
      ? `account ${b.accountId}`
      : (str(facts.bucketOwnerCanonicalId) ?? 'the bucket owner');
    const action = hit?.auth.request.action ?? ctx.primary()?.action ?? '?';
    return [
      {
        // Ownership is a fact of the evidence: when the evaluation denies, it is the certain reason.
        confidence: hit
          ? hit.confidence
          : ctx.evaluation && ctx.evaluation.decision !== 'Allowed'
            ? 'certain'
            : 'likely',
        messageId: 'foreignOwner',
        data: {
          object: `${bucket}/${key}`,
          owner,
          bucketOwner,
          ownership: b?.objectOwnership ?? 'ObjectWriter (no ownership controls)',
          action,
        },
        action,
        resource: hit?.auth.request.resource ?? ctx.primary()?.resource,
        layer: hit?.layer.layer ?? 'object-acl',
        authorizationIndex: hit?.index,
      },
    ];
  },
  suggest(f, ctx, msg) {
    const bucket = ctx.request.s3.bucket;
    const out = [clientFix(msg('fixWriter', f.data))];
    if (ctx.evidence && bucket) out.unshift(fixes.objectOwnershipChange(ctx.evidence, bucket));
    return out;
  },
});
