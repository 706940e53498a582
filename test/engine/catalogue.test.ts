// The catalogue and the rules' files stay in step with the rules' metadata: docs/rules.md, each
// rule's .md header and links, rules/index.ts, ids equal to paths, one rule per cause code.
// UPDATE_RULE_DOCS=1 regenerates docs/rules.md and the .md headers instead of failing.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAUSE_CODES } from '../../src/model/cause.js';
import {
  allRules,
  getRule,
  listRules,
  renderCatalogue,
  renderRuleDoc,
  ruleDocHeader,
  ruleDocBody,
  rulesDir,
} from '../../src/engine/index.js';
import type { Rule } from '../../src/engine/index.js';

const ROOT = join(import.meta.dirname, '../..');
const RULES_DIR = join(ROOT, 'rules');
const UPDATE = process.env['UPDATE_RULE_DOCS'] === '1';

/** Every rule source file under rules/<layer>/ (not index.ts). */
function ruleFiles(): string[] {
  const out: string[] = [];
  for (const layer of readdirSync(RULES_DIR, { withFileTypes: true }))
    if (layer.isDirectory())
      for (const f of readdirSync(join(RULES_DIR, layer.name)))
        if (f.endsWith('.ts')) out.push(`${layer.name}/${f.slice(0, -3)}`);
  return out.sort();
}

describe('rule catalogue', () => {
  it('docs/rules.md is generated from the metadata', () => {
    const file = join(ROOT, 'docs/rules.md');
    const want = renderCatalogue(allRules());
    if (UPDATE) writeFileSync(file, want);
    expect(existsSync(file), 'docs/rules.md missing: run with UPDATE_RULE_DOCS=1').toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(want);
  });

  it('lists every rule with id, code and title', () => {
    const list = listRules();
    expect(list.length).toBe(allRules().length);
    for (const r of list) {
      expect(Object.keys(r).sort()).toEqual(['code', 'id', 'title']);
      expect(getRule(r.id)?.code).toBe(r.code);
    }
    expect(getRule('no/such-rule')).toBeUndefined();
    expect(renderCatalogue(allRules())).toContain('| [`bucket-policy/deny-insecure-transport`]');
  });

  it('every cause code of CONTRACT.md has at least one rule', () => {
    const codes = new Set(allRules().map((r) => r.code));
    expect(CAUSE_CODES.filter((c) => !codes.has(c))).toEqual([]);
    expect(allRules().length).toBeGreaterThanOrEqual(CAUSE_CODES.length);
  });

  it('rules/index.ts imports exactly the rule files, and rule ids are unique', () => {
    const ids = allRules().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ruleFiles());
    const index = readFileSync(join(RULES_DIR, 'index.ts'), 'utf8');
    for (const f of ruleFiles()) expect(index).toContain(`from './${f}.js'`);
  });

  it.each(ruleFiles())('rules/%s.ts default-exports the rule whose id is its path', async (path) => {
    const mod = (await import(join(RULES_DIR, `${path}.ts`))) as { default: Rule };
    expect(mod.default.id).toBe(path);
    expect(relative(RULES_DIR, join(RULES_DIR, mod.default.id))).toBe(path);
  });

  it.each(allRules().map((r) => [r.id, r] as const))(
    'rules/%s.md has the generated header and the AWS links',
    (_id, rule) => {
      const file = join(RULES_DIR, `${rule.id}.md`);
      expect(existsSync(file), `${file} missing`).toBe(true);
      let text = readFileSync(file, 'utf8');
      const header = ruleDocHeader(rule);
      if (UPDATE && !text.startsWith(header)) {
        text = header + text.replace(/^# [^\n]*\n\n(- (id|code): [^\n]*\n)*/, '');
        writeFileSync(file, text);
      }
      expect(text.startsWith(header)).toBe(true);
      for (const section of [
        '## What it means',
        '## How s3doctor decides',
        '## Example',
        '## AWS documentation',
      ])
        expect(text).toContain(section);
      const links = text.split('## AWS documentation')[1]!.match(/https:\/\/\S+/g) ?? [];
      expect(links).toEqual(rule.docs);
      for (const url of rule.docs) expect(url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      // Examples a rule doc points at exist.
      for (const m of text.matchAll(/`examples\/([a-z0-9-]+)`/g))
        expect(existsSync(join(ROOT, 'examples', m[1]!))).toBe(true);
    },
  );

  it('the rule docs are found from src/ and from the built dist/ alike', async () => {
    expect(rulesDir()).toBe(RULES_DIR);
    const built = join(ROOT, 'dist/src/engine/catalogue.js');
    if (existsSync(built)) {
      const mod = (await import(built)) as { rulesDir(): string };
      expect(mod.rulesDir()).toBe(RULES_DIR);
    }
  });

  it('rules show: header, the .md body, every message', () => {
    const rule = getRule('bucket-policy/deny-insecure-transport')!;
    const doc = renderRuleDoc(rule);
    expect(doc.startsWith(ruleDocHeader(rule))).toBe(true);
    expect(doc).toContain(ruleDocBody(rule));
    expect(ruleDocBody(rule)).toContain('## How s3doctor decides');
    for (const text of Object.values(rule.messages)) expect(doc).toContain(text);
    // AWS links appear once (from the .md), not twice.
    expect(doc.split(rule.docs[0]!).length - 1).toBe(1);
  });
});
