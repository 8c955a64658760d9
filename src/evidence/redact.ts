/**
 * The one redaction module: pre-shared keys, passwords, private keys, certificates and tokens out of any
 * text we echo back (replies, the audit log, our own logs), for logs and configurations alike. Each rule
 * keeps the words around the secret so the line still reads ("pre-shared-key <redacted>"), and counts what
 * it replaced so a reply can say that a secret was pasted and should be rotated.
 */
export const REDACTED = '<redacted>';

interface Rule {
  name: string;
  re: RegExp;
  /** The replacement keeps $1 (the lead-in) and, where a rule has one, $3 (the closing quote). */
  replace: string;
}

// Values: a quoted string, or a run of non-space characters.
const VALUE = String.raw`("[^"]*"|'[^']*'|[^\s"',;}<]+)`;

const RULES: readonly Rule[] = [
  // PEM blocks: private keys and certificates (a certificate is not secret, but it identifies the device and
  // makes the reply huge; the header stays so the reader knows what was there).
  { name: 'pem', re: /(-----BEGIN ([A-Z0-9 ]+)-----)[\s\S]*?(-----END \2-----)/g, replace: `$1 ${REDACTED} $3` },
  // Slack tokens, bearer tokens, JWTs, AWS access keys.
  { name: 'slack-token', re: /()\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: `$1${REDACTED}` },
  { name: 'bearer', re: /(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replace: `$1${REDACTED}` },
  { name: 'jwt', re: /()\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: `$1${REDACTED}` },
  { name: 'aws-secret', re: /(\baws_secret_access_key\s*[=:]\s*)\S+/gi, replace: `$1${REDACTED}` },
  // A labelled field, as a GUI walk-through or a pasted settings table shows it: AWS's "- Pre-Shared Key : X",
  // pfSense's "e. Pre-Shared Key: X", a Markdown row "|Pre-Shared Key|X|". The value runs to the line's end
  // (or the next cell), since GUI secrets may contain spaces.
  { name: 'labelled-psk', re: /(\bPre-?Shared[ -]Key\s*(?::|\|)\s*)([^|\r\n]*[^|\s])/gi, replace: `$1${REDACTED}` },
  // Credentials in a URL: postgres://user:PASSWORD@host/db (a database URL in a log or a pasted config).
  { name: 'url-password', re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)([^\s@/]+)(?=@)/gi, replace: `$1${REDACTED}` },
  // ipsec.secrets: `left right : PSK "secret"` (also XAUTH, EAP, RSA passphrases).
  {
    name: 'ipsec-secrets',
    re: /(:\s*(?:PSK|XAUTH|EAP|NTLM|PIN|P12|RSA\s+\S+|ECDSA\s+\S+)\s+)("[^"]*"|'[^']*'|0[xs][A-Za-z0-9+/=]+|\S+)/g,
    replace: `$1${REDACTED}`,
  },
  // Junos: pre-shared-key ascii-text "$9$..."; hexadecimal-text too.
  { name: 'junos-psk', re: /(\b(?:pre-shared-key\s+)?(?:ascii-text|hexadecimal-text)\s+)("[^"]*"|\S+)/gi, replace: `$1${REDACTED}` },
  // Junos encrypted-password / secret / $9$ anywhere.
  { name: 'junos-9', re: /()\$9\$[A-Za-z0-9./$-]{4,}/g, replace: `$1${REDACTED}` },
  // FortiGate: set psksecret ENC <base64>, set psksecret-remote, set password ENC ...
  {
    name: 'fortios-set',
    re: /(\bset\s+(?:psksecret(?:-remote)?|password|passwd|secret|key|ppk-secret|private-key|auth-pwd|authpasswd|sso-password|psk)\s+(?:ENC\s+)?)("[^"]*"|\S+)/gi,
    replace: `$1${REDACTED}`,
  },
  // Cisco: pre-shared-key [0|6|8] X, crypto isakmp key [0|6] X address ..., pre-shared-key local/remote X,
  // tunnel-group ipsec-attributes `ikev1 pre-shared-key X`, `key-string X`, `password [7] X`, `secret 5 X`.
  // PAN-OS `pre-shared-key key X`; IOS keyring `pre-shared-key address A [mask] key [6] X`.
  { name: 'panos-psk', re: /(\bpre-shared-key\s+key\s+)("[^"]*"|\S+)/gi, replace: `$1${REDACTED}` },
  {
    name: 'ios-keyring',
    re: /(\bpre-shared-key\s+(?:address|hostname)\s+\S+(?:\s+\d+\.\d+\.\d+\.\d+)?\s+key\s+(?:[0-9]\s+)?)(\S+)/gi,
    replace: `$1${REDACTED}`,
  },
  {
    name: 'cisco-psk',
    re: /(\b(?:pre-shared-key(?:\s+(?:local|remote))?|isakmp\s+key|key-string)\s+(?:(?:0|6|7|8)\s+)?)(?!(?:address|hostname|key|ascii-text|hexadecimal-text)\b)("[^"]*"|\S+)/gi,
    replace: `$1${REDACTED}`,
  },
  { name: 'cisco-key', re: /(^\s*(?:crypto\s+isakmp\s+)?key\s+(?:(?:0|6|7)\s+)?)(\S+)/gim, replace: `$1${REDACTED}` },
  {
    name: 'cisco-password',
    re: /(\b(?:enable\s+)?(?:password|secret)\s+(?:(?:0|5|7|8|9)\s+)?)(?!<redacted>)([^\s"'=:][^\s"']*|"[^"]*")/gi,
    replace: `$1${REDACTED}`,
  },
  // PAN-OS XML and other XML: <key>...</key>, <pre-shared-key><key>X</key>, <password>X</password>.
  { name: 'xml-secret', re: /(<(key|password|secret|pre-shared-key|psk|shared-secret|phash)>)[^<]*(<\/\2>)/gi, replace: `$1${REDACTED}$3` },
  // Terraform / JSON / YAML / INI style: tunnel1_preshared_key = "X", "sharedKey": "X", secret = X,
  // psk: X, password=X, MikroTik secret=X, swanctl secret = X.
  {
    name: 'assignment',
    re: new RegExp(
      String.raw`((?:["']?)\b(?:tunnel\d*_preshared_key|preshared[_-]?key|pre[_-]shared[_-]?key|presharedkey|shared[_-]?key|sharedKey|psk|psksecret|secret|password|passwd|passphrase|pwd|api[_-]?key|token|client[_-]?secret|auth[_-]?token|access[_-]?token)["']?\s*(?:=|:|=>)\s*)` +
        VALUE,
      'gi',
    ),
    replace: `$1${REDACTED}`,
  },
  // Libreswan/IKE log lines that print the secret: "PSK 'X'", "shared key 'X'" (debug output).
  {
    name: 'quoted-psk',
    re: /(\b(?:PSK|shared secret|preshared secret|shared key)\s+(?:is\s+)?)'([^']{3,})'/gi,
    replace: `$1'${REDACTED}'`,
  },
];

export interface Redaction {
  text: string;
  /** How many secrets were replaced, by rule name. */
  count: number;
  kinds: string[];
}

/** Replaces every secret in a text. Idempotent: redacting a redacted text changes nothing. */
export function redact(text: string): Redaction {
  let out = text;
  let count = 0;
  const kinds = new Set<string>();
  for (const rule of RULES) {
    out = out.replace(rule.re, (...args: unknown[]) => {
      const match = args[0] as string;
      const lead = (args[1] as string | undefined) ?? '';
      const value = match.slice(lead.length);
      // Already redacted, or an empty value: nothing to hide.
      if (value.includes(REDACTED) || /^["']{0,1}["']?$/.test(value.trim())) return match;
      count += 1;
      kinds.add(rule.name);
      return rule.replace.replace(/\$(\d)/g, (_, d: string) => (args[Number(d)] as string | undefined) ?? '');
    });
  }
  return { text: out, count, kinds: [...kinds] };
}

/** Just the redacted text. */
export const redactText = (text: string): string => redact(text).text;

/** The notice a reply carries when it redacted something the user pasted. */
export function redactionNotice(count: number): string {
  return `I replaced ${count} secret${count === 1 ? '' : 's'} (pre-shared key, password, token or key) with ${REDACTED} in my reply. If you pasted a real key into a shared channel, rotate it on both ends of the tunnel.`;
}
