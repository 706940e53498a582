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
  /** Context keys the input proves absent (headers not sent), each with the line or event that proves it. */
  provedAbsent?: { key: string; proof: string }[];
}

/** One diagnosed request. */
export interface Result {
  input: InputSource;
  request: ResultRequest;
  decision: Decision;
  /**
   * The decisions still possible, `decision` first, when unknown evidence could change it (absent when
   * the decision is settled). An input that shows a refusal rules out `Allowed`; an enhanced message
   * rules out what it contradicts.
   */
  possibleDecisions?: Decision[];
  /** False: the evidence as given would allow this request. */
  reproduced: boolean;
  /** Most likely first; every blocking layer. */
  causes: Cause[];
  unknowns: Unknown[];
  /**
   * Set when unknown evidence leaves the evaluation open while a denial is possible: `decision` is
   * then the denial the input supports, and these are the unknowns (evidence paths, `context.<key>`)
   * that would settle it.
   */
  decisionOpen?: string[];
  /** When not reproduced: what may have changed since (plain sentences). */
  notReproducedBecause?: string[];
  /** Whether evidence was given at all (logs-only diagnosis otherwise). */
  evidence?: 'none' | 'snapshot' | 'live';
}

/** The result JSON document. */
export interface Report {
  /** The address of the document's JSON Schema (`SCHEMA_IDS.result`; the file ships as `s3doctor/schemas/result.schema.json`). */
  $schema?: string;
  schemaVersion: 1;
  results: Result[];
  malformed?: MalformedRecord[];
}

/** One group of identical denials in a triage. */
export interface TriageGroup {
  count: number;
  /**
   * How much `count` may be too high; absent: exact (see {@link TriageReport.approximate}). Then
   * first/last seen and the timeline cover the denials since the group got its place in the table.
   */
  countError?: number;
  principal: string;
  action: string;
  bucket: string;
  keyPrefix: string;
  errorCode: string;
  firstSeen?: string;
  lastSeen?: string;
  sample: InputSource;
  diagnosis?: Result;
  /** Denials over time (triage keeps per-hour, or per-day, counts). */
  timeline?: TriageTimeline;
}

/** The triage JSON document. */
export interface TriageReport {
  /** The address of the document's JSON Schema (`SCHEMA_IDS.triage`; shipped as `s3doctor/schemas/triage.schema.json`). */
  $schema?: string;
  schemaVersion: 1;
  scanned: ScanStats;
  malformed: MalformedRecord[];
  groups: TriageGroup[];
  /** Top causes, principals and buckets. */
  rankings?: TriageRankings;
  /** Patterns that look like probing (security auditing). */
  findings?: SecurityFinding[];
  /** Present only when the groups are not all exact: more distinct groups came than triage keeps. */
  approximate?: TriageApproximation;
}

/**
 * How the counts of a triage past its group limit depart from exact ones. Past `maxGroups` the
 * table is a Space-Saving summary: a new group takes the place of the group with fewest denials and
 * starts from its count. A group's true count lies in `[count - countError, count + undercountMax]`;
 * a group not listed had at most `unlistedMax` denials, so every group with more is listed.
 */
export interface TriageApproximation {
  method: 'space-saving';
  /** Most groups triage keeps (each exact until the limit is reached). */
  maxGroups: number;
  /** Groups that gave up their place to a new one. */
  evictions: number;
  /** A group not listed had at most this many denials. */
  unlistedMax: number;
  /** A count may be too low by at most this (scan units that were themselves over their limit; mostly 0). */
  undercountMax: number;
}

/** Denials of one triage group over time: `[bucket start, count]` sorted by time. */
export interface TriageTimeline {
  /**
   * `hour`: keys like `2026-11-01T13`; `day`: keys like `2026-11-01`; `month`: keys like `2026-11`
   * (UTC). Hourly while the denials span a week at most, daily up to 400 days, then monthly.
   */
  resolution: 'hour' | 'day' | 'month';
  buckets: [string, number][];
}

/** One ranked entry of a triage ranking (a cause, principal or bucket). */
export interface TriageRank {
  name: string;
  /** Denials. */
  count: number;
  /** Groups it covers. */
  groups: number;
  firstSeen?: string;
  lastSeen?: string;
}

/** The triage rankings: top causes, principals and buckets. */
export interface TriageRankings {
  causes: TriageRank[];
  principals: TriageRank[];
  buckets: TriageRank[];
}

/** One input row behind a security finding. */
export interface FindingSample {
  input: InputSource;
  time?: string;
  principal: string;
  sourceIp?: string;
  bucket?: string;
  key?: string;
  errorCode: string;
}

/** A pattern in the denials that looks like probing rather than misconfiguration. */
export interface SecurityFinding {
  kind: 'anonymous-key-enumeration' | 'credential-failure-burst' | 'principal-many-buckets';
  severity: 'high' | 'medium';
  /** One plain sentence. */
  summary: string;
  principal?: string;
  sourceIp?: string;
  bucket?: string;
  /** Denials behind the finding. */
  count: number;
  /** Distinct keys / buckets, or the most events in one window (credential bursts). */
  distinct: number;
  /** The threshold it crossed. */
  threshold: number;
  firstSeen?: string;
  lastSeen?: string;
  /** The first rows behind it (evidence). */
  samples: FindingSample[];
}
