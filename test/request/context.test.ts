// Tests for the log-field decoders that feed context keys, and the three-state context builder.
import { describe, expect, it } from 'vitest';
import {
  ContextBuilder,
  amzDateToIso,
  authTypeKey,
  isIpAddress,
  isPrivateIpv4,
  parseTagging,
  signatureVersionKey,
  tlsVersionNumber,
} from '../../src/request/context.js';

describe('field decoders', () => {
  it('TLS version field -> s3:TlsVersion', () => {
    expect(tlsVersionNumber('TLSv1.2')).toBe('1.2');
    expect(tlsVersionNumber('TLSV1.2')).toBe('1.2');
    expect(tlsVersionNumber('TLSv1.3')).toBe('1.3');
    expect(tlsVersionNumber('TLSv1')).toBe('1.0');
    expect(tlsVersionNumber('-')).toBeUndefined();
    expect(tlsVersionNumber(undefined)).toBeUndefined();
  });

  it('signature version and auth type', () => {
    expect(signatureVersionKey('SigV4')).toBe('AWS4-HMAC-SHA256');
    expect(signatureVersionKey('SigV2')).toBe('AWS');
    expect(signatureVersionKey('-')).toBeUndefined();
    expect(authTypeKey('AuthHeader')).toBe('REST-HEADER');
    expect(authTypeKey('QueryString')).toBe('REST-QUERY-STRING');
    expect(authTypeKey('-')).toBeUndefined();
  });

  it('private and public addresses', () => {
    for (const ip of ['10.0.4.17', '172.16.0.1', '172.31.255.255', '192.168.1.1'])
      expect(isPrivateIpv4(ip), ip).toBe(true);
    for (const ip of ['172.32.0.1', '198.51.100.20', '100.64.0.1', '8.8.8.8', '2001:db8::1', 'x'])
      expect(isPrivateIpv4(ip), ip).toBe(false);
    expect(isIpAddress('2001:db8::1')).toBe(true);
    expect(isIpAddress('203.0.113.9')).toBe(true);
    expect(isIpAddress('athena.amazonaws.com')).toBe(false);
    expect(isIpAddress('AWS Internal')).toBe(false);
    expect(isIpAddress('300.1.1.1')).toBe(false);
  });

  it('X-Amz-Date and x-amz-tagging', () => {
    expect(amzDateToIso('20261124T100000Z')).toBe('2026-11-24T10:00:00Z');
    expect(amzDateToIso('2026-11-24')).toBeUndefined();
    expect(parseTagging('team=data&cost%20center=a%2Bb&empty=')).toEqual({
      team: 'data',
      'cost center': 'a+b',
      empty: '',
    });
  });
});

describe('ContextBuilder', () => {
  it('keeps present, absent and unknown apart', () => {
    const c = new ContextBuilder();
    c.set('aws:SourceIp', '198.51.100.1');
    c.absent('aws:SourceVpce');
    c.set('aws:Skipped', undefined);
    expect(c.unknownAmong(['aws:SourceIp', 'aws:SourceVpc', 'aws:SourceVpce', 'aws:Skipped'])).toEqual([
      'aws:SourceVpc',
      'aws:Skipped',
    ]);
    // A later value wins over an earlier "absent"; "absent" never hides a value.
    c.set('aws:SourceVpce', 'vpce-1');
    c.absent('aws:SourceIp');
    expect(c.present).toEqual({ 'aws:SourceIp': '198.51.100.1', 'aws:SourceVpce': 'vpce-1' });
    const copy = c.clone();
    copy.set('s3:VersionId', 'v');
    expect(c.present['s3:VersionId']).toBeUndefined();
  });
});
