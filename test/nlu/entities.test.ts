import { describe, expect, it } from 'vitest';
import { entityFeatures, extractEntities } from '../../src/nlu/entities.js';

const e = extractEntities;

describe('IPv4 addresses and CIDRs', () => {
  it.each([
    ['ping 10.10.0.2 from 10.8.1.15', ['10.10.0.2', '10.8.1.15']],
    ['the peer is 203.0.113.10.', ['203.0.113.10']],
    ['%ASA-5-713904: IP = 52.18.4.9, Received', ['52.18.4.9']],
    ['sql on 192.168.5.20:1433', ['192.168.5.20']],
    ['ip 300.1.2.3 is not valid', []],
    ['version 7.4.2 of fortios', []],
    ['1.2.3.4.5 is not an address', []],
  ])('%s', (text, ips) => {
    expect(e(text).ipv4).toEqual(ips);
  });

  it('keeps CIDRs apart from plain addresses', () => {
    const r = e('we have 10.1.0.0/16 and 172.20.0.0/20, dns is 10.0.4.2');
    expect(r.cidrs).toEqual(['10.1.0.0/16', '172.20.0.0/20']);
    expect(r.ipv4).toEqual(['10.0.4.2']);
  });

  it.each([
    ['0.0.0.0/0 as local selector', ['0.0.0.0/0']],
    ['moved from 10.1.0.0/16 to 10.50.0.0/16', ['10.1.0.0/16', '10.50.0.0/16']],
    ['10.0.0.0/33 is invalid', []],
  ])('CIDR %s', (text, cidrs) => {
    expect(e(text).cidrs).toEqual(cidrs);
  });
});

describe('FQDNs', () => {
  it.each([
    ['nslookup acme-dev.outsystemsenterprise.com', ['acme-dev.outsystemsenterprise.com']],
    ['forward *.outsystemsenterprise.com to the cloud dns', ['*.outsystemsenterprise.com']],
    ['telnet ACME-PRD.OutSystemsEnterprise.com 443', ['acme-prd.outsystemsenterprise.com']],
    ['resolve sql01.corp.local and api.intranet.local', ['sql01.corp.local', 'api.intranet.local']],
    ['see config.yaml and vpn.log', []],
    ['e.g. the dns server', []],
    ['version 7.4.2', []],
    ['mail me at ops@example.com', []],
  ])('%s', (text, fqdns) => {
    expect(e(text).fqdns).toEqual(fqdns);
  });
});

describe('durations, normalised to seconds', () => {
  it.each([
    ['tunnel flaps every hr', 3600],
    ['drops each hour', 3600],
    ['goes down hourly', 3600],
    ['every 60 minutes', 3600],
    ['every 60 min exactly', 3600],
    ['disconnects at 3600s intervals', 3600],
    ['sa lifetime 3600 seconds', 3600],
    ['phase 2 lifetime 51 minutes', 3060],
    ['ike lifetime of 8 hours', 28800],
    ['28800 sec', 28800],
    ['ping every 5 seconds', 5],
    ['once a day', 86400],
    ['half an hour', 1800],
    ['1h', 3600],
  ])('%s -> %i s', (text, seconds) => {
    expect(e(text).durations.map((d) => d.seconds)).toContain(seconds);
  });

  it('reads bare numbers after "lifetime" as seconds', () => {
    expect(e('ike lifetime 28800, ipsec lifetime 3600').durations.map((d) => d.seconds)).toEqual([28800, 3600]);
  });

  it('does not invent durations', () => {
    expect(e('we have 3 subnets and 2 tunnels').durations).toEqual([]);
    expect(e('fortios 7.4 syntax').durations).toEqual([]);
    expect(e('95% cpu on the gateway').durations).toEqual([]);
  });
});

describe('IKE version', () => {
  it.each([
    ['since we moved to ikev2', 2],
    ['IKEv1 main mode', 1],
    ['ike v2 on both sides', 2],
    ['ike version 1', 1],
    ['moved from ikev1 to ikev2', 2],
    ['went back from IKEv2 to IKEv1', 1],
    ['IKE_SA_INIT gets no answer', 2],
    ['received TS_UNACCEPTABLE notify', 2],
    ['asa stuck in MM_WAIT_MSG2', 1],
    ['quick mode fails', 1],
    ['tunnel is down', null],
  ])('%s -> %s', (text, version) => {
    expect(e(text).ikeVersion).toBe(version);
  });
});

describe('ports and protocols', () => {
  it.each([
    [
      'udp 500 and 4500',
      [
        { port: 500, protocol: 'udp' },
        { port: 4500, protocol: 'udp' },
      ],
    ],
    ['allow UDP/53 inbound', [{ port: 53, protocol: 'udp' }]],
    ['4500/udp is blocked', [{ port: 4500, protocol: 'udp' }]],
    [
      'tcp ports 80, 443',
      [
        { port: 80, protocol: 'tcp' },
        { port: 443, protocol: 'tcp' },
      ],
    ],
    [
      'ports 80 and 443',
      [
        { port: 80, protocol: null },
        { port: 443, protocol: null },
      ],
    ],
    ['port 500 is filtered', [{ port: 500, protocol: 'udp' }]], // IKE is UDP by definition
    ['telnet example-dev.outsystemsenterprise.com 443', [{ port: 443, protocol: 'tcp' }]],
    ['Test-NetConnection acme.outsystemsenterprise.com -Port 443', [{ port: 443, protocol: 'tcp' }]],
    ['sql on 192.168.5.20:1433', [{ port: 1433, protocol: null }]],
    ['Jun 3 10:02:11 fw01 charon', []],
  ])('%s', (text, ports) => {
    expect(e(text).ports).toEqual(ports);
  });

  it.each([
    ['esp protocol 50 blocked', 'esp'],
    ['is ip proto 50 allowed', 'esp'],
    ['cannot ping the dns', 'icmp'],
    ['icmp echo reply missing', 'icmp'],
    ['nat-t enabled', 'nat-t'],
    ['nat traversal on', 'nat-t'],
    ['bgp as-path prepend', 'bgp'],
    ['nslookup the env', 'dns'],
    ['isakmp sa', 'ike'],
  ])('%s -> %s', (text, protocol) => {
    expect(e(text).protocols).toContain(protocol);
  });

  it('does not read "ah" the interjection as the AH protocol', () => {
    expect(e('ah ok, the tunnel is up').protocols).not.toContain('ah');
    expect(e('ESP or AH?').protocols).toEqual(expect.arrayContaining(['esp', 'ah']));
  });
});

describe('vendors, canonicalised', () => {
  it.each([
    ['Cisco ASA 5516', 'Cisco ASA'],
    ['%ASA-5-713904: Group = x', 'Cisco ASA'],
    ['ftd managed by fmc', 'Cisco FTD'],
    ['firepower 2110', 'Cisco FTD'],
    ['cisco ios-xe router', 'Cisco IOS'],
    ['ISR 4331', 'Cisco IOS'],
    ['Palo Alto PA-3220', 'Palo Alto'],
    ['pan-os 10.2', 'Palo Alto'],
    ['paloalto', 'Palo Alto'],
    ['FortiGate 60F', 'FortiGate'],
    ['fortios 7.4', 'FortiGate'],
    ['fgt cli', 'FortiGate'],
    ['Juniper SRX300', 'Juniper SRX'],
    ['srx kmd log', 'Juniper SRX'],
    ['Check Point R81', 'Check Point'],
    ['checkpoint gaia', 'Check Point'],
    ['SonicWall TZ', 'SonicWall'],
    ['pfSense 2.7', 'pfSense'],
    ['pf sense', 'pfSense'],
    ['strongswan', 'strongSwan'],
    ['charon: 12[IKE]', 'strongSwan'],
    ['MikroTik RouterOS 7', 'MikroTik'],
    ['routeros', 'MikroTik'],
    ['Azure VPN gateway', 'Azure'],
    ['meraki mx', 'Cisco Meraki'],
  ])('%s -> %s', (text, vendor) => {
    expect(e(text).vendors).toContain(vendor);
  });

  it('does not mistake Apple iOS for Cisco IOS', () => {
    expect(e('the iOS app crashes').vendors).toEqual([]);
  });

  it('lists each vendor once, several when named', () => {
    expect(e('ASA on one side, FortiGate on the other, another asa').vendors).toEqual(['Cisco ASA', 'FortiGate']);
  });
});

describe('log signatures, canonicalised', () => {
  it.each([
    ['NO_PROPOSAL_CHOSEN', 'NO_PROPOSAL_CHOSEN'],
    ['srx: IKE negotiation failed with error: No proposal chosen', 'NO_PROPOSAL_CHOSEN'],
    ['received AUTHENTICATION_FAILED notify', 'AUTHENTICATION_FAILED'],
    ['authentication of peer failed', 'AUTHENTICATION_FAILED'],
    ['TS_UNACCEPTABLE', 'TS_UNACCEPTABLE'],
    ['traffic selectors unacceptable', 'TS_UNACCEPTABLE'],
    ['INVALID_KE_PAYLOAD', 'INVALID_KE_PAYLOAD'],
    ['INVALID_ID_INFORMATION', 'INVALID_ID_INFORMATION'],
    ['asa stuck in MM_WAIT_MSG2', 'MM_WAIT_MSG2'],
    ['mm_wait_msg6', 'MM_WAIT_MSG6'],
    ['show crypto isakmp sa: MM_NO_STATE', 'MM_NO_STATE'],
    ['proxy ID mismatch on palo alto', 'PROXY_ID_MISMATCH'],
    ['proxy-id mismatch', 'PROXY_ID_MISMATCH'],
    ['All IPSec SA proposals found unacceptable!', 'IPSEC_PROPOSALS_UNACCEPTABLE'],
    ['no acceptable proposal found for CHILD_SA', 'IPSEC_PROPOSALS_UNACCEPTABLE'],
    ['DPD: peer not responding', 'DPD'],
    ['dead peer detection', 'DPD'],
    ['R_U_THERE not acknowledged', 'DPD'],
    ['peer declared dead', 'DPD'],
    ['giving up after 5 retransmits', 'RETRANSMIT_TIMEOUT'],
    ['sending retransmit 3 of request 1', 'RETRANSMIT_TIMEOUT'],
    ['reverse path check fail, drop', 'REVERSE_PATH_CHECK_FAIL'],
    ['Phase 1 negotiation failed due to time up', 'PHASE1_TIMEOUT'],
  ])('%s -> %s', (text, signature) => {
    expect(e(text).signatures).toContain(signature);
  });

  it('finds nothing in ordinary text', () => {
    expect(e('the tunnel is down since this morning').signatures).toEqual([]);
  });
});

describe('a pasted log line', () => {
  it('yields every entity at once', () => {
    const r = e('%ASA-5-713904: IP = 52.18.4.9, Received an un-encrypted NO_PROPOSAL_CHOSEN notify message, dropping (IKEv1, udp 500)');
    expect(r).toMatchObject({
      ipv4: ['52.18.4.9'],
      ikeVersion: 1,
      vendors: ['Cisco ASA'],
      signatures: ['NO_PROPOSAL_CHOSEN'],
      ports: [{ port: 500, protocol: 'udp' }],
    });
    expect(r.protocols).toEqual(expect.arrayContaining(['udp', 'ike']));
  });
});

describe('entity features for the classifier', () => {
  it('buckets durations so "3600 s", "60 min" and "hourly" are one feature', () => {
    const f = (t: string) => entityFeatures(e(t)).filter((x) => x.startsWith('ent:dur'));
    expect(f('every 3600 s')).toEqual(['ent:dur:hour']);
    expect(f('every 60 min')).toEqual(['ent:dur:hour']);
    expect(f('hourly')).toEqual(['ent:dur:hour']);
    expect(f('lifetime 28800')).toEqual(['ent:dur:8h']);
  });

  it('marks OutSystems hostnames and signatures', () => {
    const f = entityFeatures(e('nslookup a.outsystemsenterprise.com gives NO_PROPOSAL_CHOSEN'));
    expect(f).toEqual(expect.arrayContaining(['ent:fqdn-os', 'ent:sig:no_proposal_chosen']));
  });
});
