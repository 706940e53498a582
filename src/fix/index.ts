// Public API of fix/: least-privilege patch builders, advice builders, verification by re-evaluation, rendering.

export {
  addIdentityStatement,
  addResourceStatement,
  addKeyPolicyStatement,
  exemptPrincipalFromDeny,
  vpcEndpointPolicyAllow,
  addBoundaryStatement,
  addSessionPolicyStatement,
  bucketPublicAccessBlockChange,
  objectOwnershipChange,
  inlineGroupOf,
  type ExemptOptions,
  type IdentityStatementOptions,
  type ResourceStatementOptions,
  type KeyPolicyOptions,
  type ScopedStatementOptions,
} from './builders.js';
export {
  useHttps,
  sendRequestPayer,
  useBucketOwnerFullControl,
  removeAclHeader,
  refreshCredentials,
  checkAccessKey,
  checkSignature,
  syncClock,
  newPresignedUrl,
  restoreObject,
  waitForRetention,
  bypassGovernance,
  contactSupport,
  checkObjectKey,
  orgAdminAdvice,
  clientAdviceForDeny,
  retryCommand,
  keyStateCommands,
  restoreKeyState,
  type RefreshOptions,
} from './advice.js';
export {
  assertLeastPrivilege,
  leastPrivilegeProblems,
  LeastPrivilegeError,
  GUARD_RAIL_KEYS,
  PATCH_TARGET_TYPES,
  type PatchTargetType,
} from './least-privilege.js';
export { applyPatchToEvidence, applyPatchesToEvidence, applyRequestChange } from './apply.js';
export {
  causeCodesOf,
  layerCauseCodes,
  AUTH_ERROR_CAUSES,
  type CauseCodesOptions,
} from '../authz/cause-table.js';
export { certainlyAllowed, verifyFix, patchesOf, type VerifyOptions } from './verify.js';
export { planProbes, measureBlastRadius, type Probe, type ProbePlan } from './probes.js';
export { renderDiff, cliCommands, patchFileName, prettyJson } from './render.js';
export {
  FixError,
  identityOwnerArn,
  resourcePrincipalArn,
  principalElementFor,
  bucketArnOf,
  objectArnOf,
  s3ArnParts,
} from './resources.js';
