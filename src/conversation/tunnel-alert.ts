import type { TunnelTransition } from '../agents/notifier.js';
import { reply, type Reply } from '../reply/reply.js';

/** A keep-alive transition as a Reply, so every chat adapter renders the alert with what it already has. */
export function tunnelReply(n: Pick<TunnelTransition, 'agent' | 'event' | 'diagnosis' | 'outageMs' | 'delayed'>): Reply {
  const { agent, event: e, diagnosis, outageMs, delayed } = n;
  const when = new Date(e.at).toISOString();
  const lossText = `${Math.round(e.loss * 100)}% loss over the last ${e.sent} pings`;
  const down = e.kind === 'down';
  const summary = down
    ? `Agent ${agent} gets no reply from ${e.target} through the tunnel since ${when} (${lossText}).${diagnosis ? ` Likely cause: ${diagnosis.reason}.` : ''}`
    : `Agent ${agent} reaches ${e.target} again since ${when}${outageMs !== null ? ` after ${formatDuration(outageMs)} down` : ''} (${lossText}${e.rttMs !== null ? `, ${Math.round(e.rttMs)} ms` : ''}).`;
  return reply({
    kind: 'check',
    title: down ? `VPN tunnel down (agent ${agent})` : `VPN tunnel up again (agent ${agent})`,
    summary: delayed ? `${summary} (reported late: the agent could not reach vpn-doctor at the time)` : summary,
    verdict: down ? 'down' : 'healthy',
    ...(diagnosis ? { topic: diagnosis.topic } : {}),
    facts: [
      { label: 'Agent', value: agent },
      { label: 'Keep-alive target', value: e.target },
      { label: 'Loss', value: lossText },
      { label: 'At', value: when },
      ...(outageMs !== null ? [{ label: 'Outage', value: formatDuration(outageMs) }] : []),
    ],
    actions: diagnosis ? [{ id: 'open-topic', label: 'What to do', command: `topic ${diagnosis.topic}`, style: 'primary' as const }] : [],
  });
}

function formatDuration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
