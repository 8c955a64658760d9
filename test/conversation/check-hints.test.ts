import { describe, expect, it } from 'vitest';
import { checkHints } from '../../src/conversation/check-hints.js';

const HOST = 'acme-dev.outsystemsenterprise.com';

describe('checkHints', () => {
  it('takes addresses only with a role word next to them', () => {
    expect(checkHints(`can you check ${HOST} using dns server 10.0.0.2 and resolver 192.168.1.4?`, [HOST])).toEqual({
      hosts: [HOST],
      dnsServers: ['10.0.0.2'],
      resolver: '192.168.1.4',
    });
    expect(checkHints('cloud dns is 10.0.0.2, 10.0.0.3; our firewall 192.168.1.254', [])).toEqual({
      dnsServers: ['10.0.0.2', '10.0.0.3'],
      edge: '192.168.1.254',
    });
    expect(checkHints('our internal dns 192.168.1.10 answers a public ip', [])).toEqual({ resolver: '192.168.1.10' });
  });

  it('never guesses a role for a bare address', () => {
    expect(checkHints('peer 203.0.113.7 says NO_PROPOSAL_CHOSEN, db at 10.1.2.3 unreachable', [])).toEqual({});
    expect(checkHints(`${HOST} does not open, 10.0.0.2`, [HOST])).toEqual({ hosts: [HOST] });
    expect(checkHints('dns 10.0.0.256', [])).toEqual({});
  });

  it('keeps only environment host names', () => {
    expect(checkHints('example.com and acme.outsystemsenterprise.com', ['example.com', 'acme.outsystemsenterprise.com'])).toEqual({
      hosts: ['acme.outsystemsenterprise.com'],
    });
  });
});
