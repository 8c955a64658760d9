import type { TestProject } from 'vitest/node';
import { findPostgresBin, startPostgres, type TestPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Socket folder of the run's PostgreSQL server; empty when none could be started outside CI. */
    postgresHost: string;
  }
}

let server: TestPostgres | undefined;

/**
 * One PostgreSQL server for the whole run (about a second to start); each test file creates its own
 * database in it (test/support/postgres-db.ts). Outside CI a machine without the Debian package skips the
 * PostgreSQL tests with a notice; in CI (CI=true) a missing server fails the run, so nothing is skipped there.
 */
export async function setup(project: TestProject): Promise<void> {
  if (!findPostgresBin() && process.env.CI !== 'true') {
    project.provide('postgresHost', '');
    return;
  }
  server = await startPostgres();
  project.provide('postgresHost', server.socketDir);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
