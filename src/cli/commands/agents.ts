import type { Command } from 'commander';
import { AllowlistError } from '../../agents/allowlist.js';
import { AgentNameSchema } from '../../agents/protocol.js';
import { agentCommandLine, allowRulesFor } from '../../agents/suggested-allowlist.js';
import { generateToken, hashToken } from '../../agents/tokens.js';
import { loadConfig } from '../../config/env.js';
import { existsSync } from 'node:fs';
import { AgentExistsError, Store } from '../../store/index.js';
import { UsageError } from '../errors.js';

/**
 * `vpn-doctor agents add|list|revoke`: token management on the server's database (VPN_DOCTOR_DB).
 * Works while `serve` runs (WAL); a revoked agent is disconnected at its next heartbeat.
 */
export function registerAgentsCommand(program: Command): void {
  const agents = program.command('agents').description('register, list and revoke probe agents (server side)');

  agents
    .command('add')
    .description('register an agent and print its token (shown once; only a hash is stored)')
    .argument('<name>', 'agent name: letters, digits, dots, dashes, underscores')
    .option('--json', 'print {name, token, command} as JSON')
    .option('--hub <url>', 'the hub URL the agent connects to (default wss://<this-server>/agents)')
    .option('--dns <ip...>', 'the cloud DNS servers (LifeTime shows them): the agent may ping, trace and query them')
    .option('--cloud-range <cidr>', 'the OutSystems Cloud internal range: the agent may connect to TCP 443 and 80 in it')
    .option('--resolver <ip>', 'your DNS resolver the check compares with the cloud DNS: the agent may query it')
    .option('--edge <ip>', "your VPN edge device's inside IP: the agent may ping it")
    .option('--host <name...>', 'environment host names (e.g. acme-dev.outsystemsenterprise.com)')
    .action(async (name: string, opts: AddFlags) => {
      const parsed = AgentNameSchema.safeParse(name);
      if (!parsed.success) throw new UsageError(`invalid agent name "${name}": ${parsed.error.issues[0]?.message}`);
      let rules: string[];
      try {
        rules = allowRulesFor({
          dnsServers: opts.dns ?? [],
          cloudRange: opts.cloudRange,
          resolver: opts.resolver,
          edge: opts.edge,
          hosts: opts.host ?? [],
        });
      } catch (err) {
        if (err instanceof AllowlistError) throw new UsageError(err.message);
        throw err;
      }
      const missing = [
        ...(opts.dns?.length ? [] : ['--dns <cloud DNS IP>']),
        ...(opts.cloudRange ? [] : ['--cloud-range <cloud range CIDR>']),
        ...(opts.resolver ? [] : ['--resolver <your DNS server IP>']),
      ];
      const command = agentCommandLine({
        hub: opts.hub ?? 'wss://<this-server>/agents',
        name,
        tokenFile: `/etc/vpn-doctor/${name}.token`,
        rules,
        keepalive: opts.dns?.[0],
      });
      await withStore(
        async (store, path) => {
          const token = generateToken();
          try {
            await store.agents.add(name, hashToken(token));
          } catch (err) {
            if (err instanceof AgentExistsError) throw new UsageError(err.message);
            throw err;
          }
          process.stderr.write(`Database: ${path}\n`);
          if (opts.json) {
            process.stdout.write(JSON.stringify({ name, token, command, allow: rules }) + '\n');
            return;
          }
          process.stdout.write(`${token}\n`);
          process.stderr.write(
            `Agent "${name}" registered. The token above is shown only once: store it now, in /etc/vpn-doctor/${name}.token (mode 600).\n` +
              `On a server in your network, run:\n  ${command}\n` +
              (missing.length > 0
                ? `This allowlist lacks what the check also needs: give ${missing.join(' ')} to \`agents add\`, or add the matching --allow rules (IP, IP:53, CIDR:443,80) by hand.\n`
                : `It allows every probe of \`check HOST ${(opts.dns ?? []).map((d) => `dns ${d}`).join(' ')} resolver ${opts.resolver}${opts.edge ? ` edge ${opts.edge}` : ''}\` for hosts in ${opts.cloudRange}.\n`),
          );
        },
        { create: true },
      );
    });

  agents
    .command('list')
    .description('list registered agents (online state as last recorded by the running server)')
    .option('--json', 'print the agents as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withStore(
        async (store, path) => {
          const list = await store.agents.list();
          if (opts.json) {
            const rows = list.map((a) => ({
              name: a.name,
              online: a.online,
              revoked: a.revokedAt !== null,
              createdAt: new Date(a.createdAt).toISOString(),
              revokedAt: a.revokedAt === null ? null : new Date(a.revokedAt).toISOString(),
              lastSeen: a.lastSeen === null ? null : new Date(a.lastSeen).toISOString(),
              lastAddress: a.lastAddress,
              version: a.version,
              capabilities: a.capabilities,
            }));
            process.stdout.write(JSON.stringify({ database: path, agents: rows }) + '\n');
            return;
          }
          process.stdout.write(`Database: ${path}\n`);
          if (list.length === 0) {
            process.stdout.write('No agents registered. Add one with: vpn-doctor agents add NAME\n');
            return;
          }
          const table = [['NAME', 'STATE', 'LAST SEEN', 'VERSION', 'ADDRESS']];
          for (const a of list) {
            table.push([
              a.name,
              a.revokedAt !== null ? 'revoked' : a.online ? 'online' : 'offline',
              a.lastSeen === null ? 'never' : new Date(a.lastSeen).toISOString().replace(/\.\d+Z$/, 'Z'),
              a.version ?? '-',
              a.lastAddress ?? '-',
            ]);
          }
          const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
          process.stdout.write(
            table
              .map((r) =>
                r
                  .map((c, i) => c.padEnd(widths[i]!))
                  .join('  ')
                  .trimEnd(),
              )
              .join('\n') + '\n',
          );
        },
        { create: false },
      );
    });

  agents
    .command('revoke')
    .description("revoke an agent's token (a connected agent is dropped at its next heartbeat)")
    .argument('<name>', 'agent name')
    .action(async (name: string) => {
      await withStore(
        async (store) => {
          if (!(await store.agents.revoke(name))) {
            process.stderr.write(`vpn-doctor: no active agent named "${name}"\n`);
            process.exitCode = 1;
            return;
          }
          process.stdout.write(`Agent "${name}" revoked.\n`);
        },
        { create: false },
      );
    });
}

interface AddFlags {
  json?: boolean;
  hub?: string;
  dns?: string[];
  cloudRange?: string;
  resolver?: string;
  edge?: string;
  host?: string[];
}

/**
 * Opens the one database: PostgreSQL when VPN_DOCTOR_DATABASE_URL is set, else the SQLite file
 * (src/config/db-path.ts). A command that only reads or changes what exists (`list`, `revoke`) never creates
 * a SQLite file: a missing file means a wrong VPN_DOCTOR_DB or user, not an empty list. `where` is printable
 * (a URL's password is redacted).
 */
async function withStore(fn: (store: Store, where: string) => Promise<void>, options: { create: boolean }): Promise<void> {
  const config = loadConfig();
  const path = config.dbPath;
  if (!config.databaseUrl && !options.create && path !== ':memory:' && !path.startsWith('file:') && !existsSync(path)) {
    throw new DatabaseMissingError(
      `no database at ${path}: nothing is registered there. \`serve\` and \`agents add\` create it; if the server uses another one, set VPN_DOCTOR_DB to its path (or VPN_DOCTOR_DATABASE_URL to its PostgreSQL database).`,
    );
  }
  const store = await Store.open(config.databaseUrl ?? path);
  try {
    await fn(store, store.location);
  } finally {
    await store.close();
  }
}

/** Exit 1 with the path: the command ran as asked, but there is no database there. */
class DatabaseMissingError extends Error {
  override name = 'DatabaseMissingError';
}
