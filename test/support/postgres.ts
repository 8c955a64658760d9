import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away PostgreSQL server from Debian's packages (postgresql-NN), for the tests that run the store
 * and the replicas against a real database. It listens only on a Unix socket in its own temporary folder
 * (no TCP port at all), trusts local connections and is deleted when stopped.
 *
 * PostgreSQL refuses to run as root, and CI runs as root: the server then runs as the `postgres` user the
 * Debian package creates (else `nobody`), owning its folder.
 */
export interface TestPostgres {
  /** The folder holding the server's Unix socket (the `host` of a connection string). */
  socketDir: string;
  /** A connection string for database `name` (created by createDatabase) over the socket. */
  url(name?: string): string;
  /** Creates an empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Where Debian installs the server binaries (not on PATH), newest version first; PATH as a last resort. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const initdb = which.stdout.trim();
  return initdb ? initdb.slice(0, -'/initdb'.length) : undefined;
}

interface RunAs {
  uid?: number;
  gid?: number;
  user: string;
}

function serverUser(): RunAs {
  if (process.getuid?.() !== 0) return { user: userInfo().username };
  for (const name of ['postgres', 'nobody']) {
    const id = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (id.status === 0 && gid.status === 0) return { uid: Number(id.stdout), gid: Number(gid.stdout), user: name };
  }
  throw new Error('running as root and neither the postgres nor the nobody user exists to run PostgreSQL');
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found (Debian package postgresql; scripts/install-system-deps.sh)');
  const runAs = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-pg-'));
  const data = join(dir, 'data');
  if (runAs.uid !== undefined) chownSync(dir, runAs.uid, runAs.gid!);
  const ids = runAs.uid !== undefined ? { uid: runAs.uid, gid: runAs.gid } : {};
  const initdb = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], {
    ...ids,
    encoding: 'utf8',
    cwd: dir,
  });
  if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr || initdb.stdout}`);

  const server = spawn(
    join(bin, 'postgres'),
    // No TCP listener; the socket lives in our folder. fsync off: a test database need not survive a power cut.
    ['-D', data, '-k', dir, '-c', 'listen_addresses=', '-c', 'fsync=off', '-c', 'max_connections=200'],
    { ...ids, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    log = (log + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));

  const url = (name = 'postgres') => `postgres://postgres@/${name}?host=${encodeURIComponent(dir)}`;
  await waitUntilReady(bin, dir, ids, () => log, server);

  return {
    socketDir: dir,
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const psql = spawnSync(
        join(bin, 'psql'),
        ['-h', dir, '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`],
        {
          encoding: 'utf8',
        },
      );
      if (psql.status !== 0) throw new Error(`CREATE DATABASE ${name} failed: ${psql.stderr}`);
      return url(name);
    },
    async stop() {
      if (server.exitCode === null) {
        server.kill('SIGINT'); // fast shutdown
        const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(
  bin: string,
  dir: string,
  ids: { uid?: number; gid?: number },
  log: () => string,
  server: ReturnType<typeof spawn>,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL exited while starting:\n${log()}`);
    const ready = spawnSync(join(bin, 'pg_isready'), ['-h', dir, '-U', 'postgres', '-q'], { ...ids });
    if (ready.status === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  server.kill('SIGKILL');
  throw new Error(`PostgreSQL did not accept connections within 30 s:\n${log()}`);
}
