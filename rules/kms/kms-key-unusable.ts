// Rule: the KMS key S3 needs is disabled, pending deletion, pending import or unavailable, so KMS refuses to use it.
import { defineRule, fixes } from '../../src/engine/rule-kit.js';
import type { Finding } from '../../src/engine/rule-kit.js';

type Id = 'keyState' | 'disabledError' | 'invalidStateError';

/** Rule `kms/kms-key-unusable`: its .md beside this file says what it means and how it decides. */
export default defineRule<Id>({
  id: 'kms/kms-key-unusable',
  title: 'The KMS key is disabled, pending deletion, pending import or unavailable',
  code: 'kms-key-unusable',
  docs: [
    'https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html',
    'https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html',
    'https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys-cancelling-key-deletion.html',
  ],
  messages: {
    keyState:
      'The KMS key {{resource}} that S3 needs for {{action}} is {{keyState}}: KMS refuses to use a key in that state, whatever the policies allow.',
    disabledError:
      'S3 answered {{errorCode}}: the KMS key that encrypts the object (or that the request or bucket default names) is disabled, so S3 could not use it.',
    invalidStateError:
      'S3 answered {{errorCode}}: the KMS key that encrypts the object (or that the request or bucket default names) is pending deletion, pending import or in an unavailable custom key store, so S3 could not use it.',
  },
  match(ctx) {
    const out: Finding<Id>[] = [];
    for (const hit of ctx.blockingLayers('kms-key-state', 'block')) {
      const key = hit.auth.request.resource;
      const keyState = String(
        (hit.layer.layer === 'kms-key-state' ? hit.layer.facts?.keyState : undefined) ??
          ctx.evidence?.kmsKeys[key]?.keyState ??
          '?',
      );
      if (out.some((f) => f.resource === key)) continue;
      out.push({
        confidence: hit.confidence,
        messageId: 'keyState',
        data: { resource: key, action: hit.auth.request.action, keyState },
        action: hit.auth.request.action,
        resource: key,
        layer: hit.layer.layer,
        authorizationIndex: hit.index,
      });
    }
    if (out.length > 0) return out;
    // The error alone proves it: the same error-code table the fix module maps causes with.
    const code = ctx.errorCode();
    if (code && fixes.ERROR_CODE_CAUSES[code] === 'kms-key-unusable')
      return [
        {
          confidence: 'certain',
          messageId: /Disabled/.test(code) ? 'disabledError' : 'invalidStateError',
          data: { errorCode: code },
        },
      ];
    return [];
  },
  suggest(f, ctx) {
    if (f.messageId === 'keyState')
      return [fixes.restoreKeyState(f.resource, String(f.data?.['keyState'] ?? '') || undefined)];
    // From the error alone: the key is the one the request named, if it named one.
    const key = ctx.request.s3.sseKmsKeyId;
    return [
      fixes.restoreKeyState(key, f.messageId === 'disabledError' ? 'Disabled' : undefined, {
        verifiable: false,
      }),
    ];
  },
});
