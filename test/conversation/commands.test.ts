import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/conversation/commands.js';

describe('parseCommand', () => {
  it('reads the fixed commands', () => {
    expect(parseCommand('help')).toEqual({ name: 'help' });
    expect(parseCommand('  ')).toEqual({ name: 'help' });
    expect(parseCommand('/vpn topics')).toEqual({ name: 'topics' });
    expect(parseCommand('topic ikev2-hourly-drop')).toEqual({ name: 'topic', id: 'ikev2-hourly-drop', all: false });
    expect(parseCommand('topic ikev2-hourly-drop all')).toEqual({ name: 'topic', id: 'ikev2-hourly-drop', all: true });
    expect(parseCommand('agents')).toEqual({ name: 'agents' });
    expect(parseCommand('2')).toEqual({ name: 'choose', index: 2 });
    expect(parseCommand('Show all steps')).toEqual({ name: 'more-steps' });
    expect(parseCommand('fixed it')).toEqual({ name: 'feedback', fixed: true });
    expect(parseCommand('still broken')).toEqual({ name: 'feedback', fixed: false });
    expect(parseCommand('support case')).toEqual({ name: 'support-case' });
  });

  it('reads keepalive with an agent and "here"', () => {
    expect(parseCommand('keepalive on lan-probe-1 here')).toEqual({ name: 'keepalive', on: true, agent: 'lan-probe-1', here: true });
    expect(parseCommand('keepalive off lan-probe-1')).toEqual({ name: 'keepalive', on: false, agent: 'lan-probe-1', here: false });
    expect(parseCommand('keepalive maybe x').name).toBe('invalid');
    expect(parseCommand('keepalive on $(id)').name).toBe('invalid');
  });

  it('reads a check with all its parts, in chat phrasing', () => {
    expect(parseCommand('check acme-dev.outsystemsenterprise.com, dns 10.0.0.2')).toEqual({
      name: 'check',
      args: { hosts: ['acme-dev.outsystemsenterprise.com'], dnsServers: ['10.0.0.2'], sentry: false },
    });
    expect(
      parseCommand(
        '/vpn check acme.outsystemsenterprise.com dns 10.0.0.2 dns 10.0.0.3 resolver 192.168.1.1 edge 192.168.1.254 sentry on lan-1 timeout 3000',
      ),
    ).toEqual({
      name: 'check',
      args: {
        hosts: ['acme.outsystemsenterprise.com'],
        dnsServers: ['10.0.0.2', '10.0.0.3'],
        resolver: '192.168.1.1',
        edge: '192.168.1.254',
        sentry: true,
        agent: 'lan-1',
        timeoutMs: 3000,
      },
    });
    expect(parseCommand('check').name).toBe('check');
  });

  it('treats "check ..." prose as a question', () => {
    expect(parseCommand('check why the tunnel keeps dropping')).toEqual({ name: 'question', text: 'check why the tunnel keeps dropping' });
  });

  it('refuses injection-like and malformed check arguments with a message', () => {
    for (const bad of [
      'check acme.outsystemsenterprise.com dns ;id',
      'check acme.outsystemsenterprise.com dns $(id)',
      'check acme.outsystemsenterprise.com dns -oProxyCommand=x',
      'check acme.outsystemsenterprise.com dns 10.0.0.2 on ../../etc',
      'check acme.outsystemsenterprise.com timeout 99999999',
      `check ${'a'.repeat(300)}.outsystemsenterprise.com dns 10.0.0.2`,
    ]) {
      const c = parseCommand(bad);
      expect(c.name, bad).toBe('invalid');
    }
  });
});
