import { z } from 'zod';

/** Request bodies of the runbook API (also the source of their OpenAPI schemas). */

/** POST /api/v1/checks: the check service's one request (src/checks/request.ts). */
export { CheckRequestSchema } from '../checks/request.js';

export const AskRequestSchema = z.strictObject({ text: z.string().trim().min(1).max(2000) });

