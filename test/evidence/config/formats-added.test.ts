import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeConfigText, type ConfigAnalysis } from '../../../src/evidence/config/index.js';

const DIR = join(import.meta.dirname, '../../fixtures/evidence/configs');
const read = (path: string): ConfigAnalysis => {
  const doc = analyzeConfigText(readFileSync(path, 'utf8'));
  if (!doc) throw new Error(`${path} was not read as a configuration`);
  return doc;
};
const fixture = (name: string) => read(join(DIR, name));
const inline = (name: string) => read(join(import.meta.dirname, 'inline', name));
const get = (doc: ConfigAnalysis, tunnel: number, name: string) =>
  doc.parameters.find((p) => p.tunnel === doc.tunnels[tunnel]!.name && p.name === name);

describe('pfSense settings pasted as GUI text', () => {
  it('reads the walk-through AWS sends for pfSense, one tunnel per phase-1 entry', () => {
    const doc = fixture('pfsense-aws-gui-walkthrough.txt');
    expect([doc.vendor, doc.format]).toEqual(['pfsense', 'pfsense-gui-text']);
    expect(doc.tunnels.map((t) => t.name)).toEqual(['Tunnel #1', 'Tunnel #2']);
    expect(get(doc, 0, 'p1-lifetime')).toMatchObject({ value: '28800', default: false, verdict: 'ok' });
    expect(get(doc, 1, 'p2-lifetime')).toMatchObject({ value: '3600', verdict: 'ok' });
    expect(get(doc, 0, 'pfs')?.line?.text).toBe('d. PFS key group :   2');
    // the pre-shared key line is never quoted; no parameter points at it
    expect(JSON.stringify(doc)).not.toContain('plain-text-password1');
  });

  it('judges a switched-off PFS and DPD as missing and writes the GUI field to change', () => {
    const doc = fixture('mut-pfsense-gui-dh21-pfs-off-dpd-off.txt');
    expect(get(doc, 0, 'pfs')).toMatchObject({ value: 'off', verdict: 'missing' });
    expect(get(doc, 0, 'pfs')?.fix?.lines).toEqual(['Phase 2 > PFS key group: 14']);
    expect(get(doc, 0, 'dpd')).toMatchObject({ value: 'off', verdict: 'missing' });
    expect(get(doc, 0, 'p1-dh')).toMatchObject({ value: '21', verdict: 'unsupported' });
    expect(get(doc, 1, 'pfs')?.verdict).toBe('ok');
    expect(doc.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['dpd-disabled', 'pfs-mismatch']));
  });

  it('reads the two-column table form of the same fields', () => {
    const doc = inline('pfsense-gui-table-devto.md');
    expect(doc.format).toBe('pfsense-gui-text');
    expect(get(doc, 0, 'ike-version')?.value).toBe('ikev2');
    expect(get(doc, 0, 'p1-encryption')?.value).toBe('aes128');
    expect(get(doc, 0, 'p1-dh')?.value).toBe('14');
    expect(get(doc, 0, 'p2-mode')?.value).toBe('tunnel');
  });
});

describe('Azure PowerShell scripts with several policies', () => {
  it('reads each New-AzIpsecPolicy into the connection that uses it', () => {
    const doc = fixture('azure-powershell-msdocs-two-policies.ps1');
    expect(doc.tunnels.map((t) => t.name)).toEqual(['VNet1toSite6', 'VNet1toVNet2']);
    expect(get(doc, 0, 'pfs')).toMatchObject({ value: 'off', verdict: 'missing' });
    expect(get(doc, 0, 'p1-dh')?.value).toBe('24');
    expect(get(doc, 1, 'pfs')).toMatchObject({ value: '14', verdict: 'ok' });
    expect(get(doc, 1, 'p2-encryption')).toMatchObject({ value: 'aes128gcm', verdict: 'unsupported' });
    // a PowerShell script is fixed in PowerShell, keeping the policy's acceptable members
    expect(get(doc, 1, 'p2-lifetime')?.fix).toEqual({
      platform: 'Azure PowerShell (Az module)',
      kind: 'cli',
      lines: [
        '$policy = New-AzIpsecPolicy -IkeEncryption AES128 -IkeIntegrity SHA1 -DhGroup DHGroup14 `',
        '  -IpsecEncryption AES256 -IpsecIntegrity SHA256 -PfsGroup PFS2048 `',
        '  -SALifeTimeSeconds 3600 -SADataSizeKilobytes 102400000',
        '$connection = Get-AzVirtualNetworkGatewayConnection -Name VNet1toVNet2 -ResourceGroupName <RG>',
        'Set-AzVirtualNetworkGatewayConnection -VirtualNetworkGatewayConnection $connection -IpsecPolicies $policy',
      ],
    });
  });

  it('reads the older AzureRM cmdlet names and a policy applied to an existing connection', () => {
    const script = [
      '$Connection16 = "VNet1toSite6"',
      '$connection6  = Get-AzureRmVirtualNetworkGatewayConnection -Name $Connection16 -ResourceGroupName $RG1',
      '$newpolicy6 = New-AzureRmIpsecPolicy -IkeEncryption AES128 -IkeIntegrity SHA1 -DhGroup DHGroup14 `',
      '  -IpsecEncryption AES256 -IpsecIntegrity SHA256 -PfsGroup PFS24 -SALifeTimeSeconds 3600',
      'Set-AzureRmVirtualNetworkGatewayConnection -VirtualNetworkGatewayConnection $connection6 -IpsecPolicies $newpolicy6',
    ].join('\n');
    const doc = analyzeConfigText(script)!;
    expect(doc.tunnels.map((t) => t.name)).toEqual(['VNet1toSite6']);
    expect(get(doc, 0, 'pfs')).toMatchObject({ value: '24', verdict: 'ok', line: { n: 4 } });
    expect(get(doc, 0, 'p2-lifetime')?.verdict).toBe('risk');
  });
});

describe('Cisco FTD (FMC-deployed LINA configuration)', () => {
  it('is read by the ASA reader but fixed in FMC, not on the CLI', () => {
    const doc = inline('ftd-fmc-deployed-ikev2.txt');
    expect([doc.vendor, doc.format]).toEqual(['cisco-ftd', 'ftd-lina']);
    expect(doc.tunnels).toEqual([{ name: 'CSM_outside_map 1', peer: '203.0.113.10' }]);
    expect(get(doc, 0, 'p2-encryption')).toMatchObject({ value: 'aes256', verdict: 'ok' });
    expect(get(doc, 0, 'p1-dh')).toMatchObject({ value: '21', verdict: 'unsupported' });
    expect(get(doc, 0, 'p1-dh')?.fix).toEqual({
      platform: 'Cisco FMC (deploys to the FTD)',
      kind: 'config',
      lines: ['Objects > Object Management > VPN > IKEv2 Policy > (policy 10) > Diffie-Hellman Group: 14'],
    });
    expect(get(doc, 0, 'p2-lifetime')?.fix?.lines).toEqual([
      'Devices > VPN > Site To Site > (topology with peer 203.0.113.10) > IPsec > Lifetime Duration: 3600 seconds',
    ]);
    expect(get(doc, 0, 'traffic-selectors')?.verdict).toBe('violation');
    // the same text without the FTD markers is an ASA, fixed on its CLI
    const asa = analyzeConfigText(
      readFileSync(join(import.meta.dirname, 'inline', 'ftd-fmc-deployed-ikev2.txt'), 'utf8')
        .replace(/^(NGFW Version|:).*\n/gm, '')
        .replaceAll('CSM_', 'VPN_'),
    )!;
    expect(asa.vendor).toBe('cisco-asa');
    expect(asa.parameters.find((p) => p.name === 'p1-dh')?.fix?.lines).toEqual(['crypto ikev2 policy 10', ' group 14']);
  });
});

describe('Cisco Meraki non-Meraki VPN peers (Dashboard API JSON)', () => {
  it('reads each peer and writes the fix as the dashboard field and the API key', () => {
    const doc = fixture('meraki-api-docs-thirdparty-peers.json');
    expect([doc.vendor, doc.format]).toEqual(['meraki', 'meraki-json']);
    expect(doc.tunnels).toEqual([{ name: 'Peer Name', peer: '123.123.123.1' }]);
    expect(get(doc, 0, 'p1-encryption')).toMatchObject({ value: '3des', verdict: 'violation', line: { n: 14 } });
    expect(get(doc, 0, 'pfs')?.fix?.lines[1]).toMatch(/"ipsecPolicies": \{ "childPfsGroup": \["group14"\] \}$/);
    expect(get(doc, 0, 'p2-lifetime')?.fix?.lines[1]).toMatch(/"childLifetime": 3600 \}$/);
    expect(get(doc, 0, 'traffic-selectors')?.verdict).toBe('violation');
    expect(JSON.stringify(doc)).not.toMatch(/"secret"/);
  });

  it('finds the peers JSON inside a pasted script and applies the Default preset where the peer has no policy', () => {
    const script = [
      'import requests',
      'payload = """',
      '{"peers": [{"name": "HQ", "publicIp": "198.51.100.7", "privateSubnets": ["10.0.0.0/8"], "ikeVersion": "2",',
      '  "ipsecPolicies": {"ikeCipherAlgo": ["aes256"], "ikeAuthAlgo": ["sha256"], "ikeDiffieHellmanGroup": ["group14"],',
      '  "ikeLifetime": 28800, "childCipherAlgo": ["aes256"], "childAuthAlgo": ["sha256"], "childPfsGroup": ["group14"], "childLifetime": 3600}},',
      ' {"name": "Branch", "publicIp": "198.51.100.8", "privateSubnets": ["172.16.0.0/12"], "ipsecPolicies": {"childCipherAlgo": ["aes128"]}}]}',
      '"""',
      'requests.put(url, data=payload)',
    ].join('\n');
    const doc = analyzeConfigText(script)!;
    expect(doc.tunnels.map((t) => t.name)).toEqual(['HQ', 'Branch']);
    expect(get(doc, 0, 'p2-lifetime')).toMatchObject({ value: '3600', verdict: 'risk' });
    expect(get(doc, 1, 'p1-encryption')).toMatchObject({ value: '3des', default: true, verdict: 'violation' });
    expect(get(doc, 1, 'pfs')).toMatchObject({ value: 'off', default: true, verdict: 'missing' });
  });
});

describe('OPNsense 23+ IPsec Connections (Swanctl section of config.xml)', () => {
  it('ties locals, remotes and children to their connection by uuid and judges them as swanctl would', () => {
    const doc = fixture('opnsense-swanctl-agent-test.xml');
    expect([doc.vendor, doc.format]).toEqual(['opnsense', 'opnsense-swanctl-xml']);
    expect(doc.tunnels).toEqual([
      { name: 'opn1-opn2', peer: '10.21.7.101' },
      { name: 'other-tunnel', peer: '2.2.2.2' },
    ]);
    expect(get(doc, 0, 'dpd')).toMatchObject({ value: 'on', line: { n: 10, text: '<dpd_delay>10</dpd_delay>' } });
    expect(get(doc, 1, 'dpd')).toMatchObject({ value: 'off', default: true, verdict: 'missing' });
    expect(get(doc, 1, 'dpd')?.fix?.lines).toEqual(['VPN > IPsec > Connections > other-tunnel > DPD delay (s): 10']);
    expect(get(doc, 1, 'p2-encryption')).toMatchObject({ value: 'aes128', line: { n: 28 } });
    expect(get(doc, 0, 'pfs')?.fix?.lines).toEqual([
      'VPN > IPsec > Connections > opn1-opn2 > Children > C1 > ESP proposals: aes256-sha256-modp2048',
    ]);
    expect(JSON.stringify(doc)).not.toContain('OPNSENSE_SECRET_PSK_VALUE');
  });

  it('reads IKE version, aggressive mode and child rekey time', () => {
    const doc = fixture('mut-opnsense-swanctl-aggressive-p2-28800.xml');
    expect(get(doc, 0, 'ike-mode')).toMatchObject({ value: 'aggressive', verdict: 'violation' });
    expect(get(doc, 0, 'ike-mode')?.fix?.lines).toEqual(['VPN > IPsec > Connections > opn1-opn2 > Aggressive: unchecked']);
    expect(get(doc, 0, 'p2-lifetime')?.fix?.lines).toEqual([
      'VPN > IPsec > Connections > opn1-opn2 > Children > C1 > Rekey time (s): 3600',
    ]);
  });
});

describe('Check Point VPN communities (Management API)', () => {
  it('reads mgmt_cli commands across continuation lines and fixes with mgmt_cli set', () => {
    const doc = fixture('checkpoint-mgmt-cli-star-community.sh');
    expect([doc.vendor, doc.format]).toEqual(['checkpoint', 'checkpoint-mgmt-api']);
    expect(doc.tunnels.map((t) => t.name)).toEqual(['cl1_cl2_community']);
    expect(get(doc, 0, 'p1-dh')).toMatchObject({ value: '20', verdict: 'unsupported', line: { n: 15 } });
    expect(get(doc, 0, 'p1-dh')?.fix?.lines).toEqual([
      'mgmt_cli set vpn-community-star name "cl1_cl2_community" ike-phase-1.diffie-hellman-group "group-14"',
      'mgmt_cli publish',
    ]);
    // the API's default IKE rekey time is 1440 minutes; the fix is written in minutes too
    expect(get(doc, 0, 'p1-lifetime')).toMatchObject({ value: '86400', default: true, verdict: 'violation' });
    expect(get(doc, 0, 'p1-lifetime')?.fix?.lines[0]).toMatch(/ike-phase-1\.ike-p1-rekey-time 480$/);
    expect(get(doc, 0, 'dpd')?.fix?.lines[0]).toMatch(/tunnel_keepalive_method: dpd$/);
  });

  it('reads the JSON a show/set-vpn-community call returns, minutes and seconds as the API means them', () => {
    const doc = fixture('checkpoint-api-set-vpn-community-star-reply.json');
    expect(get(doc, 0, 'p1-lifetime')).toMatchObject({ value: '86400', default: false, line: { n: 38 } });
    expect(get(doc, 0, 'p2-lifetime')).toMatchObject({ value: '3600', verdict: 'risk' });
    expect(get(doc, 0, 'p2-encryption')).toMatchObject({ value: 'aes128gcm', verdict: 'unsupported' });
    // AES-GCM has no separate integrity algorithm: neither the stated sha384 nor a default is judged
    expect(get(doc, 0, 'p2-integrity')).toBeUndefined();
    expect(get(doc, 0, 'pfs')).toMatchObject({ value: 'off', verdict: 'missing' });
  });
});

describe('Azure script replacing a connection policy', () => {
  it('lists each policy once, under distinct names', () => {
    const script = [
      '$Connection16 = "VNet1toSite6"',
      '$ipsecpolicy6 = New-AzIpsecPolicy -IkeEncryption AES256 -IkeIntegrity SHA256 -DhGroup DHGroup14 -IpsecEncryption AES256 -IpsecIntegrity SHA256 -PfsGroup PFS2048 -SALifeTimeSeconds 3600',
      'New-AzVirtualNetworkGatewayConnection -Name $Connection16 -ResourceGroupName $RG1 -IpsecPolicies $ipsecpolicy6',
      '$connection6 = Get-AzVirtualNetworkGatewayConnection -Name $Connection16 -ResourceGroupName $RG1',
      '$newpolicy6 = New-AzIpsecPolicy -IkeEncryption AES128 -IkeIntegrity SHA1 -DhGroup DHGroup14 -IpsecEncryption AES256 -IpsecIntegrity SHA256 -PfsGroup None -SALifeTimeSeconds 14400',
      'Set-AzVirtualNetworkGatewayConnection -VirtualNetworkGatewayConnection $connection6 -IpsecPolicies $newpolicy6',
    ].join('\n');
    const doc = analyzeConfigText(script)!;
    expect(doc.tunnels.map((t) => t.name)).toEqual(['VNet1toSite6', 'VNet1toSite6 ($newpolicy6)']);
    expect(get(doc, 1, 'p1-encryption')).toMatchObject({ value: 'aes128', line: { n: 5 } });
    expect(get(doc, 1, 'pfs')?.verdict).toBe('missing');
    expect(get(doc, 1, 'p2-lifetime')?.fix?.lines[3]).toContain('-Name VNet1toSite6 ');
  });
});
