// The shared vocabulary of the one-way flow: types only, re-exported from one place.
export type * from './input.js';
export type * from './request.js';
export type * from './policy.js';
export type * from './evidence.js';
export type * from './evaluation.js';
export type * from './report.js';
export type * from './iac.js';
export type {
  CauseCode,
  Confidence,
  ConditionRef,
  PolicyPatch,
  RequestChange,
  BlastRadius,
  Fix,
  Cause,
} from './cause.js';
export { CAUSE_CODES } from './cause.js';
export { UserError, CancelledError } from './user-error.js';
