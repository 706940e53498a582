// Tolerant parser for Hive/Athena struct text (`{type=AssumedRole, arn=..., sessioncontext={...}}`) and CloudTrail key casing.

/**
 * Athena renders struct and array columns of CloudTrail tables as Hive text, not JSON:
 * `{type=AssumedRole, principalid=AROA...:s, arn=arn:aws:sts::1:assumed-role/r/s, sessioncontext={attributes={mfaauthenticated=false}}}`
 * (https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-logs.html). Values are not quoted and may hold
 * commas, spaces and `=`: a scalar ends at `, <key>=` or at the closing bracket.
 */
export function parseHiveStruct(text: string): unknown {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return text;
  try {
    const p = new HiveParser(t);
    const v = p.value(true);
    p.ws();
    return p.pos >= t.length ? v : text;
  } catch {
    return text;
  }
}

class HiveParser {
  pos = 0;
  constructor(readonly s: string) {}

  ws(): void {
    while (this.pos < this.s.length && /\s/.test(this.s.charAt(this.pos))) this.pos++;
  }

  value(top = false): unknown {
    this.ws();
    const c = this.s.charAt(this.pos);
    if (c === '{') return this.struct();
    if (c === '[') return this.array();
    return this.scalar(top ? '' : undefined);
  }

  struct(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++; // {
    this.ws();
    if (this.s.charAt(this.pos) === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      const eq = this.s.indexOf('=', this.pos);
      if (eq < 0) throw new Error('expected key=');
      const key = this.s.slice(this.pos, eq).trim();
      if (!/^[\w$.-]+$/.test(key)) throw new Error(`bad key ${key}`);
      this.pos = eq + 1;
      out[key] = this.value();
      this.ws();
      const c = this.s.charAt(this.pos);
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return out;
      }
      throw new Error('expected , or }');
    }
  }

  array(): unknown[] {
    const out: unknown[] = [];
    this.pos++; // [
    this.ws();
    if (this.s.charAt(this.pos) === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s.charAt(this.pos);
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return out;
      }
      throw new Error('expected , or ]');
    }
  }

  /** A scalar runs to `, key=` (inside a struct), `, ` (inside an array) or the closing bracket of its level. */
  scalar(_top: string | undefined): unknown {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.s.length) {
      const c = this.s.charAt(this.pos);
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) {
        const rest = this.s.slice(this.pos + 1);
        if (/^\s*[\w$.-]+=/.test(rest)) break;
        // A comma not followed by `key=` is part of the value (e.g. a user agent), unless we are in an array.
        if (this.inArrayContext()) break;
      }
      this.pos++;
    }
    const raw = this.s.slice(start, this.pos).trim();
    return raw === 'null' ? null : raw;
  }

  /** Whether the innermost open bracket before the current position is `[`. */
  private inArrayContext(): boolean {
    let depth = 0;
    for (let i = this.pos - 1; i >= 0; i--) {
      const c = this.s.charAt(i);
      if (c === '}' || c === ']') depth++;
      else if (c === '{' || c === '[') {
        if (depth === 0) return c === '[';
        depth--;
      }
    }
    return false;
  }
}

/** CloudTrail record keys in their real casing, for Athena's lower-case columns and struct keys. */
const CT_KEYS = [
  'eventVersion',
  'userIdentity',
  'type',
  'principalId',
  'arn',
  'accountId',
  'accessKeyId',
  'userName',
  'invokedBy',
  'sessionContext',
  'attributes',
  'mfaAuthenticated',
  'creationDate',
  'sessionIssuer',
  'sourceIdentity',
  'webIdFederationData',
  'ec2RoleDelivery',
  'onBehalfOf',
  'userId',
  'identityStoreArn',
  'credentialId',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'errorMessage',
  'requestParameters',
  'responseElements',
  'additionalEventData',
  'requestID',
  'eventID',
  'readOnly',
  'resources',
  'ARNPrefix',
  'eventType',
  'apiVersion',
  'managementEvent',
  'recipientAccountId',
  'serviceEventDetails',
  'sharedEventID',
  'vpcEndpointId',
  'vpcEndpointAccountId',
  'eventCategory',
  'tlsDetails',
  'tlsVersion',
  'cipherSuite',
  'clientProvidedHostHeader',
] as const;

const BY_NORMAL: ReadonlyMap<string, string> = new Map(CT_KEYS.map((k) => [normalizeName(k), k]));

/** Lower-case, without spaces, underscores, hyphens and dots: how headers and struct keys are compared. */
export function normalizeName(s: string): string {
  return s.toLowerCase().replace(/[\s_\-.]/g, '');
}

/** The CloudTrail casing of a key (`sourceipaddress` -> `sourceIPAddress`), or the key unchanged. */
export function cloudTrailKey(k: string): string {
  return BY_NORMAL.get(normalizeName(k)) ?? k;
}

/** Recursively renames known CloudTrail keys to their real casing (objects from Hive struct text). */
export function camelizeCloudTrail(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(camelizeCloudTrail);
  if (typeof x !== 'object' || x === null) return x;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(x)) out[cloudTrailKey(k)] = camelizeCloudTrail(val);
  return out;
}
