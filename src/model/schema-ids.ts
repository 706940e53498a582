// The `$schema` names of s3doctor's JSON documents: URNs naming the shipped schemas/ files (README "JSON documents").

/**
 * A name, not an address: s3doctor is not published where a URL could serve the files. What follows
 * `urn:s3doctor:` is the file's path in the package (and the repository).
 */
const BASE = 'urn:s3doctor:schemas/';

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
