// The IAM condition operators as data: family, comparison and negation, plus the parser for qualified names.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html

/** What kind of values an operator compares. */
export type OperatorFamily =
  | 'string'
  | 'string-ignore-case'
  | 'string-like'
  | 'numeric'
  | 'date'
  | 'bool'
  | 'binary'
  | 'ip'
  | 'arn'
  | 'null';

/** How a numeric or date operator compares the request value with the policy value. */
export type Comparison = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';

/** One base operator. */
export interface OperatorInfo {
  family: OperatorFamily;
  /** Negated operators are true only when the request value matches none of the policy values (NOR). */
  negated: boolean;
  cmp: Comparison;
}

/** Every base operator IAM documents (without the set qualifiers and the IfExists suffix). */
export const BASE_OPERATORS: Readonly<Record<string, OperatorInfo>> = {
  StringEquals: { family: 'string', negated: false, cmp: 'eq' },
  StringNotEquals: { family: 'string', negated: true, cmp: 'eq' },
  StringEqualsIgnoreCase: { family: 'string-ignore-case', negated: false, cmp: 'eq' },
  StringNotEqualsIgnoreCase: { family: 'string-ignore-case', negated: true, cmp: 'eq' },
  StringLike: { family: 'string-like', negated: false, cmp: 'eq' },
  StringNotLike: { family: 'string-like', negated: true, cmp: 'eq' },
  NumericEquals: { family: 'numeric', negated: false, cmp: 'eq' },
  NumericNotEquals: { family: 'numeric', negated: true, cmp: 'eq' },
  NumericLessThan: { family: 'numeric', negated: false, cmp: 'lt' },
  NumericLessThanEquals: { family: 'numeric', negated: false, cmp: 'lte' },
  NumericGreaterThan: { family: 'numeric', negated: false, cmp: 'gt' },
  NumericGreaterThanEquals: { family: 'numeric', negated: false, cmp: 'gte' },
  DateEquals: { family: 'date', negated: false, cmp: 'eq' },
  DateNotEquals: { family: 'date', negated: true, cmp: 'eq' },
  DateLessThan: { family: 'date', negated: false, cmp: 'lt' },
  DateLessThanEquals: { family: 'date', negated: false, cmp: 'lte' },
  DateGreaterThan: { family: 'date', negated: false, cmp: 'gt' },
  DateGreaterThanEquals: { family: 'date', negated: false, cmp: 'gte' },
  Bool: { family: 'bool', negated: false, cmp: 'eq' },
  BinaryEquals: { family: 'binary', negated: false, cmp: 'eq' },
  IpAddress: { family: 'ip', negated: false, cmp: 'eq' },
  NotIpAddress: { family: 'ip', negated: true, cmp: 'eq' },
  ArnEquals: { family: 'arn', negated: false, cmp: 'eq' },
  ArnLike: { family: 'arn', negated: false, cmp: 'eq' },
  ArnNotEquals: { family: 'arn', negated: true, cmp: 'eq' },
  ArnNotLike: { family: 'arn', negated: true, cmp: 'eq' },
  Null: { family: 'null', negated: false, cmp: 'eq' },
};

/** A parsed operator name such as `ForAnyValue:StringLikeIfExists`. */
export interface ParsedOperator extends OperatorInfo {
  name: string;
  base: string;
  set: 'none' | 'any' | 'all';
  ifExists: boolean;
}

const parsedCache = new Map<string, { op: ParsedOperator } | { error: string }>();

/** Parses an operator name; returns an error message when IAM would reject it. Results are shared: do not mutate. */
export function parseOperator(name: string): { op: ParsedOperator } | { error: string } {
  let r = parsedCache.get(name);
  if (!r) {
    r = parse(name);
    if (parsedCache.size > 1000) parsedCache.clear();
    parsedCache.set(name, r);
  }
  return r;
}

function parse(name: string): { op: ParsedOperator } | { error: string } {
  let rest = name;
  let set: ParsedOperator['set'] = 'none';
  if (rest.startsWith('ForAnyValue:')) {
    set = 'any';
    rest = rest.slice('ForAnyValue:'.length);
  } else if (rest.startsWith('ForAllValues:')) {
    set = 'all';
    rest = rest.slice('ForAllValues:'.length);
  }
  let ifExists = false;
  let info = Object.hasOwn(BASE_OPERATORS, rest) ? BASE_OPERATORS[rest] : undefined;
  if (!info && rest.endsWith('IfExists')) {
    const base = rest.slice(0, -'IfExists'.length);
    if (Object.hasOwn(BASE_OPERATORS, base)) {
      info = BASE_OPERATORS[base];
      rest = base;
      ifExists = true;
    }
  }
  if (!info) {
    const lower = name.toLowerCase();
    const hint = Object.keys(BASE_OPERATORS).find((k) => lower.endsWith(k.toLowerCase()));
    return {
      error: `unknown condition operator "${name}"${hint ? ` (operator names are case-sensitive: did you mean ${hint}?)` : ''}`,
    };
  }
  if (info.family === 'null' && (ifExists || set !== 'none')) {
    return { error: `"${name}": Null cannot take IfExists or a ForAllValues/ForAnyValue qualifier` };
  }
  return { op: Object.freeze({ ...info, name, base: rest, set, ifExists }) };
}
