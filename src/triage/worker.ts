// Worker-thread entry for triage: runs scan units (taking over parts of unfinished ranges) and posts back group tables, or reads files for the two-thread pipeline.

import { parentPort } from 'node:worker_threads';
import { RangeClaims, type StealableRange } from './claims.js';
import { sendCandidateLines, type PipeStart } from './pipeline.js';
import { runShare, type ScanUnit, type UnitResult } from './unit.js';

/** Main thread -> worker: the units this worker runs, in order, and the shared range claims. */
export interface ToWorker {
  type: 'units';
  units: ScanUnit[];
  /** The claims' shared memory (with `stealable`), when ranges are shared out by chunk. */
  claims?: SharedArrayBuffer;
  stealable?: StealableRange[];
  /** Units taken through a shared cursor (Int32 [next unit]) after `units`. */
  pool?: { cursor: SharedArrayBuffer; units: ScanUnit[] };
}

/** Worker -> main thread: bytes scanned, a unit's result, or the error that stopped the worker. */
export type FromWorker =
  | { type: 'progress'; bytes: number }
  | { type: 'result'; result: UnitResult }
  | { type: 'error'; message: string };

const port = parentPort;
if (port) {
  const post = (m: FromWorker): void => port.postMessage(m);
  port.once('message', (msg: ToWorker | PipeStart) => {
    if (msg.type === 'pipe') {
      try {
        sendCandidateLines(msg, (m, transfer) => port.postMessage(m, transfer));
      } catch (e) {
        post({ type: 'error', message: (e as Error).message });
      }
      port.close();
      return;
    }
    void (async () => {
      try {
        await runShare(
          msg.units,
          {
            progress: (bytes) => {
              if (bytes > 0) post({ type: 'progress', bytes });
            },
            ...(msg.claims ? { claims: new RangeClaims(msg.claims), stealable: msg.stealable ?? [] } : {}),
            ...(msg.pool ? { pool: msg.pool } : {}),
          },
          (result) => post({ type: 'result', result }),
        );
      } catch (e) {
        post({ type: 'error', message: (e as Error).message });
      }
      port.close();
    })();
  });
}
