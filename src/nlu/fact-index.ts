/**
 * Every single fact the knowledge base states — the requirement tables of `requirements.yaml` and the
 * `facts` of each topic — indexed for one job: find the fact a short question asks about.
 *
 * Matching is term overlap weighted by rarity (a term that names one parameter, like "mss", says more than
 * "tunnel"), with the label counting more than the value, plus a small bonus when the value has the kind of
 * thing asked for (a number, a port). Both sides go through `factTerms`, so synonyms meet.
 */
import type { KnowledgeBase } from '../knowledge/loader.js';
import { factTerms } from './fact-terms.js';
import { stem } from './normalize.js';
import type { AskedValue } from './question-form.js';

export interface FactEntry {
  label: string;
  value: string;
  notes?: string;
  /** The requirement group's title and id, when the entry comes from requirements.yaml. */
  group?: string;
  groupId?: string;
  /** The topic that explains this fact (shown on demand). */
  topic: string | null;
  source: 'requirements' | 'topic';
}

export interface FactMatch {
  entry: FactEntry;
  score: number;
  /** Share of the question's term weight the entry covers (0..1). */
  coverage: number;
}

interface IndexedEntry {
  entry: FactEntry;
  label: Set<string>;
  body: Set<string>;
  group: Set<string>;
}

/** Requirement groups that a topic of the guide explains better than the requirements topic does. */
const GROUP_TOPIC: Record<string, string> = {
  dns: 'dns-conditional-forwarder',
  'traffic-keep-alive': 'keep-traffic-flowing',
  redundancy: 'asymmetric-routing',
  routing: 'onprem-range-changed',
};
/** Groups describing the AWS platform underneath: context, not what the customer should set. */
const PLATFORM_GROUPS = new Set(['platform-defaults']);
/** Log signatures are looked up by the evidence engine, not asked about as facts. */
const SKIPPED_GROUPS = new Set(['log-signatures']);
// Terms that say what kind of question it is, not what it is about.
// They count, but little.
const FORM_TERMS = new Set(
  [
    'maximum',
    'minimum',
    'number',
    'value',
    'allow',
    'support',
    'require',
    'reply',
    'filter',
    'second',
    'minute',
    'recommend',
    'default',
    // How many of something the question imagines ("the same IP for two VPNs"): the fact says how many.
    'two',
    'three',
    'multiple',
    'several',
    'another',
  ].map(stem),
);
const FORM_TERM_SHARE = 0.3;
/** Words no fact uses ("windows", "myself") still dilute the match, but less than a known term. */
const UNKNOWN_TERM_WEIGHT = 0.6;
const MAX_TERM_WEIGHT = 5;

export class FactIndex {
  private readonly entries: IndexedEntry[];
  private readonly df = new Map<string, number>();
  private readonly docs: number;
  /** Terms some fact uses: any other term of a question cannot be matched and only dilutes. */
  private readonly factVocabulary: Set<string>;

  constructor(kb: Pick<KnowledgeBase, 'topics' | 'requirements'>) {
    const entries: FactEntry[] = [];
    for (const g of kb.requirements?.groups ?? []) {
      if (SKIPPED_GROUPS.has(g.id)) continue;
      for (const p of g.parameters) {
        // "Lifetime" alone means nothing outside its table: name the phase ("Phase 2 (IPsec SA) lifetime").
        const phased = /^phase\s+\d/i.test(g.title) && !/phase/i.test(p.name);
        entries.push({
          label: phased ? `${g.title} ${p.name.charAt(0).toLowerCase()}${p.name.slice(1)}` : p.name,
          value: p.value,
          ...(p.notes ? { notes: p.notes } : {}),
          group: g.title,
          groupId: g.id,
          topic: GROUP_TOPIC[g.id] ?? 'vpn-requirements',
          source: 'requirements',
        });
      }
    }
    for (const t of kb.topics) for (const f of t.facts) entries.push({ label: f.label, value: f.value, topic: t.id, source: 'topic' });
    this.entries = entries.map((entry) => ({
      entry,
      label: new Set(factTerms(entry.label)),
      body: new Set(factTerms(`${entry.value} ${entry.notes ?? ''}`)),
      group: new Set(factTerms(entry.group ?? '')),
    }));
    for (const e of this.entries) for (const t of new Set([...e.label, ...e.body, ...e.group])) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.factVocabulary = new Set(this.df.keys());
    // Rarity is judged against everything the knowledge base says, not the facts alone: "network" or "time"
    // appear in one fact each but in much of the guide's prose, so they say little about which fact is meant.
    this.docs = this.entries.length;
    for (const t of kb.topics) {
      const prose = [...t.summary.split(/(?<=[.!?])\s+/), ...t.causes, ...t.checks, ...t.steps.map((s) => s.action), ...t.examples];
      for (const text of prose) {
        this.docs++;
        for (const term of new Set(factTerms(text))) this.df.set(term, (this.df.get(term) ?? 0) + 1);
      }
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** How much a term says about which fact is meant. */
  weight(term: string): number {
    const df = this.factVocabulary.has(term) ? this.df.get(term) : undefined;
    const w = df === undefined ? UNKNOWN_TERM_WEIGHT : Math.min(MAX_TERM_WEIGHT, Math.log(1 + this.docs / df));
    return FORM_TERMS.has(term) ? w * FORM_TERM_SHARE : w;
  }

  /** The best matching facts, best first. */
  search(question: string, asks: AskedValue = 'any', limit = 3): FactMatch[] {
    const terms = factTerms(question);
    if (terms.length === 0) return [];
    const total = terms.reduce((s, t) => s + this.weight(t), 0);
    const matches: FactMatch[] = [];
    for (const e of this.entries) {
      let score = 0;
      let named = false;
      let inLabel = 0;
      let inBody = 0;
      for (const t of terms) {
        const w = this.weight(t);
        if (e.label.has(t)) {
          score += w;
          if (!FORM_TERMS.has(t)) named = true;
          inLabel++;
        } else if (e.body.has(t)) {
          score += 0.75 * w;
          if (!FORM_TERMS.has(t)) inBody++;
        } else if (e.group.has(t)) {
          score += 0.5 * w;
          named = true;
        }
      }
      // The label (or its group) must name something of the question, or the value several things: a value
      // that merely mentions one word is about something else.
      if ((!named && inBody < 2) || score === 0) continue;
      const coverage = Math.min(1, score / total);
      // A label that names much more than was asked is a narrower fact ("Tunnels per VPN connection" for
      // "VPN connections per cloud?").
      if (!named) score *= 0.7;
      else if (e.label.size > 0) score *= 0.6 + (0.4 * inLabel) / e.label.size;
      const value = `${e.entry.value} ${e.entry.notes ?? ''}`;
      if (asks === 'number') score *= /\d/.test(value) ? 1.25 : 0.6;
      if (asks === 'port') score *= /\b(?:udp|tcp)\s*\d+|\bport\b/i.test(value) || /\bports?\b/i.test(e.entry.label) ? 1.3 : 0.5;
      // The requirement tables are the source of truth; topic facts repeat them in their own words.
      if (e.entry.source === 'requirements') score *= e.entry.groupId && PLATFORM_GROUPS.has(e.entry.groupId) ? 0.85 : 1.05;
      matches.push({ entry: e.entry, score, coverage });
    }
    matches.sort((a, b) => b.score - a.score);
    return matches.slice(0, limit);
  }
}
