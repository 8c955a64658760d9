import { describe, expect, it } from 'vitest';
import { DirectAnswerer } from '../../src/conversation/direct-answer.js';
import { conversionAnswer, lifetimeAnswer } from '../../src/conversation/duration-answer.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';

const kb = loadKnowledgeBase();
const policy = kb.requirements?.policy;
const answer = (q: string) => new DirectAnswerer(kb).answer(q)?.text ?? null;

describe('durations in fact questions', () => {
  it('converts a duration into the unit asked for', () => {
    expect(conversionAnswer('how many seconds is 51 minutes')).toBe('51 minutes = 3060 s.');
    expect(conversionAnswer('8 h in minutes?')).toMatch(/= 480 minutes\.$/);
    expect(conversionAnswer('90 s to minutes')).toMatch(/= 1\.5 minutes\.$/);
    // A unit alone names no duration to convert.
    expect(conversionAnswer('ipsec sa lifetime in seconds?')).toBeNull();
  });
  it('gives the conversion first, then the fact it is about', () => {
    const a = answer('8 hours in seconds for the phase 1 lifetime?');
    expect(a).toMatch(/^8 hours = 28800 s\. /);
    expect(a).toMatch(/Phase 1|IKE/);
  });
  it('judges a stated lifetime against the range of its phase', () => {
    expect(lifetimeAnswer(policy, 'phase 2 lifetime 28800 ok?')).toMatch(/^No\. .*outside 900-3600 s/);
    expect(lifetimeAnswer(policy, 'is a phase 1 lifetime of 86400 accepted')).toMatch(/^No\. /);
    expect(lifetimeAnswer(policy, 'p2 lifetime 3600 correct?')).toMatch(/^Yes\. /);
    expect(lifetimeAnswer(policy, 'ike lifetime 8h fine?')).toMatch(/^Yes\. .*28800 s/);
    // No phase named: which range applies is unknown.
    expect(lifetimeAnswer(policy, 'lifetime 3600 ok?')).toBeNull();
    expect(answer('p2 lifetime 3600 correct?')).toMatch(/^Yes\. /);
  });
  it('reads "only when" as a condition and "1 pair" against "more than one"', () => {
    expect(answer('are both tunnels usable at the same time')).toMatch(/^Yes\. .*asymmetric routing/);
    expect(answer('can we have more than one sa pair per tunnel')).toMatch(/^No\. /);
    expect(answer('can the cloud side start the tunnel?')).toMatch(/^No\. /);
  });
});
