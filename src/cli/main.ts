import { Command, CommanderError } from 'commander';
import { UsageError } from './errors.js';
import { VERSION } from '../version.js';

type Register = (program: Command) => void;

/**
 * Each command lives in its own module and is imported only when it is the one being run, so
 * `vpn-doctor ask` does not pay for the server, the agent hub or the chat SDKs at start-up.
 * Listing commands (top-level help, an unknown command) loads them all for their descriptions.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  ask: async () => (await import('./commands/ask.js')).registerAskCommand,
  topics: async () => (await import('./commands/topics.js')).registerTopicsCommand,
  classify: async () => (await import('./commands/classify.js')).registerClassifyCommand,
  chat: async () => (await import('./commands/chat.js')).registerChatCommand,
  kb: async () => (await import('./commands/kb.js')).registerKbCommand,
  check: async () => (await import('./commands/check.js')).registerCheckCommand,
  serve: async () => (await import('./commands/serve.js')).registerServeCommand,
  agent: async () => (await import('./commands/agent.js')).registerAgentCommand,
  agents: async () => (await import('./commands/agents.js')).registerAgentsCommand,
  analyze: async () => (await import('./commands/analyze.js')).registerAnalyzeCommand,
};

function commandLoaders(argv: string[]): Array<() => Promise<Register>> {
  const args = argv.slice(2);
  const name = args.find((a) => !a.startsWith('-'));
  // `vpn-doctor --version` needs no command at all.
  if (name === undefined && args.length === 1 && (args[0] === '--version' || args[0] === '-V')) return [];
  const one = name === undefined ? undefined : COMMANDS[name];
  return one ? [one] : Object.values(COMMANDS);
}

export async function buildProgram(argv: string[] = process.argv): Promise<Command> {
  const program = new Command('vpn-doctor')
    .description('Troubleshoot the site-to-site IPsec VPN between your network and the OutSystems Cloud.')
    .version(VERSION)
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    })
    .exitOverride();

  for (const load of await commandLoaders(argv)) (await load())(program);

  // Sub-commands inherit error handling so `vpn-doctor ask` without a question exits 2, not 1.
  for (const cmd of program.commands) inheritErrorHandling(cmd);
  return program;
}

function inheritErrorHandling(cmd: Command): void {
  cmd.exitOverride().showHelpAfterError('(add --help for usage)');
  for (const sub of cmd.commands) inheritErrorHandling(sub);
}

/** Runs the CLI and returns the process exit code: 0 ok, 1 failure, 2 bad usage (3, 4: check verdicts). */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version arrive here as "errors" with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`vpn-doctor: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`vpn-doctor: ${(err as Error).message}\n`);
    if (process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(err as Error).stack}\n`);
    return 1;
  }
}
