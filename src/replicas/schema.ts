import type { Pool } from 'pg';

/**
 * The replicas' own tables, kept apart from the store's migrations (src/store): they hold coordination
 * state only (who is alive, who holds which agent's socket, bus payloads too large for a notification,
 * leases), all of it rebuilt within seconds by the running replicas, so "create if missing" is the whole
 * migration story. Created under a transaction-level advisory lock: two replicas starting together would
 * otherwise race on CREATE TABLE IF NOT EXISTS (it is not atomic against a concurrent twin).
 */
const SCHEMA_LOCK = 0x7670_6472; // "vpdr"

const DDL = `
CREATE TABLE IF NOT EXISTS replica_nodes (
  id               text PRIMARY KEY,
  label            text NOT NULL,
  listener_pid     integer NOT NULL,
  listener_started timestamptz NOT NULL,
  started_at       timestamptz NOT NULL DEFAULT now(),
  beat_at          timestamptz NOT NULL DEFAULT now(),
  -- Each replica says how long its beat counts: replicas with different settings agree on who is alive.
  expiry_ms        integer NOT NULL
);
CREATE TABLE IF NOT EXISTS replica_agents (
  agent        text PRIMARY KEY,
  replica      text NOT NULL,
  connected_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS replica_agents_replica ON replica_agents (replica);
CREATE TABLE IF NOT EXISTS replica_payloads (
  id         bigserial PRIMARY KEY,
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS replica_leases (
  name       text PRIMARY KEY,
  holder     text NOT NULL,
  expires_at timestamptz NOT NULL
);
`;

export async function ensureReplicaSchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await client.query(DDL);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
