import { z } from 'zod';
import { ProbeKindSchema } from '../probes/types.js';

/**
 * The JSON contract of `vpn-doctor check --json` (and of the runbook API): other tools script against
 * it, so fields change only with a version bump and finding codes are never renamed.
 */

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const VERDICTS = ['healthy', 'degraded', 'down'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The stable finding codes (GUIDE.md "Stable contracts"): add, never rename. */
export const FINDING_CODES = [
  'tunnel-down',
  'internal-routing',
  'vpn-device',
  'dns-forwarder-missing',
  'dns-unreachable',
  'port-blocked',
  'dns-ping-blocked',
  'dns-public-answer',
  'host-not-found',
  'icmp-not-permitted',
  'tls-handshake-failed',
  'tls-certificate',
  'path-undecided',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export const EvidenceSchema = z.object({
  kind: ProbeKindSchema,
  target: z.string(),
  /** What the probe observed, in one line ("no reply to 3 echoes", "answered 10.251.1.10 (private)"). */
  fact: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const FindingSnippetSchema = z.object({
  /** Where the lines apply ("Linux/macOS", "Windows PowerShell", "Cisco ASA", "strongSwan swanctl.conf"...). */
  platform: z.string(),
  /** shell = typed at an OS shell, cli = typed at a device CLI, config = lines of a configuration file. */
  kind: z.enum(['shell', 'cli', 'config']),
  lines: z.array(z.string()),
});

export const FindingStepSchema = z.object({
  action: z.string(),
  /** Commands that run the same on every platform. */
  commands: z.array(z.string()).optional(),
  /** Platform-specific commands or configuration, each labelled with its platform. */
  snippets: z.array(FindingSnippetSchema).optional(),
});

/**
 * A finding that could not choose between causes (path-undecided): which codes remain possible and what
 * would settle it, each a probe of this program or a command to run by hand.
 */
export const UndecidedSchema = z.object({
  between: z.array(z.enum(FINDING_CODES)).min(2),
  settleWith: z
    .array(
      z.object({
        /** The probe kind that would answer, when this program has one ('route', 'traceroute'), or 'input'. */
        probe: z.union([ProbeKindSchema, z.literal('input')]).optional(),
        /** What to run or give: "ip route get 10.251.0.2", "--edge <inside IP>". */
        command: z.string(),
        /** What its answer decides. */
        why: z.string(),
      }),
    )
    .min(1),
});
export type Undecided = z.infer<typeof UndecidedSchema>;

export const FindingSchema = z.object({
  code: z.enum(FINDING_CODES),
  severity: z.enum(SEVERITIES),
  /** Knowledge topic id (knowledge/<topic>.yaml). */
  topic: z.string(),
  /** The guide's heading, verbatim. */
  section: z.string(),
  summary: z.string(),
  evidence: z.array(EvidenceSchema),
  steps: z.array(FindingStepSchema),
  /** Present only on a path-undecided finding. */
  undecided: UndecidedSchema.optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const ReportProbeSchema = z.object({
  kind: ProbeKindSchema,
  target: z.string(),
  ok: z.boolean(),
  durationMs: z.number().nonnegative(),
  backend: z.string(),
  detail: z.record(z.string(), z.unknown()),
  /**
   * Present when the probe never ran: the agent's allowlist refused it (the rule that would allow it), or
   * the agent does not run that kind of probe (an agent older than the route probe).
   */
  notRun: z
    .object({
      reason: z.enum(['refused', 'unsupported']),
      message: z.string(),
      /** The --allow rule to add on the agent ("10.0.0.2:53"). */
      allow: z.string().optional(),
    })
    .optional(),
});
export type ReportProbe = z.infer<typeof ReportProbeSchema>;

/** A conclusion a partial check could not reach, because the probes that answer it never ran. */
export const NotConcludedSchema = z.object({
  /** The question left open ("whether TCP 80 to acme... connects"). */
  question: z.string(),
  /** The findings that were therefore not judged. */
  codes: z.array(z.enum(FINDING_CODES)),
  /** The probes that did not run ("tcp 10.0.0.5:80"). */
  notRun: z.array(z.string()),
});
export type NotConcluded = z.infer<typeof NotConcludedSchema>;

export const CheckReportSchema = z.strictObject({
  verdict: z.enum(VERDICTS),
  findings: z.array(FindingSchema),
  probes: z.array(ReportProbeSchema),
  /** Present only for a partial check (some probes refused by the agent's allowlist). */
  notConcluded: z.array(NotConcludedSchema).optional(),
});
export type CheckReport = z.infer<typeof CheckReportSchema>;
