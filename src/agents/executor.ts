/**
 * What an agent does with a job once the protocol is satisfied. The real one validates the params against
 * the probe catalogue, enforces the allowlist and runs the probe; tests and the benchmark inject fakes.
 */
export type ExecOutcome =
  { status: 'ok'; result: unknown } | { status: 'refused' | 'failed'; error: { code: string; message: string; allow?: string } };

export interface ExecContext {
  signal: AbortSignal;
  /** Absolute time (epoch ms) by which the job must be answered. */
  deadline: number;
  onProgress: (text: string) => void;
}

export interface JobExecutor {
  /** Probe kinds this executor runs (announced to the hub). */
  readonly kinds: readonly string[];
  execute(job: { probe: string; params: Record<string, unknown> }, ctx: ExecContext): Promise<ExecOutcome>;
}
