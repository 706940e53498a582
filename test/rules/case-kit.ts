// Shared by the rule tester and engine tests: turns a case (simulate request or log record or
// pasted text, plus a partial snapshot) into the engine's inputs.

import { parseSimulateRequest } from '../../src/authz/index.js';
import { parseSnapshot } from '../../src/evidence/index.js';
import { readText } from '../../src/logs/index.js';
import { toS3Request } from '../../src/request/index.js';
import type { Evidence } from '../../src/model/evidence.js';
import type { LogRecord } from '../../src/model/input.js';
import type { S3Request } from '../../src/model/request.js';

/** One case's input: exactly one of `request`, `record` or `text`; `evidence` optional. */
export interface CaseInput {
  name: string;
  /** CONTRACT simulate request. */
  request?: Record<string, unknown>;
  /** A LogRecord (input/format default to a pasted error). */
  record?: Partial<LogRecord>;
  /** Pasted input as a user has it: an access-log line, a CloudTrail event or an error message. */
  text?: string;
  /** Partial snapshot (schemaVersion added). */
  evidence?: Record<string, unknown>;
}

/** A case file's shared parts: cases merge their `request` and `evidence` over these. */
export interface CaseDefaults {
  baseRequest?: Record<string, unknown>;
  base?: Record<string, unknown>;
}

/** The value `"$unknown"` in a case's evidence deletes the key from the base (makes it unknown). */
const UNKNOWN = '$unknown';

/** Deep merge for case evidence: objects merge, everything else (arrays, null) replaces. */
export function mergeCase(base: unknown, patch: unknown): unknown {
  if (patch === UNKNOWN) return undefined;
  if (!isObj(base) || !isObj(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(patch)) {
    const merged = mergeCase(out[k], v);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A case with its file's defaults applied (`evidence: null` = no evidence at all). */
export function withDefaults<C extends CaseInput>(
  c: C & { evidence?: Record<string, unknown> | null },
  d: CaseDefaults,
): C {
  const out = { ...c } as C;
  if (c.request || (d.baseRequest && !c.record && c.text === undefined))
    out.request = { ...(d.baseRequest ?? {}), ...(c.request ?? {}) };
  if (c.evidence === null) delete out.evidence;
  else if (d.base)
    out.evidence = (c.evidence ? mergeCase(d.base, c.evidence) : structuredClone(d.base)) as Record<
      string,
      unknown
    >;
  return out;
}

/** A snapshot from a partial one; throws with every problem when it does not validate. */
export function evidenceOf(partial: Record<string, unknown> | undefined): Evidence | undefined {
  if (!partial) return undefined;
  const { evidence, problems } = parseSnapshot({ schemaVersion: 1, ...partial }, 'case');
  if (!evidence || problems.length > 0)
    throw new Error(`case snapshot invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return evidence;
}

/** The record of a case (from `record` or `text`), when it has one. */
export function recordOf(c: CaseInput): LogRecord | undefined {
  if (c.record) return { input: { source: 'case' }, format: 'error-message', ...c.record } as LogRecord;
  if (c.text !== undefined) {
    const items = readText(c.text, 'case');
    const rec = items.find((i) => i.kind === 'record');
    if (!rec || rec.kind !== 'record') throw new Error(`case ${c.name}: text gives no record`);
    return rec.record;
  }
  return undefined;
}

/** The request of a case. */
export function requestOf(
  c: CaseInput,
  record: LogRecord | undefined,
  evidence: Evidence | undefined,
): S3Request {
  if (c.request) return parseSimulateRequest(c.request);
  if (!record) throw new Error(`case ${c.name}: needs request, record or text`);
  const bucketAccounts: Record<string, string> = {};
  for (const [b, ev] of Object.entries(evidence?.buckets ?? {}))
    if (ev.accountId) bucketAccounts[b] = ev.accountId;
  return toS3Request(record, { canonicalIds: evidence?.canonicalIds, bucketAccounts });
}
