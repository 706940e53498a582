// Worker-thread entry for triage: runs scan units posted by the main thread and posts back their group tables.

import { parentPort } from 'node:worker_threads';
import { runUnit, type ScanUnit } from './unit.js';

/** Main thread -> worker: the units this worker runs, in order. */
export interface ToWorker {
  type: 'units';
  units: { index: number; unit: ScanUnit }[];
}

const port = parentPort;
if (port) {
  port.once('message', (msg: ToWorker) => {
    void (async () => {
      for (const u of msg.units) {
        try {
          const result = await runUnit(u.unit, (bytes) => {
            if (bytes > 0) port.postMessage({ type: 'progress', bytes });
          });
          port.postMessage({ type: 'result', index: u.index, result });
        } catch (e) {
          port.postMessage({ type: 'error', index: u.index, message: (e as Error).message });
          break;
        }
      }
      port.close();
    })();
  });
}
