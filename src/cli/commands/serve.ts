import type { Command } from 'commander';
import { logger } from '../../log/logger.js';
import { runTerminalChat } from '../terminal-chat.js';
import { createRuntime } from '../../runtime.js';
import { startServer } from '../../server/start.js';
import { mountChatAdapters } from '../../server/chat-adapters.js';
import { untilShutdownSignal } from '../../server/shutdown.js';
import { knowledgeDirOption } from '../options.js';

/**
 * `vpn-doctor serve` (also `npm start`): the agent hub, the runbook API, /healthz and /metrics on one port.
 * Configuration comes from the environment (PORT, HOST, VPN_DOCTOR_DB, VPN_DOCTOR_API_TOKEN, ...; see
 * .env.example). SIGTERM/SIGINT: agents are told to come back later, requests in flight finish, the
 * database is closed.
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the server: agent hub (WebSocket /agents), runbook API (/api/v1), /healthz, /metrics')
    .addOption(knowledgeDirOption())
    .option('--chat', 'also chat in this terminal, with checks running on the connected agents')
    .action(async (opts: { knowledge?: string; chat?: boolean }) => {
      const runtime = await createRuntime({ knowledgeDir: opts.knowledge });
      const log = logger();
      const { config } = runtime;
      const server = await startServer({
        port: config.port,
        host: config.host,
        dbPath: config.dbPath,
        databaseUrl: config.databaseUrl,
        replicaName: config.replicaName,
        apiToken: config.apiToken,
        kb: runtime.kb,
        classifier: runtime.classifier,
        log,
        hub: { heartbeatMs: config.agentHeartbeatMs },
        monitorLimits: { eventsPerMinute: config.monitorEventsPerMinute },
        retention: config.retention,
        limits: config.http,
        defaultMetrics: true,
      });
      let adapters;
      try {
        adapters = await mountChatAdapters(server, config, log);
      } catch (err) {
        await server.close();
        throw err;
      }
      // The store's location never holds the password (redacted), so it can be printed.
      const database = `${server.store.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'} ${server.store.location}`;
      log.info(
        { url: server.url, chat: adapters.names, engine: server.store.engine, db: server.store.location },
        `vpn-doctor serving on ${server.url}${adapters.names.length ? ` with ${adapters.names.join(', ')}` : ''}; database ${database}`,
      );
      const signal = untilShutdownSignal(log);
      const chat = opts.chat
        ? runTerminalChat(server.assistant, {
            channel: 'serve',
            banner: 'vpn-doctor server chat: "agents", "check <host> dns <ip> on <agent>", any question. "quit" stops the server.',
          })
        : null;
      void chat?.done.then(() => process.kill(process.pid, 'SIGTERM'));
      await signal;
      chat?.close();
      await adapters.stop();
      await server.close();
    });
}
