import type { Logger } from 'pino';
import type { AppConfig } from '../config/env.js';
import type { RunningServer } from './start.js';

export interface MountedAdapters {
  /** Names of the voices that are on, for the start-up log line. */
  names: string[];
  stop(): Promise<void>;
}

/**
 * Mounts the chat platforms that are configured on the running server: their HTTP routes on its router,
 * their alert channels on its alert router. Each SDK is imported only when its platform is configured, so
 * a server without Teams never loads botbuilder. This is the one place that knows both the server and the
 * adapters (the composition root); neither knows the other.
 */
export async function mountChatAdapters(server: RunningServer, config: AppConfig, log: Logger): Promise<MountedAdapters> {
  const names: string[] = [];
  const stops: Array<() => Promise<void>> = [];
  // Retry and replay memory, thread aliases and continuation pages live in the database: with several
  // replicas on one PostgreSQL database, any of them can take a platform's retry or a "Show more" click.
  const memory = server.store.chatState;
  try {
    if (config.slack) {
      const { createSlackAdapter } = await import('../../adapters/slack/index.js');
      const slack = createSlackAdapter({ assistant: server.assistant, config: config.slack, logger: log, files: config.files, memory });
      for (const route of slack.routes) server.app.route(route);
      await slack.start();
      const removeAlerts = server.alerts.add(slack.alerts);
      stops.push(async () => {
        removeAlerts();
        await slack.stop();
      });
      names.push(`slack (${slack.mode})`);
    }
    if (config.teams.appId || config.teams.dev) {
      const { createTeamsAdapter } = await import('../../adapters/teams/index.js');
      const teams = createTeamsAdapter({ assistant: server.assistant, config, logger: log, options: { files: config.files }, memory });
      for (const route of teams.routes) server.app.route(route);
      const removeAlerts = teams.alerts ? server.alerts.add(teams.alerts) : () => {};
      stops.push(async () => {
        removeAlerts();
        await teams.drain();
      });
      if (teams.enabled) names.push(config.teams.appId ? 'teams' : 'teams (dev mode, no authentication)');
    }
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw err;
  }
  return {
    names,
    async stop() {
      for (const stop of stops.reverse()) await stop().catch((err: unknown) => log.warn({ err }, 'chat adapter did not stop cleanly'));
    },
  };
}
