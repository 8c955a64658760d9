import { renderDdl } from './dialect.js';
import type { SqlDb } from './sql.js';

/**
 * Versioned schema migrations, one list for both engines (DDL tokens: src/store/dialect.ts), tracked in
 * SQLite's `user_version` or PostgreSQL's `schema_version` table. Append new entries; never edit one that
 * has shipped, because databases in the field have already run it.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'agents, jobs audit log, monitor events, keep-alive subscriptions, feedback',
    sql: `
      CREATE TABLE agents (
        id            {id},
        name          TEXT NOT NULL UNIQUE,
        token_hash    TEXT NOT NULL UNIQUE,
        created_at    {int} NOT NULL,
        revoked_at    {int},
        online        {int} NOT NULL DEFAULT 0,
        last_seen     {int},
        last_address  TEXT,
        version       TEXT,
        capabilities  TEXT
      );

      CREATE TABLE jobs (
        {rowid}
        id            TEXT PRIMARY KEY,
        check_id      TEXT,
        requested_at  {int} NOT NULL,
        requested_by  TEXT NOT NULL,
        platform      TEXT NOT NULL,
        channel       TEXT,
        agent         TEXT NOT NULL,
        probe         TEXT NOT NULL,
        target        TEXT NOT NULL,
        params        TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN
                        ('running', 'ok', 'failed', 'refused', 'timeout', 'disconnected', 'interrupted', 'cancelled')),
        detail        TEXT,
        duration_ms   {int},
        finished_at   {int}
      );
      CREATE INDEX jobs_requested_at ON jobs (requested_at);
      CREATE INDEX jobs_agent ON jobs (agent, requested_at);
      CREATE INDEX jobs_running ON jobs (status) WHERE status = 'running';

      CREATE TABLE monitor_events (
        id              {id},
        agent           TEXT NOT NULL,
        event_id        TEXT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('up', 'down')),
        target          TEXT NOT NULL,
        at              {int} NOT NULL,
        sent            {int} NOT NULL,
        received        {int} NOT NULL,
        loss            {real} NOT NULL,
        rtt_ms          {real},
        idle_before_ms  {int},
        topic           TEXT,
        received_at     {int} NOT NULL,
        UNIQUE (agent, event_id)
      );
      CREATE INDEX monitor_events_agent_at ON monitor_events (agent, at);

      CREATE TABLE keepalive_subscriptions (
        id                {id},
        agent             TEXT NOT NULL,
        conversation_key  TEXT NOT NULL,
        platform          TEXT NOT NULL,
        reference         TEXT NOT NULL,
        created_by        TEXT NOT NULL,
        created_at        {int} NOT NULL,
        UNIQUE (agent, conversation_key)
      );

      CREATE TABLE feedback (
        id        {id},
        at        {int} NOT NULL,
        platform  TEXT NOT NULL,
        channel   TEXT NOT NULL,
        "user"    TEXT NOT NULL,
        topic     TEXT,
        fixed     {int} NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'indexes for the constant-work drop analysis and the retention sweeps',
    sql: `
      CREATE INDEX monitor_events_agent_kind_at ON monitor_events (agent, kind, at);
      CREATE INDEX monitor_events_received_at ON monitor_events (received_at);
      CREATE INDEX jobs_finished_at ON jobs (finished_at) WHERE finished_at IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'shared chat state: retry and replay memory, continuation pages, Teams invoke answers and references',
    sql: `
      CREATE TABLE chat_state (
        key         TEXT PRIMARY KEY,
        value       TEXT NOT NULL,
        expires_at  {int} NOT NULL
      );
      CREATE INDEX chat_state_expires_at ON chat_state (expires_at);
    `,
  },
  {
    version: 4,
    name: 'the replica that started each job, so a survivor can close what a dead replica left running',
    sql: `
      ALTER TABLE jobs ADD COLUMN replica TEXT;
      CREATE INDEX jobs_running_replica ON jobs (replica) WHERE status = 'running';
    `,
  },
];

export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';
}

/**
 * Runs every migration above the database's version, each in its own transaction with its version bump,
 * holding the engine's schema lock: replicas starting together migrate once, the others then see the
 * new version and run nothing.
 */
export async function migrate(db: SqlDb, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  return db.withSchemaLock(async () => {
    const current = await db.schemaVersion();
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest) {
      // An older binary must not write into a schema it does not understand.
      throw new SchemaTooNewError(`database schema v${current} is newer than this vpn-doctor understands (v${latest}): upgrade vpn-doctor`);
    }
    for (const m of migrations) {
      if (m.version <= current) continue;
      await db.transaction(async (tx) => {
        // Read again under the transaction's lock: another process may have run this step meanwhile.
        if ((await db.schemaVersion(tx)) >= m.version) return;
        await tx.exec(renderDdl(m.sql, db.engine));
        await db.setSchemaVersion(tx, m.version);
      });
    }
    return db.schemaVersion();
  });
}
