/**
 * pfSense tunnel settings written as GUI field text rather than `config.xml`: the walk-through AWS sends
 * for pfSense ("Go to VPN-->IPSec. Add a new Phase1 entry", then "a. Encryption algorithm : aes128" lines)
 * and the same fields pasted as a two-column table ("|Key Exchange version|IKEv2|"). One tunnel per phase-1
 * entry; the phase-2 fields that follow belong to it.
 */
import type { ParameterName } from '../../../knowledge/schema.js';
import { lifetimeSeconds, normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, ParsedTunnel, ReadValue } from '../model.js';
import { isTemplateValue } from '../text.js';
import { PFSENSE_DEFAULTS, pfsenseFix } from './pfsense.js';

/** "a. Field : value", "Field: value" or "|Field|value|"; the list letter and table bars are not part of it. */
const FIELD = /^\s*(?:[a-z]\.\s*)?([A-Za-z][A-Za-z0-9 ()/-]*?)\s*:\s*(.*?)\s*$/;
const TABLE_ROW = /^\s*\|\s*([A-Za-z][^|]*?)\s*\|\s*([^|]*?)\s*\|\s*$/;
/** A new phase-1 entry starts a tunnel. */
const NEW_PHASE1 = /Add a new Phase ?1 entry|^#{1,4}\s*Phase ?1\b|IPSec Tunnel #\d/i;
const NEW_PHASE2 = /new Phase ?2 entry|^#{1,4}\s*Phase ?2\b|Phase 2 proposal/i;

function parseGuiText(text: string): ParsedTunnel[] {
  const lines = text.split(/\r?\n/);
  const tunnels: ParsedTunnel[] = [];
  let t: ParsedTunnel | null = null;
  let phase: 1 | 2 = 1;
  let keyLength = '';
  let local = '';
  let remote = '';
  let selectorLine: number | null = null;
  const finish = () => {
    if (t && (local || remote)) t.params['traffic-selectors'] = { value: `${local || '?'} <=> ${remote || '?'}`, line: selectorLine };
    local = remote = '';
    selectorLine = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const n = i + 1;
    // "!" starts a comment in the AWS file; a field whose value is only a comment says nothing
    const line = raw.replace(/(^|\s)!.*$/, '');
    const tunnelHead = /IPSec Tunnel #(\d+)/i.exec(raw);
    if (NEW_PHASE1.test(raw)) {
      // "IPSec Tunnel #2" and the "Add a new Phase1 entry" below it open the same tunnel
      if (!t || Object.keys(t.params).length > 0) {
        finish();
        t = { name: `Phase 1 #${tunnels.length + 1}`, params: {}, objects: {} };
        tunnels.push(t);
      }
      if (tunnelHead) t.name = `Tunnel #${tunnelHead[1]}`;
      phase = 1;
      keyLength = '';
      continue;
    }
    if (NEW_PHASE2.test(raw)) phase = 2;
    if (!t) continue;
    const m = TABLE_ROW.exec(line) ?? FIELD.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase().replace(/\s+/g, ' ');
    const value = m[2]!.trim();
    if (value === '' || isTemplateValue(value)) continue;
    const set = (name: ParameterName, v: string) => {
      if (v !== '') (t!.params as Record<string, ReadValue>)[name] = { value: v, line: n };
    };
    const v = value.toLowerCase();
    if (/^description$/.test(key)) {
      if (phase === 1) t.objects.descr = value;
    } else if (/^key exchange version$/.test(key)) set('ike-version', /auto/.test(v) ? 'ikev1, ikev2' : /2/.test(v) ? 'ikev2' : 'ikev1');
    else if (/^remote gateway$/.test(key)) t.peer = value;
    else if (/^authentication method$/.test(key)) set('auth', /psk|pre-?shared/.test(v) ? 'psk' : 'cert');
    else if (/^negotiation mode$/.test(key)) set('ike-mode', /aggr/.test(v) ? 'aggressive' : 'main');
    else if (/^key length$/.test(key)) {
      keyLength = /(\d{3})/.exec(v)?.[1] ?? '';
      const enc = phase === 1 ? 'p1-encryption' : 'p2-encryption';
      const cur = t.params[enc];
      if (keyLength && cur && cur.value.startsWith('aes')) set(enc, normEncryption(`aes${keyLength}`));
    } else if (/^(encryption )?algorit?h?ms?$|^encryption algori\w*$/.test(key)) {
      const enc = normEncryption(/^aes$/.test(v) && keyLength ? `aes${keyLength}` : v.replace(/\s*bits?$/, '').replace(/\s+/g, ''));
      set(phase === 1 ? 'p1-encryption' : 'p2-encryption', enc);
    } else if (/^hash( algorithms?)?$/.test(key)) set(phase === 1 ? 'p1-integrity' : 'p2-integrity', normIntegrity(v));
    else if (/^dh (key )?group$/.test(key)) set('p1-dh', normDh(/^(\d+)/.exec(v)?.[1] ?? v));
    else if (/^pfs key group$/.test(key)) set('pfs', /off|none|disable/.test(v) ? 'off' : normDh(/^(\d+)/.exec(v)?.[1] ?? v));
    else if (/^life ?time$/.test(key)) {
      const secs = lifetimeSeconds(/^(\d+)/.exec(v)?.[1] ?? v);
      if (secs !== null) set(phase === 1 ? 'p1-lifetime' : 'p2-lifetime', String(secs));
    } else if (/^nat traversal$/.test(key)) set('nat-t', /disable|off/.test(v) ? 'off' : 'on');
    else if (/^de+d peer detection$|^dpd$/.test(key))
      set('dpd', /enable|on|check|yes/.test(v) && !/uncheck|disable/.test(v) ? 'on' : 'off');
    else if (/^protocol$/.test(key) && phase === 2) set('p2-protocol', /esp/.test(v) ? 'esp' : /ah/.test(v) ? 'ah' : v);
    else if (/^mode$/.test(key)) {
      phase = 2;
      set('p2-mode', /tunnel/.test(v) ? 'tunnel' : /vti|routed/.test(v) ? 'tunnel' : /transport/.test(v) ? 'transport' : v);
    } else if (/^local network$/.test(key)) {
      local = value.replace(/^type\s*:\s*/i, '');
      selectorLine ??= n;
    } else if (/^remote network$/.test(key)) {
      remote = value.replace(/^type\s*:\s*/i, '');
      selectorLine ??= n;
    }
  }
  finish();
  return tunnels.filter((x) => Object.keys(x.params).length > 0);
}

export const pfsenseGuiText: ConfigParser = {
  id: 'pfsense-gui-text',
  vendor: 'pfsense',
  format: 'pfsense-gui-text',
  detect(head) {
    if (/Go to VPN\s*-+>\s*IPsec/i.test(head) && /Phase ?1/i.test(head)) return 0.97;
    const fields = [
      /Key Exchange version/i,
      /PFS key group/i,
      /DH (key )?Group/i,
      /Negotiation mode/i,
      /Max failures|Dead Peer Detection/i,
    ];
    return /pfsense/i.test(head) && fields.filter((re) => re.test(head)).length >= 3 ? 0.9 : 0;
  },
  parse: (text) => ({ vendor: 'pfsense', format: 'pfsense-gui-text', tunnels: parseGuiText(text) }),
  defaults: PFSENSE_DEFAULTS,
  fix: pfsenseFix('pfSense'),
};
