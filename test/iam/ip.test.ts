// IPv4/IPv6 parsing and CIDR matching for IpAddress / NotIpAddress.
import { describe, expect, it } from 'vitest';
import { ipInRange, parseCidr, parseIp } from '../../src/iam/index.js';

function inRange(ip: string, cidr: string): boolean {
  const a = parseIp(ip);
  const r = parseCidr(cidr);
  if (!a || !r) throw new Error(`bad input ${ip} ${cidr}`);
  return ipInRange(a, r);
}

describe('ip', () => {
  it.each([
    ['203.0.113.7', '203.0.113.0/24', true],
    ['203.0.114.7', '203.0.113.0/24', false],
    ['203.0.113.7', '203.0.113.7', true],
    ['203.0.113.8', '203.0.113.7', false],
    ['10.1.2.3', '0.0.0.0/0', true],
    ['10.1.2.3', '10.0.0.0/8', true],
    ['10.1.2.3', '10.1.2.0/31', false],
    ['203.0.113.7', '203.0.113.99/24', true],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1', true],
    ['::1', '::/0', true],
    ['2001:db8:1234:5678::1', '2001:db8:1234:5600::/56', true],
    ['2001:db8:1234:5778::1', '2001:db8:1234:5600::/56', false],
    ['::ffff:203.0.113.7', '::ffff:203.0.113.0/120', true],
    // An IPv4 address never matches an IPv6 range and vice versa.
    ['203.0.113.7', '::/0', false],
    ['2001:db8::1', '0.0.0.0/0', false],
    ['::ffff:203.0.113.7', '203.0.113.0/24', false],
  ])('%s in %s -> %s', (ip, cidr, expected) => {
    expect(inRange(ip, cidr)).toBe(expected);
  });

  it.each([
    '256.1.1.1',
    '1.2.3',
    '1.2.3.4/33',
    '2001:db8::/129',
    '1::2::3',
    'athena.amazonaws.com',
    '',
    '1.2.3.4/x',
  ])('rejects %s', (s) => {
    expect(parseCidr(s)).toBeUndefined();
  });
});
