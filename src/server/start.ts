import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { AlertRouter } from '../conversation/alert-router.js';
import { AgentHub, type HubOptions } from '../agents/hub.js';
import { MonitorService, type MonitorIngestLimits } from '../agents/monitor-service.js';
import { LogNotifier, Notifiers } from '../agents/notifier.js';
import { CheckService } from '../checks/service.js';
import { HubAgentsPort } from '../conversation/agents-port.js';
import { answerDocument } from '../conversation/answer-document.js';
import { Assistant } from '../conversation/assistant.js';
import { ServiceCheckRunner } from '../conversation/check-runner.js';
import { storeFeedbackPort } from '../conversation/feedback-port.js';
import { tunnelReply } from '../conversation/tunnel-alert.js';
import type { KnowledgeBase } from '../knowledge/loader.js';
import type { IntentClassifier } from '../nlu/types.js';
import { Replicas } from '../replicas/index.js';
import { Store } from '../store/index.js';
import { RetentionSweeper, type RetentionPolicy } from '../store/retention.js';
import { VERSION } from '../version.js';
import { apiRoutes } from './api.js';
import { HttpApp, type HttpLimits } from './app.js';
import { Metrics } from './metrics.js';
import { buildOpenApiDocument } from './openapi.js';
import { SHARED_SCHEMAS } from './schemas.js';
import { systemRoutes } from './system-routes.js';

export interface ServerOptions {
  port: number;
  host: string;
  /** SQLite file (or ":memory:"); ignored when `store` or `databaseUrl` is given. */
  dbPath: string;
  /** A postgres:// connection string (VPN_DOCTOR_DATABASE_URL): PostgreSQL instead of the SQLite file. */
  databaseUrl?: string | undefined;
  apiToken: string | undefined;
  /** With databaseUrl: this replica's name among the replicas (default HOST:PORT). */
  replicaName?: string | undefined;
  kb: KnowledgeBase;
  classifier: IntentClassifier;
  log: Logger;
  store?: Store;
  hub?: Partial<Pick<HubOptions, 'heartbeatMs' | 'helloTimeoutMs' | 'deadlineGraceMs' | 'maxMessagesPerSecond'>>;
  /** Per-agent limits on keep-alive monitor events (defaults: DEFAULT_MONITOR_LIMITS). */
  monitorLimits?: Partial<MonitorIngestLimits>;
  /** Deletes old monitor events and audit rows; absent: nothing is pruned (tests). */
  retention?: RetentionPolicy;
  /** Node process metrics (CPU, memory, event loop) on /metrics; off in tests. */
  defaultMetrics?: boolean;
  /** Body sizes and slow-client timeouts (defaults: DEFAULT_LIMITS). */
  limits?: Partial<HttpLimits>;
  /** Check every API response against its declared schema (tests). */
  checkResponses?: boolean;
}

/** Everything a running server is made of: chat adapters take the assistant, mount routes and subscribe notifiers. */
export interface RunningServer {
  app: HttpApp;
  hub: AgentHub;
  store: Store;
  metrics: Metrics;
  assistant: Assistant;
  notifiers: Notifiers;
  /** Chat adapters register their AlertChannel here: `alerts.add(channel)`. */
  alerts: AlertRouter;
  /** The check service: every check of this server runs on a probe agent. */
  checks: CheckService;
  address: AddressInfo;
  /** http://HOST:PORT (loopback when listening on every interface). */
  url: string;
  close(): Promise<void>;
}

const API_INFO = {
  title: 'vpn-doctor runbook API',
  version: VERSION,
  description:
    'Runs the OutSystems Cloud VPN connectivity runbook on a probe agent inside the customer network, lists the agents, and answers questions from the troubleshooting guide. Authenticate with `Authorization: Bearer $VPN_DOCTOR_API_TOKEN`. Every error is `{ "error": { "code", "message", "details"? } }`.',
};

/** Builds and starts `vpn-doctor serve`: store, hub, API and the conversation core wired to the agents. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { log, kb, classifier } = options;
  const store =
    options.store ??
    (await Store.open(options.databaseUrl ?? options.dbPath, {
      postgres: { onIdleError: (err) => log.warn({ err }, 'a PostgreSQL connection failed; the pool opens another') },
    }));
  const metrics = new Metrics({ defaultMetrics: options.defaultMetrics ?? false });
  const alerts = new AlertRouter(log);
  // Chat adapters add their alert channels later through `alerts.add` / `notifiers.add`.
  const notifiers = new Notifiers(log, [new LogNotifier(log), alerts]);
  const monitor = new MonitorService({
    store,
    notifier: notifiers,
    alertReply: tunnelReply,
    log,
    ...(options.monitorLimits ? { limits: options.monitorLimits } : {}),
  });
  const retention = options.retention ? new RetentionSweeper({ store, log, policy: options.retention }) : null;
  // Several replicas share the PostgreSQL: they learn who holds which agent and route jobs over it. With
  // SQLite (one process) none of this runs.
  let replicas: Replicas | undefined;
  try {
    replicas = options.databaseUrl
      ? await Replicas.start({
          connectionString: options.databaseUrl,
          label: options.replicaName ?? `${options.host}:${options.port}`,
          log,
        })
      : undefined;
  } catch (err) {
    if (!options.store) await store.close();
    throw err;
  }
  const hub = new AgentHub({ store, log, observer: metrics, monitor, ...options.hub, ...(replicas ? { replicas } : {}) });
  try {
    await hub.ready;
  } catch (err) {
    await hub.close();
    await replicas?.stop();
    if (!options.store) await store.close();
    throw err;
  }
  const checks = new CheckService({ log, hub, knowledge: kb });
  const assistant = new Assistant({
    kb,
    classifier,
    checks: new ServiceCheckRunner(checks, kb, 'agent'),
    agents: new HubAgentsPort(hub, store),
    feedback: storeFeedbackPort(store.feedback),
  });

  const app = new HttpApp({
    log,
    metrics,
    apiToken: options.apiToken,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.checkResponses ? { checkResponses: true } : {}),
  });
  hub.attach(app.server, '/agents');
  let document: Record<string, unknown> | undefined;
  const openapi = () => (document ??= buildOpenApiDocument(app.apiRoutes, API_INFO, SHARED_SCHEMAS));
  for (const route of [
    ...systemRoutes({ store, hub, metrics, openapi }),
    ...apiRoutes({ hub, store, checks, ask: (text) => answerDocument(kb, classifier, text) }),
  ]) {
    app.api(route);
  }

  let address: AddressInfo;
  try {
    address = await app.listen(options.port, options.host);
  } catch (err) {
    await hub.close();
    await replicas?.stop();
    if (!options.store) await store.close();
    throw err;
  }
  const host =
    address.family === 'IPv6'
      ? `[${address.address === '::' ? '::1' : address.address}]`
      : address.address === '0.0.0.0'
        ? '127.0.0.1'
        : address.address;
  retention?.start();
  if (!options.apiToken) log.warn('VPN_DOCTOR_API_TOKEN is not set: the /api/v1 endpoints refuse every request');
  log.info(
    { address: address.address, port: address.port, engine: store.engine, db: options.store ? '(given)' : store.location },
    'vpn-doctor server listening',
  );

  let closing: Promise<void> | undefined;
  return {
    app,
    hub,
    store,
    metrics,
    assistant,
    notifiers,
    alerts,
    checks,
    address,
    url: `http://${host}:${address.port}`,
    close: () =>
      (closing ??= (async () => {
        // Agents first (they are told to come back later), then HTTP requests in flight, then the database.
        await hub.close();
        await replicas?.stop();
        await app.close();
        await retention?.stop();
        if (!options.store) await store.close();
        log.info('vpn-doctor server stopped');
      })()),
  };
}
