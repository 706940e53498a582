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
  restoreKeyState,
} from './advice.js';
export { leastPrivilegeProblems, LeastPrivilegeError } from './least-privilege.js';
export { applyPatchToEvidence, applyPatchesToEvidence, applyRequestChange } from './apply.js';
export { causeCodesOf, ERROR_CODE_CAUSES } from '../authz/cause-table.js';
export { certainlyAllowed, verifyFix, patchesOf } from './verify.js';
export { planProbes, measureBlastRadius } from './probes.js';
export { cliCommands, patchFileName } from './render.js';
export { FixError, resourcePrincipalArn } from './resources.js';
