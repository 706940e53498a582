// Test helpers for the IAM engine: requests, principals and one-condition policies.
import type { AuthzRequest, ContextValue, Principal } from '../../src/model/request.js';
import type { PolicyDocument, PolicyRef } from '../../src/model/policy.js';
import type { PolicyEvaluation } from '../../src/model/evaluation.js';
import { compilePolicy, evaluatePolicy, validatePolicy, type EvaluateOptions } from '../../src/iam/index.js';

export const ACCOUNT = '111122223333';
export const OTHER = '444455556666';

/** Principals by shorthand. */
export const alice: Principal = {
  kind: 'iam-user',
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  name: 'alice',
};
export const session: Principal = {
  kind: 'role-session',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/job-1`,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/Reader`,
  rolePathKnown: false,
  roleName: 'Reader',
  sessionName: 'job-1',
  accountId: ACCOUNT,
};
export const root: Principal = { kind: 'root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
export const anonymous: Principal = { kind: 'anonymous' };

/** A request with defaults: alice, s3:GetObject on arn:aws:s3:::b/k. */
export function request(over: Partial<AuthzRequest> = {}): AuthzRequest {
  return {
    principal: alice,
    action: 's3:GetObject',
    resource: 'arn:aws:s3:::b/k',
    context: {},
    unknownKeys: [],
    need: 'required',
    ...over,
  };
}

/** Validates (must be clean), compiles and evaluates. */
export function evaluate(
  doc: unknown,
  req: AuthzRequest,
  ref: PolicyRef = { type: 'identity-policy', id: 'p' },
  opts?: EvaluateOptions,
): PolicyEvaluation {
  const v = validatePolicy(doc, 'p');
  if (!v.document) throw new Error(JSON.stringify(v.problems));
  return evaluatePolicy(compilePolicy(v.document as PolicyDocument, ref), req, opts);
}

/**
 * The result of one Allow statement with a single condition `{ operator: { key: values } }` against a
 * request context: the statement's `matched` ('true' | 'false' | 'unknown').
 */
export function cond(
  operator: string,
  key: string,
  values: unknown,
  context: Record<string, ContextValue>,
  unknownKeys: string[] = [],
  version = '2012-10-17',
): string {
  const doc = {
    Version: version,
    Statement: [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { [operator]: { [key]: values } },
      },
    ],
  };
  return evaluate(doc, request({ context, unknownKeys })).statements[0]!.matched;
}
