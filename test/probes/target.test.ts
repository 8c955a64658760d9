import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FqdnSchema, IpSchema, isHostname, isIpLiteral, TargetSchema } from '../../src/probes/target.js';

describe('probe targets', () => {
  it.each(['10.0.0.2', '127.0.0.1', '::1', 'fe80::1', '2001:db8::5'])('accepts the IP literal %s', (ip) => {
    expect(TargetSchema.parse(ip)).toBe(ip);
    expect(IpSchema.parse(ip)).toBe(ip);
  });

  it.each(['localhost', 'acme-dev.outsystemsenterprise.com', 'a.b', 'x1.example', `${'a'.repeat(63)}.com`])(
    'accepts the host name %s',
    (name) => {
      expect(TargetSchema.parse(name)).toBe(name.toLowerCase());
    },
  );

  it('lower-cases names and trims spaces', () => {
    expect(TargetSchema.parse(' ACME-Dev.OutSystemsEnterprise.com ')).toBe('acme-dev.outsystemsenterprise.com');
  });

  it.each([
    ';id',
    '$(id)',
    '`id`',
    '-oProxyCommand=x',
    '--help',
    '-c',
    'a b',
    'a;b.com',
    'a..b',
    '.a.com',
    'a.com.',
    '-a.com',
    'a-.com',
    'a_b.com',
    'münchen.de',
    '127.0.0.300',
    '1.2.3',
    'fe80::1%eth0',
    '10.0.0.1/24',
    '',
    ' ',
    `${'a'.repeat(64)}.com`,
    `${'abcdefghi.'.repeat(25)}abcd`, // 254 characters
  ])('rejects %j', (bad) => {
    expect(TargetSchema.safeParse(bad).success).toBe(false);
  });

  it('accepts names of exactly 253 characters and no more', () => {
    const name253 = `${'abcdefghi.'.repeat(25)}abc`;
    expect(name253).toHaveLength(253);
    expect(isHostname(name253)).toBe(true);
    expect(isHostname(`${name253}d`)).toBe(false);
  });

  it('wants at least two labels for an environment name', () => {
    expect(FqdnSchema.safeParse('localhost').success).toBe(false);
    expect(FqdnSchema.parse('acme.outsystemsenterprise.com')).toBe('acme.outsystemsenterprise.com');
    expect(FqdnSchema.safeParse('10.0.0.2').success).toBe(false);
  });

  it('never lets through anything that could read as an option or carry shell syntax (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = TargetSchema.safeParse(s);
        if (!r.success) return;
        expect(r.data.startsWith('-')).toBe(false);
        expect(r.data).toMatch(/^[a-z0-9.:-]+$/i);
        expect(r.data.length).toBeLessThanOrEqual(253);
        expect(isIpLiteral(r.data) || isHostname(r.data)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
