import { describe, expect, it } from 'vitest';
import { Assistant } from '../../src/conversation/assistant.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import type { IntentClassifier } from '../../src/nlu/types.js';

/** A classifier that must not be asked: pasted logs are analysed, not classified. */
const refusing: IntentClassifier = {
  classify: () => {
    throw new Error('the classifier was asked about a pasted log');
  },
} as unknown as IntentClassifier;

const PASTE = [
  'Dec  7 23:23:22 09[IKE] initiating IKE_SA vdlab[2] to 198.18.0.2',
  'Dec  7 23:23:22 07[ENC] parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]',
  'Dec  7 23:23:22 07[IKE] received AUTHENTICATION_FAILED notify error',
  'our ipsec.secrets: 198.18.0.1 198.18.0.2 : PSK "do-not-share-me"',
].join('\n');

describe('a pasted log in the conversation', () => {
  const kb = loadKnowledgeBase();
  const inbound = { user: 'u', channel: 'c', platform: 'test' };

  it('is analysed (kind analysis), quotes the lines relied on, redacts and says so, and feeds the support case', async () => {
    const assistant = new Assistant({ kb, classifier: refusing });
    const r = await assistant.handle({ ...inbound, text: PASTE });
    expect(r.kind).toBe('analysis');
    expect(r.section).toBe('Typical reasons for the VPN tunnel phase 1 IKE negotiation to fail');
    expect(r.findings[0]).toMatchObject({ code: 'psk-mismatch' });
    expect(r.findings[0]!.lines!.some((l) => l.n === 3 && /AUTHENTICATION_FAILED/.test(l.text))).toBe(true);
    expect(JSON.stringify(r)).not.toContain('do-not-share-me');
    expect(r.notices!.join(' ')).toMatch(/rotate/);

    const draft = await assistant.handle({ ...inbound, text: 'support case' });
    expect(draft.summary).toMatch(/psk-mismatch/);
    expect(draft.summary).toMatch(/line 3: .*AUTHENTICATION_FAILED/);
    // The pasted log is summarised by its analysis, not repeated (and its secret is not in the draft).
    expect(draft.summary).not.toContain('do-not-share-me');
  });
});
