import type { ConfigParser } from './model.js';
import { awsGeneric } from './parsers/aws-generic.js';
import { azure } from './parsers/azure.js';
import { checkpoint } from './parsers/checkpoint.js';
import { ciscoAsa } from './parsers/cisco-asa.js';
import { ciscoFtd } from './parsers/cisco-ftd.js';
import { ciscoIos } from './parsers/cisco-ios.js';
import { fortigate } from './parsers/fortigate.js';
import { junos } from './parsers/junos.js';
import { meraki } from './parsers/meraki.js';
import { mikrotik } from './parsers/mikrotik.js';
import { panosSet, panosXml } from './parsers/panos.js';
import { opnsenseSwanctl } from './parsers/opnsense-swanctl.js';
import { opnsenseXml, pfsenseXml } from './parsers/pfsense.js';
import { pfsenseGuiText } from './parsers/pfsense-gui-text.js';
import { sonicwall } from './parsers/sonicwall.js';
import { libreswanIpsecConf } from './parsers/libreswan.js';
import { strongswanIpsecConf } from './parsers/strongswan-ipsec-conf.js';
import { swanctl } from './parsers/swanctl.js';
import { terraformAws } from './parsers/terraform-aws.js';
import { vyos } from './parsers/vyos.js';

/** Every configuration format this reader knows, one parser each. */
export const CONFIG_PARSERS: ConfigParser[] = [
  awsGeneric,
  strongswanIpsecConf,
  libreswanIpsecConf,
  junos,
  panosSet,
  panosXml,
  fortigate,
  ciscoAsa,
  ciscoFtd,
  ciscoIos,
  sonicwall,
  swanctl,
  mikrotik,
  vyos,
  pfsenseXml,
  opnsenseXml,
  opnsenseSwanctl,
  pfsenseGuiText,
  azure,
  meraki,
  checkpoint,
  terraformAws,
];

/** How much of a text format detection looks at (a configuration says what it is early). */
export const DETECT_HEAD_CHARS = 64 * 1024;

/** The parser that claims a text most strongly (score >= 0.5), or null. */
export function detectParser(head: string): ConfigParser | null {
  let best: ConfigParser | null = null;
  let bestScore = 0;
  for (const p of CONFIG_PARSERS) {
    const s = p.detect(head);
    if (s > bestScore) {
      best = p;
      bestScore = s;
    }
  }
  return bestScore >= 0.5 ? best : null;
}
