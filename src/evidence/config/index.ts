/**
 * Entry point of the configuration reader (issue 13): recognise the format, read one normalised set of
 * parameters per tunnel, judge each against the requirements' policy, summarise findings, and optionally
 * compare with the configuration file OutSystems sent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { defaultKnowledgeDir } from '../../knowledge/loader.js';
import { RequirementsSchema, type Policy } from '../../knowledge/schema.js';
import { compareConfigs } from './compare.js';
import { summariseFindings } from './findings.js';
import { judgeTunnels } from './judge.js';
import type { ConfigAnalysis } from './model.js';
import { DETECT_HEAD_CHARS, detectParser } from './registry.js';

export type { ConfigAnalysis, ConfigParameter, ConfigFinding, ConfigDifference, Verdict } from './model.js';

export interface ConfigAnalyzeOptions {
  /** Text of the configuration file OutSystems sent, to compare the device's configuration against. */
  against?: string;
  /**
   * The policy to judge against (`kb.requirements.policy` when the caller holds a loaded knowledge base);
   * defaults to the `policy:` block of the shipped `knowledge/requirements.yaml`.
   */
  policy?: Policy;
}

let cachedPolicy: Policy | undefined;
/**
 * Reads only requirements.yaml (validated by the same schema the knowledge loader uses) rather than the
 * whole knowledge base: judging a pasted configuration should not pay for loading every topic.
 */
function defaultPolicy(): Policy {
  cachedPolicy ??= RequirementsSchema.parse(parse(readFileSync(join(defaultKnowledgeDir(), 'requirements.yaml'), 'utf8'))).policy;
  return cachedPolicy;
}

/** True when the first part of a text looks like a device configuration rather than a log. */
export function looksLikeConfig(head: string): boolean {
  return detectParser(head.slice(0, DETECT_HEAD_CHARS)) !== null;
}

/** Parses and judges a configuration; null when the text is not a configuration this reader knows. */
export function analyzeConfigText(text: string, options: ConfigAnalyzeOptions = {}): ConfigAnalysis | null {
  // a full device backup can hold its VPN section far down: look at the whole text when the head says nothing
  const parser = detectParser(text.slice(0, DETECT_HEAD_CHARS)) ?? (text.length > DETECT_HEAD_CHARS ? detectParser(text) : null);
  if (!parser) return null;
  const parsed = parser.parse(text);
  if (parsed.tunnels.length === 0) return null;
  // tunnel names key the parameter list: make repeated names (copy-pasted blocks) unique
  const seen = new Map<string, number>();
  for (const t of parsed.tunnels) {
    const k = (seen.get(t.name) ?? 0) + 1;
    seen.set(t.name, k);
    if (k > 1) t.name = `${t.name} (${k})`;
  }
  const policy = options.policy ?? defaultPolicy();
  const rawLines = text.split(/\r?\n/);
  const parameters = judgeTunnels(parser, parsed.tunnels, policy, rawLines);
  const doc: ConfigAnalysis = {
    kind: 'config',
    vendor: parsed.vendor,
    format: parsed.format,
    tunnels: parsed.tunnels.map((t) => (t.peer ? { name: t.name, peer: t.peer } : { name: t.name })),
    parameters,
    findings: summariseFindings(parameters),
  };
  if (options.against !== undefined) {
    const other = analyzeConfigText(options.against, { policy });
    if (other) {
      doc.against = { vendor: other.vendor, format: other.format };
      doc.differences = compareConfigs(doc, other);
    }
  }
  return doc;
}
