// Removes signatures, session tokens, secret keys and full access key ids from text before s3doctor stores or prints it.

/** What a redacted secret value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Masks an access key id to its 4-character prefix (`AKIA****`, `ASIA****`). Anything that does
 * not look like a key id is masked entirely.
 */
export function maskAccessKeyId(id: string): string {
  const m = /^(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|APKA|ABIA|ACCA)/.exec(id);
  return m ? `${m[1]}****` : '****';
}

/**
 * Query-string parameters whose value is a secret. Presigned URLs carry these (SigV4:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html ; SigV2:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html#RESTAuthenticationQueryStringAuth).
 * Lower-case names.
 */
const SECRET_QUERY_PARAMS = new Set([
  'x-amz-signature',
  'signature',
  'x-amz-security-token',
  'x-amz-s3session-token',
  // SSE-C keys (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html).
  'x-amz-server-side-encryption-customer-key',
  'x-amz-copy-source-server-side-encryption-customer-key',
]);

/** Query parameters that name an access key: masked to the prefix, the rest kept. */
const KEY_ID_QUERY_PARAMS = new Set(['awsaccesskeyid']);

/**
 * Redacts one query parameter value given its (decoded) name: signatures and tokens become
 * `[redacted]`, `AWSAccessKeyId` becomes `AKIA****`, and `X-Amz-Credential` keeps its
 * date/region/service scope but masks the key id (the scope `/20261124/us-east-1/s3/aws4_request` stays).
 */
export function redactQueryValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (SECRET_QUERY_PARAMS.has(lower)) return value === '' ? value : REDACTED;
  if (KEY_ID_QUERY_PARAMS.has(lower)) return value === '' ? value : maskAccessKeyId(value);
  if (lower === 'x-amz-credential') return maskCredential(value);
  return redactSecrets(value);
}

/** `AKIA.../20261124/us-east-1/s3/aws4_request` (raw or `%2F`-encoded) with the key id masked. */
function maskCredential(value: string): string {
  const m = /^([^/%]*)((?:\/|%2F).*)?$/i.exec(value);
  if (!m) return REDACTED;
  return `${maskAccessKeyId(m[1] ?? '')}${m[2] ?? ''}`;
}

/** A separator in the space-separated forms: whitespace, `+` (form encoding) or a percent-encoded space. */
const SP = '(?:\\s|\\+|%(?:25){0,3}20)';
/** An assignment sign: `:`, `=`, `=>`, or `:`/`=` percent-encoded. */
const EQ = '[:=]|=>|%(?:25){0,3}3[AaDd]';
/** A quote: plain, JSON-escaped (`\\"` inside a JSON string) or percent-encoded. */
const Q = `\\\\?["']|%(?:25){0,3}2[27]`;
/**
 * A secret value: up to a space, quote, comma, brace, `<`, `&`, backslash, backtick, `|`, or one of those
 * percent-encoded. No key, token or signature holds a backtick or `|`; stopping there keeps the
 * Markdown code span or table cell that holds the value closed once it is redacted.
 */
const VALUE = `(?:(?!%(?:25){0,3}(?:20|22|26|27|2[Cc]|7[Dd]))[^\\s"',}<&\\\\\`|])+`;

/** Rules applied in order; each replaces the secret part of its match. */
const RULES: readonly { re: RegExp; replace: (m: string, ...groups: string[]) => string }[] = [
  // Query parameters in URLs / request URIs: X-Amz-Signature=, Signature=, X-Amz-Security-Token=, also
  // inside a percent-encoded URL (a presigned URL carried in another URL's query: `%3F`, `%3D`, `%26`,
  // and `%253D`... when encoded twice or more). The value ends at the next separator, encoded or not.
  {
    re: /([?&;\s"']|^|%(?:25){0,3}(?:3F|26))(X-Amz-Signature|Signature|X-Amz-Security-Token|X-Amz-S3session-Token)(=|%(?:25){0,3}3D)((?:(?!%(?:25){0,3}26)[^&\s"'<>`|])*)/gi,
    replace: (_m, pre = '', name = '', eq = '', value = '') =>
      `${pre}${name}${eq}${value === '' ? '' : REDACTED}`,
  },
  // AWSAccessKeyId= (SigV2 presigned URLs) and X-Amz-Credential= key ids (`=` maybe percent-encoded).
  {
    re: /(AWSAccessKeyId|X-Amz-Credential|Credential)(=|%(?:25){0,3}3D)([A-Z0-9]{4})[A-Z0-9]+/gi,
    replace: (_m, name = '', eq = '', prefix = '') => `${name}${eq}${prefix.toUpperCase()}****`,
  },
  // Space-separated forms: `aws configure set aws_secret_access_key X`, `--secret-access-key X`,
  // `--session-token X`, and labels with spaces (`Secret Access Key: X`, `Session Token = X`); spaces,
  // `:`, `=` and quotes may be percent-encoded (a form carried in a URL) or the quotes JSON-escaped.
  {
    re: new RegExp(
      `((?:(?<![A-Za-z])configure${SP}+set${SP}+(?:[\\w-]+\\.){0,3}(?:aws_secret_access_key|aws_session_token|aws_security_token)|--(?:secret-access-key|session-token|security-token))${SP}+(?:${Q})?|(?<![A-Za-z])(?:aws${SP})?(?:secret${SP}access${SP}key|secret${SP}key|session${SP}token|security${SP}token)${SP}*(?:${EQ})${SP}*(?:${Q})?)(${VALUE})`,
      'gi',
    ),
    replace: (_m, name = '') => `${name}${REDACTED}`,
  },
  // Authorization header signatures (`Signature=abcdef...`) without a query separator before them.
  {
    re: /(Signature\s*[=:]\s*)([0-9a-f]{16,}|[A-Za-z0-9+/]{20,}={0,2})/g,
    replace: (_m, name = '') => `${name}${REDACTED}`,
  },
  // Secret key / session token assignments: ini files, env vars, JSON/JS/Python dicts, headers.
  {
    re: new RegExp(
      `((?:${Q})?(?:aws_?)?(?:secret_?access_?key|secret_?key|session_?token|security_?token|x-amz-security-token|SignatureProvided)(?:${Q})?${SP}*(?:${EQ})${SP}*(?:${Q})?)(${VALUE})`,
      'gi',
    ),
    replace: (_m, name = '') => `${name}${REDACTED}`,
  },
  // XML bodies: <SignatureProvided>, <SecretAccessKey>, <SessionToken>.
  {
    re: /<(SignatureProvided|SecretAccessKey|SessionToken|Signature)>([^<]*)<\/\1>/gi,
    replace: (_m, tag = '') => `<${tag}>${REDACTED}</${tag}>`,
  },
  // Bare STS session tokens (they start with these base64 prefixes).
  {
    re: /(?:IQoJ|FwoG|FQoG|AQoD|AgoJ)[A-Za-z0-9+/%=]{16,}/g,
    replace: () => REDACTED,
  },
  // Any remaining full access key id.
  {
    re: /(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{12,}/g,
    replace: (_m, prefix = '') => `${prefix}****`,
  },
];

/** Quick test whether a string may hold anything {@link redactSecrets} would change. */
const MAY_HOLD_SECRET =
  /signature|token|secret|AKIA|ASIA|IQoJ|FwoG|FQoG|AQoD|AgoJ|AWSAccessKeyId|credential|SignatureProvided/i;

/**
 * Returns `s` with secrets removed: `X-Amz-Signature`, `X-Amz-Security-Token`, SigV2
 * `Signature`, the key id in `X-Amz-Credential` and `AWSAccessKeyId`, `aws_secret_access_key`
 * and session token assignments, bare STS session tokens, and full `AKIA`/`ASIA` access key ids
 * (kept as `AKIA****`). Everything else is unchanged.
 */
export function redactSecrets(s: string): string {
  if (!MAY_HOLD_SECRET.test(s)) return s;
  let out = s;
  for (const rule of RULES)
    out = out.replace(rule.re, rule.replace as (m: string, ...g: unknown[]) => string);
  return out;
}

/**
 * Redacts a raw (still URL-encoded) request URI or URL: each query parameter is redacted by name
 * as {@link redactQueryValue} does, then {@link redactSecrets} runs over the whole.
 */
export function redactUri(uri: string): string {
  if (!MAY_HOLD_SECRET.test(uri)) return uri;
  const q = uri.indexOf('?');
  if (q < 0) return redactSecrets(uri);
  const path = uri.slice(0, q);
  let rest = uri.slice(q + 1);
  // Keep a trailing protocol (`HTTP/1.1`) outside the query.
  let tail = '';
  const sp = rest.indexOf(' ');
  if (sp >= 0) {
    tail = rest.slice(sp);
    rest = rest.slice(0, sp);
  }
  const parts = rest.split('&').map((part) => {
    const eq = part.indexOf('=');
    if (eq < 0) return part;
    const name = safeDecode(part.slice(0, eq));
    const value = part.slice(eq + 1);
    const lower = name.toLowerCase();
    if (SECRET_QUERY_PARAMS.has(lower)) return `${part.slice(0, eq)}=${value === '' ? '' : REDACTED}`;
    if (KEY_ID_QUERY_PARAMS.has(lower)) return `${part.slice(0, eq)}=${maskAccessKeyId(value)}`;
    if (lower === 'x-amz-credential') return `${part.slice(0, eq)}=${maskCredential(value)}`;
    return part;
  });
  return redactSecrets(`${path}?${parts.join('&')}${tail}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
