/**
 * A judged configuration (the evidence engine's `kind: "config"` document) as a chat reply: the parameter
 * table with problems first, one finding per problem kind with the lines it rests on, and the fixes in the
 * device's own syntax as steps.
 */
import type { ConfigAnalysis, ConfigParameter } from '../evidence/config/model.js';
import { asReplyFinding, reply, type Reply, type ReplyStep } from '../reply/reply.js';

const VERDICT_LABEL: Record<ConfigParameter['verdict'], string> = {
  ok: 'ok',
  violation: 'outside requirements',
  unsupported: 'not supported by OutSystems',
  missing: 'missing',
  risk: 'risk',
};

/** Problems first (violations and missing, then unsupported, then risks), then the rest in file order. */
const ORDER: ConfigParameter['verdict'][] = ['violation', 'missing', 'unsupported', 'risk', 'ok'];

const VENDOR_LABEL: Record<ConfigAnalysis['vendor'], string> = {
  strongswan: 'strongSwan',
  libreswan: 'Libreswan',
  'cisco-asa': 'Cisco ASA',
  'cisco-ios': 'Cisco IOS/IOS-XE',
  'cisco-ftd': 'Cisco FTD (FMC-managed)',
  checkpoint: 'Check Point',
  meraki: 'Cisco Meraki MX',
  fortigate: 'FortiGate',
  paloalto: 'Palo Alto PAN-OS',
  'juniper-srx': 'Juniper SRX',
  sonicwall: 'SonicWall',
  mikrotik: 'MikroTik RouterOS',
  vyos: 'VyOS / EdgeOS',
  pfsense: 'pfSense',
  opnsense: 'OPNsense',
  azure: 'Azure VPN gateway',
  aws: 'AWS',
  outsystems: 'OutSystems VPN configuration file',
};

export function configReply(doc: ConfigAnalysis): Reply {
  const problems = doc.parameters.filter((p) => p.verdict !== 'ok');
  const rows = [...doc.parameters]
    .map((p, i) => ({ p, i }))
    .sort((a, b) => ORDER.indexOf(a.p.verdict) - ORDER.indexOf(b.p.verdict) || a.i - b.i)
    .map(({ p }) => ({
      cells: [
        p.tunnel,
        p.name,
        p.value === null ? '(not set)' : p.default ? `${p.value} (default)` : p.value,
        p.required,
        VERDICT_LABEL[p.verdict],
        p.line ? `${p.line.n}: ${p.line.text}` : '',
      ],
      ok: p.verdict === 'ok' ? true : false,
    }));
  const findings = doc.findings.map(asReplyFinding);
  const steps: ReplyStep[] = doc.findings.flatMap((f) =>
    f.steps.map((s) => {
      const step: ReplyStep = { text: s.text };
      if (s.snippets?.length) step.snippets = s.snippets.map((sn) => ({ platform: sn.platform, kind: sn.kind, lines: sn.lines }));
      return step;
    }),
  );
  const vendor = VENDOR_LABEL[doc.vendor];
  const tunnels = doc.tunnels.length;
  const defaults = doc.parameters.filter((p) => p.default).length;
  const notices: string[] = [];
  // the reader blanks secrets in every quoted line; a blanked line means a key travelled in the paste
  const quoted = [...doc.parameters.map((p) => p.line), ...doc.findings.flatMap((f) => f.lines)];
  if (quoted.some((l) => l?.text.includes('<redacted>')))
    notices.push('The pasted configuration contains a pre-shared key or password; it is blanked here, but consider rotating it.');
  if (defaults)
    notices.push(
      `${defaults} value${defaults === 1 ? ' is' : 's are'} the platform's documented default (the configuration does not set ${defaults === 1 ? 'it' : 'them'}).`,
    );
  const differences = doc.differences ?? [];
  if (doc.against)
    notices.push(
      differences.length
        ? `${differences.length} parameter${differences.length === 1 ? '' : 's'} differ from the configuration file OutSystems sent.`
        : 'Every compared parameter matches the configuration file OutSystems sent.',
    );
  const summary = problems.length
    ? `${vendor} configuration (${doc.format}), ${tunnels} tunnel${tunnels === 1 ? '' : 's'}: ${problems.length} of ${doc.parameters.length} parameters need attention.`
    : `${vendor} configuration (${doc.format}), ${tunnels} tunnel${tunnels === 1 ? '' : 's'}: every parameter meets the OutSystems requirements.`;
  return reply({
    kind: 'analysis',
    title: `Configuration check: ${vendor}`,
    summary,
    // a configuration finding is a risk to the tunnel, not proof that it is down
    verdict: problems.length ? 'degraded' : 'healthy',
    answer: null,
    steps,
    findings,
    facts: differences.map((d) => ({
      label: `${d.tunnel} ${d.name} differs from the OutSystems file`,
      value: `device ${d.device ?? '(not set)'}, OutSystems ${d.outsystems ?? '(not set)'}`,
    })),
    table: {
      caption: 'Parameters judged against the OutSystems requirements',
      columns: ['Tunnel', 'Parameter', 'Value', 'Required', 'Verdict', 'Line'],
      rows,
    },
    ...(notices.length ? { notices } : {}),
  });
}
