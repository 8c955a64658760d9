/** Maps `ipsec.conf` keys to the normalised parameters; strongSwan and Libreswan differ only in a few keys. */
import type { ParameterName } from '../../../knowledge/schema.js';
import { lifetimeSeconds, list, members, normDh, splitSwanProposals } from '../algorithms.js';
import type { FixSnippet, FixTarget, ParsedTunnel, ReadValue } from '../model.js';
import { pairsOf, subnets, swanProposal, type SwanConn } from './swan-common.js';

type Params = Partial<Record<ParameterName, ReadValue>>;

export function swanTunnel(conn: SwanConn, flavour: 'strongswan' | 'libreswan'): ParsedTunnel {
  const k = (key: string) => conn.keys.get(key);
  const params: Params = {};
  const set = (name: ParameterName, value: string, line: number) => {
    if (value !== '') params[name] = { value, line };
  };

  const kx = k('keyexchange');
  const ikev2 = k('ikev2');
  // strongSwan: keyexchange=ike initiates IKEv2; Libreswan/Openswan: "ike" defers to ikev2=
  if (kx && !(flavour === 'libreswan' && kx.value === 'ike')) set('ike-version', kx.value === 'ikev1' ? 'ikev1' : 'ikev2', kx.line);
  else if (ikev2) set('ike-version', /^(no|never|permit)$/i.test(ikev2.value) ? 'ikev1' : 'ikev2', ikev2.line);

  const aggr = k('aggressive') ?? k('aggrmode');
  if (aggr) set('ike-mode', /^yes$/i.test(aggr.value) ? 'aggressive' : 'main', aggr.line);

  const authby = k('authby') ?? k('leftauth') ?? k('rightauth');
  if (authby)
    set(
      'auth',
      /secret|psk/i.test(authby.value) ? 'psk' : /rsa|pubkey|cert|ecdsa/i.test(authby.value) ? 'cert' : authby.value,
      authby.line,
    );

  const ike = k('ike');
  if (ike) {
    const p = splitSwanProposals(ike.value);
    set('p1-encryption', list(p.enc), ike.line);
    set('p1-integrity', list(p.integ), ike.line);
    set('p1-dh', list(p.dh), ike.line);
  }
  const ah = k('ah');
  const esp = k('phase2alg') ?? k('esp') ?? ah;
  const phase2 = k('phase2');
  if (phase2) set('p2-protocol', phase2.value.toLowerCase(), phase2.line);
  else if (ah && !k('esp')) set('p2-protocol', 'ah', ah.line);
  else if (k('esp')) set('p2-protocol', 'esp', k('esp')!.line);
  let espDh: string[] = [];
  if (esp) {
    const p = splitSwanProposals(esp.value);
    set('p2-encryption', list(p.enc), esp.line);
    set('p2-integrity', list(p.integ), esp.line);
    espDh = p.dh;
  }
  const pfs = k('pfs');
  if (flavour === 'libreswan') {
    // Libreswan: pfs=yes (default) negotiates PFS with the phase-2 DH group, else the IKE group.
    if (pfs && /^no$/i.test(pfs.value)) set('pfs', 'off', pfs.line);
    else if (espDh.length) set('pfs', list(espDh), esp!.line);
    else if (params['p1-dh']) set('pfs', params['p1-dh'].value, pfs?.line ?? params['p1-dh'].line!);
    else
      params.pfs = {
        value: '14',
        line: pfs?.line ?? null,
        defaultFrom: "Libreswan ipsec.conf(5): pfs=yes, with the IKE SA's DH group (modp2048 leads the default IKE proposals)",
      };
  } else if (esp) {
    // strongSwan: PFS only when the esp= proposal names a DH group.
    set('pfs', espDh.length ? list(espDh) : 'off', esp.line);
  }

  const ikelife = k('ikelifetime');
  if (ikelife) set('p1-lifetime', String(lifetimeSeconds(ikelife.value, 's') ?? ikelife.value), ikelife.line);
  const life = k('salifetime') ?? k('lifetime') ?? k('keylife');
  if (life) set('p2-lifetime', String(lifetimeSeconds(life.value, 's') ?? life.value), life.line);

  const type = k('type');
  if (type) set('p2-mode', type.value.toLowerCase(), type.line);

  const dpdaction = k('dpdaction');
  const dpddelay = k('dpddelay');
  if (flavour === 'strongswan') {
    if (dpdaction) set('dpd', /^none$/i.test(dpdaction.value) ? 'off' : 'on', dpdaction.line);
  } else if (dpddelay) set('dpd', lifetimeSeconds(dpddelay.value) === 0 ? 'off' : 'on', dpddelay.line);
  else if (dpdaction) set('dpd', 'off', dpdaction.line); // Libreswan: dpdaction without dpddelay sends no DPD

  const encaps = k('forceencaps') ?? k('encapsulation') ?? k('nat_traversal');
  if (encaps) set('nat-t', /^(no|never)$/i.test(encaps.value) && encaps !== k('forceencaps') ? 'off' : 'on', encaps.line);

  const ls = k('leftsubnet') ?? k('leftsubnets');
  const rs = k('rightsubnet') ?? k('rightsubnets');
  if (ls || rs) set('traffic-selectors', pairsOf(subnets(ls?.value), subnets(rs?.value)), (ls ?? rs)!.line);

  const right = k('right');
  const tunnel: ParsedTunnel = { name: conn.name, params, objects: { conn: conn.name } };
  if (right && !right.value.startsWith('%')) tunnel.peer = right.value;
  return tunnel;
}

const first = (t: ParsedTunnel, name: ParameterName, fallback: string): string => members(t.params[name]?.value ?? '')[0] ?? fallback;

/** `conn <name>` lines that set one parameter, in the flavour's key names. */
export function swanFix(flavour: 'strongswan' | 'libreswan', platform: string, t: ParsedTunnel, target: FixTarget): FixSnippet | null {
  const lib = flavour === 'libreswan';
  const v = target.value;
  const p1 = (over: Partial<Record<'enc' | 'integ' | 'dh', string>>) =>
    swanProposal(
      over.enc ?? first(t, 'p1-encryption', 'aes256'),
      over.integ ?? first(t, 'p1-integrity', 'sha256'),
      over.dh ?? first(t, 'p1-dh', '14'),
      lib,
    );
  const p2 = (over: Partial<Record<'enc' | 'integ' | 'dh', string>>) =>
    swanProposal(
      over.enc ?? first(t, 'p2-encryption', 'aes256'),
      over.integ ?? first(t, 'p2-integrity', 'sha256'),
      over.dh ?? (first(t, 'pfs', '14') === 'off' ? '14' : first(t, 'pfs', '14')),
      lib,
    );
  const espKey = lib ? 'phase2alg' : 'esp';
  let lines: string[];
  switch (target.name) {
    case 'ike-version':
      lines = [lib ? `ikev2=${v === 'ikev2' ? 'insist' : 'no'}` : `keyexchange=${v}`];
      break;
    case 'ike-mode':
      lines = [lib ? 'aggrmode=no' : 'aggressive=no'];
      break;
    case 'auth':
      lines = ['authby=secret'];
      break;
    case 'p1-encryption':
      lines = [`ike=${p1({ enc: v })}`];
      break;
    case 'p1-integrity':
      lines = [`ike=${p1({ integ: v })}`];
      break;
    case 'p1-dh':
      lines = [`ike=${p1({ dh: normDh(v) })}`];
      break;
    case 'p2-encryption':
      lines = [`${espKey}=${p2({ enc: v })}`];
      break;
    case 'p2-integrity':
      lines = [`${espKey}=${p2({ integ: v })}`];
      break;
    case 'pfs':
      lines = lib ? ['pfs=yes', `${espKey}=${p2({ dh: v })}`] : [`esp=${p2({ dh: v })}`];
      break;
    case 'p1-lifetime':
      lines = [`ikelifetime=${v}s`];
      break;
    case 'p2-lifetime':
      lines = [lib ? `salifetime=${v}s` : `lifetime=${v}s`];
      break;
    case 'p2-protocol':
      lines = lib ? ['phase2=esp'] : [`esp=${p2({})}`];
      break;
    case 'p2-mode':
      lines = ['type=tunnel'];
      break;
    case 'dpd':
      lines = ['dpddelay=10s', lib ? 'dpdtimeout=30s' : 'dpdtimeout=30s', lib ? 'dpdaction=restart' : 'dpdaction=restart'];
      break;
    case 'traffic-selectors':
      lines = ['leftsubnet=<one supernet covering your on-premises ranges>', 'rightsubnet=<the OutSystems Cloud range>'];
      break;
    default:
      return null;
  }
  return { platform, kind: 'config', lines: [`conn ${t.objects.conn ?? t.name}`, ...lines.map((l) => `    ${l}`)] };
}
