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

/**
 * Compiles a plain glob (`*` any run including none, `?` exactly one character) over the whole string.
 * Used for actions (with `ignoreCase`) and StringLike values.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 */
export function compileGlob(parts: readonly PatternPart[], ignoreCase: boolean): Matcher {
  let hasWild = false;
  for (const p of parts) if (p.t === 'text' && hasWildcard(p.s)) hasWild = true;
  const norm = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  if (!hasWild) {
    const exact = norm(parts.map((p) => p.s).join(''));
    return ignoreCase ? (s) => s.toLowerCase() === exact : (s) => s === exact;
  }
  if (parts.length === 1 && parts[0]!.t === 'text') {
    const text = parts[0]!.s;
    if (text === '*') return matchAll;
    const star = text.indexOf('*');
    // `prefix*` with no other wildcard: a startsWith test.
    if (star === text.length - 1 && !text.includes('?')) {
      const prefix = norm(text.slice(0, -1));
      return ignoreCase ? (s) => s.toLowerCase().startsWith(prefix) : (s) => s.startsWith(prefix);
    }
  }
  let src = '^';
  for (const p of parts) {
    if (p.t === 'literal') {
      src += escapeRegex(p.s);
      continue;
    }
    for (const ch of p.s) {
      if (ch === '*') src += '.*';
      else if (ch === '?') src += '.';
      else src += escapeRegex(ch);
    }
  }
  const re = new RegExp(src + '$', ignoreCase ? 'is' : 's');
  return (s) => re.test(s);
}

/**
 * Compiles an ARN pattern. The first five `:`-separated components (arn, partition, service, region,
 * account) are matched one by one, and a wildcard there never spans a `:`; in the resource part (everything
 * after the fifth `:`) `*` matches any characters, `/` and `:` included. Case-sensitive.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export function compileArnPattern(parts: readonly PatternPart[]): Matcher {
  let hasWild = false;
  let colons = 0;
  for (const p of parts) {
    if (p.t !== 'text') continue;
    if (hasWildcard(p.s)) hasWild = true;
    for (const ch of p.s) if (ch === ':') colons++;
  }
  if (!hasWild) {
    const exact = parts.map((p) => p.s).join('');
    return (s) => s === exact;
  }
  if (parts.length === 1 && parts[0]!.t === 'text' && parts[0]!.s === '*') return matchAll;
  // Fewer than five separators: a malformed pattern (validation reports it); let the last component span.
  const spanFrom = Math.min(colons, 5);
  if (parts.length === 1 && parts[0]!.t === 'text') {
    const text = parts[0]!.s;
    const first = text.search(/[*?]/);
    let before = 0;
    for (let i = 0; i < first; i++) if (text[i] === ':') before++;
    // `arn:aws:s3:::bucket/*`: one trailing star in the resource part is a prefix test.
    if (first === text.length - 1 && text[first] === '*' && before >= spanFrom) {
      const prefix = text.slice(0, -1);
      return (s) => s.startsWith(prefix);
    }
  }
  let src = '^';
  let seen = 0;
  for (const p of parts) {
    if (p.t === 'literal') {
      src += escapeRegex(p.s);
      continue;
    }
    for (const ch of p.s) {
      if (ch === ':') {
        seen++;
        src += ':';
      } else if (ch === '*') src += seen >= spanFrom ? '.*' : '[^:]*';
      else if (ch === '?') src += seen >= spanFrom ? '.' : '[^:]';
      else src += escapeRegex(ch);
    }
  }
  const re = new RegExp(src + '$', 's');
  return (s) => re.test(s);
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
