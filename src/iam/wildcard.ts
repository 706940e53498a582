// Wildcard matching for IAM: action patterns (case-insensitive), ARN patterns (component-wise) and StringLike.

/**
 * One piece of a pattern after policy-variable resolution: text from the policy (where `*` and `?` are
 * wildcards, if the operator allows them) or literal text that never acts as a wildcard (substituted
 * values and the `${*}` `${?}` `${$}` escapes).
 */
export type PatternPart = { t: 'text'; s: string } | { t: 'literal'; s: string };

/** A compiled string test. */
export type Matcher = (s: string) => boolean;

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

function escapeRegex(s: string): string {
  return s.replace(REGEX_SPECIAL, '\\$&');
}

const matchAll: Matcher = () => true;

/** Whether a policy text contains IAM wildcard characters. */
export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

// Tokens: literal text, or a wildcard: 0 `*` spanning anything, 1 `?` any one character, 2 `*` within an
// ARN component (no `:`), 3 `?` within an ARN component.
type Token = string | 0 | 1 | 2 | 3;

function push(tokens: Token[], t: Token): void {
  const last = tokens[tokens.length - 1];
  if (typeof t === 'string' && typeof last === 'string') tokens[tokens.length - 1] = last + t;
  else tokens.push(t);
}

/** Builds a matcher from tokens: exact, prefix, suffix and prefix+suffix tests before falling back to a RegExp. */
function fromTokens(tokens: Token[], ignoreCase: boolean): Matcher {
  const norm = (t: string): string => (ignoreCase ? t.toLowerCase() : t);
  const n = tokens.length;
  if (n === 0) return (s) => s === '';
  const t0 = tokens[0]!;
  if (n === 1 && typeof t0 === 'string') {
    const exact = norm(t0);
    return ignoreCase ? (s) => s.toLowerCase() === exact : (s) => s === exact;
  }
  if (!ignoreCase) {
    if (n === 1 && t0 === 0) return matchAll;
    if (n === 2 && typeof t0 === 'string' && tokens[1] === 0) return (s) => s.startsWith(t0);
    if (n === 2 && t0 === 0 && typeof tokens[1] === 'string') {
      const suffix = tokens[1];
      return (s) => s.endsWith(suffix);
    }
    if (n === 3 && typeof t0 === 'string' && tokens[1] === 0 && typeof tokens[2] === 'string') {
      const suffix = tokens[2];
      const min = t0.length + suffix.length;
      return (s) => s.length >= min && s.startsWith(t0) && s.endsWith(suffix);
    }
  }
  let src = '^';
  for (const t of tokens) {
    if (typeof t === 'string') src += escapeRegex(t);
    else src += t === 0 ? '.*' : t === 1 ? '.' : t === 2 ? '[^:]*' : '[^:]';
  }
  const re = new RegExp(src + '$', ignoreCase ? 'is' : 's');
  return (s) => re.test(s);
}

/**
 * Compiles a plain glob (`*` any run including none, `?` exactly one character) over the whole string.
 * Used for actions (with `ignoreCase`) and StringLike values.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */
export function compileGlob(parts: readonly PatternPart[], ignoreCase: boolean): Matcher {
  const tokens: Token[] = [];
  for (const p of parts) {
    if (p.t === 'literal') {
      push(tokens, p.s);
      continue;
    }
    let run = '';
    for (const ch of p.s) {
      if (ch === '*' || ch === '?') {
        if (run) push(tokens, run);
        run = '';
        push(tokens, ch === '*' ? 0 : 1);
      } else run += ch;
    }
    if (run) push(tokens, run);
  }
  return fromTokens(tokens, ignoreCase);
}

/**
 * Compiles an ARN pattern. The first five `:`-separated components (arn, partition, service, region,
 * account) are matched one by one, and a wildcard there never spans a `:`; in the resource part (everything
 * after the fifth `:`) `*` matches any characters, `/` and `:` included. Case-sensitive.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export function compileArnPattern(parts: readonly PatternPart[]): Matcher {
  let colons = 0;
  for (const p of parts) if (p.t === 'text') for (const ch of p.s) if (ch === ':') colons++;
  if (parts.length === 1 && parts[0]!.t === 'text' && parts[0]!.s === '*') return matchAll;
  // Fewer than five separators: a malformed pattern (validation reports it); let the last component span.
  const spanFrom = Math.min(colons, 5);
  const tokens: Token[] = [];
  let seen = 0;
  for (const p of parts) {
    if (p.t === 'literal') {
      push(tokens, p.s);
      continue;
    }
    let run = '';
    for (const ch of p.s) {
      if (ch === '*' || ch === '?') {
        if (run) push(tokens, run);
        run = '';
        const spans = seen >= spanFrom;
        push(tokens, ch === '*' ? (spans ? 0 : 2) : spans ? 1 : 3);
      } else {
        if (ch === ':') seen++;
        run += ch;
      }
    }
    if (run) push(tokens, run);
  }
  return fromTokens(tokens, false);
}

const actionCache = new Map<string, Matcher>();
const resourceCache = new Map<string, Matcher>();

function cached(cache: Map<string, Matcher>, key: string, make: () => Matcher): Matcher {
  let m = cache.get(key);
  if (!m) {
    if (cache.size > 5000) cache.clear();
    m = make();
    cache.set(key, m);
  }
  return m;
}

/**
 * Whether an Action pattern (`s3:Get*`, `*`, `s3:?etObject`) matches an action name, case-insensitively,
 * as IAM matches the Action element.
 */
export function actionMatches(pattern: string, action: string): boolean {
  return cached(actionCache, pattern, () => compileGlob([{ t: 'text', s: pattern }], true))(action);
}

/**
 * Whether a Resource pattern matches a resource ARN, with IAM's component-wise ARN rules (no policy
 * variables: pass resolved text).
 */
export function resourceMatches(pattern: string, arn: string): boolean {
  return cached(resourceCache, pattern, () => compileArnPattern([{ t: 'text', s: pattern }]))(arn);
}
