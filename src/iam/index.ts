// The IAM policy engine's public surface: validate, compile and evaluate policy documents (service-agnostic).

export { validatePolicy, parsePolicyText, arnProblem } from './validate.js';
export type { PolicyProblem, PolicyValidation } from './validate.js';
export { compilePolicy, RESOURCE_POLICY_TYPES } from './compile.js';
export type { CompiledPolicy } from './compile.js';
export { evaluatePolicy, evaluatePolicyUncached } from './evaluate.js';
export type { EvaluateOptions } from './evaluate.js';
export { actionMatches, resourceMatches } from './wildcard.js';
export { parseOperator, BASE_OPERATORS } from './operators.js';
export type { ParsedOperator, OperatorFamily } from './operators.js';
export { parseIp, parseCidr, ipInRange } from './ip.js';
export { parseDate } from './context.js';
