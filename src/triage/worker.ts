// Worker-thread entry for triage: runs scan units posted by the main thread and posts back their group tables.

import { parentPort } from 'node:worker_threads';
import { runUnit, type ScanUnit } from './unit.js';

/** Main thread -> worker. */
export type ToWorker = { type: 'unit'; index: number; unit: ScanUnit } | { type: 'stop' };

const port = parentPort;
if (port) {
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'stop') {
      port.close();
      return;
    }
    runUnit(msg.unit, (bytes) => {
      if (bytes > 0) port.postMessage({ type: 'progress', bytes });
    }).then(
      (result) => port.postMessage({ type: 'result', index: msg.index, result }),
      (e: unknown) => port.postMessage({ type: 'error', index: msg.index, message: (e as Error).message }),
    );
  });
}
