// Empty evidence and the merge of several snapshots: later files fill what earlier ones left unknown.

import type { Evidence, EvidenceNote } from '../model/evidence.js';
import { childPath, evidencePath } from './path.js';

/** Evidence that knows nothing: every lookup is unknown. */
export function emptyEvidence(): Evidence {
  return {
    schemaVersion: 1,
    principals: {},
    sessions: {},
    accounts: {},
    buckets: {},
    accessPoints: {},
    kmsKeys: {},
    vpcEndpoints: {},
    canonicalIds: {},
    notes: [],
  };
}

const ENTRY_MAPS = [
  'principals',
  'sessions',
  'accounts',
  'buckets',
  'accessPoints',
  'kmsKeys',
  'vpcEndpoints',
] as const;

/** Fields inside an entry that are maps of their own and merge key by key. */
const NESTED_MAPS: Record<string, true> = { objects: true };

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  const ak = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function mergeEntry(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  path: string,
  notes: EvidenceNote[],
  nested: boolean,
): void {
  for (const [field, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const current = target[field];
    const fieldPath = childPath(path, field);
    if (current === undefined) {
      target[field] = structuredClone(value);
    } else if (
      nested &&
      NESTED_MAPS[field] &&
      typeof current === 'object' &&
      current !== null &&
      typeof value === 'object' &&
      value !== null
    ) {
      const cur = current as Record<string, Record<string, unknown>>;
      for (const [k, v] of Object.entries(value as Record<string, Record<string, unknown>>)) {
        if (cur[k] === undefined) cur[k] = structuredClone(v);
        else mergeEntry(cur[k], v, childPath(fieldPath, k), notes, false);
      }
    } else if (!deepEqual(current, value)) {
      target[field] = structuredClone(value);
      notes.push({
        path: fieldPath,
        reason: 'conflicting values in merged snapshots: the later one was kept',
      });
    }
  }
}

/**
 * Merges evidence sets in order. A value one set leaves unknown (absent) is taken from another;
 * when two sets know different values, the later one wins and a note records the conflict.
 * `null` (known: not configured) is a known value like any other.
 */
export function mergeEvidence(...sets: Evidence[]): Evidence {
  const out = emptyEvidence();
  for (const ev of sets) {
    if (ev.collectedAt !== undefined) out.collectedAt = ev.collectedAt;
    for (const map of ENTRY_MAPS) {
      const target = out[map] as Record<string, Record<string, unknown>>;
      const source = (ev[map] ?? {}) as Record<string, Record<string, unknown>>;
      for (const [key, entry] of Object.entries(source)) {
        if (target[key] === undefined) target[key] = structuredClone(entry);
        else mergeEntry(target[key], entry, evidencePath(map, key), out.notes, true);
      }
    }
    for (const [id, account] of Object.entries(ev.canonicalIds ?? {})) {
      const cur = out.canonicalIds[id];
      if (cur !== undefined && cur !== account) {
        out.notes.push({
          path: evidencePath('canonicalIds', id),
          reason: 'conflicting values in merged snapshots: the later one was kept',
        });
      }
      out.canonicalIds[id] = account;
    }
    if (ev.trails) {
      const target = (out.trails ??= {}) as unknown as Record<string, Record<string, unknown>>;
      for (const [key, entry] of Object.entries(ev.trails)) {
        const e = entry as unknown as Record<string, unknown>;
        if (target[key] === undefined) target[key] = structuredClone(e);
        else mergeEntry(target[key], e, evidencePath('trails', key), out.notes, false);
      }
    }
    out.notes.push(...(ev.notes ?? []).map((n) => ({ ...n })));
  }
  return out;
}
