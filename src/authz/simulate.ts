// The `simulate --request FILE` request (CONTRACT.md): validated and turned into an S3Request.

import type { AuthzRequest, ContextValue, Principal, S3CallFacts, S3Request } from '../model/index.js';
import { UserError } from '../model/user-error.js';
import { S3_ACTIONS_BY_RESOURCE } from '../fix/s3-actions-table.js';
import { listOperations, nearestName, principalFromString } from '../s3/index.js';

/** A simulate request that could not be used; `problems` lists each with its JSON path. */
export class SimulateRequestError extends UserError {
  declare readonly problems: { path: string; message: string }[];
  constructor(problems: { path: string; message: string }[]) {
    super(
      `The simulate request is not valid; fix the file and retry:\n` +
        problems.map((p) => `  ${p.path || '(document)'}: ${p.message}`).join('\n'),
      { problems },
    );
  }
}

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

let s3Actions: Map<string, string> | undefined;
/** Every s3: action (the Service Authorization Reference's, and the operation table's), by lower-case name. */
function allS3Actions(): string[] {
  if (!s3Actions) {
    s3Actions = new Map();
    const names = [
      ...Object.values(S3_ACTIONS_BY_RESOURCE).flat(),
      ...listOperations().flatMap((o) => [...o.actions, ...(o.versionActions ?? [])]),
      's3:ListAllMyBuckets',
    ];
    for (const a of names) if (a.startsWith('s3:')) s3Actions.set(a.toLowerCase(), a);
  }
  return [...s3Actions.values()];
}

/** IAM action names are case-insensitive, so `s3:getobject` is as good as `s3:GetObject`. */
function knownS3Action(action: string): boolean {
  allS3Actions();
  return s3Actions!.has(action.toLowerCase());
}
const ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:.+$/s;
const S3_FACT_KEYS: Record<string, 'string' | 'boolean' | 'string-or-null' | 'any'> = {
  operation: 'string',
  logOperation: 'string',
  versionId: 'string',
  accessPointArn: 'string',
  requestPayerSent: 'boolean',
  aclHeader: 'string-or-null',
  bypassGovernance: 'boolean',
  objectLockHeaders: 'boolean',
  sseHeader: 'string-or-null',
  sseKmsKeyId: 'string',
  submittedPolicy: 'any',
  copySource: 'any',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `anonymous`, a service principal name, or whatever the shared principal parser understands. */
function parsePrincipal(raw: string): Principal {
  const s = raw.trim();
  if (s.toLowerCase() === 'anonymous' || s === '*') return { kind: 'anonymous' };
  return principalFromString(s);
}

/**
 * Parses CONTRACT.md's simulate request: `principal` (user, role, assumed-role session or root ARN,
 * a service principal such as `logging.s3.amazonaws.com`, or `"anonymous"`), `action` (any IAM
 * action), `resource` (an ARN or `*`), `context` (strings or string arrays), and optionally
 * `resourceAccount`, `unknownKeys`, `time`, `errorCode`/`errorMessage` and `s3` call facts
 * (`aclHeader`, `requestPayerSent`, `sseHeader`, `submittedPolicy`, ...). Throws
 * {@link SimulateRequestError} listing every problem.
 */
export function parseSimulateRequest(json: unknown): S3Request {
  const problems: { path: string; message: string }[] = [];
  if (!isRecord(json))
    throw new SimulateRequestError([{ path: '', message: 'the request must be a JSON object' }]);
  const str = (k: string, required: boolean): string | undefined => {
    const v = json[k];
    if (v === undefined) {
      if (required) problems.push({ path: k, message: 'required' });
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      problems.push({ path: k, message: 'must be a non-empty string' });
      return undefined;
    }
    return v.trim();
  };
  const principalRaw = str('principal', true);
  const action = str('action', true);
  const resource = str('resource', true);
  const resourceAccount = str('resourceAccount', false);
  const time = str('time', false);
  const errorCode = str('errorCode', false);
  const errorMessage = str('errorMessage', false);
  let principal: Principal | undefined;
  if (principalRaw !== undefined) {
    principal = parsePrincipal(principalRaw);
    if (principal.kind === 'unknown' || principal.kind === 'canonical-user') {
      problems.push({
        path: 'principal',
        message:
          'must be a user, role, assumed-role session or root ARN, a service principal (logging.s3.amazonaws.com), or "anonymous"',
      });
    }
  }
  if (action !== undefined && !ACTION.test(action))
    problems.push({ path: 'action', message: 'must be service:Action, e.g. s3:GetObject (no wildcards)' });
  else if (action !== undefined && action.toLowerCase().startsWith('s3:') && !knownS3Action(action)) {
    const near = nearestName(action, allS3Actions());
    problems.push({
      path: 'action',
      message: `${action} is not an S3 action${near ? `: did you mean ${near}?` : ''} (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html)`,
    });
  }
  if (resource !== undefined && resource !== '*' && !ARN.test(resource))
    problems.push({ path: 'resource', message: 'must be an ARN (arn:aws:s3:::bucket/key) or "*"' });
  if (resourceAccount !== undefined && !/^\d{12}$/.test(resourceAccount))
    problems.push({ path: 'resourceAccount', message: 'must be a 12-digit account id' });
  if (time !== undefined && Number.isNaN(Date.parse(time)))
    problems.push({ path: 'time', message: 'must be an ISO 8601 date' });
  const context: Record<string, ContextValue> = {};
  if (json.context !== undefined) {
    if (!isRecord(json.context))
      problems.push({ path: 'context', message: 'must be an object of key -> value' });
    else {
      for (const [k, v] of Object.entries(json.context)) {
        const path = `context.${k}`;
        if (!/^[A-Za-z0-9-]+:[^\s]+$/.test(k))
          problems.push({ path, message: 'not a condition key (service:Key)' });
        if (typeof v === 'string') context[k] = v;
        else if (typeof v === 'number' || typeof v === 'boolean') context[k] = String(v);
        else if (Array.isArray(v) && v.every((x) => ['string', 'number', 'boolean'].includes(typeof x)))
          context[k] = v.map((x) => String(x));
        else problems.push({ path, message: 'must be a string or an array of strings' });
      }
    }
  }
  let unknownKeys: string[] = [];
  if (json.unknownKeys !== undefined) {
    if (!Array.isArray(json.unknownKeys) || !json.unknownKeys.every((x) => typeof x === 'string'))
      problems.push({ path: 'unknownKeys', message: 'must be an array of condition key names' });
    else unknownKeys = json.unknownKeys as string[];
  }
  const s3in: Record<string, unknown> = {};
  if (json.s3 !== undefined) {
    if (!isRecord(json.s3)) problems.push({ path: 's3', message: 'must be an object of S3 call facts' });
    else {
      for (const [k, v] of Object.entries(json.s3)) {
        const kind = S3_FACT_KEYS[k];
        const path = `s3.${k}`;
        if (!kind)
          problems.push({
            path,
            message: `unknown S3 call fact (known: ${Object.keys(S3_FACT_KEYS).join(', ')})`,
          });
        else if (kind === 'string' && typeof v !== 'string')
          problems.push({ path, message: 'must be a string' });
        else if (kind === 'boolean' && typeof v !== 'boolean')
          problems.push({ path, message: 'must be true or false' });
        else if (kind === 'string-or-null' && v !== null && typeof v !== 'string')
          problems.push({ path, message: 'must be a string or null' });
        else s3in[k] = v;
      }
    }
  }
  if (problems.length > 0 || !principal || !action || !resource) throw new SimulateRequestError(problems);

  const when = time ?? new Date().toISOString();
  const hasKey = (k: string) => Object.keys(context).some((x) => x.toLowerCase() === k.toLowerCase());
  if (!hasKey('aws:CurrentTime'))
    context['aws:CurrentTime'] = new Date(Date.parse(when)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (!hasKey('aws:EpochTime')) context['aws:EpochTime'] = String(Math.floor(Date.parse(when) / 1000));

  const az: AuthzRequest = {
    principal,
    action,
    resource,
    context,
    unknownKeys: [...unknownKeys],
    need: 'required',
  };
  if (resourceAccount) az.resourceAccount = resourceAccount;
  const s3: S3CallFacts = {
    operation: action.slice(action.indexOf(':') + 1),
    ...(s3in as Partial<S3CallFacts>),
  };
  const m = /^arn:[^:]+:s3:::([^/]+)(?:\/(.*))?$/s.exec(resource);
  if (m) {
    s3.bucket = m[1] as string;
    if (m[2] !== undefined) s3.key = m[2];
  }
  if (/:accesspoint\//.test(resource) && s3.accessPointArn === undefined) {
    s3.accessPointArn = resource.replace(/(accesspoint\/[^/]+).*$/s, '$1');
  }
  const req: S3Request = { principal, authorizations: [az], s3, unknownKeys: [...unknownKeys], time: when };
  if (errorCode) req.errorCode = errorCode;
  if (errorMessage) req.errorMessage = errorMessage;
  return req;
}
