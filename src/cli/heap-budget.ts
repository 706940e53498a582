// Keeps a long streaming run's heap near what it holds: V8 lets an idle-free, allocating process grow its heap to several times its live data.

import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Options of {@link heapBudget}. */
export interface HeapBudgetOptions {
  /** Heap in use (MB) below which nothing is done. Default 64. */
  floorMb?: number;
  /**
   * Calls between two looks at the heap. Default 16: a look costs some 2 us, and a distinct request
   * diagnosed with a snapshot allocates up to a few MB (fix checks, merged documents), so 256 of them
   * could pass several hundred MB between looks (800 lines of 2,000 distinct requests: 243 MB peak
   * RSS at 256, 162 MB at 16, same output).
   */
  every?: number;
}

/**
 * A function to call once per unit of work (a diagnosed record). Every `every` calls it looks at
 * the heap in use, and when that is past the floor and half again past what the last full collection
 * left, it runs a full collection. `diagnose` allocates a few hundred KB per distinct request and
 * keeps a bounded memo: without this, V8's heap growth heuristics (sized by allocation rate, not
 * by what is live) let a 1,000,000-line run peak at 3-6x its live data. A collection costs some
 * 50-150 ms for 60 MB live, at most once per floor's worth of allocation.
 * `--expose-gc` is set at run time and `gc` read from a fresh context (node:vm), and only when the heap
 * first passes the floor: a short run (one line) neither changes a V8 flag nor builds a context (~5 ms).
 * Node documents that changing V8 flags after start-up may be unpredictable; `--expose-gc` only installs
 * the `gc` function in contexts created afterwards, which is why it is read from a new one. If that fails,
 * nothing is collected by hand and V8's own heuristics apply (more memory, same output).
 */
export function heapBudget(opts: HeapBudgetOptions = {}): () => void {
  const floor = (opts.floorMb ?? 64) * 1024 * 1024;
  const every = opts.every ?? 16;
  let gc: (() => void) | null | undefined;
  let calls = 0;
  let live = 0;
  return () => {
    if (++calls % every !== 0) return;
    const used = getHeapStatistics().used_heap_size;
    if (used < floor || used < 1.5 * live) return;
    if (gc === undefined) {
      try {
        setFlagsFromString('--expose-gc');
        gc = runInNewContext('gc') as () => void;
      } catch {
        gc = null;
      }
    }
    if (!gc) return;
    gc();
    live = getHeapStatistics().used_heap_size;
  };
}
