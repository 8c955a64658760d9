import { describe, expect, it } from 'vitest';
import type { TunnelNotification } from '../../src/agents/notifier.js';
import { AlertRouter } from '../../src/conversation/alert-router.js';
import { captureLogger } from '../agents/helpers.js';

describe('alert routing to chat platforms', () => {
  const notification = (subscriptions: { platform: string; reference: unknown }[]) =>
    ({
      agent: 'lan-1',
      subscriptions: subscriptions.map((s) => ({
        agent: 'lan-1',
        conversationKey: `${s.platform}:x:-`,
        createdBy: 'u',
        createdAt: 0,
        ...s,
      })),
      reply: { title: 'VPN tunnel down (agent lan-1)' },
    }) as unknown as TunnelNotification;

  it("posts each subscription's address to its platform's channel, the default destination when nobody subscribed", async () => {
    const { log, lines } = captureLogger();
    const router = new AlertRouter(log);
    const posts: string[] = [];
    router.add({
      platform: 'slack',
      defaultAddress: { channel: '#vpn' },
      post: async (a, r) => void posts.push(`slack ${JSON.stringify(a)} ${r.title}`),
    });
    const removeTeams = router.add({
      platform: 'teams',
      post: async () => {
        throw new Error('Teams is down');
      },
    });
    await router.notify(
      notification([
        { platform: 'slack', reference: { channel: 'C1' } },
        { platform: 'teams', reference: { id: 'x' } },
      ]),
    );
    expect(posts).toEqual(['slack {"channel":"C1"} VPN tunnel down (agent lan-1)']);
    expect(lines.some((l) => l.msg === 'tunnel alert could not be posted')).toBe(true);
    await router.notify(notification([]));
    expect(posts.at(-1)).toBe('slack {"channel":"#vpn"} VPN tunnel down (agent lan-1)');
    removeTeams();
    // A Teams subscription (even with Teams gone) does not silence the Slack default channel.
    await router.notify(notification([{ platform: 'teams', reference: {} }]));
    expect(posts).toHaveLength(3);
    expect(posts.at(-1)).toBe('slack {"channel":"#vpn"} VPN tunnel down (agent lan-1)');
  });

  it('the default destination is per platform: a subscription elsewhere does not silence it', async () => {
    const { log } = captureLogger();
    const router = new AlertRouter(log);
    const posts: string[] = [];
    router.add({
      platform: 'slack',
      defaultAddress: { channel: '#vpn' },
      post: async (a) => void posts.push(`slack ${JSON.stringify(a)}`),
    });
    router.add({ platform: 'teams', post: async (a) => void posts.push(`teams ${JSON.stringify(a)}`) });
    await router.notify(notification([{ platform: 'teams', reference: { id: 'ops' } }]));
    expect(posts.sort()).toEqual(['slack {"channel":"#vpn"}', 'teams {"id":"ops"}']);
    posts.length = 0;
    // A Slack subscription replaces Slack's default (no double post), Teams without a default gets nothing extra.
    await router.notify(notification([{ platform: 'slack', reference: { channel: 'C1' } }]));
    expect(posts).toEqual(['slack {"channel":"C1"}']);
  });
});
