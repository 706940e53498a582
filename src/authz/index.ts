// Public entry of the authorization chain: evaluate requests against evidence, parse simulate requests.

export { evaluateRequest, authenticationFailure } from './evaluate.js';
export { parseSimulateRequest, SimulateRequestError } from './simulate.js';
export { isPublicPolicy, isPublicAcl, isPublicStatement, isPublicAclHeader } from './public.js';
export { aclRequirement } from './acl.js';
export { awsS3KeyPolicy } from './kms.js';
