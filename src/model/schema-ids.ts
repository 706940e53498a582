// The `$schema` addresses of s3doctor's JSON documents: the shipped schemas/ files, as published on npm.

/** Where the published package's `schemas/` folder is served (jsDelivr mirrors every npm package). */
const BASE = 'https://cdn.jsdelivr.net/npm/s3doctor/schemas/';

/**
 * The `$schema` (and the schema's `$id`) of each document. The same files ship in the package as
 * `s3doctor/schemas/<name>.schema.json`.
 */
export const SCHEMA_IDS = {
  snapshot: `${BASE}snapshot.schema.json`,
  simulateRequest: `${BASE}simulate-request.schema.json`,
  result: `${BASE}result.schema.json`,
  triage: `${BASE}triage.schema.json`,
  simulate: `${BASE}simulate.schema.json`,
} as const;
