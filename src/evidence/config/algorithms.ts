/**
 * Vendor spellings of IPsec algorithms -> one vocabulary: encryption `aes128|aes192|aes256|aes128gcm|
 * aes192gcm|aes256gcm|3des|des|chacha20`, integrity `md5|sha1|sha256|sha384|sha512|aesxcbc|none`, DH as
 * the IANA group number ("14"), lifetimes in seconds. Anything unknown comes back cleaned but unchanged,
 * so the judge reports it as outside the table instead of guessing.
 */

const clean = (s: string): string =>
  s
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();

/** Encryption: "aes-128-cbc", "esp-aes 256", "AES256", "aes128gcm16", "GCMAES256", "aes-gcm-256", "3des"... */
export function normEncryption(raw: string, defaultAesBits = 128): string {
  let s = clean(raw).replace(/^esp-/, '').replace(/\s+/g, '-');
  if (s === '') return s;
  if (/^(3des|triple-?des|3des-cbc|des3|des-ede3(-cbc)?|tripledes)$/.test(s)) return '3des';
  if (/^des(-cbc)?$/.test(s)) return 'des';
  if (/chacha20/.test(s)) return 'chacha20';
  if (s === 'null' || s === 'esp-null' || s === 'none') return 'null';
  const gcm = /gcm/.test(s);
  if (/aes|^gcm/.test(s)) {
    const bits = /(256)/.test(s) ? 256 : /(192)/.test(s) ? 192 : /(128)/.test(s) ? 128 : defaultAesBits;
    s = `aes${bits}${gcm ? 'gcm' : ''}`;
    return s;
  }
  return s;
}

/** Integrity / hash / PRF: "sha", "hmac-sha1-96", "esp-sha256-hmac", "sha2-256", "SHA256", "md5"... */
export function normIntegrity(raw: string): string {
  const s = clean(raw)
    .replace(/^esp-/, '')
    .replace(/^hmac-/, '')
    .replace(/-hmac$/, '')
    .replace(/^prf/, '');
  if (s === '') return s;
  if (/^md5/.test(s)) return 'md5';
  if (/^(sha|sha-?1|sha1-96|sha-1-96|sha1_96|sha1-160)$/.test(s) || /^sha-?1[-_]/.test(s)) return 'sha1';
  if (/^sha-?2?-?256|^sha256/.test(s) || s === 'sha2' || s === 'sha-256') return 'sha256';
  if (/384/.test(s)) return 'sha384';
  if (/512/.test(s)) return 'sha512';
  if (/xcbc/.test(s)) return 'aesxcbc';
  if (s === 'null' || s === 'none') return 'none';
  return s;
}

const MODP: Record<string, string> = {
  modp768: '1',
  modp1024: '2',
  modp1536: '5',
  modp2048: '14',
  modp3072: '15',
  modp4096: '16',
  modp6144: '17',
  modp8192: '18',
  ecp256: '19',
  ecp384: '20',
  ecp521: '21',
  modp1024s160: '22',
  modp2048s224: '23',
  modp2048s256: '24',
  ecp192: '25',
  ecp224: '26',
  curve25519: '31',
  x25519: '31',
  curve448: '32',
};

/** Azure's PFS names (Set-AzIpsecPolicy / az network vpn-connection ipsec-policy --pfs-group). */
const AZURE_PFS: Record<string, string> = {
  dhgroup2048: '14',
  dhgroup1: '1',
  pfs1: '1',
  pfs2: '2',
  pfs2048: '14',
  pfs14: '14',
  pfs24: '24',
  ecp256: '19',
  ecp384: '20',
  pfsmm: '24',
};

/** DH group: "group2", "2", "modp1024", "DHGroup14", "PFS2048", "ecp384"; "none"/"no-pfs"/"disable" -> "off". */
export function normDh(raw: string): string {
  const s = clean(raw).replace(/\s+/g, '');
  if (s === '') return s;
  if (/^(none|no-?pfs|disabled?|off|no|nopfs|false)$/.test(s)) return 'off';
  if (MODP[s]) return MODP[s]!;
  if (AZURE_PFS[s]) return AZURE_PFS[s]!;
  const m = /^(?:dh-?group|group|dh|dhgroup|modp-?group|pfs-?group)?-?(\d{1,2})$/.exec(s);
  if (m) return String(Number(m[1]));
  return s;
}

/**
 * A lifetime in seconds: "28800", "28800s", "8h", "60m", "1d", "3600 seconds", "1d 00:00:00";
 * `unit` is used when the text is a bare number in another unit ("minutes" in PAN-OS, hours...).
 */
export function lifetimeSeconds(raw: string, unit: 's' | 'm' | 'h' | 'd' = 's'): number | null {
  const s = clean(raw);
  const hms = /^(?:(\d+)d\s*)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(s);
  if (hms) return Number(hms[1] ?? 0) * 86400 + Number(hms[2]) * 3600 + Number(hms[3]) * 60 + Number(hms[4]);
  let total = 0;
  let matched = false;
  const re = /(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|w)?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    matched = true;
    const n = Number(m[1]);
    const u = (m[2] ?? unit)[0];
    total += u === 'w' ? n * 604800 : u === 'd' ? n * 86400 : u === 'h' ? n * 3600 : u === 'm' ? n * 60 : n;
  }
  return matched ? Math.round(total) : null;
}

/** Joins normalised members into a parameter value, dropping blanks and repeats, keeping order. */
export function list(values: Iterable<string>): string {
  return [...new Set([...values].map((v) => v.trim()).filter((v) => v !== ''))].join(', ');
}

/** Splits a parameter value back into its members. */
export function members(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * strongSwan/Libreswan proposal strings: "aes128-sha1-modp1024!", "aes256gcm16-prfsha384-ecp384",
 * "aes128-sha1;modp1024" (Libreswan), several separated by ",". Returns encryption, integrity, DH lists.
 */
export function splitSwanProposals(raw: string): { enc: string[]; integ: string[]; dh: string[] } {
  const enc: string[] = [];
  const integ: string[] = [];
  const dh: string[] = [];
  for (const proposal of raw.replace(/!$/, '').split(',')) {
    const tokens = proposal
      .trim()
      .replace(/!$/, '')
      .split(/[-;]/)
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t !== '');
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      // Libreswan writes "aes_gcm-null", "aes256_gcm"; strongSwan "aes128gcm16".
      if (/^(aes|3des|des|chacha|camellia|blowfish|cast|null$|aes_gcm|aes_ctr)/.test(t) && !/^aesxcbc|^aescmac/.test(t)) {
        if (t === 'null' && enc.length > 0) {
          integ.push('none');
          continue;
        }
        let e = t.replace(/_/g, '');
        // "aes-256" written with a dash: the next token is the key size.
        const next = tokens[i + 1];
        if (/^aes(gcm|ctr)?$/.test(e) && next && /^(128|192|256)$/.test(next)) {
          e = `aes${next}${e.includes('gcm') ? 'gcm' : ''}`;
          i++;
        }
        enc.push(normEncryption(e));
      } else if (/^(sha|md5|aesxcbc|aescmac|prf)/.test(t)) {
        if (t.startsWith('prf')) continue; // PRF is not an integrity algorithm
        let h = t;
        const next = tokens[i + 1];
        if (/^sha2$/.test(h) && next && /^(256|384|512)$/.test(next)) {
          h = `sha${next}`;
          i++;
        } else if (/^sha2_(256|384|512)/.test(h)) {
          h = `sha${h.slice(5, 8)}`;
        }
        integ.push(normIntegrity(h));
      } else if (t === 'none') {
        // Libreswan "aes;none": no DH group in the child SA proposal, so no PFS
        dh.push('off');
      } else if (/^(modp|ecp|curve|x25519|x448|dh\d|group\d)/.test(t)) {
        dh.push(normDh(t));
      }
    }
  }
  return { enc, integ, dh };
}
