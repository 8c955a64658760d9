import type { ResultOf } from '../probes/catalogue.js';
import { describeRoute } from './describe.js';
import type { Facts } from './facts.js';
import { ev, finding, list, type RawFinding } from './finding.js';
import type { Evidence, Undecided } from './report.js';
import { firstHop } from './route-facts.js';

/**
 * Rule 1 of the runbook: nothing in the cloud answers. Where does the path stop? In the order the
 * evidence is strongest:
 *   1. this machine's table has no usable route for the cloud (route lookup refused, ENETUNREACH) -> internal-routing
 *   2. its route hands the cloud traffic straight to the edge device                          -> tunnel-down + vpn-device
 *   3. its route for the cloud leaves by another next hop than the one reaching the edge       -> internal-routing
 *      (unless a trace hop or an ICMP error shows the edge handling the traffic after all)
 *   4. EHOSTUNREACH from its kernel while the edge was not seen handling the traffic          -> internal-routing
 *   5. traceroute: never reaches the edge -> internal-routing; reaches it -> tunnel-down + vpn-device
 *   6. anything else (no edge given, no trace, or only the edge's own ping reply while every trace hop
 *      and the shared first hop stayed silent) -> tunnel-down + path-undecided, naming what would settle it.
 */
export function pathDown(f: Facts): RawFinding[] {
  // Nothing towards the cloud ran (a partial check): silence that was never listened for proves nothing.
  if (f.cloudReachable || !f.cloudProbed) return [];
  const evidence = [...silenceEvidence(f), ...routeEvidence(f)];
  const servers = list(f.input.dnsServers);
  const r = f.route;

  if (f.noLocalRoute || r.refused.length > 0) {
    const refused = r.refused[0];
    const how = refused ? ` (\`${refused.detail.command ?? 'ip route get'}\`: ${describeRoute(refused.detail)})` : '';
    return [
      finding(
        'internal-routing',
        'error',
        `This machine has no route to the cloud DNS servers (${servers})${how}: add the route to the OutSystems Cloud range via your VPN edge device.`,
        evidence,
      ),
    ];
  }

  const routed = r.cloud[0];
  if (r.nextHop === 'edge' && f.edge && routed) {
    return [
      tunnelDown(f, evidence),
      finding(
        'vpn-device',
        'error',
        `This machine hands the cloud traffic straight to your VPN edge device ${f.edge.ip} (${firstHop(routed)}) and nothing behind it answers: check the VPN device's configuration, policies and NAT settings.`,
        evidence,
      ),
    ];
  }

  const edgeHandled = f.edge?.seenBy === 'trace' || f.edge?.seenBy === 'icmp-error';
  if (r.nextHop === 'elsewhere' && f.edge && r.edgeRoute && routed && !edgeHandled) {
    const dead = f.hostUnreachable.length
      ? `; the kernel answers "host unreachable" (EHOSTUNREACH) for ${list(f.hostUnreachable.slice(0, 3))}, so that next hop does not even answer`
      : '';
    return [
      finding(
        'internal-routing',
        'error',
        `This machine sends the cloud traffic ${firstHop(routed)} but reaches your VPN edge device ${f.edge.ip} ${firstHop(r.edgeRoute)}${dead}: its route to the OutSystems Cloud range does not lead to the edge device. Fix that route (\`${routed.detail.command ?? `ip route get ${routed.target}`}\` shows it) so the range goes the way the edge does.`,
        evidence,
      ),
    ];
  }

  // EHOSTUNREACH from this machine's own kernel, while the edge device was not seen handling the cloud
  // traffic: the packets never got past the first hop. A ping reply from the edge proves only that the
  // edge is reachable by its OWN route, not that the cloud range is routed to it.
  if (f.hostUnreachable.length > 0 && !edgeHandled) {
    const first = f.input.dnsServers[0]!;
    const edge = f.edge
      ? ` The route should lead to your VPN edge device ${f.edge.ip}${f.edge.answersPing ? ', which answers ping by its own route' : ''}.`
      : " Give the edge device's inside IP to check whether the route leads to it.";
    return [
      finding(
        'internal-routing',
        'error',
        `This machine gets "host unreachable" (EHOSTUNREACH) for the cloud (${list(f.hostUnreachable.slice(0, 3))}) and the traffic is not seen at your VPN edge device: the route to the OutSystems Cloud range points at a next hop that does not answer (a wrong or dead gateway), on this machine or its first router. See where the packets go with \`ip route get ${first}\` (Linux; \`route -n get ${first}\` on macOS, \`Find-NetRoute -RemoteIPAddress ${first}\` on Windows) and fix that route.${edge}`,
        evidence,
      ),
    ];
  }

  if (f.edge && f.tracesRan.length > 0 && f.edge.seenBy !== 'ping') {
    const target = f.tracesRan[0]!.target;
    if (!f.edge.seen) {
      const pingable = f.edge.answersPing
        ? ` Your edge device answers ping, so it is reachable, but the cloud traffic does not show up there; if checks ran back to back, the edge may be rate-limiting its traceroute replies: run the check again in a few seconds before changing routes.`
        : '';
      return [
        finding(
          'internal-routing',
          'error',
          `Traceroute to ${target} never reaches your VPN edge device ${f.edge.ip} (${whereItStops(f)}): fix the internal routing towards the edge device.${pingable}`,
          evidence,
        ),
      ];
    }
    const reached =
      f.edge.seenBy === 'icmp-error'
        ? `Your VPN edge device ${f.edge.ip} answers the pings to ${target} with an ICMP error`
        : `Traceroute to ${target} reaches your VPN edge device ${f.edge.ip} and goes no further`;
    return [
      tunnelDown(f, evidence),
      finding('vpn-device', 'error', `${reached}: check the VPN device's configuration, policies and NAT settings.`, evidence),
    ];
  }

  return [tunnelDown(f, evidence), pathUndecided(f, evidence)];
}

function silenceEvidence(f: Facts): Evidence[] {
  return [
    ...f.servers.flatMap((s) => [...ev(s.ping), ...ev(s.trace), ...s.queries.flatMap(ev)]),
    ...ev(f.edge?.ping),
    ...f.hosts.flatMap((h) => h.tcp.flatMap((t) => ev(t.result))),
  ];
}

function routeEvidence(f: Facts): Evidence[] {
  return [...f.route.cloud.flatMap(ev), ...ev(f.route.edgeRoute)];
}

/** "it stops after hop 2 (10.250.1.1)" for the first trace that ran. */
function whereItStops(f: Facts): string {
  const t = f.tracesRan[0];
  if (!t) return '';
  const last = t.detail.lastResponder;
  return last ? `it stops after hop ${last.hop} (${last.address})` : 'no hop answers';
}

function tunnelDown(f: Facts, evidence: Evidence[]): RawFinding {
  const silent = ['no DNS answer'];
  if (!f.icmpNotPermitted) silent.unshift('no ping reply');
  if (f.hosts.some((h) => h.tcp.length > 0)) silent.push('no TCP connection');
  return finding(
    'tunnel-down',
    'error',
    `Nothing in the OutSystems Cloud answers (${silent.join(', ')} from ${list(f.input.dnsServers)}): the VPN tunnel looks down. The OutSystems Cloud only responds, so your side must bring the tunnel up and keep traffic flowing; an idle tunnel may need a few seconds to come up, so run the check again once.`,
    evidence,
  );
}

/**
 * The evidence does not tell internal routing from the VPN device: say what is known, do not pick one,
 * and name what would settle it (a probe this program runs when it can, or a command to run by hand).
 */
function pathUndecided(f: Facts, evidence: Evidence[]): RawFinding {
  const first = f.input.dnsServers[0]!;
  const r = f.route;
  const known: string[] = [];
  const settle: Undecided['settleWith'] = [];
  const routed: ResultOf<'route'> | undefined = r.cloud[0];

  if (!f.edge) {
    known.push('no VPN edge device was given, so nothing says whether the traffic stops in your network or at the VPN device');
    settle.push({
      probe: 'input',
      command: 'edge <inside IP of your VPN edge device> (CLI: --edge)',
      why: 'the route lookup and traceroute then show whether the cloud traffic reaches the edge',
    });
  } else if (f.edge.seenBy === 'ping') {
    known.push(`no traceroute hop answered, while your VPN edge device ${f.edge.ip} answers its own ping`);
  }
  if (routed) {
    const shared = r.nextHop === 'same-as-edge' && routed.detail.gateway ? ` (the same first hop as the edge)` : '';
    known.push(`this machine sends the cloud traffic ${firstHop(routed)}${shared}`);
    if (r.nextHop === 'same-as-edge' && routed.detail.gateway) {
      settle.push({
        command: `on ${routed.detail.gateway}: show the route for ${first} (\`ip route get ${first}\`, \`show ip route ${first}\` on Cisco IOS)`,
        why: `names the next hop that router uses for the cloud range: your edge device ${f.edge?.ip ?? ''} or another one`,
      });
    }
  } else {
    known.push("this machine's route for the cloud range could not be read");
    settle.push({
      probe: 'route',
      command: `ip route get ${first} (macOS: route -n get ${first}; Windows: Find-NetRoute -RemoteIPAddress ${first})`,
      why: 'names the next hop this machine uses for the cloud range: the edge device or another router',
    });
  }
  if (f.tracesRan.length === 0) {
    const missing = f.servers.some((s) => s.trace?.detail.status === 'unavailable') ? ' (install traceroute)' : '';
    settle.push({
      probe: 'traceroute',
      command: `traceroute -n ${first}${missing} (Windows: tracert -d ${first})`,
      why: 'shows where the path stops',
    });
  } else {
    known.push(`traceroute: ${whereItStops(f)}`);
    if (f.edge?.seenBy === 'ping')
      settle.push({
        probe: 'traceroute',
        command: `traceroute -n ${first}, again in a few seconds`,
        why: 'routers rate-limit their traceroute replies after back-to-back checks; a hop that answers shows where the path stops',
      });
  }
  const settleText = settle.map((s) => `${s.command}: ${s.why}`).join('; ');
  return {
    ...finding(
      'path-undecided',
      'warning',
      `Undecided between internal routing and the VPN device: ${known.join('; ')}. To settle it: ${settleText}.`,
      evidence,
    ),
    undecided: { between: ['internal-routing', 'vpn-device'], settleWith: settle },
  };
}
