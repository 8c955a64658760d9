import { describe, expect, it } from 'vitest';
import { Allowlist, AllowlistError } from '../../src/agents/allowlist.js';
import { guardRequest } from '../../src/agents/job-guard.js';
import { agentCommandLine, allowRulesFor } from '../../src/agents/suggested-allowlist.js';
import { parseCheckInput } from '../../src/diagnosis/input.js';
import { firstStage, secondStage } from '../../src/diagnosis/plan.js';
import { ProbeRequestSchema } from '../../src/probes/catalogue.js';

const HOST = 'acme-dev.outsystemsenterprise.com';
const targets = {
  dnsServers: ['10.0.0.2', '10.0.0.3'],
  cloudRange: '10.0.0.0/16',
  resolver: '192.168.1.53',
  edge: '192.168.1.1',
  hosts: [HOST],
};

describe('the allowlist `agents add` prints', () => {
  it('lets every probe of the check it was made for pass the agent guard (no refusal on the first check)', async () => {
    const rules = allowRulesFor(targets);
    expect(rules).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.0/16:443,80', '192.168.1.53:53', '192.168.1.1', `${HOST}:443,80`]);
    const allowlist = Allowlist.parse(rules, { ownAddresses: [] });
    const input = parseCheckInput({ hosts: [HOST], dnsServers: targets.dnsServers, resolver: targets.resolver, edge: targets.edge });
    // The host resolves to a private address inside the cloud range, as the cloud DNS answers it.
    const plan = [...firstStage(input), ...secondStage(input, HOST, '10.0.12.34', 2000)];
    expect(plan.map((p) => p.request.kind).sort()).toEqual([
      'dns',
      'dns',
      'dns',
      'icmp',
      'icmp',
      'icmp',
      'route',
      'route',
      'route',
      'tcp',
      'tcp',
      'tls',
      'traceroute',
      'traceroute',
    ]);
    for (const p of plan) {
      const guarded = await guardRequest(ProbeRequestSchema.parse(p.request), allowlist, Date.now() + 1000);
      expect(guarded, `${p.request.kind} ${JSON.stringify(p.request.params)}`).toMatchObject({ ok: true });
    }
    // And nothing beyond it: another address in the LAN, or another port in the cloud range, is refused.
    const other = await guardRequest(
      ProbeRequestSchema.parse({ kind: 'tcp', params: { target: '10.0.12.34', port: 22 } }),
      allowlist,
      Date.now() + 1000,
    );
    expect(other).toMatchObject({ ok: false, code: 'not-allowed', allow: '10.0.12.34:22' });
    // A route lookup sends nothing: any rule covering the address lets it run, whatever ports the rule names
    // (10.0.0.0/16:443,80 covers 10.0.12.34), but not an address no rule covers.
    const route = (target: string) =>
      guardRequest(ProbeRequestSchema.parse({ kind: 'route', params: { target } }), allowlist, Date.now() + 1000);
    expect(await route('10.0.12.34')).toMatchObject({ ok: true, contacted: [] });
    expect(await route('10.9.9.9')).toMatchObject({ ok: false, code: 'not-allowed', allow: '10.9.9.9' });
    const lan = await guardRequest(
      ProbeRequestSchema.parse({ kind: 'icmp', params: { target: '192.168.1.20' } }),
      allowlist,
      Date.now() + 1000,
    );
    expect(lan).toMatchObject({ ok: false, allow: '192.168.1.20' });
  });

  it('refuses what is not an address or a block before anything is registered', () => {
    expect(() => allowRulesFor({ dnsServers: ['10.0.0.x'] })).toThrow(AllowlistError);
    expect(() => allowRulesFor({ dnsServers: [], resolver: 'dns.corp' })).toThrow(/resolver "dns.corp" is not an IP address/);
    expect(() => allowRulesFor({ dnsServers: [], cloudRange: '.outsystemsenterprise.com' })).toThrow(/not a CIDR block/);
  });

  it('prints a command line with the token in a file, never on argv', () => {
    const line = agentCommandLine({
      hub: 'wss://bot.example.com/agents',
      name: 'lan-1',
      tokenFile: '/etc/vpn-doctor/lan-1.token',
      rules: ['10.0.0.2'],
      keepalive: '10.0.0.2',
    });
    expect(line).toBe(
      'vpn-doctor agent --hub wss://bot.example.com/agents --name lan-1 --token-file /etc/vpn-doctor/lan-1.token \\\n    --allow 10.0.0.2 \\\n    --keepalive 10.0.0.2',
    );
    expect(line).not.toContain('--token ');
  });
});
