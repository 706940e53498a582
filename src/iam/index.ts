// The IAM policy engine's public surface: validate, compile and evaluate policy documents (service-agnostic).
//
// Decisions where AWS documentation is silent or ambiguous (each also noted where it is coded):
// - An unknown operator, a malformed condition value or a statement without Action evaluates to
//   `unknown` (never a silent match or no-match); validatePolicy rejects such documents up front.
// - A request value an operator cannot read (not a number, date, IP or ARN) never satisfies the
//   condition, negated operators included.
// - A plain (non-set) operator on a multi-valued request value is `unknown` unless reading it as
//   ForAnyValue and as ForAllValues agree; an empty set counts as a missing key.
// - A value whose policy variable cannot be resolved never matches; for a negated operator the
//   condition is then not satisfiable (false). Variables are substituted in Resource and in String,
//   ARN and Bool condition values, under Version 2012-10-17 only.
// - A statement with no Resource element applies to the resource (trust-policy style).
// - Principal "*" matches every caller (anonymous and service principals included); partial
//   wildcards in principal ARNs are invalid and never match.
// - ARN components other than the resource part are compared case-sensitively, like the rest.

export { validatePolicy } from './validate.js';
export { compilePolicy } from './compile.js';
export type { CompiledPolicy } from './compile.js';
export { evaluatePolicy, evaluatePolicyUncached } from './evaluate.js';
export type { EvaluateOptions } from './evaluate.js';
export { actionMatches, resourceMatches } from './wildcard.js';
export { BASE_OPERATORS } from './operators.js';
export { parseIp, parseCidr, ipInRange } from './ip.js';
