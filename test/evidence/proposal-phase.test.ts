import { describe, expect, it } from 'vitest';
import { judgeProposals } from '../../src/evidence/proposal-phase.js';

describe('judgeProposals', () => {
  it('reads an IKE list as phase 1', () => {
    expect(
      judgeProposals(
        'received proposals: IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024',
        'configured proposals: IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024',
      ),
    ).toEqual({ phase: 1, dhOnly: false });
  });
  it('reads ESP lists that differ only in the DH group (or one has none) as PFS', () => {
    expect(
      judgeProposals(
        'received proposals: ESP:AES_CBC_256/HMAC_SHA1_96/MODP_2048/NO_EXT_SEQ',
        'configured proposals: ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ',
      ),
    ).toEqual({ phase: 2, dhOnly: true });
  });
  it('reads ESP lists that differ in the cipher as a phase 2 proposal mismatch', () => {
    expect(
      judgeProposals(
        'received proposals: ESP:AES_CBC_128/HMAC_SHA1_96/NO_EXT_SEQ',
        'configured proposals: ESP:AES_CBC_256/HMAC_SHA1_96/NO_EXT_SEQ',
      ),
    ).toEqual({ phase: 2, dhOnly: false });
  });
  it('says nothing without a list', () => {
    expect(judgeProposals(undefined, undefined)).toBeUndefined();
  });
});
