// Public entry of the evidence area: snapshot loading, validation and merging (live collection is in ./live).

export { parseSnapshot, loadSnapshots, SnapshotError } from './snapshot.js';
export type { SnapshotProblem } from './snapshot.js';
export { mergeEvidence, emptyEvidence } from './merge.js';
export { evidencePath } from './path.js';
