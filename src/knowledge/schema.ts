import { z } from 'zod';

/**
 * The troubleshooting headings of the guide, verbatim (including its typographic apostrophe).
 * A topic's `section` must be one of these: it is how an answer points back to the guide.
 * The Overview and the "Troubleshooting the VPN connection" intro carry no advice and are left out.
 */
export const GUIDE_SECTIONS = [
  'Requirements',
  'Naming resolution solutions (DNS resolution)',
  'Establishing a stable connection',
  'Common reasons for VPN tunnel inactivity or instability issues',
  'Tunnel drop every 60 minutes while using IKEv2',
  'Pinging front-end servers or databases',
  'Common issues testing VPN connectivity',
  'Pinging OutSystems Cloud DNS servers',
  'Issues connecting to an external database',
  'How can I connect to my OutSystems Cloud environments from my internal network?',
  'Why do I need to allow the full internal IP range of OutSystems Cloud in my firewall?',
  "Retrieving the front-end's private IP address(es)",
  'Typical reasons for the VPN tunnel phase 1 IKE negotiation to fail',
  'VPN tunnel phase 2 internet protocol security (IPsec) fails to negotiate',
  'Can OutSystems reset the tunnels to bring the VPN up again?',
  'Issues using the VPN configuration file',
  'The internal IP range of my on-premises network changed and now I can\u2019t access OutSystems Cloud environments',
  'Further assistance',
] as const;

export type GuideSection = (typeof GUIDE_SECTIONS)[number];

const text = z.string().trim().min(1, 'must not be empty');
const kebab = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case (lowercase words joined by "-")');

export const FACT_KINDS = ['port', 'protocol', 'duration', 'count', 'version', 'network', 'domain', 'algorithm', 'limit', 'other'] as const;

/**
 * How a snippet's lines are used: `shell` = typed at an operating-system shell prompt (shown with `$`),
 * `cli` = typed at a network device's own CLI, `config` = lines of a configuration file (not typed at a prompt).
 */
export const SNIPPET_KINDS = ['shell', 'cli', 'config'] as const;
export type SnippetKind = (typeof SNIPPET_KINDS)[number];

/** A line of a snippet: not blank, but kept untrimmed so that indentation inside a config block survives. */
const snippetLine = z.string().refine((s) => s.trim().length > 0, 'must not be empty');

export const SnippetSchema = z.strictObject({
  /** Where these lines apply, e.g. "Linux/macOS", "Windows PowerShell", "Cisco ASA", "strongSwan swanctl.conf". */
  platform: text,
  kind: z.enum(SNIPPET_KINDS),
  lines: z.array(snippetLine).min(1, 'needs at least one line'),
});

export const StepSchema = z.strictObject({
  /** What to do, imperative ("Ping the cloud DNS server from a LAN host"). */
  action: text,
  /**
   * Commands that run the same on every platform a user may be on (nslookup, telnet host 443...), as a
   * user would type them; placeholders in <ANGLE_BRACKETS>. Anything OS- or vendor-specific goes in `snippets`.
   */
  commands: z.array(text).optional(),
  /** Platform-specific commands or configuration, each labelled with where it applies. */
  snippets: z.array(SnippetSchema).min(1).optional(),
});

export const FactSchema = z.strictObject({
  label: text,
  value: text,
  kind: z.enum(FACT_KINDS),
});

export const SourceSchema = z.strictObject({
  title: text,
  /** Where in that source: a section heading, a page name. */
  ref: text.optional(),
});

export const TopicSchema = z.strictObject({
  id: kebab,
  title: text,
  section: z.enum(GUIDE_SECTIONS, {
    error: (issue) => `is not a heading of the guide: ${JSON.stringify(issue.input)}`,
  }),
  summary: text,
  examples: z.array(text).min(12, 'needs at least 12 examples of what people type'),
  /** Extra vocabulary that points at this topic (vendor words, log signatures); used by the classifier. */
  keywords: z.array(text).default([]),
  causes: z.array(text).min(1),
  checks: z.array(text).min(1),
  steps: z.array(StepSchema).min(1),
  facts: z.array(FactSchema).default([]),
  escalation: text,
  sources: z.array(SourceSchema).min(1),
  /** Ids of topics an answer should offer as "see also". */
  related: z.array(kebab).default([]),
});

export type Topic = z.infer<typeof TopicSchema>;
export type Step = z.infer<typeof StepSchema>;
export type Snippet = z.infer<typeof SnippetSchema>;
export type Fact = z.infer<typeof FactSchema>;

export const RequirementParameterSchema = z.strictObject({
  name: text,
  value: text,
  notes: text.optional(),
});

export const RequirementGroupSchema = z.strictObject({
  id: kebab,
  title: text,
  parameters: z.array(RequirementParameterSchema).min(1),
});

/** The parameter names of a normalised tunnel (the evidence engine's contract, GUIDE "Stable contracts"). */
export const PARAMETER_NAMES = [
  'ike-version',
  'ike-mode',
  'auth',
  'p1-encryption',
  'p1-integrity',
  'p1-dh',
  'p1-lifetime',
  'p2-protocol',
  'p2-mode',
  'p2-encryption',
  'p2-integrity',
  'pfs',
  'p2-lifetime',
  'dpd',
  'traffic-selectors',
  'nat-t',
] as const;
export type ParameterName = (typeof PARAMETER_NAMES)[number];

/**
 * One parameter of the machine-readable policy: `accept` is the OutSystems table, `platform` what the AWS
 * VPN underneath also takes but OutSystems does not support; lifetimes carry `expect`/`min`/`max` seconds.
 */
export const PolicyEntrySchema = z.strictObject({
  says: text,
  accept: z
    .array(z.union([z.string().min(1), z.number().int()]))
    .min(1)
    .optional(),
  platform: z
    .array(z.union([z.string().min(1), z.number().int()]))
    .min(1)
    .optional(),
  required: z.boolean().optional(),
  expect: z.number().int().positive().optional(),
  min: z.number().int().positive().optional(),
  max: z.number().int().positive().optional(),
  workaround: z.number().int().positive().optional(),
  maxPairs: z.number().int().positive().optional(),
});
export type PolicyEntry = z.infer<typeof PolicyEntrySchema>;

export const PolicySchema = z.strictObject(
  Object.fromEntries(PARAMETER_NAMES.map((n) => [n, PolicyEntrySchema])) as Record<ParameterName, typeof PolicyEntrySchema>,
);
export type Policy = z.infer<typeof PolicySchema>;

/** `knowledge/requirements.yaml`: the parameters a customer gateway must meet. */
export const RequirementsSchema = z.strictObject({
  kind: z.literal('requirements'),
  title: text,
  summary: text,
  groups: z.array(RequirementGroupSchema).min(1),
  /** The same requirements as data, for judging logs and configurations. */
  policy: PolicySchema,
  sources: z.array(SourceSchema).min(1),
});

export type Requirements = z.infer<typeof RequirementsSchema>;
