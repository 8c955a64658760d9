import type { KnowledgeBase } from '../knowledge/loader.js';
import type { Classification, IntentClassifier } from '../nlu/types.js';
import { reply, type Reply } from '../reply/reply.js';
import { COMMAND_HELP, parseCommand, type CheckArgs, type Command } from './commands.js';
import { checkHints } from './check-hints.js';
import type { InboundFile, SkippedFile } from './inbound-file.js';
import { SessionStore, type Session } from './session.js';
import { supportCaseReply } from './support-case.js';
import { analysePasted } from './evidence-reply.js';
import { isPastedEvidence, sharedFilesReply } from './shared-files.js';
import { STEPS_SHOWN, topicReply } from './topic-reply.js';
import { TurnReader } from './turn-reader.js';
import { classifyInThread } from './thread-classify.js';
import { noTopicReply } from './no-topic-reply.js';

/** One message from any voice, already stripped of its platform wrapping. */
export interface Inbound {
  text: string;
  user: string;
  /** Channel, DM or terminal id: together with thread it names the conversation. */
  channel: string;
  thread?: string;
  platform: string;
  /**
   * Opaque to the core: what the adapter needs to post into this conversation later (a Teams conversation
   * reference, a Slack channel and thread). Stored with keep-alive subscriptions for proactive alerts.
   */
  address?: unknown;
  /** Files shared with the message, read as text by the adapter, and the ones it could not read (with why). */
  files?: InboundFile[];
  skippedFiles?: SkippedFile[];
}

/** Runs connectivity checks (locally or through a probe agent) and turns the results into a Reply. */
export interface CheckRunner {
  run(args: CheckArgs, hooks: { onProgress?: (text: string) => void; requestedBy: Inbound }): Promise<Reply>;
}

/** Optional capabilities that only a server with an agent hub has. */
export interface AgentsPort {
  list(): Promise<Reply>;
  setKeepalive(agent: string, on: boolean, conversation: Inbound | null): Promise<Reply>;
}

export interface FeedbackPort {
  record(entry: { inbound: Inbound; topic: string | null; fixed: boolean }): void | Promise<void>;
}

export interface AssistantDeps {
  kb: KnowledgeBase;
  classifier: IntentClassifier;
  checks?: CheckRunner;
  agents?: AgentsPort;
  feedback?: FeedbackPort;
  sessions?: SessionStore;
}

export interface HandleHooks {
  /** Called with interim replies (e.g. "running checks...") that an adapter may show and later replace. */
  progress?: (interim: Reply) => void | Promise<void>;
  /**
   * The voice answers once and the conversation ends there (`vpn-doctor ask`): show every step, and turn
   * buttons and numbered choices, which nobody could press, into commands to run next.
   */
  oneShot?: boolean;
}

const HISTORY_KEPT = 20;

/**
 * The conversation core: turns one inbound message into one Reply. It knows the knowledge base, the
 * classifier and the checks, and nothing about Slack, Teams or terminals.
 */
export class Assistant {
  readonly sessions: SessionStore;
  private readonly turns: TurnReader;

  constructor(private readonly deps: AssistantDeps) {
    this.sessions = deps.sessions ?? new SessionStore();
    this.turns = new TurnReader(deps.kb);
  }

  static conversationKey(m: Inbound): string {
    return `${m.platform}:${m.channel}:${m.thread ?? '-'}`;
  }

  async handle(inbound: Inbound, hooks: HandleHooks = {}): Promise<Reply> {
    const session = this.sessions.get(Assistant.conversationKey(inbound));
    // Shared files are evidence to read, whatever the message around them says.
    if (inbound.files?.length || inbound.skippedFiles?.length)
      return sharedFilesReply(inbound.files ?? [], inbound.skippedFiles ?? [], session);
    const command = parseCommand(inbound.text);
    if (command.name === 'question') {
      session.history.push(command.text);
      if (session.history.length > HISTORY_KEPT) session.history.shift();
    }
    const answer = await this.run(command, inbound, session, hooks);
    return hooks.oneShot ? asOneShot(answer) : answer;
  }

  private async run(command: Command, inbound: Inbound, session: Session, hooks: HandleHooks): Promise<Reply> {
    const { kb } = this.deps;
    switch (command.name) {
      case 'help':
        return helpReply();
      case 'invalid':
        return reply({ kind: 'error', title: 'I could not read that command', summary: command.message });
      case 'topics':
        return reply({
          kind: 'list',
          title: `${kb.topics.length} topics from the troubleshooting guide`,
          summary: 'Ask "topic <id>" to see one in full, or just describe the problem.',
          items: kb.topics.map((t) => ({ label: t.id, detail: t.title })),
        });
      case 'topic': {
        const topic = kb.byId.get(command.id);
        if (!topic) return reply({ kind: 'error', title: `No topic "${command.id}"`, summary: 'Ask "topics" for the list of topic ids.' });
        session.currentTopic = topic.id;
        session.pendingChoices = [];
        return topicReply(kb, topic, { allSteps: command.all, checkCommand: prefilledCheck(session) });
      }
      case 'more-steps': {
        const topic = session.currentTopic ? kb.byId.get(session.currentTopic) : undefined;
        if (!topic) return reply({ kind: 'help', title: 'Which topic?', summary: 'Ask a question first, or "topic <id>".' });
        return topicReply(kb, topic, { allSteps: true, checkCommand: prefilledCheck(session) });
      }
      case 'choose': {
        const id = session.pendingChoices[command.index - 1];
        const topic = id ? kb.byId.get(id) : undefined;
        if (!topic) {
          return reply({
            kind: 'help',
            title: 'Nothing to choose',
            summary: 'There is no open choice with that number. Describe the problem instead.',
          });
        }
        session.currentTopic = topic.id;
        session.pendingChoices = [];
        return topicReply(kb, topic, { checkCommand: prefilledCheck(session) });
      }
      case 'feedback': {
        await this.deps.feedback?.record({ inbound, topic: session.currentTopic, fixed: command.fixed });
        if (command.fixed) {
          return reply({
            kind: 'help',
            title: 'Glad it works again',
            summary: 'Thanks for telling me; it helps rank the answers. Keep a keep-alive running so an idle tunnel does not drop again.',
          });
        }
        const current = session.currentTopic ? kb.byId.get(session.currentTopic) : undefined;
        return reply({
          kind: 'help',
          title: 'Sorry it is still broken',
          summary: current
            ? `${current.escalation} You can also run the connectivity checks, or prepare a support case with what we know so far.`
            : 'Run the connectivity checks, or prepare a support case with what we know so far.',
          actions: [
            { id: 'run-checks', label: 'Run checks', command: prefilledCheck(session), style: 'primary' },
            { id: 'support-case', label: 'Prepare support case', command: 'support case' },
          ],
        });
      }
      case 'support-case':
        return supportCaseReply(kb, session);
      case 'check':
        return this.check(command.args, inbound, session, hooks);
      case 'agents':
        if (!this.deps.agents) return noAgentsReply();
        return this.deps.agents.list();
      case 'keepalive':
        if (!this.deps.agents) return noAgentsReply();
        return this.deps.agents.setKeepalive(command.agent, command.on, command.here || !command.on ? inbound : null);
      case 'question':
        // Pasted log lines or a pasted configuration are evidence to read, not a question to classify.
        if (isPastedEvidence(command.text)) return analysePasted(command.text, session);
        return this.answer(command.text, session, hooks.oneShot === true);
    }
  }

  private async answer(text: string, session: Session, allSteps: boolean): Promise<Reply> {
    const { kb, classifier } = this.deps;
    const classified = await classifyInThread(classifier, text, session);
    rememberEntities(session, text, classified);
    // Conversation state, direct answers, platform follow-ups and re-routing (turn-reader.ts).
    const previousTopic = session.currentTopic;
    const reading = this.turns.read(text, classified, session);
    if (reading.reply) {
      if (reading.reply.topic) session.currentTopic = reading.reply.topic;
      session.pendingChoices = [];
      return reading.reply;
    }
    const c = reading.classification;

    if (c.kind === 'smalltalk') return smalltalkReply(text);
    if (c.kind === 'off-topic') return noTopicReply(text, c);

    if (c.kind === 'ambiguous') {
      const options = [c.topic, ...c.alternatives.map((a) => a.topic)]
        .filter((id): id is string => id !== null && kb.byId.has(id))
        .slice(0, 3);
      session.pendingChoices = options;
      return reply({
        kind: 'choices',
        title: options.length > 1 ? 'Which of these is closest?' : 'Is this what you mean?',
        summary:
          reading.askBack ??
          (options.length > 1
            ? 'Your message fits more than one part of the guide. Pick one, or add a detail (an error message, the phase, the symptom).'
            : 'I am not sure enough to answer. Pick this if it fits; otherwise tell me the symptom, the phase (IKE or IPsec) or paste the error message.'),
        confidence: c.confidence,
        answeredBy: c.engine,
        actions: options.map((id, i) => ({ id: `choose-${i + 1}`, label: kb.byId.get(id)!.title, command: `topic ${id}` })),
      });
    }

    const id = c.kind === 'follow-up' ? (c.topic ?? session.currentTopic) : c.topic;
    const topic = id ? kb.byId.get(id) : undefined;
    if (!topic) return helpReply();
    session.pendingChoices = [];
    const continuing = c.kind === 'follow-up' && session.currentTopic === topic.id;
    session.currentTopic = topic.id;
    const answer = this.turns.decorate(
      topicReply(kb, topic, {
        confidence: c.confidence,
        answeredBy: c.engine,
        checkCommand: prefilledCheck(session),
        allSteps: continuing || allSteps,
      }),
      previousTopic,
      reading,
      session,
    );
    if (!continuing) return answer;
    // Still failing after the first answer: do not repeat it. Move on to the steps not shown yet, what to
    // escalate with, and the related topics; the buttons (checks, support case) stay.
    const unseen = answer.steps.slice(STEPS_SHOWN);
    return {
      ...answer,
      title: `Still on: ${topic.title}`,
      summary: unseen.length > 0 ? `Next steps for this problem. ${topic.escalation}` : topic.escalation,
      steps: unseen,
      facts: [],
    };
  }

  private async check(args: CheckArgs, inbound: Inbound, session: Session, hooks: HandleHooks): Promise<Reply> {
    // A bare "check" (the "Run checks" button) runs what the conversation named; typed arguments win.
    const known = session.lastCheckArgs;
    const bare = args.hosts.length === 0;
    const resolver = args.resolver ?? (bare ? known.resolver : undefined);
    const edge = args.edge ?? (bare ? known.edge : undefined);
    const merged: CheckArgs = {
      ...args,
      hosts: bare ? (known.hosts ?? []) : args.hosts,
      dnsServers: args.dnsServers.length > 0 ? args.dnsServers : (known.dnsServers ?? []),
      sentry: args.sentry || (bare && known.sentry === true),
      ...(resolver ? { resolver } : {}),
      ...(edge ? { edge } : {}),
    };
    if (merged.hosts.length === 0 || merged.dnsServers.length === 0) {
      return reply({
        kind: 'help',
        title: 'What should I check?',
        summary:
          'A check needs the environment host name and at least one OutSystems Cloud DNS server IP (from the VPN setup e-mail), for example: check acme-dev.outsystemsenterprise.com dns 10.0.0.2',
      });
    }
    if (!this.deps.checks) {
      return reply({ kind: 'error', title: 'Checks are not available here', summary: 'This instance has no probe runner configured.' });
    }
    session.lastCheckArgs = {
      hosts: merged.hosts,
      dnsServers: merged.dnsServers,
      sentry: merged.sentry,
      ...(merged.resolver ? { resolver: merged.resolver } : {}),
      ...(merged.edge ? { edge: merged.edge } : {}),
    };
    await hooks.progress?.(
      reply({
        kind: 'progress',
        title: 'Running connectivity checks',
        summary: `Checking ${merged.hosts.join(', ')} through DNS ${merged.dnsServers.join(', ')}${merged.agent ? ` from agent ${merged.agent}` : ''}...`,
      }),
    );
    const result = await this.deps.checks.run(merged, {
      requestedBy: inbound,
      onProgress: (text) => {
        void hooks.progress?.(reply({ kind: 'progress', title: 'Running connectivity checks', summary: text }));
      },
    });
    session.lastCheck = result;
    if (result.topic) session.currentTopic = result.topic;
    return result;
  }
}

/** A reply for a voice that cannot take a next turn: choices become commands to run, buttons go. */
function asOneShot(r: Reply): Reply {
  const choices = r.kind === 'choices' ? r.actions.map((a) => ({ label: a.label, detail: `vpn-doctor ask "${a.command}"` })) : [];
  return { ...r, actions: [], items: [...r.items, ...choices] };
}

function rememberEntities(session: Session, text: string, c: Classification): void {
  Object.assign(session.lastCheckArgs, checkHints(text, c.entities.fqdns));
}

function prefilledCheck(session: Session): string {
  const { hosts = [], dnsServers = [], resolver, edge, sentry } = session.lastCheckArgs;
  if (hosts.length === 0 || dnsServers.length === 0) return 'check';
  return [
    'check',
    ...hosts,
    ...dnsServers.flatMap((ip) => ['dns', ip]),
    ...(resolver ? ['resolver', resolver] : []),
    ...(edge ? ['edge', edge] : []),
    ...(sentry ? ['sentry'] : []),
  ].join(' ');
}

export function helpReply(): Reply {
  return reply({
    kind: 'help',
    title: 'vpn-doctor: help with the IPsec VPN to the OutSystems Cloud',
    summary:
      'Describe what is wrong in your own words ("tunnel drops every hour on IKEv2", "nslookup gives a public IP"), paste an error message, or use a command:',
    items: COMMAND_HELP.map((c) => ({ label: c.usage, detail: c.what })),
  });
}

function smalltalkReply(text: string): Reply {
  const thanks = /\b(thx|thanks|thank you|ty|cheers)\b/i.test(text);
  return reply({
    kind: 'help',
    title: thanks ? 'You are welcome' : 'Hi, I am vpn-doctor',
    summary: thanks
      ? 'Ping me again if the tunnel misbehaves.'
      : 'I help troubleshoot the site-to-site IPsec VPN between your network and the OutSystems Cloud. Tell me the symptom, paste an error, or type "help".',
  });
}

function noAgentsReply(): Reply {
  return reply({
    kind: 'error',
    title: 'No agent hub here',
    summary: 'Probe agents are managed by `vpn-doctor serve`; this instance runs checks from the machine it is on.',
  });
}
