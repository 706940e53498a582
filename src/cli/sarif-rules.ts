// Loads the rule catalogue in the shape the SARIF renderer needs (title, cause code, Markdown docs).

import type { SarifOptions, SarifRuleInfo } from './format/sarif.js';
import { packageVersion } from './package-info.js';

/** SARIF options backed by the rule catalogue; `ruleDocsUrl` overrides where helpUri points. */
export async function sarifOptions(ruleDocsUrl?: string): Promise<SarifOptions> {
  const { getRule, renderRuleDoc } = await import('../engine/index.js');
  const cache = new Map<string, SarifRuleInfo | undefined>();
  return {
    version: packageVersion(),
    ...(ruleDocsUrl ? { ruleDocsUrl: ruleDocsUrl.endsWith('/') ? ruleDocsUrl : `${ruleDocsUrl}/` } : {}),
    rule: (id) => {
      if (cache.has(id)) return cache.get(id);
      const r = getRule(id);
      const info = r ? { id: r.id, title: r.title, code: r.code, markdown: renderRuleDoc(r) } : undefined;
      cache.set(id, info);
      return info;
    },
  };
}
