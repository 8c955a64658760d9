/**
 * Terraform `resource "aws_vpn_connection"`: a small reader of that block only (no HCL library works
 * offline here): `tunnelN_*` arguments, lists in brackets, comments and `var.`/`${}` references ignored.
 */
import type { ParameterName } from '../../../knowledge/schema.js';
import { lifetimeSeconds, list, normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel, ReadValue } from '../model.js';

const REF = 'AWS Site-to-Site VPN User Guide, "Tunnel options for your Site-to-Site VPN connection" (defaults)';
export const AWS_TUNNEL_DEFAULTS: DefaultsTable = {
  'ike-version': { value: 'ikev1, ikev2', source: `${REF}: IKE versions ikev1, ikev2` },
  'ike-mode': { value: 'main', source: `${REF}: main mode` },
  auth: { value: 'psk', source: `${REF}: pre-shared key` },
  'p1-encryption': {
    value: 'aes128, aes256, aes128gcm, aes256gcm',
    source: `${REF}: phase 1 encryption AES128, AES256, AES128-GCM-16, AES256-GCM-16`,
  },
  'p1-integrity': { value: 'sha1, sha256, sha384, sha512', source: `${REF}: phase 1 integrity SHA1, SHA2-256, SHA2-384, SHA2-512` },
  'p1-dh': { value: '2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24', source: `${REF}: phase 1 DH groups 2, 14-24` },
  'p1-lifetime': { value: '28800', source: `${REF}: phase 1 lifetime 28,800 seconds` },
  'p2-protocol': { value: 'esp', source: `${REF}: ESP` },
  'p2-mode': { value: 'tunnel', source: `${REF}: tunnel mode` },
  'p2-encryption': {
    value: 'aes128, aes256, aes128gcm, aes256gcm',
    source: `${REF}: phase 2 encryption AES128, AES256, AES128-GCM-16, AES256-GCM-16`,
  },
  'p2-integrity': { value: 'sha1, sha256, sha384, sha512', source: `${REF}: phase 2 integrity SHA1, SHA2-256, SHA2-384, SHA2-512` },
  pfs: { value: '2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24', source: `${REF}: phase 2 DH groups 2, 5, 14-24` },
  'p2-lifetime': { value: '3600', source: `${REF}: phase 2 lifetime 3,600 seconds` },
  dpd: { value: 'on', source: `${REF}: DPD timeout 30 seconds` },
  'nat-t': { value: 'on', source: `${REF}: NAT-T supported` },
};

/** The text between the braces of each `resource "aws_vpn_connection" "name" {`, with its first line number. */
function blocks(text: string): { name: string; body: string; line: number }[] {
  const out: { name: string; body: string; line: number }[] = [];
  const re = /resource\s+"aws_vpn_connection"\s+"([^"]+)"\s*\{/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    let depth = 1;
    let i = re.lastIndex;
    let inStr = false;
    for (; i < text.length && depth > 0; i++) {
      const c = text[i];
      if (c === '"' && text[i - 1] !== '\\') inStr = !inStr;
      else if (!inStr && c === '{') depth++;
      else if (!inStr && c === '}') depth--;
    }
    out.push({ name: m[1]!, body: text.slice(re.lastIndex, i - 1), line: text.slice(0, re.lastIndex).split('\n').length });
  }
  return out;
}

function parseTf(text: string): ParsedTunnel[] {
  const tunnels: ParsedTunnel[] = [];
  for (const b of blocks(text)) {
    const per: [Partial<Record<ParameterName, ReadValue>>, Partial<Record<ParameterName, ReadValue>>] = [{}, {}];
    const common: Partial<Record<ParameterName, ReadValue>> = {};
    let local = '';
    let remote = '';
    let selLine = 0;
    const lines = b.body.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const n = b.line + i;
      const body = lines[i]!.replace(/\s(#|\/\/).*$/, '')
        .replace(/^\s*(#|\/\/).*$/, '')
        .trim();
      const kv = /^([a-z0-9_]+)\s*=\s*(.+)$/.exec(body);
      if (!kv) continue;
      const [, key, raw] = kv as unknown as [string, string, string];
      if (/(^|[^"\w])(var|local|module|data)\.|\$\{|\{\{/.test(raw)) continue;
      const values = raw.startsWith('[') ? [...raw.matchAll(/"([^"]*)"|(\d+)/g)].map((x) => x[1] ?? x[2]!) : [raw.replace(/^"|"$/g, '')];
      if (key === 'local_ipv4_network_cidr' || key === 'remote_ipv4_network_cidr') {
        if (key === 'local_ipv4_network_cidr') local = values[0]!;
        else remote = values[0]!;
        selLine ||= n;
      }
      const t = /^tunnel([12])_(.+)$/.exec(key);
      if (!t) continue;
      const target = per[Number(t[1]) - 1]!;
      const set = (k: ParameterName, v: string) => {
        if (v !== '') target[k] = { value: v, line: n };
      };
      switch (t[2]) {
        case 'ike_versions':
          set('ike-version', list(values.map((v) => v.toLowerCase())));
          break;
        case 'phase1_encryption_algorithms':
          set('p1-encryption', list(values.map((v) => normEncryption(v))));
          break;
        case 'phase2_encryption_algorithms':
          set('p2-encryption', list(values.map((v) => normEncryption(v))));
          break;
        case 'phase1_integrity_algorithms':
          set('p1-integrity', list(values.map(normIntegrity)));
          break;
        case 'phase2_integrity_algorithms':
          set('p2-integrity', list(values.map(normIntegrity)));
          break;
        case 'phase1_dh_group_numbers':
          set('p1-dh', list(values.map(normDh)));
          break;
        case 'phase2_dh_group_numbers':
          set('pfs', list(values.map(normDh)));
          break;
        case 'phase1_lifetime_seconds':
          set('p1-lifetime', String(lifetimeSeconds(values[0]!) ?? values[0]));
          break;
        case 'phase2_lifetime_seconds':
          set('p2-lifetime', String(lifetimeSeconds(values[0]!) ?? values[0]));
          break;
      }
    }
    if (local || remote) common['traffic-selectors'] = { value: `${local || '0.0.0.0/0'} <=> ${remote || '0.0.0.0/0'}`, line: selLine };
    per.forEach((p, i) =>
      tunnels.push({ name: `${b.name}.tunnel${i + 1}`, params: { ...common, ...p }, objects: { resource: b.name, tunnel: String(i + 1) } }),
    );
  }
  return tunnels;
}

const TF_ENC: Record<string, string> = { aes128: 'AES128', aes256: 'AES256', aes128gcm: 'AES128-GCM-16', aes256gcm: 'AES256-GCM-16' };
const TF_INT: Record<string, string> = { sha1: 'SHA1', sha256: 'SHA2-256', sha384: 'SHA2-384', sha512: 'SHA2-512' };

function tfFix(t: ParsedTunnel, target: FixTarget): string[] | null {
  const p = `tunnel${t.objects.tunnel}_`;
  const v = target.value;
  const lines: Partial<Record<ParameterName, string>> = {
    'ike-version': `${p}ike_versions = ["${v}"]`,
    'p1-encryption': `${p}phase1_encryption_algorithms = ["${TF_ENC[v] ?? v}"]`,
    'p2-encryption': `${p}phase2_encryption_algorithms = ["${TF_ENC[v] ?? v}"]`,
    'p1-integrity': `${p}phase1_integrity_algorithms = ["${TF_INT[v] ?? v}"]`,
    'p2-integrity': `${p}phase2_integrity_algorithms = ["${TF_INT[v] ?? v}"]`,
    'p1-dh': `${p}phase1_dh_group_numbers = [${v}]`,
    pfs: `${p}phase2_dh_group_numbers = [${v}]`,
    'p1-lifetime': `${p}phase1_lifetime_seconds = ${v}`,
    'p2-lifetime': `${p}phase2_lifetime_seconds = ${v}`,
    dpd: `${p}dpd_timeout_action = "restart"`,
  };
  const l = lines[target.name];
  return l ? [`resource "aws_vpn_connection" "${t.objects.resource}" {`, `  ${l}`, '}'] : null;
}

export const terraformAws: ConfigParser = {
  id: 'terraform-aws-vpn',
  vendor: 'aws',
  format: 'terraform',
  detect: (head) => (/resource\s+"aws_vpn_connection"/.test(head) ? 0.9 : 0),
  parse: (text) => ({ vendor: 'aws', format: 'terraform', tunnels: parseTf(text) }),
  defaults: AWS_TUNNEL_DEFAULTS,
  fix(t, target) {
    const lines = tfFix(t, target);
    return lines ? { platform: 'Terraform (aws_vpn_connection)', kind: 'config', lines } : null;
  },
};
