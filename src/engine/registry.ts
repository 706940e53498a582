// The rule registry: the static list in rules/index.ts, looked up by id.

import { RULES } from '../../rules/index.js';
import type { Rule } from './rule-kit.js';
import type { CauseCode } from '../model/cause.js';

/** One catalogue entry (CONTRACT's `rules list --format json` item). */
export interface RuleSummary {
  id: string;
  code: CauseCode;
  title: string;
}

/** Every registered rule, ordered by id. */
export function allRules(): readonly Rule[] {
  return RULES;
}

/** The catalogue: id, code and title of each rule, ordered by id. */
export function listRules(): RuleSummary[] {
  return [...RULES]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => ({ id: r.id, code: r.code, title: r.title }));
}

/** One rule by id (undefined when there is none). */
export function getRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
