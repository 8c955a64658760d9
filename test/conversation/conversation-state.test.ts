/**
 * The conversation keeps its thread: through the real Assistant, knowledge base and local classifier.
 */
import { describe, expect, it } from 'vitest';
import { Assistant } from '../../src/conversation/assistant.js';
import { roleIn } from '../../src/conversation/conversation-state.js';
import { askedPlatform } from '../../src/conversation/platform-follow-up.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import { LocalClassifier } from '../../src/nlu/local-classifier.js';

const kb = loadKnowledgeBase();
const classifier = new LocalClassifier(kb);

function conversation() {
  const assistant = new Assistant({ kb, classifier });
  const channel = `t-${Math.random()}`;
  return (text: string) => assistant.handle({ text, user: 'u', channel, platform: 'test' });
}

describe('host roles', () => {
  it('reads what a host is from the words around it', () => {
    expect(roleIn("that's our db server in the cloud")).toBe('cloud-database');
    expect(roleIn('it is the outsystems dns server')).toBe('cloud-dns');
    expect(roleIn('the front end of our prod environment')).toBe('front-end');
    expect(roleIn('our on-prem oracle database')).toBe('on-premises');
    expect(roleIn('no idea what it is')).toBeNull();
  });
});

describe('a conversation with state', () => {
  it('asks what an unnamed pinged host is, then re-routes when told, and says it switched', async () => {
    const say = conversation();
    const first = await say('ping to 10.20.3.15 over the tunnel times out');
    expect(first.kind).toBe('choices');
    expect(first.summary).toContain('10.20.3.15');
    const second = await say('oh, that one is a database server in the cloud');
    expect(second.kind).toBe('answer');
    expect(second.topic).toBe('ping-front-ends-blocked');
    expect(second.summary).toContain('10.20.3.15 is a database in the cloud');
    expect(second.facts).toContainEqual({ label: 'You said 10.20.3.15', value: 'a database in the cloud' });
  });

  it('says "Switching to" when a later message changes the topic', async () => {
    const say = conversation();
    const a = await say('our cloud app cannot reach the sql server in our datacenter');
    expect(a.topic).toBe('external-database-access');
    const b = await say('separately, the tunnel drops exactly every hour since we moved to ikev2');
    expect(b.topic).toBe('ikev2-hourly-drop');
    expect(b.summary).toMatch(/^Switching to /);
    expect(b.summary).toContain('Clue: "every hour"');
  });

  it('shows the current topic for the platform a short follow-up names', async () => {
    const say = conversation();
    const a = await say('how do i set up the conditional forwarder for outsystemsenterprise.com');
    expect(a.topic).toBe('dns-conditional-forwarder');
    const b = await say('and on bind?');
    expect(b.topic).toBe('dns-conditional-forwarder');
    expect(b.title).toContain('BIND');
    const platforms = b.steps.flatMap((s) => (s.snippets ?? []).map((sn) => sn.platform));
    expect(platforms.length).toBeGreaterThan(0);
    for (const p of platforms) expect(p.toLowerCase()).toContain('bind');
  });

  it("uses a vendor named earlier to pick that vendor's device lines", async () => {
    const say = conversation();
    await say('we run a fortigate 7.4');
    const r = await say('how do we keep the tunnel from going idle, it drops when nobody uses it');
    // Steps with FortiGate lines show only those among the device lines; other steps keep theirs.
    const withFortigate = r.steps.filter((s) => s.snippets?.some((sn) => sn.platform.toLowerCase().includes('fortigate')));
    expect(withFortigate.length).toBeGreaterThan(0);
    for (const s of withFortigate) {
      for (const sn of s.snippets!) if (sn.kind !== 'shell') expect(sn.platform.toLowerCase()).toContain('fortigate');
    }
  });

  it('answers a fact question first and offers the topic on demand', async () => {
    const say = conversation();
    const r = await say('what should the phase 2 lifetime be?');
    expect(r.answer).toMatch(/^Phase 2 \(IPsec SA\) lifetime: 3600 s/);
    expect(r.steps).toEqual([]);
    expect(r.actions.some((a) => a.command.startsWith('topic '))).toBe(true);
    const plain = await say('the tunnel is down since this morning');
    expect(plain.answer ?? null).toBeNull();
  });

  it('says a laptop VPN client is another product', async () => {
    const say = conversation();
    const r = await say('globalprotect on my laptop cannot connect since the update');
    expect(r.kind).toBe('help');
    expect(r.title).toMatch(/remote-access/);
    expect(r.topic).toBeUndefined();
  });

  it('recognises platform follow-ups only when short and shaped like one', () => {
    expect(askedPlatform('and on a fortigate?')?.name).toBe('FortiGate');
    expect(askedPlatform('what about windows')?.name).toBe('Windows');
    expect(askedPlatform('we have a fortigate and the tunnel drops every hour since the upgrade')).toBeNull();
  });
});
