import { describe, expect, it } from 'vitest';
import { redact, REDACTED, redactionNotice } from '../../src/evidence/redact.js';

describe('redact', () => {
  it.each([
    ['ASA tunnel-group', ' ikev1 pre-shared-key Sup3rS3cret!', 'Sup3rS3cret!'],
    ['ASA IKEv2 local key', ' ikev2 local-authentication pre-shared-key 0 AnotherKey99', 'AnotherKey99'],
    ['IOS isakmp key', 'crypto isakmp key MyIosKey123 address 203.0.113.10', 'MyIosKey123'],
    ['IOS keyring key', ' pre-shared-key address 203.0.113.10 key 6 QWERTYkey', 'QWERTYkey'],
    ['FortiGate psksecret', '    set psksecret ENC ZmFrZWVuY3J5cHRlZGtleQ==', 'ZmFrZWVuY3J5cHRlZGtleQ=='],
    ['swanctl secret', '    secret = "swanctl-psk-value"', 'swanctl-psk-value'],
    ['ipsec.secrets', '203.0.113.5 198.51.100.7 : PSK "ipsec-secrets-psk"', 'ipsec-secrets-psk'],
    ['PAN-OS set', 'set network ike gateway gw1 authentication pre-shared-key key -AQ==cGFub3NrZXk=', '-AQ==cGFub3NrZXk='],
    ['PAN-OS XML', '<pre-shared-key><key>-AQ==xmlsecret</key></pre-shared-key>', '-AQ==xmlsecret'],
    ['Junos ascii-text', 'set security ike policy p1 pre-shared-key ascii-text "$9$abcDEF123xyz"', '$9$abcDEF123xyz'],
    ['Terraform', '  tunnel1_preshared_key = "tf_secret_value_1"', 'tf_secret_value_1'],
    ['MikroTik', '/ip ipsec peer add address=203.0.113.10/32 secret=mikrotik-secret-1', 'mikrotik-secret-1'],
    ['Azure sharedKey', '  "sharedKey": "azure-shared-key-1",', 'azure-shared-key-1'],
    ['password', 'username admin password 0 Pa55word!', 'Pa55word!'],
    ['bearer token', 'Authorization: Bearer abcdefghijklmnop.qrstuvwx', 'abcdefghijklmnop.qrstuvwx'],
    ['Slack token', 'SLACK_BOT_TOKEN=xoxb-1234567890-abcdefghijkl', 'xoxb-1234567890-abcdefghijkl'],
  ])('%s', (_name, text, secret) => {
    const r = redact(text);
    expect(r.text).not.toContain(secret);
    expect(r.text).toContain(REDACTED);
    expect(r.count).toBeGreaterThan(0);
  });

  it('keeps the words around the secret, so the line still reads', () => {
    expect(redact('crypto isakmp key MyIosKey123 address 203.0.113.10').text).toBe(`crypto isakmp key ${REDACTED} address 203.0.113.10`);
  });

  it('removes PEM bodies (private keys and certificates), keeping the markers', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nabcdef\n-----END PRIVATE KEY-----';
    const r = redact(`key:\n${pem}\n`);
    expect(r.text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(r.text).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('is idempotent and leaves ordinary log lines alone', () => {
    const line = 'Dec  7 23:23:22 07[IKE] received AUTHENTICATION_FAILED notify error';
    expect(redact(line)).toEqual({ text: line, count: 0, kinds: [] });
    const once = redact('secret = "x-y-z-1"').text;
    expect(redact(once).count).toBe(0);
  });

  it('the notice asks to rotate a pasted key', () => {
    expect(redactionNotice(2)).toMatch(/2 secrets.*rotate/);
  });
});
