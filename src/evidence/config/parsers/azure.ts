/**
 * Azure VPN gateway connection IPsec/IKE policy, as the `az network vpn-connection ipsec-policy add` CLI,
 * the PowerShell `New-AzIpsecPolicy` / `New-AzVirtualNetworkGatewayConnection` cmdlets, ARM/REST JSON
 * (`ipsecPolicies`), or Terraform `azurerm_virtual_network_gateway_connection` `ipsec_policy` blocks.
 */
import type { ParameterName } from '../../../knowledge/schema.js';
import { normDh, normEncryption, normIntegrity } from '../algorithms.js';
import type { ConfigParser, DefaultsTable, FixTarget, ParsedTunnel, ReadValue } from '../model.js';
import { isTemplateValue } from '../text.js';

const REF = 'Azure VPN Gateway docs, "About cryptographic requirements and Azure VPN gateways" (default policy)';
export const AZURE_DEFAULTS: DefaultsTable = {
  'ike-version': { value: 'ikev2', source: 'Azure VPN Gateway connection: ConnectionProtocol default IKEv2' },
  'ike-mode': { value: 'main', source: `${REF}: IKEv1 main mode` },
  auth: { value: 'psk', source: 'Azure site-to-site connections authenticate with a shared key' },
  'p1-lifetime': { value: '28800', source: `${REF}: IKE SA lifetime 28,800 seconds (fixed)` },
  'p2-lifetime': { value: '27000', source: `${REF}: IPsec SA (quick mode) lifetime 27,000 seconds` },
  'p2-protocol': { value: 'esp', source: `${REF}: ESP` },
  'p2-mode': { value: 'tunnel', source: `${REF}: tunnel mode` },
  dpd: { value: 'on', source: 'Azure VPN Gateway connection: DPD timeout default 45 seconds' },
  'nat-t': { value: 'on', source: 'Azure VPN Gateway accepts NAT-T (UDP 4500)' },
  'traffic-selectors': {
    value: '0.0.0.0/0 <=> 0.0.0.0/0',
    source: 'Azure route-based gateways negotiate any-to-any selectors unless usePolicyBasedTrafficSelectors is set',
  },
};

/** Key spellings across CLI flags, PowerShell parameters, JSON and Terraform, squashed to one form. */
const KEYS: Record<string, ParameterName | 'version' | 'policyBased' | 'dpdTimeout'> = {
  dhgroup: 'p1-dh',
  ikeencryption: 'p1-encryption',
  ikeintegrity: 'p1-integrity',
  ipsecencryption: 'p2-encryption',
  ipsecintegrity: 'p2-integrity',
  pfsgroup: 'pfs',
  salifetime: 'p2-lifetime',
  salifetimeseconds: 'p2-lifetime',
  connectionprotocol: 'version',
  vpnconnectionprotocoltype: 'version',
  usepolicybasedtrafficselectors: 'policyBased',
  policybasedts: 'policyBased',
  dpdtimeoutseconds: 'dpdTimeout',
};

type Params = Partial<Record<ParameterName, ReadValue>>;

/** One statement's parameters read into `params` (the caller decides whose they are). */
function readKeys(line: string, n: number, params: Params, policyBased: { at: { v: string; n: number } | null }): void {
  for (const m of line.matchAll(/(?:--|-|")?([A-Za-z][\w-]*)"?\s*(?:[:=]\s*|\s+)("[^"]*"|'[^']*'|\$?[\w.-]+)/g)) {
    const key = m[1]!.toLowerCase().replace(/[-_]/g, '');
    const which = KEYS[key];
    if (!which) continue;
    const value = m[2]!.replace(/^["']|["']$/g, '').replace(/^\$/, '');
    if (isTemplateValue(value) || /^var\./.test(value)) continue;
    if (which === 'version') params['ike-version'] = { value: value.toLowerCase(), line: n };
    else if (which === 'policyBased') policyBased.at = { v: value.toLowerCase(), n };
    else if (which === 'dpdTimeout') params.dpd = { value: Number(value) > 0 ? 'on' : 'off', line: n };
    else if (which === 'p1-encryption' || which === 'p2-encryption') params[which] = { value: normEncryption(value), line: n };
    else if (which === 'p1-integrity' || which === 'p2-integrity') {
      // GCM integrity names only mirror the GCM cipher: no separate integrity algorithm
      if (!/gcm/i.test(value)) params[which] = { value: normIntegrity(value), line: n };
    } else if (which === 'p1-dh' || which === 'pfs') params[which] = { value: normDh(value), line: n };
    else if (which === 'p2-lifetime') params[which] = { value, line: n };
  }
}

/** `$var = New-AzIpsecPolicy ...` (Az and the older AzureRM module): a policy a script builds for later use. */
const POLICY_ASSIGN = /\$([\w]+)\s*=\s*New-Az(?:ureRm)?IpsecPolicy\b/i;
/** `-IpsecPolicies $var` / `-IpSecPolicy $var`: a connection statement that uses a policy variable. */
const POLICY_USE = /-IpsecPolic(?:ies|y)\s+(?:@\(\s*)?\$([\w]+)/i;

/**
 * A script may build several policies (one per connection): each `$var = New-AzIpsecPolicy` is read into
 * its own tunnel, named after the connection that uses it (`-IpsecPolicies $var`); settings outside any
 * policy (connection protocol, DPD timeout, policy-based selectors) apply to every tunnel.
 */
function parseAzure(text: string): ParsedTunnel[] {
  // a PowerShell script gets its fixes in PowerShell; the CLI, JSON and Terraform forms in az CLI
  const form = /New-Az(?:ureRm)?IpsecPolicy|-Az(?:ureRm)?VirtualNetworkGatewayConnection\b/i.test(text) ? 'powershell' : 'cli';
  const shared: Params = {};
  const policies = new Map<string, Params>();
  const perConnection = new Map<string, Params>();
  const connectionOf = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  // `$Connection16 = "VNet1toSite6"` and `$conn = Get-AzVirtualNetworkGatewayConnection -Name $Connection16`:
  // names a script keeps in variables
  const vars = new Map<string, string>();
  const resolve = (v: string): string => (v.startsWith('$') ? (vars.get(v.slice(1).toLowerCase()) ?? v.slice(1)) : v);
  let name = 'connection';
  const policyBased: { at: { v: string; n: number } | null } = { at: null };
  // PowerShell continues a statement on the next line after a trailing backtick
  let continued: Params | null = null;
  for (let i = 0; i < lines.length; i++) {
    // `--set key=value` (az ... update) names the property after the flag
    const line = lines[i]!.replace(/(^|\s)(#|\/\/).*$/, '').replace(/--set\s+/g, '');
    const n = i + 1;
    let target: Params = continued ?? shared;
    const assign = POLICY_ASSIGN.exec(line);
    const use = POLICY_USE.exec(line);
    const nm = /(?:--name|-Name|"name"\s*:|\bname\s*=)\s*["']?(\$?[\w.-]+)["']?/.exec(line);
    const literal = /^\s*\$(\w+)\s*=\s*["']([^"']+)["']\s*$/.exec(line);
    if (literal) vars.set(literal[1]!.toLowerCase(), literal[2]!);
    const got = /^\s*\$(\w+)\s*=\s*Get-Az(?:ureRm)?VirtualNetworkGatewayConnection\b/i.exec(line);
    if (got && nm) vars.set(got[1]!.toLowerCase(), resolve(nm[1]!));
    const connVar = /-VirtualNetworkGatewayConnection\s+\$(\w+)/i.exec(line);
    if (assign) {
      target = policies.get(assign[1]!) ?? {};
      policies.set(assign[1]!, target);
    } else if (use) {
      target = perConnection.get(use[1]!) ?? {};
      perConnection.set(use[1]!, target);
      if (nm && /connection/i.test(line)) connectionOf.set(use[1]!, resolve(nm[1]!));
      else if (connVar) connectionOf.set(use[1]!, resolve(`$${connVar[1]!}`));
    }
    if (nm && /connection|gateway|name/i.test(line) && name === 'connection' && !/ipsec-policy/.test(line) && !got) name = resolve(nm[1]!);
    readKeys(line, n, target, policyBased);
    continued = /`\s*$/.test(lines[i]!) ? target : null;
  }
  if (policyBased.at && /true|yes/.test(policyBased.at.v))
    shared['traffic-selectors'] = {
      value: 'policy-based selectors (one pair per local/remote prefix combination)',
      line: policyBased.at.n,
    };
  const named = [...policies.keys()].filter((v) => Object.keys(policies.get(v)!).length > 0);
  if (named.length <= 1) {
    const params = { ...shared, ...(named[0] ? perConnection.get(named[0]) : {}), ...(named[0] ? policies.get(named[0]) : {}) };
    const conn = (named[0] && connectionOf.get(named[0])) || name;
    return [{ name: conn, params, objects: { connection: conn, form } }];
  }
  // parameters are keyed by tunnel name: a connection given a second policy (a script replacing it) is
  // listed once per policy, each named after its variable
  const used = new Set<string>();
  return named.map((v) => {
    const conn = connectionOf.get(v) ?? v;
    const name = used.has(conn) ? `${conn} ($${v})` : conn;
    used.add(name);
    return { name, params: { ...shared, ...perConnection.get(v), ...policies.get(v) }, objects: { connection: conn, form } };
  });
}

const AZ_ENC: Record<string, string> = {
  aes128: 'AES128',
  aes256: 'AES256',
  aes192: 'AES192',
  aes128gcm: 'GCMAES128',
  aes256gcm: 'GCMAES256',
};
const AZ_INT: Record<string, string> = { sha1: 'SHA1', sha256: 'SHA256', sha384: 'SHA384', md5: 'MD5' };
const AZ_DH: Record<string, string> = {
  '2': 'DHGroup2',
  '14': 'DHGroup14',
  '24': 'DHGroup24',
  '19': 'ECP256',
  '20': 'ECP384',
  '1': 'DHGroup1',
};
const AZ_PFS: Record<string, string> = {
  '2': 'PFS2',
  '14': 'PFS2048',
  '24': 'PFS24',
  '19': 'ECP256',
  '20': 'ECP384',
  '1': 'PFS1',
  off: 'None',
};

function azureFix(t: ParsedTunnel, target: FixTarget) {
  if (target.name === 'dpd')
    return ['az network vpn-connection update --resource-group <RG> --name ' + t.objects.connection + ' --dpd-timeout-seconds 45'];
  if (target.name === 'ike-version')
    return ['az network vpn-connection update --resource-group <RG> --name ' + t.objects.connection + ' --connection-protocol IKEv2'];
  const cur = (k: ParameterName, d: string) => (target.name === k ? target.value : (t.params[k]?.value ?? d));
  const integ = (k: ParameterName, enc: string) => (/gcm/.test(enc) ? AZ_ENC[enc]! : (AZ_INT[cur(k, 'sha256')] ?? 'SHA256'));
  const ike = cur('p1-encryption', 'aes256');
  const esp = cur('p2-encryption', 'aes256');
  const pfs = cur('pfs', '14');
  if (t.objects.form === 'powershell')
    return [
      `$policy = New-AzIpsecPolicy -IkeEncryption ${AZ_ENC[ike] ?? 'AES256'} -IkeIntegrity ${integ('p1-integrity', ike)} -DhGroup ${AZ_DH[cur('p1-dh', '14')] ?? 'DHGroup14'} \``,
      `  -IpsecEncryption ${AZ_ENC[esp] ?? 'AES256'} -IpsecIntegrity ${integ('p2-integrity', esp)} -PfsGroup ${AZ_PFS[pfs === 'off' ? '14' : pfs] ?? 'PFS2048'} \``,
      `  -SALifeTimeSeconds ${cur('p2-lifetime', '3600')} -SADataSizeKilobytes 102400000`,
      `$connection = Get-AzVirtualNetworkGatewayConnection -Name ${t.objects.connection} -ResourceGroupName <RG>`,
      'Set-AzVirtualNetworkGatewayConnection -VirtualNetworkGatewayConnection $connection -IpsecPolicies $policy',
    ];
  return [
    `az network vpn-connection ipsec-policy add --resource-group <RG> --connection-name ${t.objects.connection} \\`,
    `  --ike-encryption ${AZ_ENC[ike] ?? 'AES256'} --ike-integrity ${integ('p1-integrity', ike)} --dh-group ${AZ_DH[cur('p1-dh', '14')] ?? 'DHGroup14'} \\`,
    `  --ipsec-encryption ${AZ_ENC[esp] ?? 'AES256'} --ipsec-integrity ${integ('p2-integrity', esp)} --pfs-group ${AZ_PFS[pfs === 'off' ? '14' : pfs] ?? 'PFS2048'} \\`,
    `  --sa-lifetime ${cur('p2-lifetime', '3600')} --sa-max-size 102400000`,
  ];
}

export const azure: ConfigParser = {
  id: 'azure-ipsec-policy',
  vendor: 'azure',
  format: 'azure-ipsec-policy',
  detect(head) {
    if (
      /az network vpn-connection (ipsec-policy|create)|New-Az(?:ureRm)?IpsecPolicy|New-Az(?:ureRm)?VirtualNetworkGatewayConnection/i.test(
        head,
      )
    )
      return 0.9;
    if (/"ipsecPolicies"\s*:/.test(head) || /"(ikeEncryption|ipsecEncryption|pfsGroup)"\s*:/.test(head)) return 0.85;
    if (/resource\s+"azurerm_virtual_network_gateway_connection"/.test(head) && /ipsec_policy\s*\{/.test(head)) return 0.85;
    return 0;
  },
  parse: (text) => ({ vendor: 'azure', format: 'azure-ipsec-policy', tunnels: parseAzure(text) }),
  defaults: AZURE_DEFAULTS,
  fix(t, target) {
    const lines = azureFix(t, target);
    const ps = t.objects.form === 'powershell' && lines?.[0]?.startsWith('$policy');
    return lines ? { platform: ps ? 'Azure PowerShell (Az module)' : 'Azure CLI', kind: 'cli', lines } : null;
  },
};
