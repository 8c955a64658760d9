import { observe, type Facts, type HostFacts, type ServerFacts } from './facts.js';
import { ev, finding, list, type RawFinding } from './finding.js';
import type { CheckInput } from './input.js';
import { pathDown } from './path-rules.js';
import { HTTP, HTTPS, type Outcome } from './plan.js';
import type { Evidence, FindingCode, Severity, Verdict } from './report.js';

export { TOPIC_OF, type RawFinding } from './finding.js';

/**
 * The runbook's decisions, in one place, in the order the guide reasons:
 *
 *   1. Does anything in the cloud answer?  No  -> where does the path stop? (path-rules.ts)
 *        no usable route on this machine                    -> internal-routing
 *        its route hands the cloud traffic to the edge      -> tunnel-down + vpn-device
 *        its route for the cloud avoids the edge's next hop -> internal-routing
 *        traceroute never reaches the edge device           -> internal-routing
 *        traceroute reaches the edge device, no further     -> tunnel-down + vpn-device
 *        the evidence does not tell (no edge, no trace, silent shared first hop)
 *                                                           -> tunnel-down + path-undecided (names what settles it)
 *      (then DNS and ports are not judged: their silence is a consequence)
 *   2. The cloud DNS servers: no DNS answer from any -> dns-unreachable (error); from some -> (warning);
 *      DNS answers but ping does not -> dns-ping-blocked (warning).
 *   3. Each host: NXDOMAIN at the cloud DNS -> host-not-found; only public answers -> dns-public-answer;
 *      private at the cloud DNS but public / missing / failing at your resolver -> dns-forwarder-missing.
 *   4. Each host's private address: TCP 443 not open -> port-blocked (error); TCP 80 not open, unless
 *      Sentry -> port-blocked (warning); 443 open but no TLS handshake -> tls-handshake-failed (warning:
 *      HTTPS does not work); handshake done but the certificate does not verify (untrusted issuer, as a
 *      TLS-inspecting proxy presents; wrong name; expired) or expires within 14 days -> tls-certificate (warning).
 *   Always: no ICMP possible on this machine -> icmp-not-permitted (info).
 *
 * ICMP to front-ends and databases is blocked by design (guide): they are never pinged, so never judged.
 * Verdict: down with tunnel-down / internal-routing / vpn-device; degraded with any other error or
 * warning; healthy otherwise (info findings do not count).
 */

/**
 * Topics that also apply to a finding, besides its own `topic` (which stays single: the JSON contract).
 * The reply offers them as follow-ups. A tunnel that is down is also the customer side's job to bring up
 * and keep up: the OutSystems Cloud only responds.
 */
export const RELATED_TOPICS: Partial<Record<FindingCode, readonly string[]>> = {
  'tunnel-down': ['keep-traffic-flowing'],
  'vpn-device': ['keep-traffic-flowing'],
};

/** A certificate that expires within this many days is reported (tls-certificate). */
export const CERT_EXPIRY_WARNING_DAYS = 14;

const PATH_DOWN: ReadonlySet<FindingCode> = new Set(['tunnel-down', 'internal-routing', 'vpn-device']);
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function evaluate(input: CheckInput, outcomes: readonly Outcome[]): { verdict: Verdict; findings: RawFinding[] } {
  const f = observe(input, outcomes);
  const findings: RawFinding[] = [...icmpNotPermitted(f)];
  const path = pathDown(f);
  findings.push(...path);
  if (path.length === 0) {
    findings.push(...dnsServers(f), ...dnsPing(f));
    for (const host of f.hosts) findings.push(...hostNames(f, host), ...hostPorts(f, host));
  }
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return { verdict: verdictOf(findings), findings };
}

export function verdictOf(findings: readonly Pick<RawFinding, 'code' | 'severity'>[]): Verdict {
  if (findings.some((x) => PATH_DOWN.has(x.code))) return 'down';
  if (findings.some((x) => x.severity !== 'info')) return 'degraded';
  return 'healthy';
}

const capitalise = (x: string): string => x.charAt(0).toUpperCase() + x.slice(1);

// --- Rule: ICMP cannot be used from here -------------------------------------------------------------

function icmpNotPermitted(f: Facts): RawFinding[] {
  if (!f.icmpNotPermitted) return [];
  return [
    finding(
      'icmp-not-permitted',
      'info',
      'This machine may not send ICMP (ping needs root or CAP_NET_RAW), so the ping evidence is missing; the other probes still count.',
      f.servers.flatMap((s) => ev(s.ping)),
    ),
  ];
}

// --- Rule 1 (nothing in the cloud answers: where does the path stop?) is path-rules.ts ----------------

// --- Rule 2: the cloud DNS servers -------------------------------------------------------------------

function reachabilityWords(s: ServerFacts): string {
  if (s.answersPing) return 'answers ping';
  if (s.traceReached) return 'is reached by traceroute';
  return 'does not answer ping either';
}

function dnsServers(f: Facts): RawFinding[] {
  // A server none of whose queries ran (refused by the agent's allowlist) is not judged.
  const silent = f.servers.filter((s) => s.queries.length > 0 && !s.answersDns);
  if (silent.length === 0) return [];
  const evidence = silent.flatMap((s) => [...s.queries.flatMap(ev), ...ev(s.ping), ...ev(s.trace)]);
  const answering = f.servers.filter((s) => s.answersDns).map((s) => s.server);
  if (answering.length === 0) {
    const how = silent.map((s) => `${s.server} ${reachabilityWords(s)}`).join('; ');
    return [
      finding(
        'dns-unreachable',
        'error',
        `The cloud DNS servers do not answer DNS queries on UDP 53 although the cloud answers (${how}): allow UDP 53 to them from your network and your DNS servers.`,
        evidence,
      ),
    ];
  }
  return [
    finding(
      'dns-unreachable',
      'warning',
      `Cloud DNS server ${list(silent.map((s) => s.server))} does not answer DNS queries while ${list(answering)} does: allow UDP 53 to every cloud DNS server (your forwarder may use either).`,
      evidence,
    ),
  ];
}

function dnsPing(f: Facts): RawFinding[] {
  const blocked = f.servers.filter((s) => s.answersDns && (s.pingStatus === 'no-reply' || s.pingStatus === 'unreachable'));
  if (blocked.length === 0) return [];
  return [
    finding(
      'dns-ping-blocked',
      'warning',
      `Cloud DNS server ${list(blocked.map((s) => s.server))} answers DNS but not ping: ICMP is blocked on your side, so it cannot serve as a keep-alive or connectivity test.`,
      blocked.flatMap((s) => [...ev(s.ping), ...s.queries.slice(0, 1).flatMap(ev)]),
    ),
  ];
}

// --- Rule 3: each host's name ------------------------------------------------------------------------

function hostNames(f: Facts, h: HostFacts): RawFinding[] {
  if (h.cloudResponses.length === 0) return []; // dns-unreachable already says why
  const cloudEvidence = h.cloudResponses.flatMap(ev);

  if (h.cloudNxdomain) {
    return [
      finding(
        'host-not-found',
        'warning',
        `The cloud DNS servers do not know ${h.host} (NXDOMAIN): check the environment's host name.`,
        cloudEvidence,
      ),
    ];
  }
  if (h.cloudPrivate.length === 0) {
    if (h.cloudPublic.length === 0) return [];
    return [
      finding(
        'dns-public-answer',
        'warning',
        `The cloud DNS servers answer ${h.host} with a public address (${list(h.cloudPublic)}); over the VPN an environment resolves to a private address: check the host name.`,
        cloudEvidence,
      ),
    ];
  }

  // Explicit --resolver: "Your resolver 10.0.0.53 answers..."; else "This machine's resolver answers...".
  const resolver = f.input.resolver ? `Your resolver ${f.input.resolver}` : "This machine's resolver";
  const forwarderOn = f.input.resolver ? `on ${f.input.resolver}` : 'on the DNS server this machine uses';
  const cloud = list(h.cloudPrivate);
  const evidence = [...ev(h.local), ...cloudEvidence];
  switch (h.localAnswer) {
    case 'public':
      return [
        finding(
          'dns-forwarder-missing',
          'error',
          `${resolver} answers ${h.host} with the public address ${list(h.localPublic)} while the cloud DNS answers ${cloud}: set up the conditional forwarder for outsystemsenterprise.com to the cloud DNS servers ${forwarderOn}.`,
          evidence,
        ),
      ];
    case 'not-found':
      return [
        finding(
          'dns-forwarder-missing',
          'error',
          `${resolver} does not resolve ${h.host} while the cloud DNS answers ${cloud}: set up the conditional forwarder for outsystemsenterprise.com to the cloud DNS servers ${forwarderOn}.`,
          evidence,
        ),
      ];
    case 'failed':
      return [
        finding(
          'dns-forwarder-missing',
          'error',
          `${resolver} fails to resolve ${h.host} while the cloud DNS answers ${cloud}: the conditional forwarder ${forwarderOn} is missing or cannot reach the cloud DNS servers on UDP 53.`,
          evidence,
        ),
      ];
    case 'private':
    case 'not-run':
      return [];
  }
}

// --- Rule 4: each host's ports -------------------------------------------------------------------------

function hostPorts(f: Facts, h: HostFacts): RawFinding[] {
  const closed = h.tcp.filter((t) => t.result.detail.status !== 'open');
  const https = h.tcp.find((t) => t.port === HTTPS);
  const out: RawFinding[] = [];
  if (closed.length > 0) {
    const address = closed[0]!.result.detail.address ?? '?';
    const what = closed.map(
      (t) =>
        `TCP ${t.port} ${t.result.detail.status === 'refused' ? 'is refused' : t.result.detail.status === 'timeout' ? 'times out' : `fails (${t.result.detail.status})`}`,
    );
    const httpsClosed = closed.some((t) => t.port === HTTPS);
    const allowed = f.input.sentry ? 'TCP 443' : 'TCP 443 and 80';
    out.push(
      finding(
        'port-blocked',
        httpsClosed ? 'error' : 'warning',
        `${what.join(' and ')} to ${h.host} (${address}) while its name resolves: allow ${allowed} to the full OutSystems Cloud internal range in your firewalls${closed.some((t) => t.port === HTTP) ? ' (a Sentry environment serves 443 only: then check with sentry)' : ''}.`,
        closed.flatMap((t) => ev(t.result)),
      ),
    );
  }
  if (https?.result.detail.status === 'open' && h.tls && h.tls.detail.status !== 'handshake-ok') {
    out.push(
      finding(
        'tls-handshake-failed',
        'warning',
        `TCP 443 to ${h.host} connects but the TLS handshake does not complete, so HTTPS does not work: look for packets too large for the tunnel (MTU/MSS clamping on the VPN device) or TLS inspection breaking the handshake.`,
        [...ev(https.result), ...ev(h.tls)],
      ),
    );
  }
  out.push(...certificate(h));
  return out;
}

/** OpenSSL's reasons for a chain that ends at an issuer this machine does not trust. */
const UNTRUSTED_ISSUER: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

function certificate(h: HostFacts): RawFinding[] {
  const t = h.tls;
  if (!t || t.detail.status !== 'handshake-ok') return [];
  const d = t.detail;
  const cert = d.certificate;
  const days = cert?.daysLeft ?? null;
  const expired = d.verifyError === 'CERT_HAS_EXPIRED' || (days !== null && days < 0);
  const expiring = !expired && days !== null && days < CERT_EXPIRY_WARNING_DAYS;
  const untrusted = d.verifyError !== null && UNTRUSTED_ISSUER.has(d.verifyError);
  const otherError = d.verifyError !== null && !untrusted && d.verifyError !== 'CERT_HAS_EXPIRED';
  if (!untrusted && !expired && !expiring && !otherError && !d.hostnameError) return [];

  const until = cert?.validTo ? ` (${cert.validTo.slice(0, 10)})` : '';
  const problems: string[] = [];
  if (untrusted)
    problems.push(`it is issued by ${cert?.issuer || 'an unknown issuer'}, which this machine does not trust (${d.verifyError})`);
  if (expired) problems.push(`it has expired${until}`);
  if (expiring) problems.push(`it expires in ${days} day${days === 1 ? '' : 's'}${until}`);
  if (otherError) problems.push(`it does not verify (${d.verifyError})`);
  if (d.hostnameError) problems.push(`it is not valid for ${h.host} (${d.hostnameError})`);

  const advice: string[] = [];
  if (untrusted)
    advice.push(
      'TLS inspection by a corporate proxy or firewall shows up exactly like this (an issuer of your own, untrusted here): exempt *.outsystemsenterprise.com from inspection or trust its CA',
    );
  if (d.hostnameError && !untrusted) advice.push('check that the name resolves to this environment and not to another service');
  if (expired || expiring)
    advice.push("renew the environment's certificate (your own for a custom domain, otherwise ask OutSystems support)");

  const facts: Evidence[] = [];
  if (d.verifyError)
    facts.push({
      kind: 'tls',
      target: t.target,
      fact: `verification error: ${d.verifyError}${cert?.issuer ? `; issuer ${cert.issuer}` : ''}`,
    });
  if (d.hostnameError) facts.push({ kind: 'tls', target: t.target, fact: `hostname error: ${d.hostnameError}` });
  if ((expired || expiring) && cert?.validTo)
    facts.push({
      kind: 'tls',
      target: t.target,
      fact: `certificate valid to ${cert.validTo}${days === null ? '' : ` (${days} days left)`}`,
    });

  return [
    finding(
      'tls-certificate',
      'warning',
      `HTTPS to ${h.host} connects but its certificate is a problem: ${problems.join('; ')}.${advice.length ? ` ${capitalise(advice.join('; '))}.` : ''}`,
      [...ev(t), ...facts],
    ),
  ];
}
