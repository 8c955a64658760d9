import type { Command } from 'commander';
import { AGENT_REFUSED_EXIT_CODE, AgentRefusedError, ProbeAgent } from '../../agents/agent.js';
import {
  AgentConfigError,
  insecureHubWarning,
  readAgentFile,
  resolveAgentConfig,
  type AgentFileConfig,
} from '../../agents/agent-config.js';
import { CatalogueExecutor } from '../../agents/catalogue-executor.js';
import { icmpPinger } from '../../agents/icmp-pinger.js';
import { proxyAgentFor, proxyUrlFor } from '../../agents/proxy.js';
import { selfTest } from '../../agents/self-test.js';
import { logger } from '../../log/logger.js';
import { untilShutdownSignal } from '../../server/shutdown.js';
import { UsageError } from '../errors.js';

interface AgentFlags {
  hub?: string[];
  token?: string;
  tokenFile?: string;
  name?: string;
  allow?: string[];
  keepalive?: string;
  keepaliveInterval?: string;
  concurrency?: string;
  config?: string;
  insecure?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * `vpn-doctor agent`: the probe agent for a server inside the customer network. It connects out to the hub,
 * runs only the probe catalogue towards what its own --allow rules permit, and keeps the tunnel alive with
 * --keepalive. SIGTERM drains running jobs before exiting.
 */
export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('run a probe agent inside your network (connects out to the vpn-doctor server)')
    .option(
      '--hub <url>',
      'hub URL, ws(s)://HOST:PORT/agents (env VPN_DOCTOR_HUB); repeat it or separate URLs with commas for replicas: the agent fails over between them',
      (v: string, prev: string[] | undefined) => collect(v, prev),
    )
    .option(
      '--token <token>',
      'agent token from `vpn-doctor agents add` (prefer env VPN_DOCTOR_AGENT_TOKEN or --token-file: arguments show in ps)',
    )
    .option('--token-file <file>', 'read the agent token from a file')
    .option('--name <name>', 'agent name the token was issued for (env VPN_DOCTOR_AGENT_NAME)')
    .option(
      '--allow <rule...>',
      'what the agent may probe (repeatable): CIDR or address (10.0.0.0/8), name suffix (.outsystemsenterprise.com) or name, optional :PORTS (:443, :80,443, :8000-8100). Loopback, link-local and own addresses need an explicit rule.',
      (v: string, prev: string[] | undefined) => collect(v, prev),
    )
    .option('--keepalive <ip>', 'ping this cloud DNS private IP continuously and report tunnel up/down')
    .option('--keepalive-interval <seconds>', 'keep-alive ping interval (default 5)')
    .option('--concurrency <n>', 'jobs run at once (default 4)')
    .option('--config <file>', 'YAML/JSON file with hub, name, tokenFile, allow, keepalive, keepaliveIntervalS, concurrency, insecure')
    .option(
      '--insecure',
      'accept a plain ws:// hub URL on another machine (the token is sent unencrypted); without it only wss:// or a loopback ws:// is accepted',
    )
    .action(async (flags: AgentFlags) => {
      const log = logger();
      const fromFlags: AgentFileConfig = {
        ...(flags.hub ? { hub: flags.hub } : {}),
        ...(flags.token ? { token: flags.token } : {}),
        ...(flags.tokenFile ? { tokenFile: flags.tokenFile } : {}),
        ...(flags.name ? { name: flags.name } : {}),
        ...(flags.allow ? { allow: flags.allow } : {}),
        ...(flags.keepalive ? { keepalive: flags.keepalive } : {}),
        ...(flags.keepaliveInterval ? { keepaliveIntervalS: number(flags.keepaliveInterval, '--keepalive-interval') } : {}),
        ...(flags.concurrency ? { concurrency: number(flags.concurrency, '--concurrency') } : {}),
        ...(flags.insecure ? { insecure: true } : {}),
      };
      let config;
      try {
        config = resolveAgentConfig({ ...(flags.config ? { file: readAgentFile(flags.config) } : {}), env: process.env, flags: fromFlags });
      } catch (err) {
        if (err instanceof AgentConfigError) throw new UsageError(err.message);
        throw err;
      }
      if (flags.token)
        log.warn(
          'the token was given on the command line, where other users can see it (ps); prefer VPN_DOCTOR_AGENT_TOKEN or --token-file',
        );
      const insecure = insecureHubWarning(config);
      if (insecure) log.warn(insecure);
      if (config.allow.length === 0) log.warn('no --allow rules: this agent will refuse every job');

      const tested = await selfTest();
      const proxies = config.hub.map((url) => proxyUrlFor(url)).filter((p): p is string => p !== null);
      log.info(
        { name: config.name, hub: config.hub, proxy: [...new Set(proxies.map((p) => new URL(p).host))], allow: config.allow, ...tested },
        'agent starting',
      );
      // One proxy agent per hub URL, made once: the replicas may sit behind different proxies (or NO_PROXY).
      const httpAgents = new Map(config.hub.map((url) => [url, proxyAgentFor(url)]));
      const agent = new ProbeAgent({
        hubUrl: config.hub,
        token: config.token,
        name: config.name,
        allowlist: config.allowlist,
        executor: new CatalogueExecutor(config.allowlist),
        selfTest: tested,
        log,
        maxConcurrency: config.concurrency,
        keepalive: config.keepalive
          ? { target: config.keepalive, intervalMs: Math.round(config.keepaliveIntervalS * 1000), ping: icmpPinger }
          : null,
        httpAgent: (url) => httpAgents.get(url),
      });
      const signal = untilShutdownSignal(log);
      agent.start();
      const ended = await Promise.race([signal.then(() => null), agent.refused]);
      if (ended instanceof AgentRefusedError) {
        // One clear line on stderr whatever the log format, and an exit code a service manager can act on
        // (RestartPreventExitStatus=78): a refused token will not become valid by restarting.
        process.stderr.write(`vpn-doctor agent: ${ended.message}\n`);
        process.exitCode = AGENT_REFUSED_EXIT_CODE;
        return;
      }
      await agent.stop({ timeoutMs: 30_000 });
      log.info('agent stopped');
    });
}

function number(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} needs a number, got "${text}"`);
  return n;
}
