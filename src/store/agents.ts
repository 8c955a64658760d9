import type { SqlDb } from './sql.js';

export interface AgentRecord {
  id: number;
  name: string;
  createdAt: number;
  revokedAt: number | null;
  /** As last written by a hub (the CLI reads it from another process); see also lastSeen. */
  online: boolean;
  lastSeen: number | null;
  lastAddress: string | null;
  version: string | null;
  capabilities: unknown;
}

interface Row {
  id: number;
  name: string;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
  online: number;
  last_seen: number | null;
  last_address: string | null;
  version: string | null;
  capabilities: string | null;
}

function toRecord(r: Row): AgentRecord {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    online: r.online === 1,
    lastSeen: r.last_seen,
    lastAddress: r.last_address,
    version: r.version,
    capabilities: r.capabilities ? (JSON.parse(r.capabilities) as unknown) : null,
  };
}

export class AgentExistsError extends Error {
  override name = 'AgentExistsError';
}

/** Registered agents and their token hashes. One active token per agent; re-adding a revoked name issues a new one. */
export class AgentRepo {
  constructor(private readonly db: SqlDb) {}

  add(name: string, tokenHash: string, now: number = Date.now()): Promise<AgentRecord> {
    return this.db.transaction(async (tx) => {
      const existing = await tx.get<Row>('SELECT * FROM agents WHERE name = ?', [name]);
      if (existing && existing.revoked_at === null) {
        throw new AgentExistsError(`agent "${name}" already exists; revoke it first to issue a new token`);
      }
      if (existing) {
        await tx.run('UPDATE agents SET token_hash = ?, revoked_at = NULL, created_at = ? WHERE id = ?', [tokenHash, now, existing.id]);
      } else {
        await tx.run('INSERT INTO agents (name, token_hash, created_at) VALUES (?, ?, ?)', [name, tokenHash, now]);
      }
      return toRecord((await tx.get<Row>('SELECT * FROM agents WHERE name = ?', [name]))!);
    });
  }

  /** The active (not revoked) agent owning this token hash, if any. */
  async byTokenHash(tokenHash: string): Promise<AgentRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM agents WHERE token_hash = ? AND revoked_at IS NULL', [tokenHash]);
    return row ? toRecord(row) : undefined;
  }

  async byName(name: string): Promise<AgentRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM agents WHERE name = ?', [name]);
    return row ? toRecord(row) : undefined;
  }

  async isActive(id: number): Promise<boolean> {
    const row = await this.db.get<{ revoked_at: number | null }>('SELECT revoked_at FROM agents WHERE id = ?', [id]);
    return row !== undefined && row.revoked_at === null;
  }

  /**
   * Whether the token a connection authenticated with is still this agent's active one: false once the
   * agent is revoked, also when it was re-added since (a new token; the old connection must not go on).
   */
  async isActiveToken(id: number, tokenHash: string): Promise<boolean> {
    return (
      (await this.db.get('SELECT 1 FROM agents WHERE id = ? AND token_hash = ? AND revoked_at IS NULL', [id, tokenHash])) !== undefined
    );
  }

  async list(): Promise<AgentRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM agents ORDER BY name')).map(toRecord);
  }

  /** Returns false when there is no active agent of that name. */
  async revoke(name: string, now: number = Date.now()): Promise<boolean> {
    return (
      (await this.db.run('UPDATE agents SET revoked_at = ?, online = 0 WHERE name = ? AND revoked_at IS NULL', [now, name])).changes > 0
    );
  }

  async registered(
    id: number,
    info: { version: string; capabilities: unknown; address: string | null },
    now: number = Date.now(),
  ): Promise<void> {
    await this.db.run('UPDATE agents SET version = ?, capabilities = ?, last_address = ?, last_seen = ?, online = 1 WHERE id = ?', [
      info.version,
      JSON.stringify(info.capabilities),
      info.address,
      now,
      id,
    ]);
  }

  async disconnected(id: number, now: number = Date.now()): Promise<void> {
    await this.db.run('UPDATE agents SET online = 0, last_seen = ? WHERE id = ?', [now, id]);
  }

  /** At hub start: nobody is connected yet, whatever a hub that crashed left behind. */
  async allOffline(): Promise<void> {
    await this.db.run('UPDATE agents SET online = 0 WHERE online = 1');
  }

  async seen(id: number, now: number = Date.now()): Promise<void> {
    await this.db.run('UPDATE agents SET last_seen = ? WHERE id = ?', [now, id]);
  }
}
