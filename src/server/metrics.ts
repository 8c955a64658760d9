import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HubObserver, JobOutcomeStatus } from '../agents/hub.js';

/**
 * Prometheus metrics of one server. A registry per server (not prom-client's global one) so several
 * servers in one test process do not collide.
 */
export class Metrics implements HubObserver {
  readonly registry = new Registry();
  private readonly online: Gauge;
  private readonly jobs: Counter<'probe' | 'outcome'>;
  private readonly jobDuration: Histogram<'probe'>;
  private readonly rejected: Counter<'reason'>;
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly requestDuration: Histogram<'method' | 'route'>;
  private readonly refused: Counter<'what'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.online = new Gauge({ name: 'vpn_doctor_agents_online', help: 'Probe agents connected to the hub', registers });
    this.jobs = new Counter({ name: 'vpn_doctor_jobs_total', help: 'Probe jobs by outcome', labelNames: ['probe', 'outcome'], registers });
    this.jobDuration = new Histogram({
      name: 'vpn_doctor_job_duration_seconds',
      help: 'Probe job round trip, dispatch to result',
      labelNames: ['probe'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.rejected = new Counter({
      name: 'vpn_doctor_agent_connections_rejected_total',
      help: 'Agent connections refused or closed by the hub',
      labelNames: ['reason'],
      registers,
    });
    this.requests = new Counter({
      name: 'vpn_doctor_http_requests_total',
      help: 'HTTP requests',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'vpn_doctor_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
      registers,
    });
    this.refused = new Counter({
      name: 'vpn_doctor_http_refused_total',
      help: 'HTTP connections and requests refused (429) because their address already had too many open',
      labelNames: ['what'],
      registers,
    });
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'vpn_doctor_' });
  }

  agentsOnline(count: number): void {
    this.online.set(count);
  }

  jobFinished(probe: string, status: JobOutcomeStatus, seconds: number): void {
    this.jobs.inc({ probe, outcome: status });
    this.jobDuration.observe({ probe }, seconds);
  }

  connectionRejected(reason: string): void {
    this.rejected.inc({ reason });
  }

  httpRefused(what: 'connection' | 'request'): void {
    this.refused.inc({ what });
  }

  /** `route` is the route's pattern (never the raw path, which would explode label cardinality). */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.requestDuration.observe({ method, route }, seconds);
  }
}
