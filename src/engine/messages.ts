// Fills a rule message's {{placeholders}} from finding data (arrays joined, missing values as "?").

import type { MessageData } from './rule-kit.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The placeholder names a message uses. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Replaces every `{{name}}` with its value; a value the finding did not give becomes `?`. */
export function fillMessage(template: string, data: MessageData | undefined): string {
  return template.replace(PLACEHOLDER, (_all, name: string) => {
    const v = data?.[name];
    if (v === undefined || v === '') return '?';
    return Array.isArray(v) ? v.join(', ') : String(v);
  });
}
