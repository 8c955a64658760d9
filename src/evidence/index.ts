/**
 * The evidence engine: pasted or uploaded text in, findings out. Logs are read here; configurations by
 * ./config (behind the same `analyzeText`).
 */
export {
  analyzeFile,
  analyzeLogStream,
  analyzeLogText,
  analyzeText,
  MAX_ANALYZE_TEXT_BYTES,
  type AnalysisDocument,
  type AnalyzeOptions,
} from './analyze.js';
export { looksLikeLog } from './looks-like-log.js';
export { redact, redactText, redactionNotice, REDACTED } from './redact.js';
export type { LogDocument, LogFinding, LogVerdict, QuotedLine, TimelineEntry } from './types.js';
