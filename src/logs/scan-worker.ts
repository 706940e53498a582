// Worker-thread entry of the parallel triage scan: runs the scan tasks the main thread posts and posts back their results.

import { parentPort } from 'node:worker_threads';
import type { ScanTask } from './parallel.js';
import { runScanTask } from './read.js';

parentPort?.on('message', (task: ScanTask) => {
  runScanTask(task).then(
    (result) => parentPort?.postMessage({ result }),
    (e: unknown) => parentPort?.postMessage({ error: e instanceof Error ? e.message : String(e) }),
  );
});
