/**
 * Local stand-in for the shared redaction module (src/evidence/redact.ts, written elsewhere): blanks the
 * secret values a VPN configuration carries (pre-shared keys, passwords, shared secrets) in a quoted line,
 * keeping the keyword so the reader still sees which setting it is. Replace with the shared module when
 * merging; the call sites are `blankSecretValues(...)` only.
 */

const MASK = '<redacted>';

const SECRET_PATTERNS: RegExp[] = [
  // FortiGate `set psksecret ENC xxx`, `set passwd`, `set password`
  /(\bset\s+(?:psksecret|passwd|password|ppk-secret|secret)\s+)(?:ENC\s+)?("[^"]*"|\S+)/gi,
  // Junos `pre-shared-key ascii-text "..."` / `hexadecimal`; PAN-OS `pre-shared-key key X`
  /(\bpre-shared-key\s+(?:ascii-text|hexadecimal|key)\s+)("[^"]*"|\S+)/gi,
  // Cisco `crypto isakmp key X address`, ASA `ikev1 pre-shared-key X`, `pre-shared-key [0|6|7] X`, IOS keyring `key X`
  /(\bcrypto\s+isakmp\s+key\s+(?:[067]\s+)?)(\S+)/gi,
  /(\bpre-shared-key\s+(?:local\s+|remote\s+)?(?:address\s+\S+(?:\s+\S+)?\s+key\s+)?(?:[067]\s+)?)(?!ascii-text|hexadecimal|key\b|address\b|local\b|remote\b)(\S+)/gi,
  /(\b(?:ikev[12]\s+(?:local|remote)-authentication\s+pre-shared-key\s+)(?:[0-9]\s+)?)(\S+)/gi,
  // ipsec.secrets `... : PSK "x"`, swanctl `secret = x`, MikroTik `secret=x`, generic `password = x`
  /(:\s*PSK\s+)("[^"]*"|\S+)/gi,
  /(\b(?:secret|password|passwd|psk|pre_shared_key|preshared_key|presharedkey|shared[-_]?key|sharedkey)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;]+)/gi,
  // SonicOS `shared-secret X`
  /(\bshared-secret\s+)("[^"]*"|\S+)/gi,
  // VyOS `pre-shared-secret X`, `authentication pre-shared-secret X`, `secret X`
  /(\bpre-shared-secret\s+)("[^"]*"|\S+)/gi,
  /(\bauthentication\s+psk\s+\S+\s+secret\s+)("[^"]*"|\S+)/gi,
  // Terraform `tunnel1_preshared_key = "x"`, JSON `"sharedKey": "x"`, XML <pre-shared-key>x</pre-shared-key>
  /(\btunnel\d_preshared_key\s*=\s*)("[^"]*"|\S+)/gi,
  /("(?:sharedKey|shared_key|preSharedKey|psk|password|secret)"\s*:\s*)("[^"]*")/gi,
  /(<(?:pre-shared-key|pre_shared_key|psk|key|secret|password)>)([^<]*)(?=<\/)/gi,
  // AWS generic text `- Pre-Shared Key : xxx`
  /(Pre-Shared Key\s*:\s*)(\S+)/gi,
];

/** The line with every secret value replaced by `<redacted>`. */
export function blankSecretValues(line: string): string {
  let out = line;
  for (const re of SECRET_PATTERNS) {
    out = out.replace(re, (match, keep: string, secret: string) => {
      if (secret === undefined || secret === MASK || /^<redacted>/.test(secret)) return match;
      return `${keep}${MASK}`;
    });
  }
  return out;
}
