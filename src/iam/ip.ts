// IPv4 and IPv6 address and CIDR parsing and matching for the IpAddress / NotIpAddress operators.

/** An address as four 32-bit words (IPv4 uses only the first). */
export interface IpAddr {
  v: 4 | 6;
  w: [number, number, number, number];
}

/** A CIDR range; a bare address is a /32 (IPv4) or /128 (IPv6). */
export interface IpRange extends IpAddr {
  bits: number;
}

function parseV4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const b = Number(p);
    if (b > 255) return undefined;
    n = n * 256 + b;
  }
  return n >>> 0;
}

function parseV6(s: string): IpAddr['w'] | undefined {
  if (s.includes('%')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const items = h.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseV4(it);
        if (v4 === undefined) return undefined;
        out.push(v4 >>> 16, v4 & 0xffff);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return undefined;
      out.push(parseInt(it, 16));
    }
    return out;
  };
  const head = toGroups(halves[0]!);
  const tail = halves.length === 2 ? toGroups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined;
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  const w: IpAddr['w'] = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) w[i] = ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0;
  return w;
}

/** Parses a bare IPv4 or IPv6 address; `undefined` when it is not one. */
export function parseIp(s: string): IpAddr | undefined {
  const t = s.trim();
  if (t.includes(':')) {
    const w = parseV6(t);
    return w ? { v: 6, w } : undefined;
  }
  const n = parseV4(t);
  return n === undefined ? undefined : { v: 4, w: [n, 0, 0, 0] };
}

/** Parses `203.0.113.0/24`, `2001:db8::/32`, or a bare address; `undefined` when malformed. */
export function parseCidr(s: string): IpRange | undefined {
  const t = s.trim();
  const slash = t.indexOf('/');
  const addr = parseIp(slash < 0 ? t : t.slice(0, slash));
  if (!addr) return undefined;
  const max = addr.v === 4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const b = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b)) return undefined;
    bits = Number(b);
    if (bits > max) return undefined;
  }
  return { ...addr, bits };
}

function maskWord(word: number, bitsInWord: number): number {
  if (bitsInWord <= 0) return 0;
  if (bitsInWord >= 32) return word >>> 0;
  return (word & (0xffffffff << (32 - bitsInWord))) >>> 0;
}

/**
 * Whether an address lies in a range. An IPv4 address never matches an IPv6 range and vice versa.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
 */
export function ipInRange(ip: IpAddr, range: IpRange): boolean {
  if (ip.v !== range.v) return false;
  let remaining = range.bits;
  for (let i = 0; i < 4 && remaining > 0; i++) {
    const take = Math.min(32, remaining);
    if (maskWord(ip.w[i]!, take) !== maskWord(range.w[i]!, take)) return false;
    remaining -= take;
  }
  return true;
}
