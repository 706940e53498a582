// Memoisation of values derived from a (request, evidence) pair, so that repeated evaluations hand
// the policy engine the same request objects and its per-request caches apply.
//
// Requests and evidence are treated as immutable once evaluated: change them by making new objects
// (as applyPatchToEvidence does), never in place.

const cache = new WeakMap<object, WeakMap<object, Map<string, unknown>>>();

/** `make()`, computed once per (`a`, `b`, `key`); both objects are held weakly. */
export function memo<T>(a: object, b: object, key: string, make: () => T): T {
  let inner = cache.get(a);
  if (!inner) {
    inner = new WeakMap();
    cache.set(a, inner);
  }
  let m = inner.get(b);
  if (!m) {
    m = new Map();
    inner.set(b, m);
  }
  if (m.has(key)) return m.get(key) as T;
  const v = make();
  m.set(key, v);
  return v;
}
