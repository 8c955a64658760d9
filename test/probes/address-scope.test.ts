import { describe, expect, it } from 'vitest';
import { addressRange, addressScope } from '../../src/probes/address-scope.js';

describe('address scope', () => {
  it.each([
    ['10.251.1.10', 'rfc1918'],
    ['172.16.0.1', 'rfc1918'],
    ['172.31.255.255', 'rfc1918'],
    ['192.168.1.1', 'rfc1918'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['127.0.0.1', 'loopback'],
    ['169.254.10.10', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['fd00::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['::ffff:10.1.2.3', 'rfc1918'],
  ] as const)('%s is private (%s)', (ip, range) => {
    expect(addressRange(ip)).toBe(range);
    expect(addressScope(ip)).toBe('private');
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '203.0.113.10', '198.18.0.2', '52.1.2.3', '2001:db8::1', '::ffff:8.8.8.8'])(
    '%s is public',
    (ip) => {
      expect(addressRange(ip)).toBe('public');
      expect(addressScope(ip)).toBe('public');
    },
  );

  it('refuses what is not an address', () => {
    expect(() => addressRange('example.com')).toThrow(/not an IP/);
  });
});
