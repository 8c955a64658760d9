import { describe, expect, it } from 'vitest';
import { Assistant } from '../../src/conversation/assistant.js';
import { DirectAnswerer } from '../../src/conversation/direct-answer.js';
import { ellipsisOf, swapSlot } from '../../src/conversation/fact-follow-up.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import { LocalClassifier } from '../../src/nlu/local-classifier.js';

const kb = loadKnowledgeBase();
const answerer = new DirectAnswerer(kb);
const answer = (q: string) => answerer.answer(q)?.text ?? null;
// Trained once, outside any test's time budget.
const classifier = new LocalClassifier(kb);

describe('yes/no on features and values the requirements exclude', () => {
  it('says no to what the policy leaves out, yes to what it keeps', () => {
    expect(answer('is AH ok instead of ESP?')).toMatch(/^No\. AH/);
    expect(answer('is pfs optional?')).toMatch(/^No\. /);
    expect(answer('can we disable dead peer detection?')).toMatch(/^No\. /);
    expect(answer('is dpd required?')).toMatch(/^Yes\. /);
    expect(answer('is nat traversal supported?')).toMatch(/^Yes\. /);
  });
  it('does not read a diagnosis as a rule question', () => {
    expect(answer('could our IPS be rate limiting the dpd packets?') ?? '').not.toMatch(/^Yes\. Dead Peer Detection is accepted/);
  });
  it('reads "not" inside one condition apart from the rest of the fact', () => {
    expect(answer('is bgp supported')).toMatch(/^Yes\. /);
  });
  it('says no to one thing used twice and to the opposite of a stated value', () => {
    expect(answer('can we use the same public ip for two vpns?')).toMatch(/^No\. /);
    expect(answer('can the customer gateway have a dynamic ip?')).toMatch(/^No\. .*static/);
  });
  it('reads spellings of people who write from memory', () => {
    expect(answer('phase 2 life time in secs pls')).toMatch(/3600/);
    expect(answer('lifetime fase 1?')).toMatch(/28800/);
  });
});

describe('elliptical follow-ups to a fact question', () => {
  it('finds what the short message adds', () => {
    expect(ellipsisOf('what about phase 2?')).toBe('phase 2');
    expect(ellipsisOf('and for p1?')).toBe('p1');
    expect(ellipsisOf('the tunnel drops every hour and we use ikev2 on a fortigate 7.2 cluster')).toBeNull();
  });
  it('swaps the slot the follow-up fills, or appends a unit', () => {
    expect(swapSlot('phase 1 lifetime?', 'phase 2')).toBe('phase 2 lifetime?');
    expect(swapSlot('is group 19 ok for phase 1?', 'phase 2')).toBe('is group 19 ok for phase 2?');
    expect(swapSlot('phase 1 lifetime?', 'minutes')).toBe('phase 1 lifetime in minutes');
    expect(swapSlot('max routes?', 'fortigate')).toBeNull();
  });
  it('answers "what about phase 2?" in a conversation, and thanks without re-answering', async () => {
    const assistant = new Assistant({ kb, classifier });
    const say = (text: string) => assistant.handle({ text, user: 'u', channel: 'c', platform: 'test' });
    expect((await say('phase 1 lifetime?')).answer).toMatch(/28800/);
    expect((await say('what about phase 2?')).answer).toMatch(/3600/);
    const thanks = await say('thanks!');
    expect(thanks.answer ?? null).toBeNull();
    expect(thanks.topic ?? null).toBeNull();
    // Without a fact question before it, the same words open the phase 2 topic.
    const fresh = await assistant.handle({ text: 'what about phase 2?', user: 'u', channel: 'other', platform: 'test' });
    expect(fresh.answer ?? null).toBeNull();
  });
});
