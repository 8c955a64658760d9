import type { Db } from './db.js';

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
  constructor(private readonly db: Db) {}

  add(name: string, tokenHash: string, now: number = Date.now()): AgentRecord {
    return this.db.transaction(() => {
      const existing = this.db.prepare('SELECT * FROM agents WHERE name = ?').get(name) as Row | undefined;
      if (existing && existing.revoked_at === null) {
        throw new AgentExistsError(`agent "${name}" already exists; revoke it first to issue a new token`);
      }
      if (existing) {
        this.db
          .prepare('UPDATE agents SET token_hash = ?, revoked_at = NULL, created_at = ? WHERE id = ?')
          .run(tokenHash, now, existing.id);
      } else {
        this.db.prepare('INSERT INTO agents (name, token_hash, created_at) VALUES (?, ?, ?)').run(name, tokenHash, now);
      }
      return toRecord(this.db.prepare('SELECT * FROM agents WHERE name = ?').get(name) as Row);
    });
  }

  /** The active (not revoked) agent owning this token hash, if any. */
  byTokenHash(tokenHash: string): AgentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM agents WHERE token_hash = ? AND revoked_at IS NULL').get(tokenHash) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  byName(name: string): AgentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM agents WHERE name = ?').get(name) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  isActive(id: number): boolean {
    const row = this.db.prepare('SELECT revoked_at FROM agents WHERE id = ?').get(id) as { revoked_at: number | null } | undefined;
    return row !== undefined && row.revoked_at === null;
  }

  /**
   * Whether the token a connection authenticated with is still this agent's active one: false once the
   * agent is revoked, also when it was re-added since (a new token; the old connection must not go on).
   */
  isActiveToken(id: number, tokenHash: string): boolean {
    return this.db.prepare('SELECT 1 FROM agents WHERE id = ? AND token_hash = ? AND revoked_at IS NULL').get(id, tokenHash) !== undefined;
  }

  list(): AgentRecord[] {
    return (this.db.prepare('SELECT * FROM agents ORDER BY name').all() as Row[]).map(toRecord);
  }

  /** Returns false when there is no active agent of that name. */
  revoke(name: string, now: number = Date.now()): boolean {
    return this.db.prepare('UPDATE agents SET revoked_at = ?, online = 0 WHERE name = ? AND revoked_at IS NULL').run(now, name).changes > 0;
  }

  registered(id: number, info: { version: string; capabilities: unknown; address: string | null }, now: number = Date.now()): void {
    this.db
      .prepare('UPDATE agents SET version = ?, capabilities = ?, last_address = ?, last_seen = ?, online = 1 WHERE id = ?')
      .run(info.version, JSON.stringify(info.capabilities), info.address, now, id);
  }

  disconnected(id: number, now: number = Date.now()): void {
    this.db.prepare('UPDATE agents SET online = 0, last_seen = ? WHERE id = ?').run(now, id);
  }

  /** At hub start: nobody is connected yet, whatever a hub that crashed left behind. */
  allOffline(): void {
    this.db.prepare('UPDATE agents SET online = 0 WHERE online = 1').run();
  }

  seen(id: number, now: number = Date.now()): void {
    this.db.prepare('UPDATE agents SET last_seen = ? WHERE id = ?').run(now, id);
  }
}
