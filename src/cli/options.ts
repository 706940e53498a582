// The flag values the commands receive, and parsers for the assistant's answer flags (types + tiny pure code).

import type { FailOn } from './fail-on.js';

/** `--format`. */
export type OutputFormat = 'text' | 'json' | 'markdown' | 'sarif' | 'github';

/** `diagnose --format`: the report formats, and `ndjson` (one result per line, written as it is made). */
export type DiagnoseFormat = OutputFormat | 'ndjson';

// The answer flags' types are the library's (src/api/answers.ts).
export type { AnswerOptions, SessionPolicyAnswer, TriAnswer, VpceAnswer } from '../api/answers.js';
import type { AnswerOptions, SessionPolicyAnswer, TriAnswer, VpceAnswer } from '../api/answers.js';

/** The flags evidence gathering reads: the common flags, whatever formats the command offers. */
export type EvidenceOptions = Omit<CommonOptions, 'format'> & { format?: string };

/** Flags every evidence-using command shares (CONTRACT "Common flags"). */
export interface CommonOptions {
  /** `--session-policy none|FILE`. */
  sessionPolicy?: SessionPolicyAnswer;
  snapshot?: string[];
  live?: boolean;
  profile?: string;
  region?: string;
  roleArn?: string[];
  format?: OutputFormat;
  /** Commander's negatable `--no-interactive`: false when given. */
  interactive?: boolean;
  out?: string;
  force?: boolean;
  /** `--fail-on`: outcomes that make the exit 1 (diagnose, triage). */
  failOn?: FailOn[];
  /** `--rule-docs-url`: where SARIF helpUri points. */
  ruleDocsUrl?: string;
}

/** `diagnose`'s flags. */
export interface DiagnoseOptions extends Omit<CommonOptions, 'format'>, AnswerOptions {
  format?: DiagnoseFormat;
  apply?: boolean;
  yes?: boolean;
  assumeYes?: boolean;
  savePatch?: string | boolean;
  backupDir?: string;
  /** `--iac DIR`: show each verified policy fix as a diff of the Terraform/CloudFormation source under DIR. */
  iac?: string;
  /** `--iac-state FILE`: Terraform state or CloudFormation stack documents that settle the sources' open values. */
  iacState?: string[];
  /** `--iac-stack NAME`: with --iac and --live, the CloudFormation stacks read for parameters, physical ids and exports. */
  iacStack?: string[];
  /** `--write`: with --iac and --yes, apply the diffs to the files. */
  write?: boolean;
  /** Describe the request instead of giving a log: */
  principal?: string;
  operation?: string;
  bucket?: string;
  key?: string;
}

/** `triage`'s flags. */
export interface TriageOptions extends CommonOptions {
  top?: number;
}

/** `simulate`'s flags. */
export interface SimulateOptions extends CommonOptions {
  request: string;
}

/** `collect`'s flags. */
export interface CollectOptions extends CommonOptions {
  bucket?: string[];
  principal?: string[];
}

/** Parses `--https` / `--request-payer`. */
export function parseTri(value: string): TriAnswer {
  const v = value.trim().toLowerCase();
  if (v === 'yes' || v === 'true' || v === 'y') return 'yes';
  if (v === 'no' || v === 'false' || v === 'n') return 'no';
  if (v === 'unknown' || v === "don't know" || v === '?') return 'unknown';
  throw new Error(`expected yes, no or unknown, got "${value}"`);
}

/** Parses `--via-vpce`. */
export function parseVpce(value: string): VpceAnswer {
  const v = value.trim();
  if (/^vpce-[0-9a-z]+$/i.test(v)) return { kind: 'vpce', id: v.toLowerCase() };
  const t = v.toLowerCase();
  if (t === 'no' || t === 'none' || t === 'false') return { kind: 'no' };
  if (t === 'unknown' || t === '?') return { kind: 'unknown' };
  throw new Error(`expected a VPC endpoint id (vpce-0abc...), no, or unknown, got "${value}"`);
}

/** Parses `--session-policy`: `none`, `unknown`, or the path of a policy JSON file. */
export function parseSessionPolicy(value: string): SessionPolicyAnswer {
  const v = value.trim();
  const t = v.toLowerCase();
  if (t === 'none' || t === 'no' || t === 'null') return { kind: 'none' };
  if (t === 'unknown' || t === '?' || t === "don't know") return { kind: 'unknown' };
  if (v === '') throw new Error('expected none, unknown or the path of a session policy JSON file');
  return { kind: 'file', path: v };
}

/** Collects a repeatable flag's values. */
export function collectValues(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Checks `--endpoint-url`: an absolute http(s) URL. */
export function parseEndpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`expected an http:// or https:// URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`expected an http:// or https:// URL, got "${value}"`);
  return value;
}
