import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/store/db.js';
import { Store } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/migrations.js';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'vpn-doctor.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the SQLite database file', () => {
  it('creates the file (and its folder) in WAL mode at the latest schema version', async () => {
    const path = tempDb();
    const store = await Store.open(path);
    expect(store.engine).toBe('sqlite');
    expect(store.location).toBe(path);
    expect(await store.db.schemaVersion()).toBe(MIGRATIONS.at(-1)!.version);
    await store.close();
    const db = connect(path);
    expect(db.pragma('journal_mode')).toBe('wal');
    expect(db.pragma('user_version')).toBe(MIGRATIONS.at(-1)!.version);
    db.close();
  });

  it.skipIf(process.platform === 'win32')(
    'creates the folder 0700 and the database and its WAL files 0600 (the audit log names people and hosts)',
    async () => {
      const path = tempDb();
      const store = await Store.open(path);
      await store.agents.add('lan-1', 'h1'); // writes through the WAL
      const mode = (p: string) => statSync(p).mode & 0o777;
      expect(mode(join(path, '..'))).toBe(0o700);
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}-wal`)).toBe(0o600);
      expect(mode(`${path}-shm`)).toBe(0o600);
      await store.close();
    },
  );

  it.skipIf(process.platform === 'win32')('tightens an existing database file readable by others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-store-'));
    dirs.push(dir);
    chmodSync(dir, 0o755);
    const path = join(dir, 'old.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    await (await Store.open(path)).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o755); // a folder it did not create is left alone
  });

  it('is idempotent: reopening runs nothing twice and keeps the data', async () => {
    const path = tempDb();
    const a = await Store.open(path);
    await a.agents.add('lan-1', 'h1');
    await a.close();
    const b = await Store.open(path);
    expect((await b.agents.list()).map((x) => x.name)).toEqual(['lan-1']);
    await b.close();
  });
});

describe('the SQLite connection', () => {
  it('reads and sets pragmas', () => {
    const db = connect(':memory:');
    expect(db.pragma('user_version')).toBe(0);
    db.pragma('user_version = 7');
    expect(db.pragma('user_version')).toBe(7);
    expect(db.pragma('foreign_keys = ON')).toBeUndefined(); // a setting that reports nothing back
    expect(db.pragma('foreign_keys')).toBe(1);
  });
});
