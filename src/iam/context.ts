// The request context prepared once per AuthzRequest: lower-cased key names, unknown keys, parsed values.

import type { AuthzRequest, ContextValue } from '../model/request.js';
import { parseIp, type IpAddr } from './ip.js';

/** Whether a context key is present (with its value), absent, or not knowable from the input. */
export type KeyState = { state: 'present'; value: ContextValue } | { state: 'absent' } | { state: 'unknown' };

/** Looks a key up by its lower-cased name (IAM key names are case-insensitive). */
export type KeyLookup = (keyLower: string) => KeyState;

/** An AuthzRequest with everything the evaluator needs precomputed. */
export interface PreparedRequest {
  actionLower: string;
  lookup: KeyLookup;
  /** Parsed request values, memoised by the value text. */
  ip(value: string): IpAddr | undefined;
  date(value: string): number | undefined;
}

const ABSENT: KeyState = Object.freeze({ state: 'absent' });
const UNKNOWN: KeyState = Object.freeze({ state: 'unknown' });

const EPOCH_RE = /^[+-]?\d+(\.\d+)?$/;
const ISO_RE = /^\d{4}-\d{2}(-\d{2})?([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a date as the Date operators accept it: ISO 8601 or epoch seconds; `undefined` when neither.
 * Returns epoch milliseconds.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
 */
export function parseDate(s: string): number | undefined {
  const t = s.trim();
  if (EPOCH_RE.test(t)) return Number(t) * 1000;
  if (!ISO_RE.test(t)) return undefined;
  // A date-time without a zone is read as UTC, as AWS does for its own keys.
  const withZone = /[T ]\d{2}:\d{2}/.test(t) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(t) ? t + 'Z' : t;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}

// Lower-cased actions, interned: statement memos compare them by identity first (a few hundred
// distinct actions at most; the table is cleared if it ever grows past that).
const actions = new Map<string, string>();

function lowerAction(action: string): string {
  let l = actions.get(action);
  if (l === undefined) {
    if (actions.size > 1000) actions.clear();
    l = action.toLowerCase();
    actions.set(action, l);
  }
  return l;
}

function build(req: AuthzRequest): PreparedRequest {
  const values = new Map<string, ContextValue>();
  for (const k of Object.keys(req.context)) {
    const lk = k.toLowerCase();
    if (!values.has(lk)) values.set(lk, req.context[k]!);
  }
  const unknownExact = new Set<string>();
  const unknownPrefixes: string[] = [];
  for (const k of req.unknownKeys) {
    const lk = k.toLowerCase();
    // `aws:PrincipalTag/*` style entries: every key under that prefix is unknown.
    if (lk.endsWith('*')) unknownPrefixes.push(lk.slice(0, -1));
    else unknownExact.add(lk);
  }
  const states = new Map<string, KeyState>();
  const lookup: KeyLookup = (lk) => {
    let st = states.get(lk);
    if (st) return st;
    const v = values.get(lk);
    if (v !== undefined) st = { state: 'present', value: v };
    else if (unknownExact.has(lk) || unknownPrefixes.some((p) => lk.startsWith(p))) st = UNKNOWN;
    else st = ABSENT;
    states.set(lk, st);
    return st;
  };
  const ips = new Map<string, IpAddr | undefined>();
  const dates = new Map<string, number | undefined>();
  return {
    actionLower: lowerAction(req.action),
    lookup,
    ip(value) {
      if (ips.has(value)) return ips.get(value);
      const p = parseIp(value);
      ips.set(value, p);
      return p;
    },
    date(value) {
      if (dates.has(value)) return dates.get(value);
      const d = parseDate(value);
      dates.set(value, d);
      return d;
    },
  };
}

// A small ring of the last requests prepared (by identity) instead of a weak map: an evaluation uses a
// handful of request objects, and a weak-map entry per fresh request costs more than preparing again.
const RING = 8;
const ringReq: (AuthzRequest | undefined)[] = new Array<AuthzRequest | undefined>(RING).fill(undefined);
const ringPrep: (PreparedRequest | undefined)[] = new Array<PreparedRequest | undefined>(RING).fill(
  undefined,
);
let ringNext = 0;

/**
 * The prepared form of a request, cached for the last few request objects. Callers must not mutate a
 * request's `context` or `unknownKeys` after evaluating it (build a new request instead).
 */
export function prepareRequest(req: AuthzRequest, useCache = true): PreparedRequest {
  if (!useCache) return build(req);
  for (let i = 0; i < RING; i++) if (ringReq[i] === req) return ringPrep[i]!;
  const p = build(req);
  ringReq[ringNext] = req;
  ringPrep[ringNext] = p;
  ringNext = (ringNext + 1) % RING;
  return p;
}
