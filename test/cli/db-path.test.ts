import { describe, expect, it } from 'vitest';
import { resolveDbPath } from '../../src/config/db-path.js';

describe('the one database path', () => {
  const linux = { cwd: '/srv/app', home: '/home/op', platform: 'linux' as const };

  it('VPN_DOCTOR_DB wins, made absolute once against the working directory', () => {
    expect(resolveDbPath({ VPN_DOCTOR_DB: 'data/x.db' }, linux)).toBe('/srv/app/data/x.db');
    expect(resolveDbPath({ VPN_DOCTOR_DB: '/var/lib/vpn-doctor/x.db', XDG_DATA_HOME: '/xdg' }, linux)).toBe('/var/lib/vpn-doctor/x.db');
    expect(resolveDbPath({ VPN_DOCTOR_DB: ':memory:' }, linux)).toBe(':memory:');
  });

  it('otherwise the per-user data directory, whatever the working directory', () => {
    expect(resolveDbPath({ XDG_DATA_HOME: '/xdg' }, linux)).toBe('/xdg/vpn-doctor/vpn-doctor.db');
    expect(resolveDbPath({}, linux)).toBe('/home/op/.local/share/vpn-doctor/vpn-doctor.db');
    expect(resolveDbPath({}, { ...linux, cwd: '/tmp' })).toBe('/home/op/.local/share/vpn-doctor/vpn-doctor.db');
    // A relative XDG_DATA_HOME is invalid by the XDG spec and ignored.
    expect(resolveDbPath({ XDG_DATA_HOME: 'rel' }, linux)).toBe('/home/op/.local/share/vpn-doctor/vpn-doctor.db');
    expect(resolveDbPath({}, { ...linux, platform: 'darwin' })).toBe('/home/op/Library/Application Support/vpn-doctor/vpn-doctor.db');
  });
});
