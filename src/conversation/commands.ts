import { isIP } from 'node:net';

/**
 * The command language shared by every voice: `/vpn <...>` in Slack, an @mention in Teams, a line in the
 * terminal chat. Parsing is pure and platform-free so each adapter only strips its own prefix.
 */
export type Command =
  | { name: 'help' }
  | { name: 'topics' }
  | { name: 'topic'; id: string; all: boolean }
  | { name: 'check'; args: CheckArgs }
  | { name: 'agents' }
  | { name: 'keepalive'; on: boolean; agent: string; here: boolean }
  | { name: 'choose'; index: number }
  | { name: 'more-steps' }
  | { name: 'feedback'; fixed: boolean }
  | { name: 'support-case' }
  | { name: 'question'; text: string }
  | { name: 'invalid'; message: string };

export interface CheckArgs {
  hosts: string[];
  dnsServers: string[];
  resolver?: string;
  edge?: string;
  sentry: boolean;
  agent?: string;
  timeoutMs?: number;
}

export const COMMAND_HELP: { usage: string; what: string }[] = [
  { usage: '<question>', what: 'ask anything about the VPN, in your own words' },
  { usage: 'check <host> dns <ip> [dns <ip>] [resolver <ip>] [edge <ip>] [sentry] [on <agent>]', what: 'run the connectivity checks' },
  { usage: 'topics', what: 'list every topic of the troubleshooting guide' },
  { usage: 'topic <id>', what: 'show one topic in full' },
  { usage: 'agents', what: 'list the probe agents and whether they are online' },
  { usage: 'keepalive on|off <agent> [here]', what: 'start or stop tunnel keep-alive alerts for an agent' },
  { usage: 'help', what: 'this list' },
];

const HOST_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;
const AGENT_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function isHostName(s: string): boolean {
  return HOST_RE.test(s);
}

export function parseCommand(input: string): Command {
  const text = input.trim().replace(/^\/vpn\b\s*/i, '');
  const lower = text.toLowerCase();
  const words = lower.split(/[\s,]+/).filter(Boolean);
  const first = words[0] ?? '';

  if (text === '' || lower === 'help' || lower === '?' || lower === 'commands') return { name: 'help' };
  if (/^\d$/.test(lower)) return { name: 'choose', index: Number(lower) };
  if (lower === 'topics' || lower === 'list topics') return { name: 'topics' };
  if (first === 'topic' && words.length >= 2) {
    const id = words[1]!;
    if (!/^[a-z0-9-]+$/.test(id)) return { name: 'invalid', message: `"${id}" is not a topic id (try "topics")` };
    return { name: 'topic', id, all: words[2] === 'all' };
  }
  if (/^(show )?(all|more) steps$/.test(lower)) return { name: 'more-steps' };
  if (lower === 'agents' || lower === 'list agents') return { name: 'agents' };
  if (/^(fixed it|fixed|it works now|that fixed it)!?$/.test(lower)) return { name: 'feedback', fixed: true };
  if (/^(still broken)!?$/.test(lower)) return { name: 'feedback', fixed: false };
  if (/^(prepare )?support case$/.test(lower)) return { name: 'support-case' };
  if (first === 'keepalive' || first === 'keep-alive') return parseKeepalive(text.split(/\s+/).slice(1));
  if (first === 'check' && (words.length === 1 || looksLikeCheckArgs(words.slice(1)))) {
    return parseCheck(
      text
        .split(/[\s,]+/)
        .filter(Boolean)
        .slice(1),
    );
  }
  return { name: 'question', text: input.trim().replace(/^\/vpn\b\s*/i, '') };
}

/** "check my tunnel pls" is a question; "check acme.outsystemsenterprise.com dns 10.0.0.2" is a command. */
function looksLikeCheckArgs(words: string[]): boolean {
  return words.some((w) => isHostName(w) || isIP(w) !== 0 || w === 'dns' || w === 'on');
}

function parseKeepalive(args: string[]): Command {
  const [state, agent, ...rest] = args;
  if (state !== 'on' && state !== 'off') return { name: 'invalid', message: 'usage: keepalive on|off <agent> [here]' };
  if (!agent || !AGENT_RE.test(agent))
    return { name: 'invalid', message: 'keepalive needs an agent name: keepalive on|off <agent> [here]' };
  const extra = rest.filter((w) => w.toLowerCase() !== 'here');
  if (extra.length > 0) return { name: 'invalid', message: `unexpected words after the agent name: ${extra.join(' ')}` };
  return { name: 'keepalive', on: state === 'on', agent, here: rest.some((w) => w.toLowerCase() === 'here') };
}

function parseCheck(tokens: string[]): Command {
  const args: CheckArgs = { hosts: [], dnsServers: [], sentry: false };
  const needIp = (key: string, value: string | undefined): string | Command => {
    if (!value || isIP(value) === 0)
      return { name: 'invalid', message: `"${key}" needs an IP address, got ${value ? `"${value}"` : 'nothing'}` };
    return value;
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const key = token.toLowerCase().replace(/^--?/, '').replace(/[:=]$/, '');
    if (key === 'dns' || key === 'dns-server') {
      const v = needIp('dns', tokens[++i]);
      if (typeof v !== 'string') return v;
      args.dnsServers.push(v);
    } else if (key === 'resolver') {
      const v = needIp('resolver', tokens[++i]);
      if (typeof v !== 'string') return v;
      args.resolver = v;
    } else if (key === 'edge') {
      const v = needIp('edge', tokens[++i]);
      if (typeof v !== 'string') return v;
      args.edge = v;
    } else if (key === 'sentry') {
      args.sentry = true;
    } else if (key === 'on' || key === 'agent') {
      const name = tokens[++i];
      if (!name || !AGENT_RE.test(name))
        return { name: 'invalid', message: `"on" needs an agent name, got ${name ? `"${name}"` : 'nothing'}` };
      args.agent = name;
    } else if (key === 'timeout') {
      const ms = Number(tokens[++i]);
      if (!Number.isInteger(ms) || ms < 500 || ms > 60_000) return { name: 'invalid', message: 'timeout is in milliseconds, 500 to 60000' };
      args.timeoutMs = ms;
    } else if (key === 'host' && tokens[i + 1] && isHostName(tokens[i + 1]!)) {
      args.hosts.push(tokens[++i]!.toLowerCase());
    } else if (isHostName(token)) {
      args.hosts.push(token.toLowerCase());
    } else if (isIP(token) !== 0) {
      // A bare IP after the host reads naturally as a DNS server: "check acme.outsystemsenterprise.com 10.0.0.2".
      args.dnsServers.push(token);
    } else {
      return {
        name: 'invalid',
        message: `I don't understand "${token}" in a check. Usage: check <host> dns <ip> [resolver <ip>] [edge <ip>] [sentry] [on <agent>]`,
      };
    }
  }
  return { name: 'check', args };
}
