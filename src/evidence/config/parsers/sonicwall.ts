/**
 * SonicWall SonicOS 6.5+/7 CLI: `vpn policy tunnel-interface|site-to-site NAME` with `gateway primary`,
 * `auth-method shared-secret`, `proposal ike|ipsec ...`, `keep-alive`, `network local|remote ...`.
 */
import type { ParameterName } from '../../../knowledge/schema.js';
import { lifetimeSeconds, normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel, ReadValue } from '../model.js';
import { isTemplateValue } from '../text.js';

const REF = 'SonicOS CLI Reference / VPN policy (Proposals tab)';
export const SONICWALL_DEFAULTS: DefaultsTable = {
  'p1-lifetime': { value: '28800', source: `${REF}: IKE (Phase 1) life time default 28800 seconds` },
  'p2-lifetime': { value: '28800', source: `${REF}: IPsec (Phase 2) life time default 28800 seconds` },
  'p2-mode': { value: 'tunnel', source: `${REF}: site-to-site policies are tunnel mode` },
  pfs: { value: 'off', source: `${REF}: Enable Perfect Forward Secrecy is off by default` },
  dpd: { value: 'on', source: 'SonicOS VPN > Advanced: Enable IKE Dead Peer Detection is on by default' },
  'nat-t': { value: 'on', source: 'SonicOS VPN > Advanced: Enable NAT Traversal is on by default' },
};

function parseSonic(text: string): ParsedTunnel[] {
  const tunnels: ParsedTunnel[] = [];
  let t: ParsedTunnel | null = null;
  const local: string[] = [];
  const remote: string[] = [];
  let selLine = 0;
  const flush = () => {
    if (t && (local.length || remote.length)) {
      const pairs = (local.length ? local : ['?']).flatMap((a) => (remote.length ? remote : ['?']).map((b) => `${a} <=> ${b}`));
      t.params['traffic-selectors'] = { value: pairs.join('; '), line: selLine };
    }
    local.length = 0;
    remote.length = 0;
  };
  const lines = text.split(/\r?\n/);
  let nested: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const body = lines[i]!.trim();
    const n = i + 1;
    if (body === '' || body.startsWith('!') || body.startsWith('#')) continue;
    const head = /^vpn policy (tunnel-interface|site-to-site) "?([^"]+?)"?$/.exec(body);
    if (head) {
      flush();
      nested = null;
      t = { name: head[2]!, params: {}, objects: { policy: head[2]!, kind: head[1]! } };
      tunnels.push(t);
      continue;
    }
    if (!t) continue;
    let w = body.split(/\s+/);
    if (isTemplateValue(w[w.length - 1]!)) continue;
    // SonicOS 7 nests the proposal: "proposal ike" / "encryption aes-256" / ... / "exit"
    if (w[0] === 'proposal' && (w[1] === 'ike' || w[1] === 'ipsec') && w.length === 2) {
      nested = w[1];
      continue;
    }
    if (nested && w[0] === 'exit') {
      nested = null;
      continue;
    }
    if (nested && /^(exchange|encryption|authentication|dh-group|lifetime|perfect-forward-secrecy|protocol|no)$/.test(w[0]!))
      w = ['proposal', nested, ...w];
    const set = (k: ParameterName, v: string) => {
      if (v !== '') (t!.params as Record<string, ReadValue>)[k] = { value: v, line: n };
    };
    if (w[0] === 'gateway' && w[1] === 'primary') t.peer = w[2]!;
    else if (w[0] === 'auth-method') set('auth', /shared-secret/.test(body) ? 'psk' : 'cert');
    else if (w[0] === 'keep-alive' || w[0] === 'dead-peer-detection') set('dpd', 'on');
    else if (w[0] === 'no' && (w[1] === 'keep-alive' || w[1] === 'dead-peer-detection')) set('dpd', 'off');
    else if (w[0] === 'network' && (w[1] === 'local' || w[1] === 'remote')) {
      (w[1] === 'local' ? local : remote).push(w.slice(2).join(' '));
      selLine ||= n;
    } else if (w[0] === 'proposal' && (w[1] === 'ike' || w[1] === 'ipsec')) {
      const p1 = w[1] === 'ike';
      const k = w[2];
      const v = w.slice(3).join(' ');
      if (p1 && k === 'exchange') {
        if (/ikev2/i.test(v)) set('ike-version', 'ikev2');
        else {
          set('ike-version', 'ikev1');
          set('ike-mode', /aggressive/i.test(v) ? 'aggressive' : 'main');
        }
      } else if (k === 'encryption') set(p1 ? 'p1-encryption' : 'p2-encryption', normEncryption(v.replace(/\s+/g, '')));
      else if (k === 'authentication') set(p1 ? 'p1-integrity' : 'p2-integrity', normIntegrity(v));
      else if (p1 && k === 'dh-group') set('p1-dh', normDh(v));
      else if (k === 'lifetime') set(p1 ? 'p1-lifetime' : 'p2-lifetime', String(lifetimeSeconds(v) ?? v));
      else if (!p1 && k === 'perfect-forward-secrecy')
        set('pfs', /dh-group\s+(\S+)/.test(v) ? normDh(/dh-group\s+(\S+)/.exec(v)![1]!) : 'on');
      else if (!p1 && k === 'no' && w[3] === 'perfect-forward-secrecy') set('pfs', 'off');
      else if (!p1 && k === 'protocol') set('p2-protocol', v.toLowerCase());
    }
  }
  flush();
  return tunnels;
}

function sonicFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const v = target.value;
  const prop: Partial<Record<ParameterName, string>> = {
    'ike-mode': 'proposal ike exchange main',
    'ike-version': `proposal ike exchange ${v === 'ikev2' ? 'ikev2' : 'main'}`,
    'p1-encryption': `proposal ike encryption ${v}`,
    'p1-integrity': `proposal ike authentication ${v}`,
    'p1-dh': `proposal ike dh-group ${v}`,
    'p1-lifetime': `proposal ike lifetime ${v}`,
    'p2-encryption': `proposal ipsec encryption ${v}`,
    'p2-integrity': `proposal ipsec authentication ${v}`,
    pfs: `proposal ipsec perfect-forward-secrecy dh-group ${v}`,
    'p2-lifetime': `proposal ipsec lifetime ${v}`,
    'p2-protocol': 'proposal ipsec protocol esp',
    dpd: 'keep-alive',
    auth: 'auth-method shared-secret',
  };
  const line = prop[target.name];
  return line ? ['configure', `vpn policy ${t.objects.kind} "${t.objects.policy}"`, `    ${line}`, 'commit', 'end'] : null;
}

export const sonicwall: ConfigParser = {
  id: 'sonicos',
  vendor: 'sonicwall',
  format: 'sonicos-cli',
  detect: (head) => (/^\s*vpn policy (tunnel-interface|site-to-site) /m.test(head) ? 0.9 : 0),
  parse: (text) => ({ vendor: 'sonicwall', format: 'sonicos-cli', tunnels: parseSonic(text) }),
  defaults: SONICWALL_DEFAULTS,
  fix(t, target) {
    const lines = sonicFix(t, target);
    return lines ? { platform: 'SonicWall SonicOS', kind: 'cli', lines } : null;
  },
};
