/**
 * The check service: one request schema, one way to run a check (here or on an agent), one result, one
 * error vocabulary. The HTTP layer needs only what is exported here.
 */
export { CheckReportSchema as CheckResultSchema, type CheckReport } from '../diagnosis/report.js';
export type { CheckProgress } from '../diagnosis/run-check.js';
export {
  AGENT_BUSY_RETRY_AFTER_S,
  CheckError,
  CheckErrorCodeSchema,
  checkErrorStatuses,
  httpStatusOf,
  type CheckErrorCode,
  type CheckErrorDetails,
} from './errors.js';
export { CheckRequestSchema, parseCheckRequest, type CheckRequest, type CheckRequestDraft } from './request.js';
export { CheckService, type CheckPlacement, type CheckResult, type CheckRunOptions, type CheckServiceDeps } from './service.js';
