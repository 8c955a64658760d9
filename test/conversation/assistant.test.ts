import { describe, expect, it } from 'vitest';
import { Assistant, type CheckRunner, type Inbound } from '../../src/conversation/assistant.js';
import { STEPS_SHOWN } from '../../src/conversation/topic-reply.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import type { Classification, ClassifyContext, Entities, IntentClassifier } from '../../src/nlu/types.js';
import { reply, type Reply } from '../../src/reply/reply.js';

const kb = loadKnowledgeBase();

const noEntities = (over: Partial<Entities> = {}): Entities => ({
  ipv4: [],
  cidrs: [],
  fqdns: [],
  durations: [],
  ikeVersion: null,
  ports: [],
  protocols: [],
  vendors: [],
  signatures: [],
  ...over,
});

/**
 * A scripted classifier: the conversation core's routing is what is under test here, so each message
 * maps to a fixed classification. (The real classifier has its own tests and held-out evaluation.)
 */
class ScriptedClassifier implements IntentClassifier {
  contexts: (ClassifyContext | undefined)[] = [];
  constructor(private readonly script: Record<string, Partial<Classification>>) {}
  async classify(text: string, context?: ClassifyContext): Promise<Classification> {
    this.contexts.push(context);
    const s = this.script[text];
    if (!s) throw new Error(`unscripted message: ${text}`);
    return { kind: 'topic', topic: null, confidence: 0.9, alternatives: [], entities: noEntities(), engine: 'local', ...s };
  }
}

const msg = (text: string, thread = 't1'): Inbound => ({ text, user: 'u1', channel: 'c1', thread, platform: 'test' });

describe('Assistant', () => {
  const classifier = new ScriptedClassifier({
    'tunnel drops hourly': { kind: 'topic', topic: 'ikev2-hourly-drop', confidence: 0.93 },
    'still failing': { kind: 'follow-up', topic: null, confidence: 0.8 },
    hello: { kind: 'smalltalk', topic: null },
    'thanks!': { kind: 'smalltalk', topic: null },
    'my printer is jammed': { kind: 'off-topic', topic: null, confidence: 0.95 },
    'phase problem': {
      kind: 'ambiguous',
      topic: 'phase1-ike-failure',
      confidence: 0.41,
      alternatives: [
        { topic: 'phase2-ipsec-failure', confidence: 0.39 },
        { topic: 'phase1-behind-nat', confidence: 0.2 },
      ],
    },
    'cannot reach acme-dev.outsystemsenterprise.com, dns is 10.0.0.2': {
      kind: 'topic',
      topic: 'testing-connectivity',
      entities: noEntities({ fqdns: ['acme-dev.outsystemsenterprise.com'], ipv4: ['10.0.0.2'] }),
    },
  });
  const assistant = new Assistant({ kb, classifier });

  it('answers with the topic, its first steps, facts and actions', async () => {
    const r = await assistant.handle(msg('tunnel drops hourly', 'a'));
    expect(r.kind).toBe('answer');
    expect(r.topic).toBe('ikev2-hourly-drop');
    expect(r.section).toBe('Tunnel drop every 60 minutes while using IKEv2');
    expect(r.confidence).toBe(0.93);
    expect(r.steps.length).toBeLessThanOrEqual(STEPS_SHOWN);
    expect(r.actions.map((a) => a.id)).toEqual(expect.arrayContaining(['fixed', 'still-broken', 'support-case']));
  });

  it('keeps the topic for a follow-up in the same thread and passes it to the classifier', async () => {
    await assistant.handle(msg('tunnel drops hourly', 'b'));
    const r = await assistant.handle(msg('still failing', 'b'));
    expect(classifier.contexts.at(-1)).toEqual({ currentTopic: 'ikev2-hourly-drop' });
    expect(r.topic).toBe('ikev2-hourly-drop');
    expect(r.title).toMatch(/^Still on: /);
    // It moves on instead of repeating the answer: the steps not shown yet, and what to escalate with.
    const topic = kb.byId.get('ikev2-hourly-drop')!;
    expect(r.steps.map((s) => s.text)).toEqual(topic.steps.slice(STEPS_SHOWN).map((s) => s.action));
    expect(r.summary).toContain(topic.escalation);
  });

  it('does not carry context into another thread', async () => {
    await assistant.handle(msg('tunnel drops hourly', 'c'));
    const r = await assistant.handle(msg('still failing', 'other-thread'));
    expect(r.kind).toBe('help');
  });

  it('offers numbered choices when unsure, and a number picks one', async () => {
    const r = await assistant.handle(msg('phase problem', 'd'));
    expect(r.kind).toBe('choices');
    expect(r.actions.map((a) => a.command)).toEqual(['topic phase1-ike-failure', 'topic phase2-ipsec-failure', 'topic phase1-behind-nat']);
    const picked = await assistant.handle(msg('2', 'd'));
    expect(picked.topic).toBe('phase2-ipsec-failure');
    const again = await assistant.handle(msg('2', 'd'));
    expect(again.title).toBe('Nothing to choose');
  });

  it('answers smalltalk and off-topic messages without a topic', async () => {
    expect((await assistant.handle(msg('hello', 'e'))).title).toMatch(/vpn-doctor/);
    expect((await assistant.handle(msg('thanks!', 'e'))).title).toBe('You are welcome');
    const off = await assistant.handle(msg('my printer is jammed', 'e'));
    expect(off.kind).toBe('help');
    expect(off.topic).toBeUndefined();
  });

  it('lists topics and shows one in full', async () => {
    const list = await assistant.handle(msg('topics', 'f'));
    expect(list.items).toHaveLength(kb.topics.length);
    const full = await assistant.handle(msg('topic testing-connectivity all', 'f'));
    expect(full.steps).toHaveLength(kb.byId.get('testing-connectivity')!.steps.length);
    expect((await assistant.handle(msg('topic nope', 'f'))).kind).toBe('error');
  });

  it('asks for the host and DNS server when a check lacks them, and says when checks are unavailable', async () => {
    expect((await assistant.handle(msg('check', 'g'))).title).toBe('What should I check?');
    const r = await assistant.handle(msg('check acme.outsystemsenterprise.com dns 10.0.0.2', 'g'));
    expect(r.kind).toBe('error');
    expect(r.title).toBe('Checks are not available here');
  });

  it('prefills "Run checks" from what the user said, and runs it with progress', async () => {
    const calls: unknown[] = [];
    const progress: Reply[] = [];
    const checks: CheckRunner = {
      async run(args, hooks) {
        calls.push(args);
        hooks.onProgress?.('dns 10.0.0.2: answered');
        return reply({ kind: 'check', title: 'Connectivity check', summary: 'ok', verdict: 'healthy', topic: 'testing-connectivity' });
      },
    };
    const a = new Assistant({ kb, classifier, checks });
    const answer = await a.handle(msg('cannot reach acme-dev.outsystemsenterprise.com, dns is 10.0.0.2', 'h'));
    const run = answer.actions.find((x) => x.id === 'run-checks');
    expect(run?.command).toBe('check acme-dev.outsystemsenterprise.com dns 10.0.0.2');
    const result = await a.handle(msg(run!.command, 'h'), { progress: (r) => void progress.push(r) });
    expect(result.verdict).toBe('healthy');
    expect(calls).toEqual([{ hosts: ['acme-dev.outsystemsenterprise.com'], dnsServers: ['10.0.0.2'], sentry: false }]);
    expect(progress.map((p) => p.kind)).toEqual(['progress', 'progress']);
    const again = await a.handle(msg('check', 'h'));
    expect(again.verdict).toBe('healthy');
  });

  it('drafts a support case from the conversation', async () => {
    await assistant.handle(msg('tunnel drops hourly', 'i'));
    const r = await assistant.handle(msg('support case', 'i'));
    expect(r.title).toBe('Support case draft');
    expect(r.summary).toContain('Reported symptoms: tunnel drops hourly');
    expect(r.summary).toContain('Tunnel drop every 60 minutes while using IKEv2');
  });

  it('explains a malformed command instead of guessing', async () => {
    const r = await assistant.handle(msg('check acme.outsystemsenterprise.com dns nope', 'j'));
    expect(r.kind).toBe('error');
    expect(r.summary).toContain('"dns" needs an IP address');
  });
});

describe('Assistant: what a conversation remembers for a check', () => {
  it('a bare "check" reuses the host, DNS servers, resolver and Sentry named earlier', async () => {
    const text = 'we are on sentry, acme.outsystemsenterprise.com fails; cloud dns 10.0.0.2, our resolver 192.168.1.4';
    const classifier = new ScriptedClassifier({
      [text]: { kind: 'topic', topic: 'testing-connectivity', entities: noEntities({ fqdns: ['acme.outsystemsenterprise.com'] }) },
    });
    const calls: unknown[] = [];
    const checks: CheckRunner = {
      async run(args) {
        calls.push(args);
        return reply({ kind: 'check', title: 'VPN check', summary: 'ok', verdict: 'healthy' });
      },
    };
    const a = new Assistant({ kb, classifier, checks });
    const answer = await a.handle(msg(text, 'k'));
    expect(answer.actions.find((x) => x.id === 'run-checks')?.command).toBe(
      'check acme.outsystemsenterprise.com dns 10.0.0.2 resolver 192.168.1.4 sentry',
    );
    await a.handle(msg('check', 'k'));
    expect(calls).toEqual([{ hosts: ['acme.outsystemsenterprise.com'], dnsServers: ['10.0.0.2'], resolver: '192.168.1.4', sentry: true }]);
  });
});
