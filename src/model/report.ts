// The result JSON of CONTRACT.md: one result per denied request, and the triage summary.

import type { Cause } from './cause.js';
import type { Decision, Unknown } from './evaluation.js';
import type { InputSource, MalformedRecord, ScanStats } from './input.js';
import type { ContextValue } from './request.js';

/** The request as understood, in the result JSON. */
export interface ResultRequest {
  principal: string;
  action: string;
  resource: string;
  operation?: string;
  time?: string;
  errorCode?: string;
  context: Record<string, ContextValue>;
  /** Every action the call needed, when more than one. */
  actions?: { action: string; resource: string; need: 'required' | 'possible' }[];
  /** Context keys the input could not reveal. */
  unknownKeys?: string[];
}

/** One diagnosed request. */
export interface Result {
  input: InputSource;
  request: ResultRequest;
  decision: Decision;
  /** False: the evidence as given would allow this request. */
  reproduced: boolean;
  /** Most likely first; every blocking layer. */
  causes: Cause[];
  unknowns: Unknown[];
  /** When not reproduced: what may have changed since (plain sentences). */
  notReproducedBecause?: string[];
  /** Whether evidence was given at all (logs-only diagnosis otherwise). */
  evidence?: 'none' | 'snapshot' | 'live';
}

/** The result JSON document. */
export interface Report {
  schemaVersion: 1;
  results: Result[];
  malformed?: MalformedRecord[];
}

/** One group of identical denials in a triage. */
export interface TriageGroup {
  count: number;
  principal: string;
  action: string;
  bucket: string;
  keyPrefix: string;
  errorCode: string;
  firstSeen?: string;
  lastSeen?: string;
  sample: InputSource;
  diagnosis?: Result;
}

/** The triage JSON document. */
export interface TriageReport {
  schemaVersion: 1;
  scanned: ScanStats;
  malformed: MalformedRecord[];
  groups: TriageGroup[];
}
