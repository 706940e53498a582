// Public API of the rule engine: diagnose a record or a request, the rule catalogue, exit-code helper.

export { diagnose, diagnoseRequest, explains, causeCodes, type DiagnoseOptions } from './diagnose.js';
export { memoDiagnose, evidenceReadsTime, type MemoDiagnose, type MemoOptions } from './memo.js';
export { listRules, getRule, allRules, type RuleSummary } from './registry.js';
export { renderRuleDoc, renderCatalogue, ruleDocHeader, ruleDocBody, rulesDir } from './catalogue.js';
export { runRules, collectFindings, type RunOptions } from './runner.js';
export { makeContext, defineRule, type Rule, type RuleContext, type Finding } from './rule-kit.js';
export { enhancedCauseCode } from './enhanced-message.js';
export { logsOnlyUnknowns } from './logs-only.js';
export { fillMessage, placeholdersOf } from './messages.js';
