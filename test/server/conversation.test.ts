import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeAgent } from '../../src/agents/agent.js';
import type { Inbound } from '../../src/conversation/assistant.js';
import { startAgent, registerAgent } from '../agents/helpers.js';
import { bodyOf, startTestServer } from './helpers.js';

const inbound = (text: string): Inbound => ({ text, user: 'u1', channel: 'C1', thread: 't1', platform: 'slack' });
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(names: string[], keepalive = false) {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  const agents: ProbeAgent[] = [];
  for (const name of names) {
    const { agent } = startAgent(`${server.url.replace('http', 'ws')}/agents`, await registerAgent(server.store, name), name, {
      ...(keepalive ? { keepalive: { target: '127.0.0.2', intervalMs: 50, ping: async () => ({ ok: true, rttMs: 1 }) } } : {}),
    });
    cleanups.push(() => agent.stop({ timeoutMs: 100 }));
    agents.push(agent);
  }
  await Promise.all(agents.map((a) => a.whenOnline()));
  return { server, agents };
}

describe('the conversation core on a server (CheckRunner and AgentsPort through the hub)', () => {
  it('"agents" lists registered agents with their state', async () => {
    const { server } = await setup(['lan-1']);
    await registerAgent(server.store, 'lan-2');
    const reply = await server.assistant.handle(inbound('agents'));
    expect(reply).toMatchObject({ kind: 'list', title: '2 probe agents, 1 online' });
    expect(reply.items[0]).toMatchObject({ label: 'lan-1', detail: expect.stringContaining('online') });
    expect(reply.items[1]).toMatchObject({ label: 'lan-2', detail: expect.stringContaining('never connected') });
  });

  it('a check with no agent online says how to start one', async () => {
    const { server } = await setup([]);
    const reply = await server.assistant.handle(inbound('check acme.outsystemsenterprise.com dns 10.0.0.2'));
    expect(reply).toMatchObject({ kind: 'error', title: 'No probe agent is online' });
  });

  it('with several agents online, asks which one, offering one action per agent', async () => {
    const { server } = await setup(['lan-1', 'lan-2']);
    const reply = await server.assistant.handle(inbound('check acme.outsystemsenterprise.com dns 10.0.0.2'));
    expect(reply.kind).toBe('error');
    expect(reply.actions.map((a) => a.command)).toEqual([
      'check acme.outsystemsenterprise.com dns 10.0.0.2 on lan-1',
      'check acme.outsystemsenterprise.com dns 10.0.0.2 on lan-2',
    ]);
  });

  it('an offline agent is named as such', async () => {
    const { server } = await setup(['lan-1']);
    await registerAgent(server.store, 'lan-2');
    const reply = await server.assistant.handle(inbound('check acme.outsystemsenterprise.com dns 10.0.0.2 on lan-2'));
    expect(reply).toMatchObject({ kind: 'error', summary: expect.stringContaining('offline') });
  });

  it('"keepalive on AGENT here" subscribes the conversation and starts the monitor; "off" unsubscribes', async () => {
    const { server, agents } = await setup(['lan-1'], true);
    const on = await server.assistant.handle(inbound('keepalive on lan-1 here'));
    expect(on).toMatchObject({ title: 'Keep-alive alerts on for lan-1', summary: expect.stringContaining('pings 127.0.0.2') });
    expect(await server.store.subscriptions.forAgent('lan-1')).toMatchObject([
      { conversationKey: 'slack:C1:t1', platform: 'slack', reference: { channel: 'C1', thread: 't1' }, createdBy: 'u1' },
    ]);
    expect(agents[0]!.tunnelState).not.toBe('off');

    const off = await server.assistant.handle(inbound('keepalive off lan-1 here'));
    expect(off.summary).toContain('Alerts for lan-1 stopped in this channel; no other conversation is subscribed');
    expect(await server.store.subscriptions.forAgent('lan-1')).toEqual([]);
    expect((await server.assistant.handle(inbound('keepalive on nobody'))).kind).toBe('error');
  });

  it('"keepalive off AGENT" (without "here") only unsubscribes the conversation it is typed in', async () => {
    const { server } = await setup(['lan-1'], true);
    const at = (platform: string, channel: string, thread: string | undefined, user = 'u1'): Inbound => ({
      text: '',
      user,
      channel,
      ...(thread ? { thread } : {}),
      platform,
    });
    const say = (where: Inbound, text: string) => server.assistant.handle({ ...where, text });
    await say(at('slack', 'C-ONCALL', 't1'), 'keepalive on lan-1 here');
    await say(at('slack', 'C-NET', 't2'), 'keepalive on lan-1 here');
    await say(at('teams', '19:ops@thread.tacv2', undefined), 'keepalive on lan-1 here');
    expect(await server.store.subscriptions.forAgent('lan-1')).toHaveLength(3);

    // A stranger in a DM cannot silence anyone else's alerts.
    const dm = await say(at('slack', 'D-STRANGER', 't9', 'mallory'), 'keepalive off lan-1');
    expect(dm.summary).toContain('This channel was not subscribed to alerts from lan-1; 3 other conversations still subscribed');
    expect(await server.store.subscriptions.forAgent('lan-1')).toHaveLength(3);

    // In the on-call channel, from another thread (a Slack /vpn command is its user's own thread): that channel only.
    const off = await say(at('slack', 'C-ONCALL', 'slash-U2', 'u2'), 'keepalive off lan-1');
    expect(off.title).toBe('Keep-alive alerts off for lan-1 here');
    expect(off.summary).toContain('Alerts for lan-1 stopped in this channel; 2 other conversations still subscribed');
    expect((await server.store.subscriptions.forAgent('lan-1')).map((s) => s.conversationKey).sort()).toEqual([
      'slack:C-NET:t2',
      'teams:19:ops@thread.tacv2:-',
    ]);

    // Same channel id on another platform is another conversation.
    await say(at('teams', 'C-NET', undefined), 'keepalive off lan-1');
    expect(await server.store.subscriptions.forAgent('lan-1')).toHaveLength(2);
    const last = await say(at('teams', '19:ops@thread.tacv2', '1700000000000'), 'keepalive off lan-1');
    expect(last.summary).toContain('1 other conversation still subscribed');
    expect((await server.store.subscriptions.forAgent('lan-1')).map((s) => s.conversationKey)).toEqual(['slack:C-NET:t2']);
  });

  it('tunnel transitions reach the notifiers with the subscribed conversations', async () => {
    const { server } = await setup([]);
    const seen: { agent: string; kind: string; subs: number }[] = [];
    server.notifiers.add({ notify: (n) => void seen.push({ agent: n.agent, kind: n.event.kind, subs: n.subscriptions.length }) });
    await server.store.subscriptions.upsert({
      agent: 'lan-9',
      conversationKey: 'teams:19:x:-',
      platform: 'teams',
      reference: {},
      createdBy: 'u',
      createdAt: 0,
    });
    let ok = true;
    const { agent } = startAgent(`${server.url.replace('http', 'ws')}/agents`, await registerAgent(server.store, 'lan-9'), 'lan-9', {
      keepalive: { target: '127.0.0.2', intervalMs: 20, ping: async () => ({ ok, rttMs: ok ? 1 : null }), downAfter: 2, upAfter: 2 },
    });
    cleanups.push(() => agent.stop({ timeoutMs: 100 }));
    await agent.whenOnline();
    await new Promise((r) => setTimeout(r, 150));
    ok = false;
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([
      { agent: 'lan-9', kind: 'up', subs: 1 },
      { agent: 'lan-9', kind: 'down', subs: 1 },
    ]);
    const events = await bodyOf(
      fetch(`${server.url}/api/v1/agents/lan-9/events`, { headers: { authorization: 'Bearer test-api-token-0123456789abcdef' } }),
    );
    expect(events.events.map((e: { kind: string }) => e.kind)).toEqual(['down', 'up']);
  });
});
