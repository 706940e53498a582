// Wildcard matching for IAM: action patterns (case-insensitive), ARN patterns (component-wise) and StringLike.

/**
 * One piece of a pattern after policy-variable resolution: text from the policy (where `*` and `?` are
 * wildcards, if the operator allows them) or literal text that never acts as a wildcard (substituted
 * values and the `${*}` `${?}` `${$}` escapes).
 */
export type PatternPart = { t: 'text'; s: string } | { t: 'literal'; s: string };

/** A compiled string test. */
export type Matcher = (s: string) => boolean;

const matchAll: Matcher = () => true;

// Tokens: literal text, or a wildcard: 0 `*` spanning anything, 1 `?` any one character.
type Token = string | 0 | 1;

function push(tokens: Token[], t: Token): void {
  const last = tokens[tokens.length - 1];
  if (typeof t === 'string' && typeof last === 'string') tokens[tokens.length - 1] = last + t;
  else tokens.push(t);
}

let work = 0;

/**
 * Characters examined by wildcard matching since the process started (a work counter for tests that
 * prove matching stays linear; never reset, read it before and after).
 */
export function wildcardWork(): number {
  return work;
}

/**
 * A run of pattern between two `*`: literal characters, with `?` (any one character) at the positions
 * in `any`. `text` holds the literal characters (a `?` position holds a placeholder).
 */
interface Segment {
  text: string;
  any: number[] | undefined;
}

/** Whether `seg` matches `s` at `at` (the caller checked that it fits). */
function segmentAt(seg: Segment, s: string, at: number): boolean {
  if (!seg.any) return s.startsWith(seg.text, at);
  const t = seg.text;
  for (let i = 0, k = 0; i < t.length; i++) {
    if (k < seg.any.length && seg.any[k] === i) {
      k++;
      continue;
    }
    if (s.charCodeAt(at + i) !== t.charCodeAt(i)) return false;
  }
  return true;
}

/** The leftmost position in `[from, limit - seg.length]` where `seg` matches, or -1. */
function findSegment(seg: Segment, s: string, from: number, limit: number): number {
  const len = seg.text.length;
  if (!seg.any) {
    const at = s.indexOf(seg.text, from);
    work += (at < 0 ? s.length - from : at - from) + len;
    return at >= 0 && at + len <= limit ? at : -1;
  }
  for (let at = from; at + len <= limit; at++) {
    work += len;
    if (segmentAt(seg, s, at)) return at;
  }
  return -1;
}

/**
 * Builds a linear-time matcher from tokens. Greedy: the segment before the first `*` must be a prefix, the
 * one after the last `*` a suffix, and each segment between is taken at its leftmost place after the
 * previous one (a later place never leaves more room for the rest, so no backtracking is needed). Work
 * is at most the input length times the longest segment; no regular expression is built from a pattern.
 */
function fromTokens(tokens: Token[], ignoreCase: boolean): Matcher {
  const n = tokens.length;
  if (n === 0) return (s) => s === '';
  const t0 = tokens[0]!;
  if (n === 1 && typeof t0 === 'string') {
    if (!ignoreCase) return (s) => s === t0;
    const exact = t0.toLowerCase();
    return (s) => s.toLowerCase() === exact;
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
  // Segments between stars (consecutive stars collapse; a star-free pattern is one segment).
  const segments: Segment[] = [];
  let text = '';
  let any: number[] | undefined;
  let stars = 0;
  const close = (): void => {
    segments.push({ text, any });
    text = '';
    any = undefined;
  };
  for (const t of tokens) {
    if (t === 0) {
      close();
      stars++;
    } else if (t === 1) {
      (any ??= []).push(text.length);
      text += '?';
    } else text += ignoreCase ? t.toLowerCase() : t;
  }
  close();
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1);
  const min = segments.reduce((a, g) => a + g.text.length, 0);
  return (input) => {
    const s = ignoreCase ? input.toLowerCase() : input;
    if (stars === 0) return s.length === first.text.length && segmentAt(first, s, 0);
    if (s.length < min) return false;
    work += first.text.length + last.text.length;
    if (!segmentAt(first, s, 0)) return false;
    const end = s.length - last.text.length;
    if (!segmentAt(last, s, end)) return false;
    let at = first.text.length;
    for (const seg of middle) {
      if (seg.text.length === 0) continue;
      const found = findSegment(seg, s, at, end);
      if (found < 0) return false;
      at = found + seg.text.length;
    }
    return true;
  };
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
  // head: the components up to and including the spanFrom-th `:` of the policy text, where a wildcard
  // stays within its component; tail: the resource part, where `*` spans anything.
  const head: Token[] = [];
  const tail: Token[] = [];
  let seen = 0;
  let headWild = false;
  for (const p of parts) {
    const into = seen >= spanFrom ? tail : head;
    if (p.t === 'literal') {
      push(into, p.s);
      continue;
    }
    let run = '';
    for (const ch of p.s) {
      const to = seen >= spanFrom ? tail : head;
      if (ch === '*' || ch === '?') {
        if (run) push(to, run);
        run = '';
        if (to === head) headWild = true;
        push(to, ch === '*' ? 0 : 1);
      } else {
        run += ch;
        if (ch === ':') {
          seen++;
          if (seen === spanFrom) {
            push(to, run);
            run = '';
          }
        }
      }
    }
    if (run) push(seen >= spanFrom ? tail : head, run);
  }
  // A literal head is a prefix: the whole pattern is one glob.
  if (!headWild)
    return fromTokens(
      [...head, ...tail].reduce<Token[]>((a, t) => (push(a, t), a), []),
      false,
    );
  // Wildcards in the head never match `:`, so every `:` the head covers in an ARN is one of its own
  // (literal) colons, and the head ends with one: it covers the ARN up to its k-th colon, k being the
  // head's colon count. Each component between colons is then a glob of its own.
  const comps: Token[][] = [[]];
  for (const t of head) {
    if (typeof t !== 'string') {
      comps[comps.length - 1]!.push(t);
      continue;
    }
    const pieces = t.split(':');
    pieces.forEach((piece, i) => {
      if (i > 0) comps.push([]);
      if (piece) push(comps[comps.length - 1]!, piece);
    });
  }
  comps.pop(); // after the head's final colon: empty
  const compMatchers = comps.map((c) => fromTokens(c, false));
  const tailMatcher = fromTokens(tail, false);
  return (s) => {
    let at = 0;
    for (const m of compMatchers) {
      const colon = s.indexOf(':', at);
      work += colon < 0 ? s.length - at : colon - at + 1;
      if (colon < 0 || !m(s.slice(at, colon))) return false;
      at = colon + 1;
    }
    return tailMatcher(s.slice(at));
  };
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
