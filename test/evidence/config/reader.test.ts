import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeConfigText, looksLikeConfig, type ConfigAnalysis } from '../../../src/evidence/config/index.js';
import { redactText } from '../../../src/evidence/redact.js';

const DIR = join(import.meta.dirname, '../../fixtures/evidence/configs');
const fixture = (name: string) => readFileSync(join(DIR, name), 'utf8');
const analyze = (name: string, against?: string): ConfigAnalysis => {
  const doc = analyzeConfigText(fixture(name), against === undefined ? {} : { against: fixture(against) });
  if (!doc) throw new Error(`${name} was not read as a configuration`);
  return doc;
};
const param = (doc: ConfigAnalysis, tunnel: number, name: string) =>
  doc.parameters.find((p) => p.tunnel === doc.tunnels[tunnel]!.name && p.name === name);

describe('recognising configurations', () => {
  it('claims configurations and leaves logs and prose alone', () => {
    expect(looksLikeConfig(fixture('fortigate-aws.txt'))).toBe(true);
    expect(looksLikeConfig(fixture('swanctl-test-ikev2-net2net-psk.conf'))).toBe(true);
    const log = [
      'Jan 12 10:00:01 gw charon: 10[IKE] initiating IKE_SA gw-gw[1] to 192.168.0.2',
      'Jan 12 10:00:01 gw charon: 10[ENC] generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) ]',
      'Jan 12 10:00:02 gw charon: 11[IKE] received AUTHENTICATION_FAILED notify error',
    ].join('\n');
    expect(looksLikeConfig(log)).toBe(false);
    expect(analyzeConfigText(log)).toBeNull();
    expect(analyzeConfigText('My tunnel drops every hour, what should I check?')).toBeNull();
  });
});

describe('secrets never reach the document', () => {
  it.each([
    ['fortigate-aws.txt', 'plain-text-password1'],
    ['juniper-srx-ibm-vsrx-hierarchical.conf', '$9$sO2JGjHqfQFiH0BRhrl'],
    ['terraform-aws-prisma.tf', 'Ain.dx5FIMYK_f5wTt6EoCLT.TrnAS'],
    ['pfsense-nantes-ikev2.xml', 'bc4b31bbe6ac6eba857a44b8941ed31389cdb6c678635384b676ae34'],
    ['aws-generic-fortigate-blog.txt', 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'],
  ])('%s', (file, secret) => {
    expect(fixture(file)).toContain(secret);
    expect(JSON.stringify(analyze(file))).not.toContain(secret);
  });

  it('keeps the keyword and blanks the value', () => {
    expect(redactText('crypto isakmp key s3cr3t address 1.2.3.4')).toBe('crypto isakmp key <redacted> address 1.2.3.4');
    expect(redactText('    set psksecret ENC AbCd==')).toBe('    set psksecret ENC <redacted>');
    expect(redactText(' ikev1 pre-shared-key plain-text-password1')).toBe(' ikev1 pre-shared-key <redacted>');
    expect(redactText('        shared-secret "Pa55word!"')).toBe('        shared-secret <redacted>');
    expect(redactText('  pre-shared-key address 1.1.1.1 key 9Aa9#A%X9AaAAAAAa')).toBe('  pre-shared-key address 1.1.1.1 key <redacted>');
    expect(redactText('add peer=aws secret=Sup3r auth-method=pre-shared-key')).toBe(
      'add peer=aws secret=<redacted> auth-method=pre-shared-key',
    );
    // settings pasted as GUI text: AWS's generic file, the pfSense walk-through, a Markdown table row
    expect(redactText('  - Pre-Shared Key           : plain-text-password1')).toBe('  - Pre-Shared Key           : <redacted>');
    expect(redactText(' e. Pre-Shared Key: plain text password')).toBe(' e. Pre-Shared Key: <redacted>');
    expect(redactText('|Pre-Shared Key|strong password key token|')).toBe('|Pre-Shared Key|<redacted>|');
  });
});

describe('reading', () => {
  it('ignores commented-out lines and template placeholders', () => {
    const text = [
      'conn office',
      '    keyexchange=ikev1',
      '    # lifetime=8h',
      '    lifetime=1h',
      '    right=${var.peer}',
      '    authby=secret',
    ].join('\n');
    const doc = analyzeConfigText(text)!;
    expect(doc.tunnels).toEqual([{ name: 'office' }]);
    expect(param(doc, 0, 'p2-lifetime')).toMatchObject({ value: '3600', line: { n: 4, text: 'lifetime=1h' } });
  });

  it('quotes the line each value came from', () => {
    const doc = analyze('juniper-srx-aws-set.txt');
    const p = param(doc, 0, 'p1-encryption')!;
    expect(p.line!.text).toBe('set security ike proposal ike-prop-vpn-44a8938f-1 encryption-algorithm aes-128-cbc');
    expect(fixture('juniper-srx-aws-set.txt').split('\n')[p.line!.n - 1]).toContain('encryption-algorithm aes-128-cbc');
  });

  it('applies and cites a vendor default where the configuration is silent', () => {
    const p = param(analyze('fortigate-batfish-ipsec-basic.conf'), 0, 'p2-lifetime')!;
    expect(p).toMatchObject({ value: '43200', default: true, verdict: 'violation', line: null });
    expect(p.defaultSource).toMatch(/keylifeseconds default 43200/);
  });

  it('gives a proposal list the verdict of its worst member', () => {
    const doc = analyzeConfigText(
      ['conn a', '    keyexchange=ikev1', '    authby=secret', '    ike=aes128-sha1-modp1024,3des-md5-modp1024!'].join('\n'),
    )!;
    expect(param(doc, 0, 'p1-encryption')).toMatchObject({ value: 'aes128, 3des', verdict: 'violation' });
    expect(param(doc, 0, 'p1-integrity')).toMatchObject({ value: 'sha1, md5', verdict: 'violation' });
  });

  it('marks AES-GCM, SHA-384 and DH 19-21 unsupported, not violations', () => {
    const doc = analyze('terraform-aws-klm.tf');
    expect(param(doc, 0, 'p1-integrity')!.verdict).toBe('unsupported');
    expect(param(doc, 0, 'p1-dh')!.verdict).toBe('unsupported');
  });
});

describe('fixes in the vendor syntax, built from the parsed object names', () => {
  it('FortiGate phase-2 lifetime', () => {
    expect(param(analyze('fortigate-batfish-ipsec-basic.conf'), 0, 'p2-lifetime')!.fix).toEqual({
      platform: 'FortiGate',
      kind: 'cli',
      lines: ['config vpn ipsec phase2-interface', '    edit "vpn-tunnel-1-p2"', '        set keylifeseconds 3600', '    next', 'end'],
    });
  });

  it('Junos phase-2 lifetime', () => {
    const fix = param(analyze('mut-junos-p2-lifetime-28800.txt'), 0, 'p2-lifetime')!.fix!;
    expect(fix.lines).toEqual(['set security ipsec proposal ipsec-prop-vpn-44a8938f-1 lifetime-seconds 3600']);
  });

  it('ASA PFS and transform set', () => {
    expect(param(analyze('mut-asa-pfs-off.txt'), 0, 'pfs')!.fix!.lines).toEqual(['crypto map amzn_vpn_map 1 set pfs group14']);
    expect(param(analyze('mut-asa-3des-md5.txt'), 0, 'p2-encryption')!.fix!.lines[0]).toMatch(
      /^crypto ipsec ikev1 transform-set transform-amzn esp-aes-256 /,
    );
  });

  it('IKEv2 with a 3600 s phase-2 lifetime is a risk, fixed with 3060 s', () => {
    const doc = analyze('vyos-azure-bgp-script.txt');
    const p = param(doc, 0, 'p2-lifetime')!;
    expect(p.verdict).toBe('risk');
    expect(p.fix!.lines).toContain('set vpn ipsec esp-group azure lifetime 3060');
    const f = doc.findings.find((x) => x.code === 'hourly-drop-risk')!;
    expect(f).toMatchObject({ severity: 'warning', topic: 'ikev2-hourly-drop', section: 'Tunnel drop every 60 minutes while using IKEv2' });
  });
});

describe('findings', () => {
  it('summarise the non-ok parameters with contract codes and the lines they rest on', () => {
    const doc = analyze('mut-strongswan-pfs-off.sh');
    const pfs = doc.findings.find((f) => f.code === 'pfs-mismatch')!;
    expect(pfs).toMatchObject({ severity: 'error', topic: 'phase2-ipsec-failure' });
    expect(pfs.lines.map((l) => l.text)).toContain('esp=aes128-sha1!');
    expect(pfs.steps[0]!.snippets![0]!.platform).toBe('strongSwan ipsec.conf');
    expect(doc.findings.map((f) => f.code)).toContain('traffic-selector-mismatch');
  });
});

describe('comparing with the file OutSystems sent', () => {
  it('lists the parameters that differ, and only those', () => {
    const doc = analyze('mut-fortigate-p2-lifetime-28800.txt', 'aws-generic-bgp.txt');
    expect(doc.against).toEqual({ vendor: 'aws', format: 'aws-generic' });
    const names = doc.differences!.map((d) => `${d.tunnel}:${d.name}`);
    expect(names).toEqual(['vpn-44a8938f-0:p2-lifetime', 'vpn-44a8938f-1:p2-lifetime']);
    expect(doc.differences![0]).toMatchObject({ device: '28800', outsystems: '3600' });
  });

  it('finds nothing to report when the device matches', () => {
    expect(analyze('fortigate-aws.txt', 'aws-generic-bgp.txt').differences).toEqual([]);
  });
});

describe('syntax variants outside the corpus (written for these tests)', () => {
  const inline = (name: string) => analyzeConfigText(readFileSync(join(import.meta.dirname, 'inline', name), 'utf8'))!;

  it('PAN-OS: several attributes on one set line', () => {
    const doc = inline('panos-one-line-attributes.txt');
    expect(param(doc, 0, 'p1-integrity')).toMatchObject({ value: 'sha384', verdict: 'unsupported' });
    expect(param(doc, 0, 'p1-dh')).toMatchObject({ value: '20', verdict: 'unsupported' });
    expect(param(doc, 0, 'p1-lifetime')!.value).toBe('28800');
    expect(param(doc, 0, 'p2-integrity')!.value).toBe('sha256');
  });

  it('Cisco IOS: IKEv2 proposal/profile with a VTI', () => {
    const doc = inline('ios-ikev2-vti.txt');
    expect(doc.tunnels).toEqual([{ name: 'Tunnel0', peer: '52.0.0.1' }]);
    expect(param(doc, 0, 'ike-version')!.value).toBe('ikev2');
    expect(param(doc, 0, 'p2-encryption')).toMatchObject({ value: 'aes256gcm', verdict: 'unsupported' });
    expect(param(doc, 0, 'pfs')).toMatchObject({ value: 'off', verdict: 'missing', default: true });
    expect(param(doc, 0, 'pfs')!.fix!.lines).toEqual(['crypto ipsec profile AZURE-IPSEC-PROFILE', ' set pfs group14']);
    expect(JSON.stringify(doc)).not.toContain('Sup3rS3cret');
  });

  it('Cisco ASA: IKEv2 crypto map with an ACL', () => {
    const doc = inline('asa-ikev2-cryptomap.txt');
    expect(param(doc, 0, 'p2-lifetime')).toMatchObject({ verdict: 'risk' });
    expect(param(doc, 0, 'p2-lifetime')!.fix!.lines).toEqual(['crypto map outside_map 1 set security-association lifetime seconds 3060']);
    expect(param(doc, 0, 'traffic-selectors')!.verdict).toBe('ok');
    expect(JSON.stringify(doc)).not.toContain('Secret123');
  });
});

describe('a fix that rewrites a whole proposal carries no other bad member over', () => {
  it('ASA transform set: replacing 3DES keeps no MD5, replacing MD5 keeps no 3DES', () => {
    const doc = analyze('mut-asa-3des-md5.txt');
    for (const name of ['p2-encryption', 'p2-integrity'])
      expect(param(doc, 0, name)!.fix!.lines).toEqual(['crypto ipsec ikev1 transform-set transform-amzn esp-aes-256 esp-sha256-hmac']);
  });

  it('swanctl: a new ESP proposal drops the unsupported group', () => {
    const lines = param(analyze('swanctl-test-ikev2-net2net-psk.conf'), 0, 'p2-encryption')!.fix!.lines;
    expect(lines).toContain('                esp_proposals = aes256-sha256-modp2048');
  });
});

describe('robustness', () => {
  it('reads Windows line endings the same way', () => {
    const text = fixture('fortigate-aws.txt');
    const summary = (d: ConfigAnalysis) => d.parameters.map((p) => `${p.tunnel} ${p.name}=${p.value}:${p.verdict}:${p.line?.n}`);
    expect(summary(analyzeConfigText(text.replace(/\n/g, '\r\n'))!)).toEqual(summary(analyze('fortigate-aws.txt')));
  });

  it.each([
    '%ASA-5-713041: IP = 203.0.113.5, IKE Initiator: New Phase 1, Intf outside, IKE Peer 203.0.113.5 local Proxy Address 10.1.0.0, remote Proxy Address 10.2.0.0, Crypto map (outside_map)',
    'date=2024-01-10 time=10:01:02 logid="0101037124" type="event" subtype="vpn" level="error" vd="root" action="negotiate" remip=203.0.113.5 status="negotiate_error" msg="IPsec phase 1 error"',
    'Jan 10 10:01:02 fw kmd[1234]: KMD_PM_SA_ESTABLISHED: Local gateway: 198.51.100.1, Remote gateway: 203.0.113.5',
    'Jan 10 10:01:02 gw pluto[812]: "westnet-eastnet" #1: initiating IKEv2 connection',
    '10:01:02 ipsec,error phase1 negotiation failed due to time up 198.51.100.1[500]<=>203.0.113.5[500]',
  ])('does not take a log line for a configuration: %s', (line) => {
    expect(looksLikeConfig(line)).toBe(false);
    expect(analyzeConfigText(line)).toBeNull();
  });
});

describe('SonicOS 7 nested proposals (written for this test)', () => {
  it('reads "proposal ike" / "proposal ipsec" blocks', () => {
    const doc = analyzeConfigText(readFileSync(join(import.meta.dirname, 'inline', 'sonicos7-nested-proposals.txt'), 'utf8'))!;
    expect(doc.vendor).toBe('sonicwall');
    expect(param(doc, 0, 'ike-version')!.value).toBe('ikev2');
    expect(param(doc, 0, 'pfs')).toMatchObject({ value: '14', verdict: 'ok' });
    expect(param(doc, 0, 'p2-lifetime')).toMatchObject({ value: '3600', verdict: 'risk' });
    expect(JSON.stringify(doc)).not.toContain('Pa55word!');
  });
});
