import { describe, expect, it } from 'vitest';
import { Allowlist, AllowlistError, canonicalAddress, parseRule } from '../../src/agents/allowlist.js';

const own = { ownAddresses: ['10.1.2.3', '127.0.0.1', 'fe80::1'] };

describe('allow rules', () => {
  it('parses addresses, CIDRs, suffixes, names and ports', () => {
    expect(parseRule('10.0.0.0/8')).toMatchObject({ kind: 'cidr', address: '10.0.0.0', prefix: 8, ports: null });
    expect(parseRule('10.0.0.5')).toMatchObject({ kind: 'cidr', prefix: 32 });
    expect(parseRule('10.0.0.0/8:53')).toMatchObject({ kind: 'cidr', ports: [{ from: 53, to: 53 }] });
    expect(parseRule('[2001:db8::/32]:443')).toMatchObject({ kind: 'cidr', family: 'ipv6', prefix: 32, ports: [{ from: 443, to: 443 }] });
    expect(parseRule('2001:db8::/32')).toMatchObject({ kind: 'cidr', family: 'ipv6', ports: null });
    expect(parseRule('.outsystemsenterprise.com')).toMatchObject({ kind: 'suffix', suffix: '.outsystemsenterprise.com' });
    expect(parseRule('*.Example.com:80,443')).toMatchObject({
      kind: 'suffix',
      suffix: '.example.com',
      ports: [
        { from: 80, to: 80 },
        { from: 443, to: 443 },
      ],
    });
    expect(parseRule('dns.example.com:8000-8100')).toMatchObject({
      kind: 'host',
      name: 'dns.example.com',
      ports: [{ from: 8000, to: 8100 }],
    });
  });

  it.each([
    '',
    '10.0.0.0/33',
    '10.0.0.0/8:0',
    '10.0.0.0/8:70000',
    '10.0.0.0/8:443-80',
    '.com',
    ';id',
    '$(id)',
    '-oProxyCommand=x',
    '[::1',
    'a b',
  ])('refuses %j with a clear error', (rule) => {
    expect(() => parseRule(rule)).toThrow(AllowlistError);
  });

  it('canonicalises IPv4-mapped IPv6 and refuses zone ids', () => {
    expect(canonicalAddress('::ffff:127.0.0.1')).toEqual({ address: '127.0.0.1', family: 'ipv4' });
    expect(canonicalAddress('::ffff:7f00:1')).toEqual({ address: '127.0.0.1', family: 'ipv4' });
    expect(canonicalAddress('0:0:0:0:0:0:0:1')).toEqual({ address: '::1', family: 'ipv6' });
    expect(canonicalAddress('fe80::1%eth0')).toBeNull();
    expect(canonicalAddress('acme.example.com')).toBeNull();
  });
});

describe('allowlist decisions (on the address actually contacted)', () => {
  const list = Allowlist.parse(['10.0.0.0/8', '192.168.10.0/24:53', '.outsystemsenterprise.com:443,80'], own);

  it('allows addresses inside an address rule, with its ports', () => {
    expect(list.check({ address: '10.20.30.40', port: 443 })).toEqual({ allowed: true, rule: '10.0.0.0/8' });
    expect(list.check({ address: '10.20.30.40' })).toEqual({ allowed: true, rule: '10.0.0.0/8' });
    expect(list.check({ address: '192.168.10.2', port: 53 }).allowed).toBe(true);
  });

  it('a rule with ports never allows ICMP (no port) or other ports', () => {
    expect(list.check({ address: '192.168.10.2' }).allowed).toBe(false);
    expect(list.check({ address: '192.168.10.2', port: 22 }).allowed).toBe(false);
  });

  it('name rules allow what the name resolved to, not the name alone', () => {
    expect(list.check({ address: '52.1.2.3', port: 443, host: 'acme-dev.outsystemsenterprise.com' })).toEqual({
      allowed: true,
      rule: '.outsystemsenterprise.com:443,80',
    });
    expect(list.check({ address: '52.1.2.3', port: 443, host: 'outsystemsenterprise.com' }).allowed).toBe(false);
    expect(list.check({ address: '52.1.2.3', port: 443, host: 'acme.outsystemsenterprise.com.evil.net' }).allowed).toBe(false);
    expect(list.check({ address: '52.1.2.3', port: 22, host: 'acme.outsystemsenterprise.com' }).allowed).toBe(false);
  });

  it('refuses loopback, link-local, unspecified, multicast and own addresses even through a name or a wide rule', () => {
    const wide = Allowlist.parse(['0.0.0.0/0', '::/0', '.outsystemsenterprise.com'], own);
    for (const address of [
      '127.0.0.1',
      '127.9.9.9',
      '::1',
      '::ffff:127.0.0.1',
      '169.254.169.254',
      'fe80::2',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '10.1.2.3',
    ]) {
      const d = wide.check({ address, port: 443, host: 'x.outsystemsenterprise.com' });
      expect(d.allowed, address).toBe(false);
    }
    expect(wide.check({ address: '10.1.2.3', port: 443 })).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("this agent's own address"),
    });
    expect(wide.check({ address: '169.254.169.254', port: 80 })).toMatchObject({ reason: expect.stringContaining('link-local') });
  });

  it('refuses the cloud platform endpoints outside link-local (Azure WireServer, AWS IPv6 metadata) unless listed', () => {
    const wide = Allowlist.parse(['0.0.0.0/0', '::/0', '.outsystemsenterprise.com'], own);
    expect(wide.check({ address: '168.63.129.16', port: 80 })).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('WireServer'),
    });
    expect(wide.check({ address: 'fd00:ec2::254', port: 80, host: 'x.outsystemsenterprise.com' }).allowed).toBe(false);
    expect(Allowlist.parse(['168.63.129.16/32'], own).check({ address: '168.63.129.16', port: 80 }).allowed).toBe(true);
  });

  it('an explicit, narrow enough rule unlocks a protected address', () => {
    const lab = Allowlist.parse(['127.0.0.0/8', '10.1.2.3/32:8080', '169.254.0.0/16'], own);
    expect(lab.check({ address: '127.0.0.1', port: 53 }).allowed).toBe(true);
    expect(lab.check({ address: '::ffff:127.0.0.2', port: 53 }).allowed).toBe(true);
    expect(lab.check({ address: '10.1.2.3', port: 8080 }).allowed).toBe(true);
    expect(lab.check({ address: '10.1.2.3', port: 8081 }).allowed).toBe(false);
    expect(lab.check({ address: '169.254.1.1' }).allowed).toBe(true);
    // 10.0.0.0/8 is not explicit enough for the agent's own 10.1.2.3.
    expect(Allowlist.parse(['10.0.0.0/8'], own).check({ address: '10.1.2.3' }).allowed).toBe(false);
  });

  it('an empty allowlist refuses everything and says why', () => {
    expect(Allowlist.parse([], own).check({ address: '10.0.0.1', port: 443 })).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('without --allow'),
    });
  });

  it('refuses anything that is not an address', () => {
    expect(list.check({ address: '$(id)' }).allowed).toBe(false);
    expect(list.check({ address: 'fe80::1%eth0' }).allowed).toBe(false);
  });
});
