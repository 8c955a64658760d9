/**
 * A message about something that is plainly not the tunnel: Wi-Fi, a printer, a Kubernetes pod, a Lambda
 * function, a mail client. Such messages often borrow the tunnel's symptoms ("drops every hour", "cannot be
 * pinged", "times out"), which pull the classifier towards a topic. When nothing in the message names the
 * VPN itself (tunnel, IPsec, IKE, a phase, the OutSystems Cloud), the foreign subject wins: off-topic.
 *
 * This names subjects, not questions: a message that says "the cloud app cannot reach our printer over the
 * VPN" still names the VPN and is classified as usual.
 */

const FOREIGN_SUBJECT_RE = new RegExp(
  String.raw`\b(?:` +
    [
      // office and end-user IT
      String.raw`wi-?fi|wlan|ssid|access\s+points?|printers?|scanners?|projectors?|headsets?|webcams?|monitors?|keyboards?|laptops?|outlook|mailbox(?:es)?|zoom|teams\s+(?:call|meeting)s?|youtube|netflix|spotify|url\s+filter\w*`,
      // switching and LAN services
      String.raw`vlans?|switch\s*ports?|spanning[\s-]tree|dhcp|poe`,
      // cloud services and containers
      String.raw`lambdas?|s3|ec2|rds|dynamo\s?db|cloudwatch|kubernetes|k8s|kubectl|pods?|helm|ingress|docker|containers?|openshift|aks|eks|gke`,
      // device administration
      String.raw`licen[cs]es?|panorama`,
    ].join('|') +
    String.raw`)\b`,
  'i',
);

/** Words that name the site-to-site VPN (or its OutSystems end) outright. */
const VPN_SUBJECT_RE =
  /\b(?:vpn|tunnels?|ipsec|ike(?:v[12])?|isakmp|phase[\s-]*[12]|p[12]|esp|sas?|dpd|dead\s+peer|outsystems|cloud\s+(?:dns|apps?|environments?|side)|front[\s-]?ends?|conditional\s+forwarder|encryption\s+domain|traffic\s+selectors?|proxy[\s-]?ids?|peer|dns|config(?:uration)?\s+file)\b/i;

/** True when the message is about a foreign subject and names nothing of the VPN. */
export function isForeignSubject(text: string): boolean {
  return FOREIGN_SUBJECT_RE.test(text) && !VPN_SUBJECT_RE.test(text);
}
