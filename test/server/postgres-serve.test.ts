import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { redactText } from '../../src/evidence/redact.js';
import type { RunningServer } from '../../src/server/start.js';
import { createTestDatabase, hasPostgres } from '../support/postgres-db.js';
import { waitFor } from '../agents/helpers.js';
import { api, connectAgent, startTestServer } from './helpers.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('VPN_DOCTOR_DATABASE_URL', () => {
  it('accepts a postgres:// or postgresql:// URL (empty means unset) and names the variable on anything else', () => {
    expect(loadConfig({ VPN_DOCTOR_DATABASE_URL: 'postgres://u:p@db:5432/vpnd' }).databaseUrl).toBe('postgres://u:p@db:5432/vpnd');
    expect(loadConfig({ VPN_DOCTOR_DATABASE_URL: 'postgresql://u@/vpnd?host=/run/postgresql' }).databaseUrl).toMatch(/^postgresql:/);
    expect(loadConfig({ VPN_DOCTOR_DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(() => loadConfig({ VPN_DOCTOR_DATABASE_URL: 'mysql://u:p@db/vpnd' })).toThrow(/VPN_DOCTOR_DATABASE_URL/);
  });

  it("redacts a URL's password wherever it is printed", () => {
    expect(redactText('postgres://vpnd:s3cr3t@db.internal:5432/vpnd')).toBe('postgres://vpnd:<redacted>@db.internal:5432/vpnd');
    expect(redactText('postgres://vpnd@/vpnd?host=/run/postgresql')).toBe('postgres://vpnd@/vpnd?host=/run/postgresql');
  });
});

describe.skipIf(!hasPostgres())('serve on PostgreSQL', () => {
  it('starts on the database, says so without the password, and keeps agents and audit rows there', async () => {
    // The test server trusts local connections, so any password is accepted: one that must not be printed.
    const url = createTestDatabase().replace('postgres://postgres@', 'postgres://postgres:hunter2-secret@');
    const server = await startTestServer({ databaseUrl: url });
    servers.push(server);
    expect(server.store.engine).toBe('postgres');
    const listening = server.lines.find((l) => l.msg === 'vpn-doctor server listening')!;
    expect(listening).toMatchObject({ engine: 'postgres' });
    expect(String(listening.db)).toContain('postgres:<redacted>@');
    expect(JSON.stringify(server.lines)).not.toContain('hunter2-secret');

    const agent = await connectAgent(server, 'lan-pg');
    try {
      const health = await api(server, '/healthz', { token: null });
      expect(await health.json()).toMatchObject({ status: 'ok', db: 'ok', agentsOnline: 1 });
      // The hub records "online" after the welcome, without holding the agent up for the write.
      await waitFor(async () => (await server.store.agents.byName('lan-pg'))?.online === true, 3000, 'agent recorded online');
    } finally {
      await agent.stop({ timeoutMs: 500 });
    }
  });
});
