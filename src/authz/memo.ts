// Memoisation of values derived from a (request, evidence) pair, so that repeated evaluations hand
// the policy engine the same request objects and its per-request caches apply.
//
// Requests and evidence are treated as immutable once evaluated: change them by making new objects
// (as applyPatchToEvidence does), never in place.

/** The values for one first object: the first evidence seen inline, any other in a weak map. */
interface Slot {
  b: object;
  m: Map<string, unknown>;
  more?: WeakMap<object, Map<string, unknown>>;
}

const cache = new WeakMap<object, Slot>();

function mapFor(a: object, b: object): Map<string, unknown> {
  const slot = cache.get(a);
  if (!slot) {
    // One weak-map entry per new request (not a weak map of its own): fresh requests stay cheap.
    const m = new Map<string, unknown>();
    cache.set(a, { b, m });
    return m;
  }
  if (slot.b === b) return slot.m;
  slot.more ??= new WeakMap();
  let m = slot.more.get(b);
  if (!m) {
    m = new Map();
    slot.more.set(b, m);
  }
  return m;
}

/**
 * `make()`, computed once per (`a`, `b`, `key`); `a` is held weakly, and so is `b` except for the
 * first `b` seen with `a`, which lives as long as `a`.
 */
export function memo<T>(a: object, b: object, key: string, make: () => T): T {
  const m = mapFor(a, b);
  const v = m.get(key);
  if (v !== undefined || m.has(key)) return v as T;
  const made = make();
  m.set(key, made);
  return made;
}
