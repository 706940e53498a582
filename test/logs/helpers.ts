// Shared helpers for the log reader tests: fixture paths and collecting a reader's items.

import { fileURLToPath } from 'node:url';
import type { LogRecord, ReadItem } from '../../src/model/input.js';

/** Absolute path of a fixture under test/logs/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** Drains an async generator of read items. */
export async function collect(gen: AsyncIterable<ReadItem>): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of gen) out.push(item);
  return out;
}

/** The records among items. */
export function records(items: readonly ReadItem[]): LogRecord[] {
  return items.flatMap((i) => (i.kind === 'record' ? [i.record] : []));
}

/** The malformed entries among items. */
export function malformed(items: readonly ReadItem[]): { source: string; line?: number; reason: string }[] {
  return items.flatMap((i) => (i.kind === 'malformed' ? [i.malformed] : []));
}
