// The rule catalogue, generated from the rules' own metadata: docs/rules.md, each rule's .md
// header, and `rules show ID` (header + messages + links + the rule's .md body).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Rule } from './rule-kit.js';

/** The header every `rules/<id>.md` starts with (a test checks it). */
export function ruleDocHeader(rule: Rule): string {
  return `# ${rule.title}\n\n- id: \`${rule.id}\`\n- code: \`${rule.code}\`\n`;
}

/** Where the rules/ folder is: next to src/ in the repo, next to dist/ when installed. */
export function rulesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = join(here, up, 'rules');
    // The source folder (with the .md files; the package ships only those), not dist/rules (compiled rules only).
    if (existsSync(dir) && (existsSync(join(dir, 'index.ts')) || !existsSync(join(dir, 'index.js'))))
      return dir;
  }
  return join(here, '../../rules');
}

/** The body of a rule's .md (everything after its generated header); empty when the file is missing. */
export function ruleDocBody(rule: Rule, dir = rulesDir()): string {
  const file = join(dir, `${rule.id}.md`);
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  const header = ruleDocHeader(rule);
  return (text.startsWith(header) ? text.slice(header.length) : text).trim();
}

/** `rules show ID`: header, what the rule can say, AWS links, then the rule's own documentation. */
export function renderRuleDoc(rule: Rule, body = ruleDocBody(rule)): string {
  const lines = [ruleDocHeader(rule)];
  if (body) lines.push(body, '');
  lines.push('## Messages', '');
  for (const [id, text] of Object.entries(rule.messages as Record<string, string>))
    lines.push(`- \`${id}\`: ${text}`);
  if (!body.includes('## AWS documentation')) {
    lines.push('', '## AWS documentation', '');
    for (const url of rule.docs) lines.push(`- ${url}`);
  }
  return lines.join('\n') + '\n';
}

/** docs/rules.md: a table of every rule, then one section per rule from its metadata. */
export function renderCatalogue(rules: readonly Rule[]): string {
  const sorted = [...rules].sort((a, b) => a.id.localeCompare(b.id));
  const out: string[] = [
    '# Rule catalogue',
    '',
    "<!-- Generated from the rules' metadata by renderCatalogue() (src/engine/catalogue.ts).",
    '     Do not edit: run `UPDATE_RULE_DOCS=1 npx vitest run test/engine/catalogue.test.ts`. -->',
    '',
    `s3doctor has ${sorted.length} rules covering ${new Set(sorted.map((r) => r.code)).size} cause codes. ` +
      'Each rule lives in `rules/<id>.ts` with its documentation in `rules/<id>.md`; `s3doctor rules show <id>` prints it.',
    '',
    '| id | cause code | title |',
    '|---|---|---|',
    ...sorted.map((r) => `| [\`${r.id}\`](#${anchor(r.id)}) | \`${r.code}\` | ${r.title} |`),
    '',
  ];
  for (const r of sorted) {
    out.push(
      `## ${r.id}`,
      '',
      `**${r.title}** (cause code \`${r.code}\`; [documentation](../rules/${r.id}.md))`,
      '',
    );
    out.push('Messages:', '');
    for (const [id, text] of Object.entries(r.messages as Record<string, string>))
      out.push(`- \`${id}\`: ${text}`);
    out.push('', 'AWS documentation:', '');
    for (const url of r.docs) out.push(`- ${url}`);
    out.push('');
  }
  return out.join('\n');
}

function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9 -]/g, '');
}
