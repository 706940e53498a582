// Look up an S3 operation by access-log name, API / CloudTrail name, or (for unknown names) by HTTP
// method + query sub-resources, over the data table in operations-table.ts.

import type { OperationMatch, OperationSpec } from './operation-spec.js';
import { OPERATIONS } from './operations-table.js';

export type { OperationSpec, OperationMatch } from './operation-spec.js';
export { OPERATIONS } from './operations-table.js';

/** What `lookupOperation` is given: any subset of what a record tells. */
export interface OperationQuery {
  /** Access-log operation (`REST.GET.OBJECT`). */
  logOperation?: string;
  /** API name or CloudTrail `eventName` (`GetObject`, `ListObjects`). */
  apiName?: string;
  /** HTTP method (`GET`). */
  method?: string;
  /** Query parameters (request URI or CloudTrail requestParameters), names as sent. */
  query?: Record<string, string>;
  /** Whether the request named an object key; `undefined` = unknown. */
  hasKey?: boolean;
  /** Whether the request named a bucket (`false`: `GET /` on the service endpoint); `undefined` = unknown. */
  hasBucket?: boolean;
  /** Request headers known to have been sent (lower-case names). */
  headers?: Record<string, string>;
  /** IAM action named by an error message (`s3:GetObject`), used when nothing else matches. */
  iamAction?: string;
}

const byLogName = new Map<string, OperationSpec[]>();
const byName = new Map<string, OperationSpec[]>();
const byId = new Map<string, OperationSpec>();
const byAction = new Map<string, OperationSpec[]>();

function push(map: Map<string, OperationSpec[]>, key: string, spec: OperationSpec): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(spec)) list.push(spec);
  } else map.set(key, [spec]);
}

for (const spec of OPERATIONS) {
  if (byId.has(spec.id)) throw new Error(`duplicate operation id ${spec.id}`);
  byId.set(spec.id, spec);
  for (const n of spec.logOperations) push(byLogName, n.toUpperCase(), spec);
  for (const n of [spec.apiName, spec.eventName, ...(spec.aliases ?? [])])
    push(byName, n.toLowerCase(), spec);
  for (const a of [...spec.actions, ...(spec.versionActions ?? [])]) push(byAction, a.toLowerCase(), spec);
}

/** The spec with this id (`GetObject`, `CopyObject:source`). */
export function operationById(id: string): OperationSpec | undefined {
  return byId.get(id);
}

/** Every operation in the table. */
export function listOperations(): readonly OperationSpec[] {
  return OPERATIONS;
}

function hasQuery(query: Record<string, string> | undefined, item: string): boolean {
  if (!query) return false;
  const eq = item.indexOf('=');
  const name = eq < 0 ? item : item.slice(0, eq);
  const want = eq < 0 ? undefined : item.slice(eq + 1);
  for (const k of Object.keys(query)) {
    if (k.toLowerCase() !== name.toLowerCase()) continue;
    return want === undefined || query[k] === want;
  }
  return false;
}

function pathMatches(spec: OperationSpec, q: OperationQuery): boolean {
  const p = spec.http.path;
  if (p === 'service') return q.hasBucket === false;
  if (q.hasBucket === false) return p === 'any';
  if (p === 'any' || q.hasKey === undefined) return true;
  if (p === 'object') return q.hasKey;
  if (p === 'bucket') return !q.hasKey;
  return true;
}

/** Among candidates sharing a name, pick the one the key / query / headers point to. */
function disambiguate(cands: OperationSpec[], q: OperationQuery, name?: string): OperationSpec | undefined {
  if (cands.length <= 1) return cands[0];
  let best: OperationSpec | undefined;
  let bestScore = -Infinity;
  for (const c of cands) {
    let score = 0;
    if (q.hasKey !== undefined) {
      if (c.http.path === 'object') score += q.hasKey ? 4 : -4;
      else if (c.http.path === 'bucket' || c.http.path === 'service') score += q.hasKey ? -4 : 4;
    }
    for (const item of c.http.query) score += hasQuery(q.query, item) ? 2 : item.includes('=') ? -3 : 0;
    if (c.http.header && q.headers && q.headers[c.http.header] !== undefined) score += 2;
    if (name !== undefined && c.id.toLowerCase() === name.toLowerCase()) score += 1;
    if (!c.id.includes(':')) score += 0.5;
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}

/** Map an unknown call by HTTP method + query sub-resources (+ key, + copy-source header). */
function byMethodAndQuery(q: OperationQuery, method: string): OperationSpec | undefined {
  const m = method.toUpperCase();
  let best: OperationSpec | undefined;
  let bestScore = -1;
  for (const spec of OPERATIONS) {
    if (spec.http.method !== m || spec.http.path === 'control' || spec.id.startsWith('Lifecycle:')) continue;
    if (spec.copySourceRead) continue;
    if (!pathMatches(spec, q)) continue;
    if (!spec.http.query.every((item) => hasQuery(q.query, item))) continue;
    let score = spec.http.query.length * 2;
    if (spec.http.header) {
      if (!q.headers || q.headers[spec.http.header] === undefined) continue;
      score += 1;
    }
    if (spec.http.path !== 'any') score += 0.5;
    if (score > bestScore) {
      bestScore = score;
      best = spec;
    }
  }
  return best;
}

const matchCache = new Map<string, OperationMatch>();

/** The (shared, frozen) match object for a spec and how it was found: lookups stay allocation-free. */
function match(
  spec: OperationSpec,
  matchedBy: OperationMatch['matchedBy'],
  inferred: boolean,
): OperationMatch {
  const k = `${spec.id}|${matchedBy}|${inferred}`;
  let m = matchCache.get(k);
  if (!m) {
    m = Object.freeze({ ...spec, matchedBy, inferred });
    matchCache.set(k, m);
  }
  return m;
}

/**
 * Find the operation a record describes. Order: access-log name, API / CloudTrail name (with
 * `ListObjects` + `list-type=2` -> ListObjectsV2), the SDK's `x-id` query parameter, HTTP method +
 * query (the method also comes from a `REST.<METHOD>.<X>` name the table does not know), then the
 * IAM action of an error message. Anything after the names sets `inferred: true`.
 * `undefined` only when nothing at all points to an operation. The result is shared and frozen.
 */
export function lookupOperation(q: OperationQuery): OperationMatch | undefined {
  if (q.logOperation) {
    const cands = byLogName.get(q.logOperation.toUpperCase());
    const spec = cands && disambiguate(cands, q);
    if (spec) return match(spec, 'log-operation', false);
  }
  if (q.apiName) {
    const cands = byName.get(q.apiName.toLowerCase());
    const spec = cands && disambiguate(cands, q, q.apiName);
    if (spec) return match(spec, 'api-name', false);
  }
  const xid = q.query?.['x-id'];
  if (xid) {
    const cands = byName.get(xid.toLowerCase());
    const spec = cands && disambiguate(cands, q, xid);
    if (spec) return match(spec, 'x-id', true);
  }
  const method = q.method ?? /^(?:REST|WEBSITE)\.([A-Z]+)\./.exec(q.logOperation?.toUpperCase() ?? '')?.[1];
  if (method) {
    const spec = byMethodAndQuery(q, method);
    if (spec) return match(spec, 'method-query', true);
  }
  if (q.iamAction) {
    const cands = byAction.get(q.iamAction.toLowerCase());
    const spec = cands && disambiguate(cands, q);
    if (spec) return match(spec, 'iam-action', true);
  }
  return undefined;
}
