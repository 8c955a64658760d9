import type { Logger } from 'pino';
import { Assistant, type AgentsPort, type CheckRunner, type Inbound } from '../conversation/assistant.js';
import type { CheckArgs } from '../conversation/commands.js';
import { checkCommand, probeLabel } from '../diagnosis/check-reply.js';
import { CheckInputError, checkInputFromArgs, type CheckInput } from '../diagnosis/input.js';
import type { CheckReport } from '../diagnosis/report.js';
import { reply, type Reply } from '../reply/reply.js';
import type { Store } from '../store/index.js';
import { AgentUnavailableError, type AgentHub, type AgentStatus } from './hub.js';
import { AgentCheckError, AgentChoiceError, type RemoteChecks } from './remote-checks.js';

/** Turns a check report into the chat reply (src/diagnosis/check-reply.ts); `agent` says where it ran. */
export type CheckReplyBuilder = (report: CheckReport, context: { agent: string; input: CheckInput }) => Reply;

/** The conversation core's CheckRunner on a server: every check runs on a probe agent. */
export class HubCheckRunner implements CheckRunner {
  constructor(
    private readonly checks: RemoteChecks,
    private readonly toReply: CheckReplyBuilder,
    private readonly log: Logger,
  ) {}

  async run(args: CheckArgs, hooks: { onProgress?: (text: string) => void; requestedBy: Inbound }): Promise<Reply> {
    const { requestedBy } = hooks;
    let input: CheckInput | undefined;
    try {
      input = checkInputFromArgs(args);
      const { agent, report } = await this.checks.run({
        agent: args.agent,
        input,
        requestedBy: { user: requestedBy.user, platform: requestedBy.platform, channel: requestedBy.channel },
        onProgress: (p) => hooks.onProgress?.(`[${p.completed}/${p.planned}] ${probeLabel(p.result, input)} ${p.result.target}: ${p.line}`),
      });
      return this.toReply(report, { agent, input });
    } catch (err) {
      if (err instanceof AgentChoiceError) {
        const checked = input; // a const, so the closure below sees it narrowed
        return reply({
          kind: 'error',
          title: err.reason === 'none-online' ? 'No probe agent is online' : 'Which agent should run the check?',
          summary:
            err.reason === 'none-online'
              ? 'Checks run from inside your network through a probe agent. Start one on a server in your LAN with `vpn-doctor agent --hub <url> --token <token> --name <name> --allow <rules>`.'
              : err.message,
          items: err.online.map((name) => ({ label: name, detail: 'online' })),
          actions: checked ? err.online.slice(0, 5).map((name) => ({ id: `check-on-${name}`, label: `Run on ${name}`, command: checkCommand(checked, name) })) : [],
        });
      }
      if (err instanceof AgentCheckError) {
        return reply({
          kind: 'error',
          title: err.refused ? `Agent ${err.agent} refused part of the check` : `The check did not complete on agent ${err.agent}`,
          summary: err.refused
            ? 'Some targets are outside the agent\'s allowlist, so no diagnosis was made. Add them to the agent\'s --allow rules (for example the cloud DNS servers and the cloud range), or check other targets.'
            : 'Some probes never ran (agent busy, disconnected or too slow), so no diagnosis was made. Ask "agents" to see its state, then run the check again.',
          items: err.failures.slice(0, 10).map((f) => ({ label: f })),
        });
      }
      if (err instanceof AgentUnavailableError) {
        return reply({ kind: 'error', title: 'That agent cannot run checks now', summary: `${err.message}. Ask "agents" to see which ones are online.` });
      }
      if (err instanceof CheckInputError) {
        return reply({ kind: 'error', title: 'I could not run that check', summary: err.problems.join('; ') });
      }
      this.log.error({ err }, 'check through an agent failed');
      throw err;
    }
  }
}

/** The conversation core's AgentsPort: "agents" and "keepalive on|off AGENT [here]". */
export class HubAgentsPort implements AgentsPort {
  constructor(
    private readonly hub: AgentHub,
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<Reply> {
    const agents = this.hub.list().filter((a) => !a.revoked);
    const online = agents.filter((a) => a.online).length;
    if (agents.length === 0) {
      return reply({
        kind: 'help',
        title: 'No probe agents yet',
        summary: 'Register one on the server with `vpn-doctor agents add NAME`, then start it on a machine in your network with the token it prints.',
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
    const status = this.hub.list().find((a) => a.name === agent && !a.revoked);
    if (!status) return reply({ kind: 'error', title: `No agent "${agent}"`, summary: 'Ask "agents" for the list of probe agents.' });
    const target = status.capabilities?.keepalive?.target;

    if (!on) {
      // Only the conversation it is typed in: anyone can DM the bot, and "off" from one chat must not
      // silence the on-call channel's alerts elsewhere.
      if (!conversation) {
        return reply({ kind: 'error', title: `Keep-alive alerts for ${agent} not changed`, summary: 'Type "keepalive off <agent>" in the conversation that should stop getting its alerts.' });
      }
      const removed = this.store.subscriptions.removeInChannel(agent, conversation.platform, conversation.channel);
      const others = this.store.subscriptions.forAgent(agent).length;
      const still = others === 0 ? 'no other conversation is subscribed' : `${others} other conversation${others === 1 ? '' : 's'} still subscribed`;
      return reply({
        kind: 'help',
        title: removed > 0 ? `Keep-alive alerts off for ${agent} here` : `No keep-alive alerts for ${agent} here`,
        summary:
          (removed > 0 ? `Alerts for ${agent} stopped in this channel; ${still}. ` : `This channel was not subscribed to alerts from ${agent}; ${still}. `) +
          'The agent keeps pinging, since that traffic is what keeps the tunnel up; stop it on the agent host if you really mean to.',
      });
    }

    if (conversation) {
      this.store.subscriptions.upsert({
        agent,
        conversationKey: Assistant.conversationKey(conversation),
        platform: conversation.platform,
        // The adapter's own address (Teams conversation reference, Slack channel) when it gave one.
        reference: conversation.address ?? { platform: conversation.platform, channel: conversation.channel, thread: conversation.thread ?? null },
        createdBy: conversation.user,
        createdAt: this.now(),
      });
    }
    const started = this.hub.controlMonitor(agent, 'start');
    const where = conversation ? 'You will get tunnel up/down alerts in this conversation.' : 'Alerts go to the server log and to conversations that asked with "here".';
    const monitor = !target
      ? `${agent} has no keep-alive target: restart it with --keepalive <cloud DNS IP> so it can keep the tunnel up and see drops.`
      : started
        ? `${agent} pings ${target} every ${Math.round((status.capabilities?.keepalive?.intervalMs ?? 5000) / 1000)} s.`
        : `${agent} is offline; it will monitor ${target} when it reconnects.`;
    return reply({ kind: 'help', title: `Keep-alive alerts on for ${agent}`, summary: `${where} ${monitor}` });
  }
}

function describeAgent(a: AgentStatus, now: number): string {
  const parts = [a.online ? (a.draining ? 'online, shutting down' : 'online') : `offline${a.lastSeen ? `, last seen ${ago(now - a.lastSeen)}` : ', never connected'}`];
  if (a.version) parts.push(`v${a.version}`);
  if (a.capabilities) {
    parts.push(`ICMP ${a.capabilities.icmp}`);
    parts.push(a.capabilities.traceroute ? 'traceroute' : 'no traceroute');
    if (a.capabilities.keepalive) parts.push(`keep-alive ${a.capabilities.keepalive.target}${a.monitor && a.online ? ` (tunnel ${a.monitor})` : ''}`);
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
