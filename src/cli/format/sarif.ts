// SARIF 2.1.0 output for code scanning: diagnose causes, triage diagnoses and security findings, policy test failures.

import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Result, SecurityFinding, TriageReport } from '../../model/index.js';
import { isExplained, requestLine } from './common.js';

/**
 * The rule documentation's path inside the s3doctor package (and repository): `rules/<id>.md`. s3doctor has no
 * published documentation site, so `helpUri` is set only when `--rule-docs-url` names where these files are served;
 * the documentation itself always travels in the rule's `help.markdown`.
 */
export function ruleDocPath(id: string): string {
  return `rules/${id}.md`;
}

/** What SARIF needs to know about one rule of the catalogue. */
export interface SarifRuleInfo {
  id: string;
  title: string;
  /** Cause code of CONTRACT.md (catalogue rules) or a finding kind. */
  code?: string;
  /** The rule's documentation as Markdown (shown by code scanning). */
  markdown?: string;
  /** Absolute documentation URL; default {@link SarifOptions.ruleDocsUrl} + id + `.md` when that is given. */
  helpUri?: string;
}

/** Options of the SARIF renderers. */
export interface SarifOptions {
  /** Looks up a catalogue rule by id. */
  rule: (id: string) => SarifRuleInfo | undefined;
  /** Base URL of the rule docs (ends with `/`); without it no `helpUri` is written. */
  ruleDocsUrl?: string;
  /** s3doctor's version. */
  version: string;
}

/** SARIF result level. */
export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/** A SARIF result as s3doctor emits it (a subset of the 2.1.0 `result` object). */
export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: SarifLevel;
  message: { text: string };
  locations: SarifLocation[];
  partialFingerprints?: Record<string, string>;
  properties?: Record<string, unknown>;
}

/** A SARIF location: a file and line, and/or the AWS resource as a logical location. */
export interface SarifLocation {
  physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } };
  logicalLocations?: { fullyQualifiedName: string; kind: string }[];
}

/** Rules s3doctor reports that are not in the cause catalogue. */
export const EXTRA_RULES: Record<string, SarifRuleInfo> = {
  's3doctor/unexplained': {
    id: 's3doctor/unexplained',
    title: 'A denied request could not be explained with the evidence at hand',
    markdown:
      'The evidence given does not prove why this request was denied. The message names the evidence that is missing; collect it (`s3doctor collect`) or diagnose with `--live`.',
  },
  's3doctor/not-reproduced': {
    id: 's3doctor/not-reproduced',
    title: 'The evidence as given allows a request that was denied',
    markdown:
      'The policies in the evidence allow this request, so the denial is not reproduced: the evidence may be out of date, or the request differed from what the log shows.',
  },
  'security/anonymous-key-enumeration': {
    id: 'security/anonymous-key-enumeration',
    title: 'Anonymous requests probe many object keys',
    code: 'anonymous-key-enumeration',
    markdown:
      'Many distinct keys were requested anonymously and denied: someone may be guessing object names. Check the source IP and consider a WAF or network control.',
  },
  'security/credential-failure-burst': {
    id: 'security/credential-failure-burst',
    title: 'A burst of credential failures',
    code: 'credential-failure-burst',
    markdown:
      'Many requests failed authentication (invalid access key, bad signature, expired token) in a short window: a leaked or guessed credential may be in use.',
  },
  'security/principal-many-buckets': {
    id: 'security/principal-many-buckets',
    title: 'One principal was denied on many buckets',
    code: 'principal-many-buckets',
    markdown:
      'One principal was denied on many distinct buckets: it may be enumerating buckets with stolen credentials.',
  },
  'policy-test/failed': {
    id: 'policy-test/failed',
    title: 'A policy test did not get the decision it expects',
    markdown:
      'An `s3doctor test` expectation failed: the evidence gives the request another decision than the test file expects. The message shows the deciding statements.',
  },
};

/** A file path (or `-`, `(described)`) as a SARIF location, with the AWS resource as a logical location. */
export function sarifLocation(source: string, line: number | undefined, resource?: string): SarifLocation {
  const loc: SarifLocation = {};
  if (source !== '-' && !source.startsWith('(') && source !== '') {
    const uri = isAbsolute(source)
      ? pathToFileURL(source).href
      : source
          .split(/[\\/]/)
          .map((seg) => encodeURIComponent(seg))
          .join('/');
    loc.physicalLocation = {
      artifactLocation: { uri },
      ...(line !== undefined && line >= 1 ? { region: { startLine: line } } : {}),
    };
  }
  if (resource) loc.logicalLocations = [{ fullyQualifiedName: resource, kind: 'resource' }];
  if (!loc.physicalLocation && !loc.logicalLocations)
    loc.logicalLocations = [{ fullyQualifiedName: source || '(input)', kind: 'module' }];
  return loc;
}

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

const LEVEL: Record<string, SarifLevel> = { certain: 'error', likely: 'warning', possible: 'note' };

/** The SARIF results of one diagnosed request: one per cause, plus unexplained / not reproduced. */
export function resultToSarif(r: Result, extra: Record<string, unknown> = {}): SarifResult[] {
  const loc = sarifLocation(r.input.source, r.input.line, r.request.resource);
  const req = requestLine(r);
  const base = {
    locations: [loc],
    properties: {
      principal: r.request.principal,
      action: r.request.action,
      resource: r.request.resource,
      decision: r.decision,
      ...(r.request.errorCode ? { errorCode: r.request.errorCode } : {}),
      ...(r.input.eventId ? { eventId: r.input.eventId } : {}),
      ...extra,
    },
  };
  const fp = (code: string): Record<string, string> => ({
    's3doctorRequest/v1': fingerprint(r.request.principal, r.request.action, r.request.resource, code),
  });
  if (r.decision === 'Allowed' && !r.reproduced) {
    return [
      {
        ruleId: 's3doctor/not-reproduced',
        level: 'note',
        message: {
          text: `${req}: the evidence as given allows this request.${r.notReproducedBecause?.length ? ' ' + r.notReproducedBecause.join(' ') : ''}`,
        },
        partialFingerprints: fp('not-reproduced'),
        ...base,
      },
    ];
  }
  const out: SarifResult[] = r.causes.map((c) => {
    const fix = c.fixes[0]?.summary;
    return {
      ruleId: c.rule,
      level: LEVEL[c.confidence] ?? 'note',
      message: { text: `${req}: ${c.explanation}${fix ? ` Fix: ${fix}` : ''}` },
      partialFingerprints: fp(c.code),
      ...base,
      properties: { ...base.properties, causeCode: c.code, confidence: c.confidence },
    };
  });
  if (!isExplained(r)) {
    const missing = r.unknowns.map((u) => u.path);
    out.push({
      ruleId: 's3doctor/unexplained',
      level: 'warning',
      message: {
        text: `${req}: ${r.decision}, not explained with the evidence at hand${missing.length ? `; missing evidence: ${missing.join(', ')}` : ''}.`,
      },
      partialFingerprints: fp('unexplained'),
      ...base,
      properties: { ...base.properties, missingEvidence: missing },
    });
  }
  return out;
}

/** One security finding as a SARIF result (high: error, medium: warning). */
export function findingToSarif(f: SecurityFinding): SarifResult {
  const s = f.samples[0];
  const resource = f.bucket ? `arn:aws:s3:::${f.bucket}` : undefined;
  return {
    ruleId: `security/${f.kind}`,
    level: f.severity === 'high' ? 'error' : 'warning',
    message: { text: f.summary },
    locations: [sarifLocation(s?.input.source ?? '', s?.input.line, resource)],
    partialFingerprints: {
      's3doctorFinding/v1': fingerprint(f.kind, f.principal ?? '', f.sourceIp ?? '', f.bucket ?? ''),
    },
    properties: {
      severity: f.severity,
      count: f.count,
      distinct: f.distinct,
      threshold: f.threshold,
      ...(f.principal ? { principal: f.principal } : {}),
      ...(f.sourceIp ? { sourceIp: f.sourceIp } : {}),
      ...(f.firstSeen ? { firstSeen: f.firstSeen } : {}),
      ...(f.lastSeen ? { lastSeen: f.lastSeen } : {}),
    },
  };
}

/** Wraps results in a SARIF 2.1.0 log with the rules they reference (ruleIndex set on each result). */
export function sarifLog(results: SarifResult[], opts: SarifOptions): Record<string, unknown> {
  const base = opts.ruleDocsUrl;
  const index = new Map<string, number>();
  const rules: Record<string, unknown>[] = [];
  for (const r of results) {
    let i = index.get(r.ruleId);
    if (i === undefined) {
      const info = EXTRA_RULES[r.ruleId] ?? opts.rule(r.ruleId);
      i = rules.length;
      index.set(r.ruleId, i);
      const catalogued = !EXTRA_RULES[r.ruleId] && !!info;
      const helpUri =
        info?.helpUri ??
        (catalogued && base
          ? `${base}${r.ruleId.split('/').map(encodeURIComponent).join('/')}.md`
          : undefined);
      const properties = {
        ...(info?.code ? { causeCode: info.code } : {}),
        ...(catalogued ? { ruleDoc: ruleDocPath(r.ruleId) } : {}),
      };
      rules.push({
        id: r.ruleId,
        shortDescription: { text: info?.title ?? r.ruleId },
        ...(helpUri ? { helpUri } : {}),
        ...(info?.markdown ? { help: { text: info.title, markdown: info.markdown } } : {}),
        ...(Object.keys(properties).length ? { properties } : {}),
      });
    }
    r.ruleIndex = i;
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 's3doctor',
            version: opts.version,
            ...(base ? { informationUri: base.replace(/rules\/$/, '') } : {}),
            rules,
          },
        },
        results,
      },
    ],
  };
}

/** Renders a SARIF log as pretty JSON. */
export function renderSarif(results: SarifResult[], opts: SarifOptions): string {
  return JSON.stringify(sarifLog(results, opts), null, 2) + '\n';
}

/** `diagnose --format sarif`. */
export function renderReportSarif(report: { results: Result[] }, opts: SarifOptions): string {
  return renderSarif(
    report.results.flatMap((r) => resultToSarif(r)),
    opts,
  );
}

/** `triage --format sarif`: each group's diagnosis (with its count) and each security finding. */
export function renderTriageSarif(t: TriageReport, opts: SarifOptions): string {
  const results: SarifResult[] = [];
  for (const g of t.groups)
    if (g.diagnosis) results.push(...resultToSarif(g.diagnosis, { denials: g.count, bucket: g.bucket }));
  for (const f of t.findings ?? []) results.push(findingToSarif(f));
  return renderSarif(results, opts);
}
