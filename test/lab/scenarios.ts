/**
 * The lab's scenario table: one fault each, what the guide says the check must conclude, and the plain-tool
 * facts ("witnesses") that prove the lab is really in that state. Shared by the lab tests and the benchmark.
 */
import { EvidenceFaults } from './evidence-faults.js';
import { readLog } from './strongswan.js';
import { dig, pingOk, pingSizeOk, tcpOpen, tlsHandshakes, traceHops } from './tools.js';
import { EDGE_IP, ENV_HOST, PLAN, RESOLVER_IP } from './plan.js';
import { BLACK_HOLE_BYTES, WRONG_NEXT_HOP, type Lab } from './lab.js';
import type { Verdict } from './run-check.js';
import type { Stage } from './stage.js';

export interface Witness {
  what: string;
  holds: (lab: Lab) => Promise<boolean>;
}

export interface Scenario {
  id: string;
  title: string;
  /** Turns a healthy lab into this scenario. */
  inject: (lab: Lab) => Promise<void>;
  sentry?: boolean;
  /** Run the check without --edge. */
  noEdge?: boolean;
  expected: {
    verdict: Verdict;
    /** Exactly the codes (error or warning findings) the check must report; info findings are not counted. */
    codes: readonly string[];
    /** Where the report's evidence must place the fault (stage.ts). */
    stage: Stage;
  };
  witnesses: readonly Witness[];
}

const [DNS1, DNS2] = PLAN.cloud.dns;
const FE = PLAN.cloud.frontEnd;

const w = (what: string, holds: (lab: Lab) => Promise<boolean>): Witness => ({ what, holds });
const answers = (got: string[] | null, want: string): boolean => got !== null && got.length === 1 && got[0] === want;

const DNS_HEALTHY: readonly Witness[] = [
  w(`cloud DNS ${DNS1} answers the private front-end address`, async (lab) => answers(await dig(lab, 'lan', DNS1, ENV_HOST), FE)),
  w(`cloud DNS ${DNS2} answers the private front-end address`, async (lab) => answers(await dig(lab, 'lan', DNS2, ENV_HOST), FE)),
];

/**
 * IKE/IPsec faults a customer meets, seen from the LAN: the tunnel never comes up (or loses its CHILD_SA),
 * the trace reaches the edge device and stops, the edge's own charon log names the cause. The check cannot
 * see the negotiation, so each reads as tunnel-down + vpn-device at the edge (stage "edge"); the log
 * analyser (analyze-logs.test.ts) names the IKE cause from the same faults.
 */
const tunnelDownAtEdge = (logSays: RegExp, what: string): readonly Witness[] => [
  w('no CHILD_SA is installed', async (lab) => !(await lab.tunnelUp())),
  w(`the gw's charon log shows ${what}`, async (lab) => logSays.test(readLog(lab.charons!.gw))),
  w('the edge device answers ping', async (lab) => pingOk(lab, 'lan', EDGE_IP)),
  w('traceroute reaches the edge device and stops there', async (lab) => (await traceHops(lab, 'lan', DNS1)).at(-1) === EDGE_IP),
  w('the cloud DNS does not answer queries', async (lab) => (await dig(lab, 'lan', DNS1, ENV_HOST)) === null),
];
const AT_EDGE = { verdict: 'down', codes: ['tunnel-down', 'vpn-device'], stage: 'edge' } as const;

const IKE_FAULTS: readonly Scenario[] = [
  {
    id: 'ike-proposal-rejected',
    title: 'phase-1 proposal the cloud rejects (gw offers 3DES/SHA-1/MODP-1024 only)',
    inject: async (lab) => void (await new EvidenceFaults(lab).weakIkeProposal()),
    expected: AT_EDGE,
    witnesses: tunnelDownAtEdge(/NO_PROPOSAL_CHOSEN/, 'NO_PROPOSAL_CHOSEN for IKE_SA_INIT'),
  },
  {
    id: 'pfs-mismatch',
    title: 'PFS mismatch (cloud requires a DH group for the CHILD_SA, gw sends none): the re-created CHILD_SA fails',
    inject: async (lab) => void (await new EvidenceFaults(lab).pfsChildFails()),
    expected: AT_EDGE,
    witnesses: tunnelDownAtEdge(/received NO_PROPOSAL_CHOSEN notify/, 'NO_PROPOSAL_CHOSEN for CREATE_CHILD_SA'),
  },
  {
    id: 'udp500-blocked',
    title: 'UDP 500 to the cloud blocked (IKE_SA_INIT never answered)',
    inject: async (lab) => void (await new EvidenceFaults(lab).blockIke()),
    expected: AT_EDGE,
    witnesses: tunnelDownAtEdge(/giving up after \d+ retransmits/, 'IKE_SA_INIT retransmitted until charon gives up'),
  },
  {
    id: 'traffic-selector',
    title: 'wrong traffic selector (gw proposes 10.99.0.0/16 as its side of the CHILD_SA)',
    inject: async (lab) => void (await new EvidenceFaults(lab).wrongTrafficSelector()),
    expected: AT_EDGE,
    witnesses: tunnelDownAtEdge(/TS_UNACCEPTABLE/, 'TS_UNACCEPTABLE'),
  },
];

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'healthy',
    title: 'healthy network',
    inject: async () => undefined,
    expected: { verdict: 'healthy', codes: [], stage: 'none' },
    witnesses: [
      w('the CHILD_SA is installed', (lab) => lab.tunnelUp()),
      w(`ping to cloud DNS ${DNS1} and ${DNS2} works`, async (lab) => (await pingOk(lab, 'lan', DNS1)) && (await pingOk(lab, 'lan', DNS2))),
      w('ICMP to the front-end is dropped (by design, as in the OutSystems Cloud)', async (lab) => !(await pingOk(lab, 'lan', FE))),
      w(
        'traceroute to the cloud DNS goes core -> edge -> DNS',
        async (lab) => (await traceHops(lab, 'lan', DNS1)).join(' ') === `${PLAN.core.lanSide} ${EDGE_IP} ${DNS1}`,
      ),
      ...DNS_HEALTHY,
      w('the corporate resolver forwards to the cloud DNS (private answer)', async (lab) =>
        answers(await dig(lab, 'lan', RESOLVER_IP, ENV_HOST), FE),
      ),
      w('front-end TCP 443 and 80 are open', async (lab) => (await tcpOpen(lab, 'lan', FE, 443)) && (await tcpOpen(lab, 'lan', FE, 80))),
    ],
  },
  {
    id: 'tunnel-down',
    title: 'tunnel down (wrong pre-shared key)',
    inject: async (lab) => void (await lab.faults.wrongPsk()),
    // From the LAN a dead tunnel looks like the guide's VPN-device pattern too ("reaches the edge device,
    // goes no further"): the runbook names both, and nothing downstream (DNS, ports) of the dead path.
    expected: { verdict: 'down', codes: ['tunnel-down', 'vpn-device'], stage: 'edge' },
    witnesses: [
      w('no CHILD_SA is installed', async (lab) => !(await lab.tunnelUp())),
      w('the initiator (gw) log shows "received AUTHENTICATION_FAILED notify error"', async (lab) =>
        readLog(lab.charons!.gw).includes('received AUTHENTICATION_FAILED notify error'),
      ),
      w('the responder (cloud) log shows "MAC mismatched"', async (lab) =>
        /tried \d+ shared key.* but MAC mismatched/.test(readLog(lab.charons!.cloud)),
      ),
      w('the edge device answers ping', async (lab) => pingOk(lab, 'lan', EDGE_IP)),
      w('the cloud DNS does not answer ping', async (lab) => !(await pingOk(lab, 'lan', DNS1))),
      w('traceroute reaches the edge device and stops there', async (lab) => (await traceHops(lab, 'lan', DNS1)).at(-1) === EDGE_IP),
      w('the cloud DNS does not answer queries', async (lab) => (await dig(lab, 'lan', DNS1, ENV_HOST)) === null),
    ],
  },
  {
    id: 'tunnel-down-no-edge',
    title: 'tunnel down (wrong pre-shared key), checked without naming the edge device',
    inject: async (lab) => void (await lab.faults.wrongPsk()),
    noEdge: true,
    // Nothing says whether 10.250.2.2, where the trace stops, is the VPN device or a router before it: the
    // check says so and asks for the edge instead of picking internal-routing or vpn-device.
    expected: { verdict: 'down', codes: ['tunnel-down', 'path-undecided'], stage: 'undecided' },
    witnesses: [
      w('no CHILD_SA is installed', async (lab) => !(await lab.tunnelUp())),
      w('traceroute reaches the edge device and stops there', async (lab) => (await traceHops(lab, 'lan', DNS1)).at(-1) === EDGE_IP),
    ],
  },
  {
    id: 'dns-forwarder-missing',
    title: 'conditional forwarder missing (resolver answers a public address)',
    inject: (lab) => lab.faults.noConditionalForwarder(),
    expected: { verdict: 'degraded', codes: ['dns-forwarder-missing'], stage: 'dns' },
    witnesses: [
      w('the tunnel is up and the cloud DNS answers ping', async (lab) => (await lab.tunnelUp()) && (await pingOk(lab, 'lan', DNS1))),
      ...DNS_HEALTHY,
      w(`the corporate resolver answers the public address ${PLAN.cloud.publicFrontEnd}`, async (lab) =>
        answers(await dig(lab, 'lan', RESOLVER_IP, ENV_HOST), PLAN.cloud.publicFrontEnd),
      ),
    ],
  },
  {
    id: 'dns-unreachable',
    title: 'UDP 53 to the cloud DNS blocked',
    inject: (lab) => lab.faults.blockDnsUdp(),
    expected: { verdict: 'degraded', codes: ['dns-unreachable'], stage: 'dns' },
    witnesses: [
      w(
        'the cloud DNS answers ping (the tunnel is fine)',
        async (lab) => (await pingOk(lab, 'lan', DNS1)) && (await pingOk(lab, 'lan', DNS2)),
      ),
      w(
        'queries over UDP to both cloud DNS servers get no answer',
        async (lab) => (await dig(lab, 'lan', DNS1, ENV_HOST)) === null && (await dig(lab, 'lan', DNS2, ENV_HOST)) === null,
      ),
      w('the same query over TCP works (only UDP 53 is blocked)', async (lab) =>
        answers(await dig(lab, 'lan', DNS1, ENV_HOST, { tcp: true }), FE),
      ),
      w(
        'the corporate resolver gets no address for the environment',
        async (lab) => ((await dig(lab, 'lan', RESOLVER_IP, ENV_HOST)) ?? []).length === 0,
      ),
      w('front-end TCP 443 is still open', async (lab) => tcpOpen(lab, 'lan', FE, 443)),
    ],
  },
  {
    id: 'port-blocked',
    title: 'HTTPS blocked from the customer range',
    inject: (lab) => lab.faults.blockHttps(),
    expected: { verdict: 'degraded', codes: ['port-blocked'], stage: 'firewall' },
    witnesses: [
      w('the tunnel is up and the cloud DNS answers ping', async (lab) => (await lab.tunnelUp()) && (await pingOk(lab, 'lan', DNS1))),
      ...DNS_HEALTHY,
      w('front-end TCP 443 does not connect', async (lab) => !(await tcpOpen(lab, 'lan', FE, 443))),
      w('front-end TCP 80 connects', async (lab) => tcpOpen(lab, 'lan', FE, 80)),
    ],
  },
  {
    id: 'internal-routing',
    title: 'customer-side route broken before the edge device',
    inject: (lab) => lab.faults.breakInternalRoute(),
    // Everything behind the broken route fails with it (DNS, ports): only the cause is reported.
    expected: { verdict: 'down', codes: ['internal-routing'], stage: 'internal-network' },
    witnesses: [
      w('the tunnel itself is up', (lab) => lab.tunnelUp()),
      w('the edge device answers ping', async (lab) => pingOk(lab, 'lan', EDGE_IP)),
      w('the cloud DNS does not answer ping', async (lab) => !(await pingOk(lab, 'lan', DNS1))),
      w(
        `traceroute stops at the internal router ${PLAN.core.lanSide}, before the edge`,
        async (lab) => (await traceHops(lab, 'lan', DNS1)).join(' ') === PLAN.core.lanSide,
      ),
    ],
  },
  {
    id: 'wrong-next-hop',
    title: "LAN host's route to the cloud range points at a next hop that does not exist",
    inject: (lab) => lab.faults.wrongNextHop(),
    // The edge answers ping by the default route and no trace hop answers: without the host's own route
    // (and the kernel's EHOSTUNREACH) this read as tunnel-down + vpn-device, sending the network team to
    // the wrong box. The route probe shows the cloud range leaving via 10.250.1.99, the edge via 10.250.1.1.
    expected: { verdict: 'down', codes: ['internal-routing'], stage: 'this-host' },
    witnesses: [
      w('the tunnel itself is up', (lab) => lab.tunnelUp()),
      w('the edge device answers ping', async (lab) => pingOk(lab, 'lan', EDGE_IP)),
      w('the cloud DNS does not answer ping', async (lab) => !(await pingOk(lab, 'lan', DNS1))),
      w(`ip route get ${DNS1} on the LAN host names the missing next hop ${WRONG_NEXT_HOP}`, async (lab) =>
        (await lab.ip('lan', ['route', 'get', DNS1])).stdout.includes(`via ${WRONG_NEXT_HOP}`),
      ),
      w('front-end TCP 443 does not connect', async (lab) => !(await tcpOpen(lab, 'lan', FE, 443))),
    ],
  },
  ...IKE_FAULTS,
  {
    id: 'mtu-black-hole',
    title: `MTU/MSS black hole (packets of ${BLACK_HOLE_BYTES}+ bytes from the cloud dropped, no ICMP back)`,
    inject: (lab) => lab.faults.mtuBlackHole(),
    // Ping, DNS and the TCP handshake are small and pass; the front-end's TLS flight does not.
    expected: { verdict: 'degraded', codes: ['tls-handshake-failed'], stage: 'https' },
    witnesses: [
      w('the tunnel is up and the cloud DNS answers ping', async (lab) => (await lab.tunnelUp()) && (await pingOk(lab, 'lan', DNS1))),
      // ping -s is the ICMP payload: an IP packet is 28 bytes more.
      w(
        `a ${BLACK_HOLE_BYTES - 100}-byte ping gets through, a ${BLACK_HOLE_BYTES + 100}-byte one does not`,
        async (lab) =>
          (await pingSizeOk(lab, 'lan', DNS1, BLACK_HOLE_BYTES - 128)) && !(await pingSizeOk(lab, 'lan', DNS1, BLACK_HOLE_BYTES + 72)),
      ),
      ...DNS_HEALTHY,
      w('front-end TCP 443 connects', async (lab) => tcpOpen(lab, 'lan', FE, 443)),
      w(
        'a TLS handshake with the front-end does not complete (openssl s_client)',
        async (lab) => !(await tlsHandshakes(lab, 'lan', FE, ENV_HOST)),
      ),
    ],
  },
  {
    id: 'sentry',
    title: 'Sentry (443 only, port 80 closed)',
    inject: (lab) => lab.faults.closePort80(),
    sentry: true,
    expected: { verdict: 'healthy', codes: [], stage: 'none' },
    witnesses: [
      w('front-end TCP 443 connects', async (lab) => tcpOpen(lab, 'lan', FE, 443)),
      w('front-end TCP 80 is closed', async (lab) => !(await tcpOpen(lab, 'lan', FE, 80))),
      ...DNS_HEALTHY,
    ],
  },
];

export function scenario(id: string): Scenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`no lab scenario ${id}`);
  return s;
}
