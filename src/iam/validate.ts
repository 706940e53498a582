// Policy document validation and normalisation: every problem reported at once with its JSON path.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html

import type { PolicyDocument, PolicyStatement, PrincipalElement } from '../model/policy.js';
import { parseOperator, type OperatorFamily } from './operators.js';
import { parseAwsPrincipal } from './principals.js';
import { parseCidr } from './ip.js';
import { parseDate } from './context.js';

/** One validation problem: where (a JSON path under the caller's `path`) and what. */
export interface PolicyProblem {
  path: string;
  message: string;
}

/** The outcome of validating a policy: the normalised document when there was no problem. */
export interface PolicyValidation {
  /** Present only when `problems` is empty. Every list-valued element is an array, condition values strings. */
  document?: PolicyDocument;
  problems: PolicyProblem[];
}

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const DOC_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const ACTION_RE = /^[A-Za-z0-9*?-]+:[A-Za-z0-9*?_.-]+$/;
const NUMBER_RE = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses policy text: plain JSON (S3 GetBucketPolicy) or URL-encoded JSON (IAM GetPolicyVersion,
 * GetRolePolicy...). https://docs.aws.amazon.com/IAM/latest/APIReference/API_PolicyVersion.html
 */
export function parsePolicyText(text: string): { value: unknown } | { error: string } {
  const t = text.trim();
  try {
    return { value: JSON.parse(t) };
  } catch (e) {
    if (/%[0-9A-Fa-f]{2}/.test(t)) {
      for (const candidate of [t, t.replace(/\+/g, ' ')]) {
        try {
          return { value: JSON.parse(decodeURIComponent(candidate)) };
        } catch {
          // try the next decoding
        }
      }
    }
    return { error: `invalid JSON: ${(e as Error).message}` };
  }
}

/** Counts `:` separators outside `${...}` policy variables. */
function arnSeparators(s: string): number {
  let n = 0;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '$' && s[i + 1] === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (c === ':' && depth === 0) n++;
  }
  return n;
}

/** Whether a Resource entry is `*` or a well-formed ARN (six components, a non-empty resource part). */
export function arnProblem(s: string): string | undefined {
  if (s === '*') return undefined;
  if (!s.startsWith('arn:'))
    return `malformed ARN "${s}": a resource is "*" or arn:partition:service:region:account:resource`;
  if (arnSeparators(s) < 5) {
    return `malformed ARN "${s}": expected six components, arn:partition:service:region:account:resource`;
  }
  const parts = s.split(':');
  if (parts[1] === '' || parts[2] === '')
    return `malformed ARN "${s}": partition and service must not be empty`;
  if (parts.slice(5).join(':') === '') return `malformed ARN "${s}": the resource part is empty`;
  return undefined;
}

class Checker {
  readonly problems: PolicyProblem[] = [];
  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  strings(v: unknown, path: string, what: string): string[] | undefined {
    const list = Array.isArray(v) ? v : [v];
    if (Array.isArray(v) && v.length === 0) {
      this.add(path, `${what} must list at least one value`);
      return undefined;
    }
    const out: string[] = [];
    let ok = true;
    list.forEach((item, i) => {
      if (typeof item !== 'string') {
        this.add(Array.isArray(v) ? `${path}[${i}]` : path, `${what} must be a string or a list of strings`);
        ok = false;
      } else out.push(item);
    });
    return ok ? out : undefined;
  }

  principal(v: unknown, path: string): PrincipalElement | undefined {
    if (v === '*') return '*';
    if (!isPlainObject(v)) {
      this.add(path, 'a principal is "*" or an object of AWS / Service / Federated / CanonicalUser values');
      return undefined;
    }
    const out: Record<string, string[]> = {};
    let ok = true;
    for (const [type, val] of Object.entries(v)) {
      const p = `${path}.${type}`;
      if (!PRINCIPAL_TYPES.has(type)) {
        this.add(p, `unknown principal type "${type}" (AWS, Service, Federated or CanonicalUser)`);
        ok = false;
        continue;
      }
      const list = this.strings(val, p, `${type} principal`);
      if (!list) {
        ok = false;
        continue;
      }
      if (type === 'AWS') {
        list.forEach((raw, i) => {
          const e = parseAwsPrincipal(raw);
          if (e.k === 'invalid') {
            this.add(Array.isArray(val) ? `${p}[${i}]` : p, `bad AWS principal "${raw}": ${e.reason}`);
            ok = false;
          }
        });
      } else {
        list.forEach((raw, i) => {
          if (raw === '' || (raw !== '*' && /[*?]/.test(raw))) {
            this.add(Array.isArray(val) ? `${p}[${i}]` : p, `bad ${type} principal "${raw}"`);
            ok = false;
          }
        });
      }
      out[type] = list;
    }
    if (Object.keys(v).length === 0) {
      this.add(path, 'the principal element is empty');
      ok = false;
    }
    return ok ? (out as PrincipalElement) : undefined;
  }

  conditionValue(family: OperatorFamily, value: string, path: string): void {
    switch (family) {
      case 'numeric':
        if (!NUMBER_RE.test(value)) this.add(path, `"${value}" is not a number`);
        break;
      case 'date':
        if (parseDate(value) === undefined)
          this.add(path, `"${value}" is not an ISO 8601 date or epoch seconds`);
        break;
      case 'ip':
        if (!parseCidr(value)) this.add(path, `"${value}" is not an IPv4 or IPv6 address or CIDR range`);
        break;
      case 'bool':
      case 'null':
        if (family === 'bool' && value.includes('${')) break; // a policy variable
        if (value.toLowerCase() !== 'true' && value.toLowerCase() !== 'false') {
          this.add(path, `"${value}" must be "true" or "false"`);
        }
        break;
      case 'binary':
        if (!BASE64_RE.test(value) || value.length % 4 !== 0) this.add(path, `"${value}" is not base64`);
        break;
      default:
        break;
    }
  }

  condition(v: unknown, path: string): PolicyStatement['Condition'] | undefined {
    if (!isPlainObject(v)) {
      this.add(path, 'Condition must be an object of operator -> key -> value(s)');
      return undefined;
    }
    const out: Record<string, Record<string, string[]>> = {};
    let ok = true;
    for (const [opName, block] of Object.entries(v)) {
      const p = `${path}.${opName}`;
      const parsed = parseOperator(opName);
      if ('error' in parsed) {
        this.add(p, parsed.error);
        ok = false;
        continue;
      }
      if (!isPlainObject(block) || Object.keys(block).length === 0) {
        this.add(p, 'an operator needs an object of condition key -> value(s)');
        ok = false;
        continue;
      }
      const keys: Record<string, string[]> = {};
      for (const [key, raw] of Object.entries(block)) {
        const kp = `${p}.${key}`;
        if (!/^[^:\s]+:\S.*$/.test(key)) {
          this.add(kp, `"${key}" is not a condition key (service:name)`);
          ok = false;
        }
        const list = Array.isArray(raw) ? raw : [raw];
        if (list.length === 0) {
          this.add(kp, 'a condition key needs at least one value');
          ok = false;
          continue;
        }
        const values: string[] = [];
        list.forEach((item, i) => {
          const ip = Array.isArray(raw) ? `${kp}[${i}]` : kp;
          if (typeof item === 'string') values.push(item);
          else if (typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item)))
            values.push(String(item));
          else {
            this.add(ip, 'condition values must be strings, numbers or booleans');
            ok = false;
            return;
          }
          this.conditionValue(parsed.op.family, values[values.length - 1]!, ip);
        });
        keys[key] = values;
      }
      out[opName] = keys;
    }
    return ok ? out : undefined;
  }

  statement(v: unknown, path: string): PolicyStatement | undefined {
    if (!isPlainObject(v)) {
      this.add(path, 'a statement must be an object');
      return undefined;
    }
    const before = this.problems.length;
    for (const k of Object.keys(v))
      if (!STATEMENT_KEYS.has(k)) this.add(`${path}.${k}`, `unknown statement element "${k}"`);
    const st: Partial<PolicyStatement> & Record<string, unknown> = {};
    if (v.Sid !== undefined) {
      if (typeof v.Sid !== 'string') this.add(`${path}.Sid`, 'Sid must be a string');
      else st.Sid = v.Sid;
    }
    if (v.Effect === 'Allow' || v.Effect === 'Deny') st.Effect = v.Effect;
    else if (v.Effect === undefined)
      this.add(`${path}.Effect`, 'Effect is missing (it must be "Allow" or "Deny")');
    else this.add(`${path}.Effect`, `Effect must be "Allow" or "Deny", not ${JSON.stringify(v.Effect)}`);

    if (v.Action !== undefined && v.NotAction !== undefined) {
      this.add(path, 'a statement has Action or NotAction, not both');
    } else if (v.Action === undefined && v.NotAction === undefined) {
      this.add(path, 'a statement needs Action or NotAction');
    }
    for (const el of ['Action', 'NotAction'] as const) {
      if (v[el] === undefined) continue;
      const list = this.strings(v[el], `${path}.${el}`, el);
      if (!list) continue;
      list.forEach((a, i) => {
        if (a !== '*' && !ACTION_RE.test(a)) {
          this.add(
            Array.isArray(v[el]) ? `${path}.${el}[${i}]` : `${path}.${el}`,
            `"${a}" is not an action (service:Action or *)`,
          );
        }
      });
      st[el] = list;
    }
    if (v.Resource !== undefined && v.NotResource !== undefined) {
      this.add(path, 'a statement has Resource or NotResource, not both');
    }
    for (const el of ['Resource', 'NotResource'] as const) {
      if (v[el] === undefined) continue;
      const list = this.strings(v[el], `${path}.${el}`, el);
      if (!list) continue;
      list.forEach((r, i) => {
        const problem = arnProblem(r);
        if (problem) this.add(Array.isArray(v[el]) ? `${path}.${el}[${i}]` : `${path}.${el}`, problem);
      });
      st[el] = list;
    }
    if (v.Principal !== undefined && v.NotPrincipal !== undefined) {
      this.add(path, 'a statement has Principal or NotPrincipal, not both');
    }
    for (const el of ['Principal', 'NotPrincipal'] as const) {
      if (v[el] === undefined) continue;
      const pe = this.principal(v[el], `${path}.${el}`);
      if (pe) st[el] = pe;
    }
    if (v.Condition !== undefined) {
      const c = this.condition(v.Condition, `${path}.Condition`);
      if (c) st.Condition = c;
    }
    return this.problems.length === before ? (st as PolicyStatement) : undefined;
  }
}

/**
 * Validates and normalises a policy document given as an object, a JSON string or a URL-encoded JSON
 * string. Reports every problem with its JSON path below `path` (e.g.
 * `buckets.b.policy.Statement[2].Condition.StringEqualz`): bad JSON, a bad Version, a missing or invalid
 * Effect, Action with NotAction, unknown condition operators, malformed Resource ARNs, bad principals,
 * malformed condition values. Single values become arrays; boolean and number condition values become
 * strings. The document is returned only when there is no problem.
 */
export function validatePolicy(doc: unknown, path: string): PolicyValidation {
  const c = new Checker();
  let value = doc;
  if (typeof doc === 'string') {
    const parsed = parsePolicyText(doc);
    if ('error' in parsed) return { problems: [{ path, message: parsed.error }] };
    value = parsed.value;
  }
  if (!isPlainObject(value))
    return { problems: [{ path, message: 'a policy document must be a JSON object' }] };
  for (const k of Object.keys(value))
    if (!DOC_KEYS.has(k)) c.add(`${path}.${k}`, `unknown policy element "${k}"`);
  const out: PolicyDocument = { Statement: [] };
  if (value.Version !== undefined) {
    if (typeof value.Version !== 'string' || !VERSIONS.has(value.Version)) {
      c.add(
        `${path}.Version`,
        `Version must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(value.Version)}`,
      );
    } else out.Version = value.Version;
  }
  if (value.Id !== undefined) {
    if (typeof value.Id !== 'string') c.add(`${path}.Id`, 'Id must be a string');
    else out.Id = value.Id;
  }
  const statements: PolicyStatement[] = [];
  const raw = value.Statement;
  if (raw === undefined) c.add(`${path}.Statement`, 'Statement is missing');
  else if (Array.isArray(raw)) {
    if (raw.length === 0) c.add(`${path}.Statement`, 'Statement must contain at least one statement');
    raw.forEach((s, i) => {
      const st = c.statement(s, `${path}.Statement[${i}]`);
      if (st) statements.push(st);
    });
  } else {
    const st = c.statement(raw, `${path}.Statement`);
    if (st) statements.push(st);
  }
  out.Statement = statements;
  return c.problems.length === 0 ? { document: out, problems: [] } : { problems: c.problems };
}
