// Public API of the rule engine: diagnose a record or a request, the rule catalogue, exit-code helper.

export { diagnose, diagnoseRequest, explains } from './diagnose.js';
export { memoDiagnose } from './memo.js';
export { listRules, getRule, allRules } from './registry.js';
export { renderRuleDoc, renderCatalogue, ruleDocHeader, ruleDocBody, rulesDir } from './catalogue.js';
export { makeContext, type Rule } from './rule-kit.js';
export { enhancedCauseCode } from './enhanced-message.js';
export { logsOnlyUnknowns } from './logs-only.js';
export { fillMessage, placeholdersOf } from './messages.js';
