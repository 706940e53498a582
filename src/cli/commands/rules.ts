// `s3doctor rules [list|show ID]`: the rule catalogue from the rules' own metadata.

import type { ExitCode } from '../program.js';
import { UsageError } from '../errors.js';
import { renderJson } from '../format/json.js';
import { markdownToText } from '../format/markdown-text.js';
import { renderRulesText } from '../format/text.js';
import type { OutputFormat } from '../options.js';
import { emitReport } from '../output.js';
import { processTerminal, stdoutColour } from '../tty.js';

/** Runs `rules list`. */
export async function runRulesList(opts: { format?: OutputFormat }): Promise<ExitCode> {
  const { listRules } = await import('../../engine/index.js');
  const rules = listRules().map((r) => ({ id: r.id, code: r.code, title: r.title }));
  const format = opts.format ?? 'text';
  let text: string;
  if (format === 'json') text = renderJson(rules);
  else if (format === 'markdown') {
    text =
      [
        '| Rule | Cause code | Title |',
        '|---|---|---|',
        ...rules.map((r) => `| \`${r.id}\` | \`${r.code}\` | ${r.title} |`),
      ].join('\n') + '\n';
  } else text = renderRulesText(rules, { colour: stdoutColour(processTerminal()) });
  await emitReport(text, {});
  return 0;
}

/** Runs `rules show ID` (a rule id, or a cause code naming its rules). */
export async function runRulesShow(id: string, opts: { format?: OutputFormat }): Promise<ExitCode> {
  const { listRules, getRule, renderRuleDoc } = await import('../../engine/index.js');
  let rule = getRule(id);
  if (!rule) {
    const byCode = listRules().find((r) => r.code === id);
    if (byCode) rule = getRule(byCode.id);
  }
  if (!rule)
    throw new UsageError(`no rule "${id}": run s3doctor rules list for the rule ids and cause codes.`);
  if (opts.format === 'json') {
    await emitReport(renderJson(JSON.parse(JSON.stringify(rule))), {});
    return 0;
  }
  const md = renderRuleDoc(rule);
  // Markdown only when asked for; text (the default) is plain: no #, **, backticks or link syntax.
  const doc = opts.format === 'markdown' ? md : markdownToText(md);
  await emitReport(doc.endsWith('\n') ? doc : `${doc}\n`, {});
  return 0;
}
