/**
 * "and on BIND?", "what about a FortiGate", "on Windows?": a short follow-up naming a platform asks for the
 * current topic's steps as that platform does them. The topics label their snippets per platform, so the
 * answer is those snippets (or, honestly, that the topic has none for it).
 */
import type { KnowledgeBase } from '../knowledge/loader.js';
import type { Topic } from '../knowledge/schema.js';
import { reply, type Reply, type ReplyStep } from '../reply/reply.js';

/** Platform words as people type them -> a word every matching snippet label contains. */
const PLATFORMS: { re: RegExp; label: string; name: string }[] = [
  { re: /\b(?:cisco\s+)?asa\b/i, label: 'cisco asa', name: 'Cisco ASA' },
  { re: /\bcisco\s+ios\b|\bios[\s-]?xe\b|\bisr\b/i, label: 'cisco ios', name: 'Cisco IOS' },
  { re: /\bforti\s?gate\b|\bfortinet\b|\bforti\s?os\b/i, label: 'fortigate', name: 'FortiGate' },
  { re: /\bpalo\s?alto\b|\bpan-?os\b/i, label: 'palo alto', name: 'Palo Alto PAN-OS' },
  { re: /\bjuniper\b|\bsrx\b|\bjunos\b/i, label: 'juniper', name: 'Juniper SRX' },
  { re: /\bstrong\s?swan\b|\bswanctl\b/i, label: 'strongswan', name: 'strongSwan' },
  { re: /\bmikrotik\b|\brouteros\b/i, label: 'mikrotik', name: 'MikroTik RouterOS' },
  { re: /\bbind\d?\b|\bnamed\.conf\b/i, label: 'bind', name: 'BIND' },
  { re: /\bunbound\b/i, label: 'unbound', name: 'Unbound' },
  { re: /\bdnsmasq\b/i, label: 'dnsmasq', name: 'dnsmasq' },
  { re: /\bpowershell\b/i, label: 'powershell', name: 'Windows PowerShell' },
  { re: /\bwindows\b|\bwin\s?(?:10|11|server)\b/i, label: 'windows', name: 'Windows' },
  { re: /\bmac\s?os\b|\bmac\b|\bos\s?x\b/i, label: 'macos', name: 'macOS' },
  { re: /\blinux\b|\bubuntu\b|\bdebian\b|\brhel\b|\bcentos\b/i, label: 'linux', name: 'Linux' },
];

// Short, and shaped like a follow-up: "and on X?", "on a X?", "what about X", "same for X", "for X?".
const SHAPE_RE =
  /^\s*(?:and|ok|so|also|but)?\s*(?:what\s+about|how\s+about|same\s+(?:for|on)|and|how\s+(?:is\s+it|do\s+i\s+do\s+(?:it|that))\s+(?:on|in|with)|on|in|for|with)\b/i;

/** The platform a short follow-up asks about, or null. */
export function askedPlatform(text: string): { label: string; name: string } | null {
  if (text.trim().split(/\s+/).length > 9 || !SHAPE_RE.test(text)) return null;
  const p = PLATFORMS.find((x) => x.re.test(text));
  return p ? { label: p.label, name: p.name } : null;
}

/** The topic's steps as that platform does them. */
export function platformReply(kb: KnowledgeBase, topic: Topic, platform: { label: string; name: string }): Reply {
  const steps: ReplyStep[] = [];
  for (const s of topic.steps) {
    const snippets = (s.snippets ?? []).filter((sn) => sn.platform.toLowerCase().includes(platform.label));
    if (snippets.length === 0) continue;
    steps.push({ text: s.action, snippets: snippets.map((sn) => ({ platform: sn.platform, kind: sn.kind, lines: [...sn.lines] })) });
  }
  const others = [...new Set(topic.steps.flatMap((s) => (s.snippets ?? []).map((sn) => sn.platform)))];
  return reply({
    kind: 'answer',
    title: `${topic.title}: on ${platform.name}`,
    summary:
      steps.length > 0
        ? `The steps of this topic that differ on ${platform.name}; the other steps are the same everywhere.`
        : `This topic has no ${platform.name}-specific lines; its steps apply as written.${others.length > 0 ? ` Platforms with their own lines here: ${others.join(', ')}.` : ''}`,
    section: topic.section,
    topic: topic.id,
    steps,
    actions: [{ id: 'show-topic', label: 'Show all steps', command: `topic ${topic.id} all` }],
    followUps: topic.related
      .map((id) => kb.byId.get(id)?.title)
      .filter((t): t is string => t !== undefined)
      .slice(0, 3),
  });
}
