import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import pc from 'picocolors';
import { Assistant } from '../../conversation/assistant.js';
import { renderTerminal } from '../../reply/render-terminal.js';
import type { Reply } from '../../reply/reply.js';
import { knowledgeDirOption } from '../options.js';
import { createRuntime } from '../../runtime.js';

const QUIT = new Set(['quit', 'exit', 'bye', ':q']);

export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description('talk to vpn-doctor in the terminal (the same conversation core as Slack and Teams)')
    .addOption(knowledgeDirOption())
    .action(async (opts: { knowledge?: string }) => {
      const runtime = await createRuntime({ knowledgeDir: opts.knowledge, withLocalChecks: true });
      const assistant = new Assistant({ kb: runtime.kb, classifier: runtime.classifier, ...(runtime.checks ? { checks: runtime.checks } : {}) });
      const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
      const color = Boolean(process.stdout.isTTY);
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
      rl.setPrompt(color ? pc.bold(pc.cyan('you> ')) : 'you> ');

      if (interactive) {
        process.stdout.write(
          `vpn-doctor ${pc.dim('- describe the VPN problem, paste an error, or type "help". "quit" leaves.')}\n\n`,
        );
        rl.prompt();
      }
      let last: Reply | undefined;
      for await (const raw of rl) {
        const line = raw.trim();
        if (QUIT.has(line.toLowerCase())) break;
        if (!line) {
          if (interactive) rl.prompt();
          continue;
        }
        // A bare number picks one of the numbered actions of the previous reply, like a button click.
        const picked = /^\d+$/.test(line) ? last?.actions[Number(line) - 1] : undefined;
        const text = picked ? picked.command : line;
        last = await assistant.handle(
          { text, user: process.env.USER ?? 'terminal', channel: 'terminal', platform: 'terminal' },
          { progress: (interim) => void process.stderr.write(pc.dim(`... ${interim.summary}\n`)) },
        );
        process.stdout.write('\n' + renderTerminal(last, { color }) + '\n');
        if (interactive) rl.prompt();
      }
      rl.close();
    });
}
