import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { logger } from '../../log/logger.js';
import { renderTerminal } from '../../reply/render-terminal.js';
import { createRuntime } from '../../runtime.js';
import { startServer, type RunningServer } from '../../server/start.js';
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
        apiToken: config.apiToken,
        kb: runtime.kb,
        classifier: runtime.classifier,
        log,
        hub: { heartbeatMs: config.agentHeartbeatMs },
        defaultMetrics: true,
      });
      const signal = untilShutdownSignal(log);
      const chat = opts.chat ? terminalChat(server) : null;
      void chat?.done.then(() => process.kill(process.pid, 'SIGTERM'));
      await signal;
      chat?.close();
      await server.close();
    });
}

/** A minimal terminal conversation with the server's assistant (the same one the chat platforms use). */
function terminalChat(server: RunningServer): { done: Promise<void>; close: () => void } {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: Boolean(process.stdin.isTTY) });
  const color = Boolean(process.stdout.isTTY);
  process.stdout.write('vpn-doctor server chat: "agents", "check <host> dns <ip> on <agent>", any question. "quit" stops the server.\n');
  const done = (async () => {
    for await (const line of rl) {
      const text = line.trim();
      if (!text) continue;
      if (/^(quit|exit)$/i.test(text)) break;
      const answer = await server.assistant.handle(
        { text, user: process.env.USER ?? 'terminal', channel: 'serve', platform: 'terminal' },
        { progress: (interim) => void process.stderr.write(`... ${interim.summary}\n`) },
      );
      process.stdout.write('\n' + renderTerminal(answer, { color }) + '\n');
    }
    rl.close();
  })();
  return { done, close: () => rl.close() };
}
