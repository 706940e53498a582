// Loads csv-parse on first use: importing it costs ~20 ms at start-up, and most inputs are not CSV.

import { createRequire } from 'node:module';
import type { parse as ParseSync } from 'csv-parse/sync';
import type { parse as ParseStream } from 'csv-parse';

const require = createRequire(import.meta.url);
let sync: typeof ParseSync | undefined;

/** csv-parse's synchronous `parse`, loaded (its CommonJS build) the first time it is needed. */
export function csvParseSync(): typeof ParseSync {
  sync ??= (require('csv-parse/sync') as { parse: typeof ParseSync }).parse;
  return sync;
}

/** csv-parse's streaming `parse`, imported the first time it is needed. */
export async function csvParseStream(): Promise<typeof ParseStream> {
  return (await import('csv-parse')).parse;
}
