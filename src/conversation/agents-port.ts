import type { AgentHub, AgentStatus } from '../agents/hub.js';
import { reply, type Reply } from '../reply/reply.js';
import type { Store } from '../store/index.js';
import { Assistant, type AgentsPort, type Inbound } from './assistant.js';

/** The conversation core's AgentsPort: "agents" and "keepalive on|off AGENT [here]". */
export class HubAgentsPort implements AgentsPort {
  constructor(
    private readonly hub: AgentHub,
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<Reply> {
    const agents = (await this.hub.list()).filter((a) => !a.revoked);
    const online = agents.filter((a) => a.online).length;
    if (agents.length === 0) {
      return reply({
        kind: 'help',
        title: 'No probe agents yet',
        summary:
          'Register one on the server with `vpn-doctor agents add NAME`, then start it on a machine in your network with the token it prints.',
      });
    }
    return reply({
      kind: 'list',
      title: `${agents.length} probe agent${agents.length === 1 ? '' : 's'}, ${online} online`,
      summary: 'Run a check on one with "check <host> dns <ip> on <agent>"; get tunnel alerts here with "keepalive on <agent> here".',
      items: agents.map((a) => ({ label: a.name, detail: describeAgent(a, this.now()) })),
    });
  }

  async setKeepalive(agent: string, on: boolean, conversation: Inbound | null): Promise<Reply> {
    const status = (await this.hub.list()).find((a) => a.name === agent && !a.revoked);
    if (!status) return reply({ kind: 'error', title: `No agent "${agent}"`, summary: 'Ask "agents" for the list of probe agents.' });
    const target = status.capabilities?.keepalive?.target;

    if (!on) {
      // Only the conversation it is typed in: anyone can DM the bot, and "off" from one chat must not
      // silence the on-call channel's alerts elsewhere.
      if (!conversation) {
        return reply({
          kind: 'error',
          title: `Keep-alive alerts for ${agent} not changed`,
          summary: 'Type "keepalive off <agent>" in the conversation that should stop getting its alerts.',
        });
      }
      const removed = await this.store.subscriptions.removeInChannel(agent, conversation.platform, conversation.channel);
      const others = (await this.store.subscriptions.forAgent(agent)).length;
      const still =
        others === 0 ? 'no other conversation is subscribed' : `${others} other conversation${others === 1 ? '' : 's'} still subscribed`;
      return reply({
        kind: 'help',
        title: removed > 0 ? `Keep-alive alerts off for ${agent} here` : `No keep-alive alerts for ${agent} here`,
        summary:
          (removed > 0
            ? `Alerts for ${agent} stopped in this channel; ${still}. `
            : `This channel was not subscribed to alerts from ${agent}; ${still}. `) +
          'The agent keeps pinging, since that traffic is what keeps the tunnel up; stop it on the agent host if you really mean to.',
      });
    }

    if (conversation) {
      await this.store.subscriptions.upsert({
        agent,
        conversationKey: Assistant.conversationKey(conversation),
        platform: conversation.platform,
        // The adapter's own address (Teams conversation reference, Slack channel) when it gave one.
        reference: conversation.address ?? {
          platform: conversation.platform,
          channel: conversation.channel,
          thread: conversation.thread ?? null,
        },
        createdBy: conversation.user,
        createdAt: this.now(),
      });
    }
    const started = await this.hub.controlMonitor(agent, 'start');
    const where = conversation
      ? 'You will get tunnel up/down alerts in this conversation.'
      : 'Alerts go to the server log and to conversations that asked with "here".';
    const monitor = !target
      ? `${agent} has no keep-alive target: restart it with --keepalive <cloud DNS IP> so it can keep the tunnel up and see drops.`
      : started
        ? `${agent} pings ${target} every ${Math.round((status.capabilities?.keepalive?.intervalMs ?? 5000) / 1000)} s.`
        : `${agent} is offline; it will monitor ${target} when it reconnects.`;
    return reply({ kind: 'help', title: `Keep-alive alerts on for ${agent}`, summary: `${where} ${monitor}` });
  }
}

function describeAgent(a: AgentStatus, now: number): string {
  const parts = [
    a.online
      ? a.draining
        ? 'online, shutting down'
        : 'online'
      : `offline${a.lastSeen ? `, last seen ${ago(now - a.lastSeen)}` : ', never connected'}`,
  ];
  if (a.version) parts.push(`v${a.version}`);
  if (a.capabilities) {
    parts.push(`ICMP ${a.capabilities.icmp}`);
    parts.push(a.capabilities.traceroute ? 'traceroute' : 'no traceroute');
    if (a.capabilities.keepalive)
      parts.push(`keep-alive ${a.capabilities.keepalive.target}${a.monitor && a.online ? ` (tunnel ${a.monitor})` : ''}`);
  }
  if (a.runningJobs > 0) parts.push(`${a.runningJobs} job(s) running`);
  return parts.join(' · ');
}

function ago(ms: number): string {
  if (ms < 90_000) return `${Math.max(0, Math.round(ms / 1000))} s ago`;
  if (ms < 5_400_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${Math.round(ms / 86_400_000)} days ago`;
}
