// Fix helpers for rules' `suggest`: the fix module's builders (as `fixes`), plus the two plain
// advice shapes for causes no builder covers. Rules only propose; the runner verifies.

import type { Fix } from '../model/cause.js';
import * as fixes from '../fix/index.js';

export { fixes };

/** Advice the client acts on (nothing in AWS changes); the summary comes from the rule's messages. */
export function clientFix(summary: string, commands?: string[]): Fix {
  return commands && commands.length > 0
    ? { kind: 'client-change', summary, commands }
    : { kind: 'client-change', summary };
}

/** Advice for a configuration change without a patch s3doctor can safely write. */
export function configFix(summary: string, commands?: string[]): Fix {
  return commands && commands.length > 0
    ? { kind: 'config-change', summary, commands }
    : { kind: 'config-change', summary };
}
