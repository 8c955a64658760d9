import { describe, expect, it } from 'vitest';
import { DirectAnswerer } from '../../src/conversation/direct-answer.js';
import { policyAnswer } from '../../src/conversation/policy-answer.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import { questionShape } from '../../src/nlu/question-form.js';

const kb = loadKnowledgeBase();
const answerer = new DirectAnswerer(kb);
const answer = (q: string) => answerer.answer(q)?.text ?? null;

describe('question form', () => {
  it('tells value, choice and polar questions from symptoms and procedures', () => {
    expect(questionShape('what lifetime for the ike sa?')?.form).toBe('value');
    expect(questionShape('esp or ah for the ipsec sa?')?.form).toBe('choice');
    expect(questionShape('is aggressive mode supported')?.form).toBe('polar');
    expect(questionShape('sha-512 ok?')?.form).toBe('polar');
    expect(questionShape("can't reach the environment over the vpn")).toBeNull();
    expect(questionShape('how do i configure the forwarder on windows')).toBeNull();
    expect(questionShape('dpd disabled on our end, could that be the cause?')).toBeNull();
  });
});

describe('direct answers from the requirement tables and topic facts', () => {
  it('answers a number with the value and its qualifying note', () => {
    const a = answer('how long should the ipsec sa live?');
    expect(a).toMatch(/3600 s/);
    expect(a).toMatch(/3060/);
  });
  it('answers the phase 1 lifetime, not the phase 2 one', () => {
    expect(answer('what is the ike sa lifetime')).toMatch(/28800/);
  });
  it('answers a port question with the port', () => {
    expect(answer('which udp port does ike use?')).toMatch(/UDP 500/);
  });
  it('answers a choice question with the chosen option', () => {
    expect(answer('should the ipsec mode be tunnel or transport?')).toMatch(/tunnel mode/i);
  });
  it('starts a polar answer with yes or no, then gives the rule', () => {
    expect(answer('is ipv6 supported on the tunnel?')).toMatch(/^No\. .*IPv6/);
    expect(answer('is perfect forward secrecy needed for phase 2?')).toMatch(/^Yes\. /);
    expect(answer('do the cloud database servers reply to ping?')).toMatch(/^No\. /);
  });
  it('gives no direct answer to a symptom, a request or an unrelated question', () => {
    expect(answer('tunnel keeps dropping since this morning')).toBeNull();
    expect(answer('who won the match last night?')).toBeNull();
    expect(answer('please open a support case for our vpn')).toBeNull();
  });
});

describe('policy answers (requirements.yaml policy block)', () => {
  const policy = kb.requirements!.policy;
  it('says no to an algorithm only the platform underneath takes, and says why', () => {
    const a = policyAnswer(policy, 'aes-gcm fine?');
    expect(a).toMatch(/^No\. /);
    expect(a).toMatch(/not supported by OutSystems/);
  });
  it('answers per phase when the phases differ (DH group 5)', () => {
    const a = policyAnswer(policy, 'dh group 5?')!;
    expect(a).toMatch(/^No for phase 1/);
    expect(a).toMatch(/Yes for phase 2/);
  });
  it('answers only the phase asked about', () => {
    expect(policyAnswer(policy, 'group 5 for pfs in phase 2?')).toMatch(/^Yes\. /);
    expect(policyAnswer(policy, 'can we use group 14 in phase 1?')).toMatch(/^Yes\. /);
  });
  it('leaves a whole proposal to the evidence engine', () => {
    expect(policyAnswer(policy, 'aes256 sha256 group 14 ok?')).toBeNull();
  });
});
