import { Command, CommanderError } from 'commander';
import { registerAskCommand } from './commands/ask.js';
import { registerChatCommand } from './commands/chat.js';
import { registerClassifyCommand } from './commands/classify.js';
import { registerKbCommand } from './commands/kb.js';
import { registerTopicsCommand } from './commands/topics.js';
import { registerCheckCommand } from './commands/check.js';
import { registerServeCommand } from './commands/serve.js';
import { registerAgentCommand } from './commands/agent.js';
import { registerAgentsCommand } from './commands/agents.js';
import { UsageError } from './errors.js';
import { VERSION } from '../version.js';

export function buildProgram(): Command {
  const program = new Command('vpn-doctor')
    .description('Troubleshoot the site-to-site IPsec VPN between your network and the OutSystems Cloud.')
    .version(VERSION)
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    })
    .exitOverride();

  registerAskCommand(program);
  registerTopicsCommand(program);
  registerClassifyCommand(program);
  registerChatCommand(program);
  registerKbCommand(program);
  registerCheckCommand(program);
  registerServeCommand(program);
  registerAgentCommand(program);
  registerAgentsCommand(program);

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
  const program = buildProgram();
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
