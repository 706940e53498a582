// Public entry of the evidence area: snapshot loading, validation and merging (live collection is in ./live).

export { parseSnapshot, loadSnapshots, SnapshotError } from './snapshot.js';
export type { SnapshotProblem, LoadSnapshotOptions } from './snapshot.js';
export { mergeEvidence, emptyEvidence } from './merge.js';
export { evidencePath, childPath } from './path.js';
