import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/diagnosis/rules.js';
import { DNS1, EDGE, ENV, FRONT, input, silentCloud, tcp, trace, withOutcomes } from './synthetic.js';

/**
 * The case: the LAN host's route to the cloud range points at a next hop that does not exist. The
 * edge answers ping (by its own route), TCP gives EHOSTUNREACH, no traceroute hop answers. That is the
 * host's routing, not the VPN device.
 */
describe('a wrong next hop on this machine is internal routing, not the VPN device', () => {
  const i = input();
  const silent = silentCloud(i, [null, null, null]); // edge answers ping; every trace hop silent
  const unreachable = [
    { role: 'tcp' as const, host: ENV, port: 443, result: tcp(FRONT, 443, 'unreachable') },
    { role: 'tcp' as const, host: ENV, port: 80, result: tcp(FRONT, 80, 'unreachable') },
  ];

  it('without EHOSTUNREACH or a route, the silent trace and the pingable edge settle nothing: undecided', () => {
    expect(
      evaluate(i, silent)
        .findings.map((f) => f.code)
        .sort(),
    ).toEqual(['path-undecided', 'tunnel-down']);
  });

  it('with EHOSTUNREACH from the kernel: internal-routing, naming the command that shows the next hop', () => {
    const { verdict, findings } = evaluate(i, [...silent, ...unreachable]);
    expect(verdict).toBe('down');
    expect(findings.map((f) => f.code)).toEqual(['internal-routing']);
    expect(findings[0]!.summary).toContain(`ip route get ${DNS1}`);
    expect(findings[0]!.summary).toContain(`${EDGE}, which answers ping by its own route`);
  });

  it('EHOSTUNREACH while the trace shows the edge handling the traffic is still the VPN side', () => {
    const seen = withOutcomes(
      [...silent, ...unreachable],
      ...i.dnsServers.map((server) => ({ role: 'dns-trace' as const, server, result: trace(server, ['10.250.1.1', EDGE, null]) })),
    );
    expect(evaluate(i, seen).findings.map((f) => f.code)).toContain('vpn-device');
  });
});
