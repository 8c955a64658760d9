/**
 * The agent scenario's plumbing: `vpn-doctor serve` (hub + runbook API) and `vpn-doctor agent` both run
 * inside the lab's LAN namespace, talking over that namespace's own loopback, as a customer would run an
 * agent on a LAN server. Nothing listens outside the namespace, and the agent's allowlist names only lab
 * ranges. Both processes are adopted by the lab, so every teardown path (afterAll, exit and signal
 * handlers) stops them by pid with the rest of the lab.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runIn, startDaemon, waitFor, type Daemon } from './exec.js';
import { REPO_ROOT } from './frontend.js';
import { waitForListener } from './listen.js';
import { EDGE_IP, ENV_HOST, PLAN, RESOLVER_IP } from './plan.js';
import { CLI, labCaEnv } from './run-check.js';
import type { Lab } from './lab.js';

export const AGENT_NAME = 'lab';
/** The server's port on the LAN namespace's loopback (a fresh namespace: nothing else listens there). */
export const HUB_PORT = 3978;
const BASE_URL = `http://127.0.0.1:${HUB_PORT}`;

/**
 * What the agent may probe: the cloud VPC (DNS servers, front-end) and the edge device / corporate
 * resolver. Nothing else, so a check that strayed would be refused and show up in the audit log.
 */
export const AGENT_ALLOW = [PLAN.cloudVpc, EDGE_IP] as const;

/** The body of POST /api/v1/checks for the lab: the same inputs as the lab's `check --json` run. */
export function checkBody(opts: { sentry?: boolean } = {}): Record<string, unknown> {
  return {
    agent: AGENT_NAME,
    host: ENV_HOST,
    dnsServers: [...PLAN.cloud.dns],
    resolver: RESOLVER_IP,
    edge: EDGE_IP,
    sentry: opts.sentry === true,
  };
}

export interface LabHub {
  dir: string;
  apiToken: string;
  serve: Daemon;
  agent: Daemon;
}

export interface HubResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  wallMs: number;
}

/**
 * A clean environment for the server and the agent: no proxy, chat-platform or LLM variables inherited
 * from the machine (an HTTPS_PROXY would send the agent's hub connection elsewhere; a SLACK_* variable
 * would make `serve` try to reach Slack).
 */
function serverEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: process.env.HOME ?? '/root',
    LC_ALL: 'C',
    LANG: 'C',
    NO_COLOR: '1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    ...extra,
  };
}

/**
 * Registers the agent (`agents add`, its token shown once and kept in a 0600 file), starts `serve` on
 * 127.0.0.1:HUB_PORT and the agent, and waits until the hub lists the agent online.
 */
export async function startHubWithAgent(lab: Lab): Promise<LabHub> {
  const dir = join(lab.dir, 'hub');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const apiToken = `vdlab-api-${randomBytes(18).toString('base64url')}`;
  const env = serverEnv({
    VPN_DOCTOR_DB: join(dir, 'vpn-doctor.db'),
    VPN_DOCTOR_API_TOKEN: apiToken,
    HOST: '127.0.0.1',
    PORT: String(HUB_PORT),
  });

  const added = await runIn(lab.ns.lan, process.execPath, [CLI, 'agents', 'add', AGENT_NAME, '--json'], {
    env,
    cwd: REPO_ROOT,
    timeoutMs: 30_000,
  });
  if (added.code !== 0) throw new Error(`vpn-doctor agents add failed (exit ${added.code}): ${added.stderr.slice(-1500)}`);
  const { token } = JSON.parse(added.stdout) as { token: string };
  const tokenFile = join(dir, 'agent.token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });

  const serve = startDaemon('vpn-doctor serve', lab.ns.lan, process.execPath, [CLI, 'serve'], {
    logPath: join(dir, 'serve.log'),
    env,
    cwd: REPO_ROOT,
  });
  lab.adopt(serve);
  await waitForListener(lab.ns.lan, 'tcp', '127.0.0.1', HUB_PORT, serve, 30_000);

  const agentArgs = [CLI, 'agent', '--hub', `ws://127.0.0.1:${HUB_PORT}/agents`, '--token-file', tokenFile, '--name', AGENT_NAME];
  for (const rule of AGENT_ALLOW) agentArgs.push('--allow', rule);
  const agent = startDaemon('vpn-doctor agent', lab.ns.lan, process.execPath, agentArgs, {
    logPath: join(dir, 'agent.log'),
    env: serverEnv(labCaEnv(lab)),
    cwd: REPO_ROOT,
  });
  lab.adopt(agent);

  const hub: LabHub = { dir, apiToken, serve, agent };
  await waitFor(
    `agent "${AGENT_NAME}" to be online at the hub`,
    async () => {
      for (const d of [serve, agent]) if (d.exit) throw new Error(`${d.name} exited (${d.exit.code ?? d.exit.signal})\n${hubLogs(hub)}`);
      const r = await hubRequest(lab, hub, 'GET', '/api/v1/agents');
      return (
        r.status === 200 &&
        (JSON.parse(r.text) as { agents: { name: string; online: boolean }[] }).agents.some((a) => a.name === AGENT_NAME && a.online)
      );
    },
    20_000,
    200,
  );
  return hub;
}

/**
 * One HTTP request to the server, sent from inside the LAN namespace (its loopback is not reachable from
 * anywhere else) by a throw-away node process; the API token travels in its environment, not its argv.
 */
const CLIENT = `
const { VDLAB_URL: url, VDLAB_METHOD: method, VDLAB_BODY: body, VDLAB_TOKEN: token } = process.env;
const headers = {};
if (token) headers.authorization = 'Bearer ' + token;
if (body) headers['content-type'] = 'application/json';
const started = performance.now();
const res = await fetch(url, { method, headers, body: body || undefined, signal: AbortSignal.timeout(Number(process.env.VDLAB_TIMEOUT_MS)) });
const text = await res.text();
process.stdout.write(JSON.stringify({ status: res.status, headers: Object.fromEntries(res.headers), text, wallMs: performance.now() - started }));
`;

export async function hubRequest(
  lab: Lab,
  hub: LabHub,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<HubResponse> {
  const env = serverEnv({
    VDLAB_URL: `${BASE_URL}${path}`,
    VDLAB_METHOD: method,
    VDLAB_TOKEN: hub.apiToken,
    VDLAB_TIMEOUT_MS: String(timeoutMs),
    ...(body === undefined ? {} : { VDLAB_BODY: JSON.stringify(body) }),
  });
  const r = await runIn(lab.ns.lan, process.execPath, ['--input-type=module', '-e', CLIENT], {
    env,
    cwd: REPO_ROOT,
    timeoutMs: timeoutMs + 5000,
  });
  if (r.code !== 0)
    throw new Error(`${method} ${path} from the LAN namespace failed (exit ${r.code ?? r.signal}): ${r.stderr.slice(-1500)}`);
  return JSON.parse(r.stdout) as HubResponse;
}

/** The tails of the server's and the agent's logs, for assertion messages. */
export function hubLogs(hub: LabHub): string {
  return [hub.serve, hub.agent]
    .map((d) => `--- ${d.name} (pid ${d.pid}) ---\n${existsSync(d.logPath) ? readFileSync(d.logPath, 'utf8').slice(-2500) : '(no log)'}`)
    .join('\n');
}
