import { z } from 'zod';
import { analyzeText, MAX_ANALYZE_TEXT_BYTES } from '../evidence/index.js';
import { AnalysisDocumentSchema } from './analysis-schemas.js';
import { defineRoute } from './api-route.js';

/**
 * Largest request body of POST /api/v1/analyze: the text limit plus room for JSON escaping (a log's
 * newlines and quotes double in JSON) and the optional `against` file.
 */
export const ANALYZE_BODY_LIMIT = 2 * MAX_ANALYZE_TEXT_BYTES + 256 * 1024;

export const AnalyzeRequestSchema = z.strictObject({
  text: z
    .string()
    .min(1)
    .max(MAX_ANALYZE_TEXT_BYTES)
    .describe(`The log excerpt or device configuration, at most ${MAX_ANALYZE_TEXT_BYTES} characters`),
  against: z
    .string()
    .min(1)
    .max(MAX_ANALYZE_TEXT_BYTES)
    .optional()
    .describe('The VPN configuration file OutSystems sent: a device configuration is compared against it'),
});

/** POST /api/v1/analyze: the document of `vpn-doctor analyze --json` for a pasted log or configuration. */
export function analyzeRoute() {
  return defineRoute({
    method: 'POST',
    path: '/api/v1/analyze',
    operationId: 'analyze',
    summary: 'Read a VPN log or a gateway configuration',
    description: `Returns exactly the document of \`vpn-doctor analyze --json\`: for a log, its family, verdict, findings (root cause first, with the lines relied on) and timeline; for a configuration, every parameter judged against the OutSystems requirements with the fix in the vendor's syntax. Secrets in quoted lines are redacted. Bodies over ${ANALYZE_BODY_LIMIT} bytes get 413.`,
    auth: 'api',
    body: AnalyzeRequestSchema,
    bodyName: 'AnalyzeRequest',
    bodyLimit: ANALYZE_BODY_LIMIT,
    response: { description: 'The analysis document (kind "log" or "config")', schema: AnalysisDocumentSchema, name: 'AnalysisDocument' },
    handler: ({ body, log }) => {
      const doc = analyzeText(body.text, body.against === undefined ? {} : { against: body.against });
      // Never the text itself: it may carry keys. Only what was found.
      if (doc.kind === 'log')
        log.info(
          { kind: doc.kind, family: doc.family, verdict: doc.verdict, codes: doc.findings.map((f) => f.code) },
          'analysis through the API',
        );
      else
        log.info(
          { kind: doc.kind, vendor: doc.vendor, nonOk: doc.parameters.filter((p) => p.verdict !== 'ok').length },
          'analysis through the API',
        );
      return doc;
    },
  });
}
