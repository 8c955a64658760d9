import type { GuideSection, ParameterName } from '../../knowledge/schema.js';
import type { ConfigFinding, ConfigParameter, FixSnippet } from './model.js';

interface CodeInfo {
  topic: string;
  section: GuideSection;
  what: string;
}

/** Finding codes for configuration problems; the first group is shared with the log reader (contract). */
export const CONFIG_FINDING_CODES = {
  'ike-proposal-mismatch': {
    topic: 'phase1-ike-failure',
    section: 'Typical reasons for the VPN tunnel phase 1 IKE negotiation to fail',
    what: 'the phase-1 (IKE) proposal is outside what the cloud side accepts',
  },
  'child-proposal-mismatch': {
    topic: 'phase2-ipsec-failure',
    section: 'VPN tunnel phase 2 internet protocol security (IPsec) fails to negotiate',
    what: 'the phase-2 (IPsec) proposal is outside what the cloud side accepts',
  },
  'pfs-mismatch': {
    topic: 'phase2-ipsec-failure',
    section: 'VPN tunnel phase 2 internet protocol security (IPsec) fails to negotiate',
    what: 'Perfect Forward Secrecy is off or uses a group the cloud side does not accept',
  },
  'traffic-selector-mismatch': {
    topic: 'phase2-ipsec-failure',
    section: 'VPN tunnel phase 2 internet protocol security (IPsec) fails to negotiate',
    what: 'more than one pair of traffic selectors per tunnel; the cloud side negotiates one',
  },
  'lifetime-mismatch': {
    topic: 'phase1-ike-failure',
    section: 'Typical reasons for the VPN tunnel phase 1 IKE negotiation to fail',
    what: 'an SA lifetime is outside the cloud side’s range',
  },
  'aggressive-mode': {
    topic: 'phase1-ike-failure',
    section: 'Typical reasons for the VPN tunnel phase 1 IKE negotiation to fail',
    what: 'IKEv1 aggressive mode is configured; the cloud side accepts main mode only',
  },
  'dpd-disabled': {
    topic: 'dpd-idle-instability',
    section: 'Common reasons for VPN tunnel inactivity or instability issues',
    what: 'Dead Peer Detection is off; the cloud side closes the tunnel after 3 unanswered DPD requests',
  },
  'hourly-drop-risk': {
    topic: 'ikev2-hourly-drop',
    section: 'Tunnel drop every 60 minutes while using IKEv2',
    what: 'IKEv2 with a 3600 s phase-2 lifetime: the tunnel may drop every hour; 3060 s avoids it',
  },
} satisfies Record<string, CodeInfo>;
export type ConfigFindingCode = keyof typeof CONFIG_FINDING_CODES;

/** Which finding a non-ok parameter belongs to. */
export function codeFor(p: ConfigParameter): ConfigFindingCode {
  const byName: Record<ParameterName, ConfigFindingCode> = {
    'ike-version': 'ike-proposal-mismatch',
    'ike-mode': 'aggressive-mode',
    auth: 'ike-proposal-mismatch',
    'p1-encryption': 'ike-proposal-mismatch',
    'p1-integrity': 'ike-proposal-mismatch',
    'p1-dh': 'ike-proposal-mismatch',
    'p1-lifetime': 'lifetime-mismatch',
    'p2-protocol': 'child-proposal-mismatch',
    'p2-mode': 'child-proposal-mismatch',
    'p2-encryption': 'child-proposal-mismatch',
    'p2-integrity': 'child-proposal-mismatch',
    pfs: 'pfs-mismatch',
    'p2-lifetime': 'lifetime-mismatch',
    dpd: 'dpd-disabled',
    'traffic-selectors': 'traffic-selector-mismatch',
    'nat-t': 'ike-proposal-mismatch',
  };
  if (p.name === 'p2-lifetime' && p.verdict === 'risk') return 'hourly-drop-risk';
  return byName[p.name];
}

/** One finding per code, gathering the non-ok parameters of every tunnel; errors first. */
export function summariseFindings(parameters: ConfigParameter[]): ConfigFinding[] {
  const groups = new Map<ConfigFindingCode, ConfigParameter[]>();
  for (const p of parameters) {
    if (p.verdict === 'ok') continue;
    const code = codeFor(p);
    groups.set(code, [...(groups.get(code) ?? []), p]);
  }
  const findings: ConfigFinding[] = [];
  for (const [code, params] of groups) {
    const info = CONFIG_FINDING_CODES[code];
    const error = params.some((p) => p.verdict === 'violation' || p.verdict === 'missing');
    const tunnels = [...new Set(params.map((p) => p.tunnel))];
    const lines = params.flatMap((p) => (p.line ? [p.line] : []));
    const uniqueLines = [...new Map(lines.map((l) => [l.n, l])).values()].sort((a, b) => a.n - b.n);
    const steps = params.map((p) => {
      const step: { text: string; snippets?: FixSnippet[] } = {
        text: `${p.tunnel}: set ${p.name} (now ${p.value ?? 'not set'}${p.default ? ', platform default' : ''}) — ${p.reason}`,
      };
      if (p.fix) step.snippets = [p.fix];
      return step;
    });
    findings.push({
      code,
      severity: error ? 'error' : 'warning',
      topic: info.topic,
      section: info.section,
      summary: `${info.what} (${tunnels.join(', ')}: ${[...new Set(params.map((p) => p.name))].join(', ')})`,
      lines: uniqueLines,
      evidence: params.map((p) => `${p.tunnel} ${p.name} = ${p.value ?? '(absent)'}: ${p.verdict}`),
      steps,
    });
  }
  return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}
