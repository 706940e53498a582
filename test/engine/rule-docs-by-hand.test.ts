// Every rule doc tells a support engineer how to confirm the cause by hand (real commands) and what the rule cannot see.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../src/engine/index.js';

const RULES_DIR = join(import.meta.dirname, '../../rules');

/** The text of one `## Name` section of a markdown document (up to the next `## `), or undefined. */
function section(text: string, name: string): string | undefined {
  const start = text.indexOf(`\n## ${name}\n`);
  if (start < 0) return undefined;
  const body = text.slice(start + name.length + 5);
  const end = body.search(/\n## /);
  return end < 0 ? body : body.slice(0, end);
}

describe.each(allRules().map((r) => [r.id] as const))('rules/%s.md', (id) => {
  const text = readFileSync(join(RULES_DIR, `${id}.md`), 'utf8');

  it('has "How to confirm by hand" with a shell block of real commands, before the AWS links', () => {
    const confirm = section(text, 'How to confirm by hand');
    expect(confirm, 'section "## How to confirm by hand" missing').toBeDefined();
    const blocks = [...confirm!.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length, 'a ```sh block with the commands').toBeGreaterThan(0);
    const commands = blocks
      .join('\n')
      .split('\n')
      .filter((l) => /^(aws|curl|date|printf) /.test(l) || l === 'date -u');
    expect(commands.length).toBeGreaterThan(0);
    // AWS CLI commands name a service and an operation in kebab-case, never a placeholder verb.
    for (const c of commands.filter((l) => l.startsWith('aws ')))
      expect(c).toMatch(
        /^aws (s3api|s3control|iam|sts|kms|organizations|ec2|cloudtrail) [a-z]+(-[a-z0-9]+)*( |$)/,
      );
    expect(text.indexOf('## How to confirm by hand')).toBeLessThan(text.indexOf('## AWS documentation'));
  });

  it('has "Limitations" listing what the rule cannot see or do', () => {
    const limits = section(text, 'Limitations');
    expect(limits, 'section "## Limitations" missing').toBeDefined();
    expect(limits!.match(/^- \S/gm)?.length ?? 0).toBeGreaterThan(0);
  });
});
