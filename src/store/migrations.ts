import type { Db } from './db.js';

/**
 * Versioned schema migrations, tracked in SQLite's `user_version`. Append new entries; never edit one that
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
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE,
        token_hash    TEXT NOT NULL UNIQUE,
        created_at    INTEGER NOT NULL,
        revoked_at    INTEGER,
        online        INTEGER NOT NULL DEFAULT 0,
        last_seen     INTEGER,
        last_address  TEXT,
        version       TEXT,
        capabilities  TEXT
      );

      CREATE TABLE jobs (
        id            TEXT PRIMARY KEY,
        check_id      TEXT,
        requested_at  INTEGER NOT NULL,
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
        duration_ms   INTEGER,
        finished_at   INTEGER
      );
      CREATE INDEX jobs_requested_at ON jobs (requested_at);
      CREATE INDEX jobs_agent ON jobs (agent, requested_at);
      CREATE INDEX jobs_running ON jobs (status) WHERE status = 'running';

      CREATE TABLE monitor_events (
        id              INTEGER PRIMARY KEY,
        agent           TEXT NOT NULL,
        event_id        TEXT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('up', 'down')),
        target          TEXT NOT NULL,
        at              INTEGER NOT NULL,
        sent            INTEGER NOT NULL,
        received        INTEGER NOT NULL,
        loss            REAL NOT NULL,
        rtt_ms          REAL,
        idle_before_ms  INTEGER,
        topic           TEXT,
        received_at     INTEGER NOT NULL,
        UNIQUE (agent, event_id)
      );
      CREATE INDEX monitor_events_agent_at ON monitor_events (agent, at);

      CREATE TABLE keepalive_subscriptions (
        id                INTEGER PRIMARY KEY,
        agent             TEXT NOT NULL,
        conversation_key  TEXT NOT NULL,
        platform          TEXT NOT NULL,
        reference         TEXT NOT NULL,
        created_by        TEXT NOT NULL,
        created_at        INTEGER NOT NULL,
        UNIQUE (agent, conversation_key)
      );

      CREATE TABLE feedback (
        id        INTEGER PRIMARY KEY,
        at        INTEGER NOT NULL,
        platform  TEXT NOT NULL,
        channel   TEXT NOT NULL,
        user      TEXT NOT NULL,
        topic     TEXT,
        fixed     INTEGER NOT NULL
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
];

export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError';
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version'));
}

/** Runs every migration above the database's version, each in its own transaction with its version bump. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    // An older binary must not write into a schema it does not understand.
    throw new SchemaTooNewError(`database schema v${current} is newer than this vpn-doctor understands (v${latest}): upgrade vpn-doctor`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    });
  }
  return schemaVersion(db);
}
