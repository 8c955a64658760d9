import type { KnowledgeBase } from '../knowledge/loader.js';
import { looksLikeLog } from '../evidence/looks-like-log.js';
import { redactText } from '../evidence/redact.js';
import { reply, type Reply } from '../reply/reply.js';
import { latestAnalysis } from './evidence-reply.js';
import type { Session } from './session.js';

/** Lines of an analysis quoted in the draft, per finding. */
const QUOTED_PER_FINDING = 4;

/**
 * Drafts what OutSystems Support asks for (the guide's "Further assistance": the current VPN configuration,
 * VPN logs, error messages) filled with what this conversation already knows, ready to paste into a case.
 */
export function supportCaseReply(kb: KnowledgeBase, session: Session): Reply {
  const topic = session.currentTopic ? kb.byId.get(session.currentTopic) : undefined;
  const lines: string[] = [];
  lines.push(`Problem: ${topic ? topic.title : 'site-to-site VPN to the OutSystems Cloud not working'}`);
  if (topic) lines.push(`Guide section followed: ${topic.section}`);
  // Pasted logs are summarised by their analysis below, not repeated; everything is redacted.
  const said = session.history
    .filter((h) => !looksLikeLog(h))
    .slice(-5)
    .map((h) => redactText(h.length > 200 ? `${h.slice(0, 200)}...` : h));
  if (said.length > 0) lines.push(`Reported symptoms: ${said.join(' | ')}`);
  const analysis = latestAnalysis(session);
  if (analysis) {
    lines.push(`Log/configuration analysis: ${analysis.title}`);
    for (const f of analysis.findings) {
      lines.push(`- [${f.severity}] ${f.code}: ${f.summary}`);
      for (const q of (f.lines ?? []).slice(0, QUOTED_PER_FINDING)) lines.push(`    line ${q.n}: ${q.text}`);
    }
    for (const row of analysis.table?.rows.filter((r) => r.ok === false) ?? []) lines.push(`- ${row.cells.join(' | ')}`);
  }
  const check = session.lastCheck;
  if (check) {
    lines.push(`Connectivity check verdict: ${check.verdict ?? 'unknown'}`);
    for (const f of check.findings) lines.push(`- [${f.severity}] ${f.code}: ${f.summary}`);
    for (const e of check.evidence) lines.push(`  ${e.ok === false ? 'FAIL' : e.ok ? 'ok' : 'info'} ${e.label} ${e.target}: ${e.outcome}`);
  }
  if (session.lastCheckArgs.hosts?.length) lines.push(`Environment(s): ${session.lastCheckArgs.hosts.join(', ')}`);

  return reply({
    kind: 'answer',
    title: 'Support case draft',
    summary: lines.join('\n'),
    section: 'Further assistance',
    topic: 'further-assistance',
    steps: [
      {
        text: 'Attach the current VPN configuration of your device (phase 1 and phase 2 proposals, lifetimes, traffic selectors / encryption domain, NAT settings), with secrets removed.',
      },
      { text: 'Attach VPN logs covering the failure window, and copy any error messages exactly as the device printed them.' },
      { text: 'Add the public IP of your VPN device and the internal IP range that uses the VPN.' },
      { text: 'Open the case with OutSystems Support and paste the draft above; ask for a call with all parties if the issue is urgent.' },
    ],
    facts: (kb.requirements?.groups ?? [])
      .filter((g) => /phase|ike|ipsec/i.test(g.title))
      .flatMap((g) => g.parameters.map((p) => ({ label: `${g.title}: ${p.name}`, value: p.value })))
      .slice(0, 12),
  });
}
