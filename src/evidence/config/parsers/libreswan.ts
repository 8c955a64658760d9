import type { ConfigParser, DefaultsTable } from '../model.js';
import { readSwanConns } from './swan-common.js';
import { swanFix, swanTunnel } from './swan-params.js';
import { swanOtherWords, swanOwnWords } from './strongswan-ipsec-conf.js';

const DOC = 'Libreswan ipsec.conf(5)';

/** Libreswan's documented `conn` defaults (4.x/5.x). Note salifetime: 8h, outside the 1 h requirement. */
export const LIBRESWAN_DEFAULTS: DefaultsTable = {
  'ike-version': { value: 'ikev2', source: `${DOC}: ikev2=yes (keyexchange=ikev2) since 4.0` },
  'ike-mode': { value: 'main', source: `${DOC}: aggressive=no` },
  auth: { value: 'cert', source: `${DOC}: authby=rsasig,ecdsa` },
  'p1-lifetime': { value: '28800', source: `${DOC}: ikelifetime=8h` },
  'p2-lifetime': { value: '28800', source: `${DOC}: salifetime=8h` },
  'p2-protocol': { value: 'esp', source: `${DOC}: phase2=esp` },
  'p2-mode': { value: 'tunnel', source: `${DOC}: type=tunnel` },
  dpd: { value: 'off', source: `${DOC}: DPD runs only when dpddelay is set` },
  'nat-t': { value: 'on', source: `${DOC}: encapsulation=auto` },
};

export const libreswanIpsecConf: ConfigParser = {
  id: 'libreswan-ipsec-conf',
  vendor: 'libreswan',
  format: 'ipsec-conf',
  detect(head) {
    if (!/^\s*conn\s+\S+/m.test(head) || !/^\s+\w+\s*=/m.test(head)) return 0;
    const own = head.match(new RegExp(swanOwnWords.source, 'gm'))?.length ?? 0;
    const other = head.match(new RegExp(swanOtherWords.source, 'gim'))?.length ?? 0;
    return other > own ? 0.8 : 0.5;
  },
  parse(text) {
    const tunnels = readSwanConns(text).map((c) => swanTunnel(c, 'libreswan'));
    // Openswan (and Libreswan 3.x, which ships as "openswan" on older distributions) initiates IKEv1
    if (/openswan/i.test(text))
      for (const t of tunnels)
        t.params['ike-version'] ??= {
          value: 'ikev1',
          line: null,
          defaultFrom: 'Openswan ipsec.conf(5): IKEv1 unless ikev2=insist/propose',
        };
    return { vendor: 'libreswan', format: 'ipsec-conf', tunnels };
  },
  defaults: LIBRESWAN_DEFAULTS,
  fix: (t, target) => swanFix('libreswan', 'Libreswan ipsec.conf', t, target),
};
