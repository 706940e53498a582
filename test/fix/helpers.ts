// Shared test helpers for fix/: fixture snapshots and hand-built denied requests.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Evidence } from '../../src/model/evidence.js';
import type { AuthzRequest, ContextValue, Principal, S3Request } from '../../src/model/request.js';

/** The raw JSON of a fixture snapshot under test/fix/fixtures/. */
export function fixtureJson(name: string): unknown {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}.json`, import.meta.url)), 'utf8'));
}

/** A fixture snapshot as evidence (the fixtures are written in the loader's normalised form). */
export function fixture(name: string): Evidence {
  return fixtureJson(name) as Evidence;
}

/** The role session `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
export function session(
  account: string,
  role: string,
  name = 's1',
): Extract<Principal, { kind: 'role-session' }> {
  return {
    kind: 'role-session',
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
    roleArn: `arn:aws:iam::${account}:role/${role}`,
    rolePathKnown: false,
    roleName: role,
    sessionName: name,
    accountId: account,
  };
}

/** The IAM user `arn:aws:iam::<account>:user/<name>`. */
export function user(account: string, name: string): Principal {
  return { kind: 'iam-user', arn: `arn:aws:iam::${account}:user/${name}`, accountId: account, name };
}

/** Options of `s3Request`. */
export interface RequestOptions {
  context?: Record<string, ContextValue>;
  resourceAccount?: string;
  accessPointArn?: string;
  dataAccess?: 'read' | 'write' | 'read-write' | 'none';
  requestPayerSent?: boolean;
  aclHeader?: string | null;
  errorCode?: string;
  underlyingResource?: string;
}

/** A denied request for one S3 action on one resource, as `toS3Request` would build it. */
export function s3Request(
  principal: Principal,
  operation: string,
  action: string,
  resource: string,
  bucket: string,
  key: string | undefined,
  opts: RequestOptions = {},
): S3Request {
  const az: AuthzRequest = {
    principal,
    action,
    resource,
    context: { 'aws:SecureTransport': 'true', ...(opts.context ?? {}) },
    unknownKeys: [],
    need: 'required',
  };
  if (opts.resourceAccount) az.resourceAccount = opts.resourceAccount;
  if (opts.underlyingResource) az.underlyingResource = opts.underlyingResource;
  return {
    principal,
    authorizations: [az],
    s3: {
      operation,
      bucket,
      ...(key !== undefined ? { key } : {}),
      ...(opts.accessPointArn ? { accessPointArn: opts.accessPointArn } : {}),
      dataAccess: opts.dataAccess ?? (operation.startsWith('Get') ? 'read' : 'none'),
      requestPayerSent: opts.requestPayerSent ?? false,
      aclHeader: opts.aclHeader === undefined ? null : opts.aclHeader,
      bypassGovernance: false,
      sseHeader: null,
    },
    ...(opts.errorCode ? { errorCode: opts.errorCode } : {}),
    unknownKeys: [],
  };
}
