import {
  createParsedProbeRunner,
  catalogue as defaultCatalogue,
  ProbeRequestSchema,
  requestTarget,
  type Catalogue,
} from '../probes/catalogue.js';
import type { Allowlist } from './allowlist.js';
import type { ExecContext, ExecOutcome, JobExecutor } from './executor.js';
import { guardRequest, type GuardDeps } from './job-guard.js';

/**
 * The real executor of an agent: only the probe catalogue of src/probes, only with params that pass the
 * probe's own zod schema (no shell metacharacters, no option-like targets, no 300-character names), and only
 * towards addresses its allowlist permits. Whatever the hub sends, nothing else runs.
 */
export class CatalogueExecutor implements JobExecutor {
  readonly kinds: readonly string[];
  private readonly run;

  constructor(
    private readonly allowlist: Allowlist,
    private readonly deps: GuardDeps & { catalogue?: Catalogue } = {},
  ) {
    const probes = deps.catalogue ?? defaultCatalogue;
    this.kinds = Object.keys(probes);
    // The job's params are validated once, here, where they enter the agent; the runner does not parse again.
    this.run = createParsedProbeRunner(probes);
  }

  async execute(job: { probe: string; params: Record<string, unknown> }, ctx: ExecContext): Promise<ExecOutcome> {
    const parsed = ProbeRequestSchema.safeParse({ kind: job.probe, params: job.params });
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((i) => `${i.path.slice(1).join('.') || i.path.join('.') || 'params'}: ${i.message}`)
        .join('; ');
      return { status: 'refused', error: { code: 'invalid-params', message: `invalid ${job.probe} probe: ${message}`.slice(0, 500) } };
    }
    const guarded = await guardRequest(parsed.data, this.allowlist, ctx.deadline, this.deps);
    if (!guarded.ok) {
      return guarded.code === 'not-allowed'
        ? {
            status: 'refused',
            error: { code: guarded.code, message: guarded.reason.slice(0, 500), ...(guarded.allow ? { allow: guarded.allow } : {}) },
          }
        : { status: 'failed', error: { code: guarded.code, message: guarded.reason.slice(0, 500) } };
    }
    const result = await this.run(guarded.request, { signal: ctx.signal, deadline: ctx.deadline });
    // A name was pinned to its address: report the target as asked (the name), while the detail still
    // shows the address actually contacted.
    const asked = requestTarget(parsed.data);
    const pinned = requestTarget(guarded.request);
    if (asked === pinned) return { status: 'ok', result };
    const original = 'target' in parsed.data.params ? parsed.data.params.target : asked;
    const address = guarded.contacted[0] ?? '';
    return { status: 'ok', result: { ...result, target: address ? result.target.replace(address, original) : asked } };
  }
}
