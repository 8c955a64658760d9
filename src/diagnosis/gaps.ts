import type { CheckInput } from './input.js';
import { portsFor, type Outcome } from './plan.js';
import type { FindingCode, NotConcluded } from './report.js';

/**
 * What a partial check could not conclude: for each probe that never ran (the agent's allowlist refused
 * it), the question it would have answered and the findings that therefore were not judged. A second-stage
 * probe (TCP, TLS) that never got an address because its DNS lookups were refused counts too.
 */
export function notConcluded(input: CheckInput, outcomes: readonly Outcome[]): NotConcluded[] {
  const refused = outcomes.filter((o) => o.result.notRun);
  if (refused.length === 0) return [];
  const ran = outcomes.filter((o) => !o.result.notRun);
  const gaps: NotConcluded[] = [];
  const add = (question: string, codes: FindingCode[], missing: Outcome[], extra: string[] = []): void => {
    gaps.push({ question, codes, notRun: [...missing.map((o) => `${o.result.kind} ${o.result.target}`), ...extra] });
  };

  // Route lookups send nothing, so they say nothing about whether the cloud answers.
  const cloudFacing = (o: Outcome): boolean => !['local-dns', 'edge-ping', 'dns-route', 'edge-route'].includes(o.role);
  if (!ran.some(cloudFacing)) {
    add(
      'whether anything in the OutSystems Cloud answers (is the tunnel up?)',
      ['tunnel-down', 'internal-routing', 'vpn-device'],
      refused.filter(cloudFacing),
    );
  }
  for (const o of refused) {
    switch (o.role) {
      case 'dns-ping':
        add(`whether cloud DNS server ${o.server} answers ping`, ['dns-ping-blocked'], [o]);
        break;
      case 'edge-ping':
        add(`whether your VPN edge device ${o.server} answers ping`, ['internal-routing', 'vpn-device'], [o]);
        break;
      case 'dns-trace':
        add(`where the path to ${o.server} stops (your network or the VPN device)`, ['internal-routing', 'vpn-device'], [o]);
        break;
      case 'dns-route':
      case 'edge-route':
        add(
          `which next hop this machine uses for ${o.role === 'edge-route' ? `your VPN edge device ${o.server}` : o.server} (your network or the VPN device)`,
          ['internal-routing', 'vpn-device'],
          [o],
        );
        break;
      case 'cloud-dns':
        add(`whether cloud DNS server ${o.server} answers for ${o.host}`, ['dns-unreachable', 'host-not-found', 'dns-public-answer'], [o]);
        break;
      case 'local-dns':
        add(
          `whether ${input.resolver ? `your resolver ${input.resolver}` : "this machine's resolver"} resolves ${o.host} to its private address`,
          ['dns-forwarder-missing'],
          [o],
        );
        break;
      case 'tcp':
        add(`whether TCP ${o.port} to ${o.host} connects`, ['port-blocked'], [o]);
        break;
      case 'tls':
        add(
          `whether HTTPS to ${o.host} completes its handshake with a valid certificate`,
          ['tls-handshake-failed', 'tls-certificate'],
          [o],
        );
        break;
    }
  }
  // A host whose lookups were refused and gave no address: its ports were never tried.
  for (const host of input.hosts) {
    const lookups = outcomes.filter((o) => (o.role === 'cloud-dns' || o.role === 'local-dns') && o.host === host);
    const hostRefused = lookups.some((o) => o.result.notRun);
    const connected = outcomes.some((o) => (o.role === 'tcp' || o.role === 'tls') && o.host === host);
    if (hostRefused && !connected) {
      add(
        `whether ${host} answers on TCP ${portsFor(input).join(' and ')}`,
        ['port-blocked', 'tls-handshake-failed', 'tls-certificate'],
        [],
        [`tcp/tls ${host}: no address (its DNS lookups were not run)`],
      );
    }
  }
  return gaps;
}
