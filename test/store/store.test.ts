import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, openDatabase } from '../../src/store/db.js';
import { AgentExistsError, Store } from '../../src/store/index.js';
import { MIGRATIONS, SchemaTooNewError, migrate, schemaVersion } from '../../src/store/migrations.js';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'vpn-doctor.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('database and migrations', () => {
  it('creates the file (and its folder) in WAL mode at the latest schema version', () => {
    const db = openDatabase(tempDb());
    expect(db.pragma('journal_mode')).toBe('wal');
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it.skipIf(process.platform === 'win32')(
    'creates the folder 0700 and the database and its WAL files 0600 (the audit log names people and hosts)',
    () => {
      const path = tempDb();
      const store = Store.open(path);
      store.agents.add('lan-1', 'h1'); // writes through the WAL
      const mode = (p: string) => statSync(p).mode & 0o777;
      expect(mode(join(path, '..'))).toBe(0o700);
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}-wal`)).toBe(0o600);
      expect(mode(`${path}-shm`)).toBe(0o600);
      store.close();
    },
  );

  it.skipIf(process.platform === 'win32')('tightens an existing database file readable by others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-store-'));
    dirs.push(dir);
    chmodSync(dir, 0o755);
    const path = join(dir, 'old.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    Store.open(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o755); // a folder it did not create is left alone
  });

  it('is idempotent: reopening runs nothing twice and keeps the data', () => {
    const path = tempDb();
    const a = Store.open(path);
    a.agents.add('lan-1', 'h1');
    a.close();
    const b = Store.open(path);
    expect(b.agents.list().map((x) => x.name)).toEqual(['lan-1']);
    b.close();
  });

  it('applies migrations in order, each with its version', () => {
    const db = connect(':memory:');
    const v = migrate(db, [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
      { version: 2, name: 'two', sql: 'ALTER TABLE a ADD COLUMN y TEXT' },
    ]);
    expect(v).toBe(2);
    expect(db.prepare("SELECT name FROM pragma_table_info('a')").all()).toEqual([{ name: 'x' }, { name: 'y' }]);
  });

  it('rolls a failing migration back entirely', () => {
    const db = connect(':memory:');
    migrate(db, [{ version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' }]);
    expect(() =>
      migrate(db, [
        { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
        { version: 2, name: 'bad', sql: 'CREATE TABLE b (x INTEGER); THIS IS NOT SQL' },
      ]),
    ).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
  });

  it('refuses a database written by a newer version', () => {
    const db = connect(':memory:');
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(SchemaTooNewError);
  });
});

describe('the driver helpers over node:sqlite', () => {
  it('commits a transaction that returns and hands back its value', () => {
    const db = connect(':memory:');
    db.exec('CREATE TABLE t (x INTEGER)');
    expect(db.transaction(() => db.prepare('INSERT INTO t VALUES (?)').run(1).changes)).toBe(1);
    expect(db.prepare('SELECT x FROM t').all()).toEqual([{ x: 1 }]);
    db.close();
    expect(db.open).toBe(false);
  });

  it('rolls a throwing transaction back and rethrows; a nested failure undoes only its savepoint', () => {
    const db = connect(':memory:');
    db.exec('CREATE TABLE t (x INTEGER)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    expect(() =>
      db.transaction(() => {
        insert.run(1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });

    db.transaction(() => {
      insert.run(2);
      expect(() =>
        db.transaction(() => {
          insert.run(3);
          throw new Error('inner');
        }),
      ).toThrow('inner');
      insert.run(4);
    });
    expect(db.prepare('SELECT x FROM t ORDER BY x').all()).toEqual([{ x: 2 }, { x: 4 }]);
    // The connection is usable afterwards: no transaction was left open.
    expect(() => db.exec('BEGIN; COMMIT')).not.toThrow();
  });

  it('reads and sets pragmas', () => {
    const db = connect(':memory:');
    expect(db.pragma('user_version')).toBe(0);
    db.pragma('user_version = 7');
    expect(db.pragma('user_version')).toBe(7);
    expect(db.pragma('foreign_keys = ON')).toBeUndefined(); // a setting that reports nothing back
    expect(db.pragma('foreign_keys')).toBe(1);
  });
});

describe('repositories', () => {
  it('agents: one active token per name, revoke, re-add with a new token', () => {
    const s = Store.open(':memory:');
    const a = s.agents.add('lan-1', 'hash-1', 1000);
    expect(s.agents.byTokenHash('hash-1')?.name).toBe('lan-1');
    expect(() => s.agents.add('lan-1', 'hash-2')).toThrow(AgentExistsError);
    expect(s.agents.revoke('lan-1', 2000)).toBe(true);
    expect(s.agents.revoke('lan-1')).toBe(false);
    expect(s.agents.byTokenHash('hash-1')).toBeUndefined();
    expect(s.agents.isActive(a.id)).toBe(false);
    s.agents.add('lan-1', 'hash-2', 3000);
    expect(s.agents.byTokenHash('hash-1')).toBeUndefined();
    expect(s.agents.byTokenHash('hash-2')?.id).toBe(a.id);
    s.agents.registered(a.id, { version: '1.2.3', capabilities: { icmp: 'system' }, address: '10.0.0.9' }, 4000);
    expect(s.agents.byName('lan-1')).toMatchObject({
      online: true,
      version: '1.2.3',
      capabilities: { icmp: 'system' },
      lastSeen: 4000,
      lastAddress: '10.0.0.9',
    });
    s.agents.allOffline();
    expect(s.agents.byName('lan-1')?.online).toBe(false);
  });

  it('audit: a row exists from dispatch on, a final outcome is never overwritten, leftovers become interrupted', () => {
    const s = Store.open(':memory:');
    const base = {
      requestedAt: 1,
      requestedBy: 'u',
      platform: 'slack',
      channel: 'C1',
      agent: 'lan-1',
      probe: 'tcp',
      target: '10.0.0.1:443',
      params: { target: '10.0.0.1', port: 443 },
    };
    s.audit.start({ id: 'j1', ...base });
    s.audit.start({ id: 'j2', ...base });
    expect(s.audit.get('j1')).toMatchObject({ status: 'running', params: { port: 443 }, channel: 'C1' });
    expect(s.audit.finish('j1', { status: 'ok', durationMs: 12 })).toBe(true);
    expect(s.audit.finish('j1', { status: 'failed', durationMs: 99 })).toBe(false);
    expect(s.audit.get('j1')).toMatchObject({ status: 'ok', durationMs: 12 });
    expect(s.audit.interruptRunning()).toBe(1);
    expect(s.audit.get('j2')?.status).toBe('interrupted');
    // A late result may still complete an interrupted job.
    expect(s.audit.finish('j2', { status: 'ok', detail: 'late', durationMs: 5 })).toBe(true);
    expect(
      s.audit
        .recent({ agent: 'lan-1' })
        .map((j) => j.id)
        .sort(),
    ).toEqual(['j1', 'j2']);
    expect(s.audit.count()).toBe(2);
  });

  it('monitor events are stored once per agent event id', () => {
    const s = Store.open(':memory:');
    const e = {
      agent: 'lan-1',
      eventId: 'b-1',
      kind: 'down' as const,
      target: '10.0.0.2',
      at: 10,
      sent: 12,
      received: 0,
      loss: 1,
      rttMs: null,
      idleBeforeMs: 5000,
      topic: null,
      receivedAt: 11,
    };
    expect(s.monitor.insert(e)).toBe(true);
    expect(s.monitor.insert(e)).toBe(false);
    s.monitor.setTopic('lan-1', 'b-1', 'keep-traffic-flowing');
    expect(s.monitor.since('lan-1', 0)).toEqual([{ ...e, topic: 'keep-traffic-flowing' }]);
  });

  it('keep-alive subscriptions are idempotent per conversation', () => {
    const s = Store.open(':memory:');
    const sub = {
      agent: 'lan-1',
      conversationKey: 'slack:C1:-',
      platform: 'slack',
      reference: { channel: 'C1' },
      createdBy: 'u',
      createdAt: 1,
    };
    s.subscriptions.upsert(sub);
    s.subscriptions.upsert({ ...sub, reference: { channel: 'C1', thread: 't' } });
    expect(s.subscriptions.forAgent('lan-1')).toEqual([{ ...sub, reference: { channel: 'C1', thread: 't' } }]);
    expect(s.subscriptions.remove('lan-1', 'slack:C1:-')).toBe(true);
    expect(s.subscriptions.forAgent('lan-1')).toEqual([]);
  });

  it('feedback rows are summarised per topic', () => {
    const s = Store.open(':memory:');
    s.feedback.insert({ at: 5, platform: 'teams', channel: 'C', user: 'u', topic: 'keep-traffic-flowing', fixed: true });
    s.feedback.insert({ at: 6, platform: 'teams', channel: 'C', user: 'u', topic: 'keep-traffic-flowing', fixed: false });
    expect(s.feedback.summary()).toEqual([{ topic: 'keep-traffic-flowing', fixed: 1, notFixed: 1 }]);
  });
});
