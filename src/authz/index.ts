// Public entry of the authorization chain: evaluate requests against evidence, parse simulate requests.

export { evaluateRequest } from './evaluate.js';
export { parseSimulateRequest, SimulateRequestError } from './simulate.js';
export { isPublicPolicy, isPublicAcl, isPublicAclHeader } from './public.js';
