import { z } from 'zod';
import type { AnalysisDocument } from '../evidence/index.js';
import { CONFIG_VENDORS, VERDICTS } from '../evidence/config/model.js';
import { LOG_FAMILIES, LOG_FINDING_CODES, type LogFindingCode } from '../knowledge/log-signatures.js';
import { PARAMETER_NAMES } from '../knowledge/schema.js';

/**
 * The two documents of `vpn-doctor analyze --json` and `POST /api/v1/analyze` (GUIDE.md "Stable contracts"),
 * as zod schemas for the OpenAPI document and for checking real responses in tests. The producers are
 * typed by the evidence engine's interfaces; `AnalysisDocumentSchema` is tied to them below, so a field added
 * on one side only does not compile.
 */

const Severity = z.enum(['error', 'warning', 'info']);
const Quoted = z.strictObject({ n: z.number().int().positive(), text: z.string() }).describe('A line of the pasted text (redacted)');
const Snippet = z.strictObject({ platform: z.string(), kind: z.enum(['shell', 'cli', 'config']), lines: z.array(z.string()) });

export const LogDocumentSchema = z.strictObject({
  kind: z.literal('log'),
  family: z.enum([...LOG_FAMILIES, 'unknown']),
  verdict: z.enum(['fault', 'healthy', 'unknown']),
  findings: z
    .array(
      z.strictObject({
        code: z.enum(LOG_FINDING_CODES as [LogFindingCode, ...LogFindingCode[]]),
        severity: Severity,
        topic: z.string(),
        section: z.string().describe("The guide's section, verbatim"),
        summary: z.string(),
        lines: z.array(Quoted),
        evidence: z.record(z.string(), z.unknown()),
        steps: z.array(
          z.strictObject({ text: z.string(), commands: z.array(z.string()).optional(), snippets: z.array(Snippet).optional() }),
        ),
      }),
    )
    .describe('Root cause first: the first error or warning in the order the log shows them'),
  timeline: z.array(
    z.strictObject({
      n: z.number().int(),
      lastN: z.number().int().optional(),
      count: z.number().int(),
      time: z.string().optional(),
      signature: z.string(),
      severity: Severity,
      normal: z.boolean(),
      code: z.enum(LOG_FINDING_CODES as [LogFindingCode, ...LogFindingCode[]]).optional(),
      means: z.string(),
      text: z.string(),
    }),
  ),
  stats: z.strictObject({
    lines: z.number().int(),
    recognised: z.number().int(),
    timelineDropped: z.number().int(),
    redactions: z.number().int(),
  }),
  notices: z.array(z.string()),
});

const FixSnippet = z.strictObject({ platform: z.string(), kind: z.enum(['cli', 'config']), lines: z.array(z.string()) });
const Parameter = z.enum(PARAMETER_NAMES);
const Vendor = z.enum(CONFIG_VENDORS);

export const ConfigDocumentSchema = z.strictObject({
  kind: z.literal('config'),
  vendor: Vendor,
  format: z.string(),
  tunnels: z.array(z.strictObject({ name: z.string(), peer: z.string().optional() })),
  parameters: z.array(
    z.strictObject({
      tunnel: z.string(),
      name: Parameter,
      value: z.string().nullable(),
      default: z.boolean().describe("True when the configuration is silent and the vendor's documented default applies"),
      required: z.string().describe('What the OutSystems requirements say'),
      verdict: z.enum(VERDICTS),
      line: Quoted.nullable(),
      defaultSource: z.string().optional(),
      reason: z.string(),
      fix: FixSnippet.nullable().describe("The fix in the vendor's own syntax, for a non-ok verdict"),
    }),
  ),
  findings: z.array(
    z.strictObject({
      code: z.string(),
      severity: Severity,
      topic: z.string(),
      section: z.string(),
      summary: z.string(),
      lines: z.array(Quoted),
      evidence: z.array(z.string()),
      steps: z.array(z.strictObject({ text: z.string(), snippets: z.array(FixSnippet).optional() })),
    }),
  ),
  differences: z
    .array(
      z.strictObject({
        tunnel: z.string(),
        name: Parameter,
        device: z.string().nullable(),
        outsystems: z.string().nullable(),
        line: Quoted.nullable(),
        outsystemsLine: Quoted.nullable(),
      }),
    )
    .optional(),
  against: z.strictObject({ vendor: Vendor, format: z.string() }).optional(),
});

export const AnalysisDocumentSchema = z.discriminatedUnion('kind', [LogDocumentSchema, ConfigDocumentSchema]);

// Both directions: the engine's documents fit the schema and the schema describes nothing they lack.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _documentsMatch: Same<z.output<typeof AnalysisDocumentSchema>, AnalysisDocument> = true;
void _documentsMatch;
