import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { Assistant } from '../../conversation/assistant.js';
import { replyDocument } from '../../conversation/reply-document.js';
import { knowledgeDirOption } from '../options.js';
import { createRuntime } from '../../runtime.js';
import { runTerminalChat } from '../terminal-chat.js';

export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description('talk to vpn-doctor in the terminal (the same conversation core as Slack and Teams)')
    .option('--json', 'read one message per input line and print one JSON reply document per message (for scripts and tests)')
    .addOption(knowledgeDirOption())
    .action(async (opts: { knowledge?: string; json?: boolean }) => {
      const runtime = await createRuntime({ knowledgeDir: opts.knowledge, withLocalChecks: true });
      const assistant = new Assistant({
        kb: runtime.kb,
        classifier: runtime.classifier,
        ...(runtime.checks ? { checks: runtime.checks } : {}),
      });
      if (opts.json) {
        await jsonChat(assistant, runtime.kb);
        return;
      }
      await runTerminalChat(assistant, {
        channel: 'terminal',
        banner: 'vpn-doctor - describe the VPN problem, paste an error, or type "help". Checks run from this machine. "quit" leaves.',
      }).done;
    });
}

/**
 * One conversation over stdin/stdout: every non-empty input line is a message, every message gets exactly
 * one JSON line back (interim progress replies are not printed), in order.
 */
async function jsonChat(assistant: Assistant, kb: Parameters<typeof replyDocument>[0]): Promise<void> {
  const rl = createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
  // A closed stdout (`| head`) ends the conversation quietly.
  let closed = false;
  process.stdout.on('error', () => {
    closed = true;
    rl.close();
  });
  for await (const line of rl) {
    if (closed) break;
    const text = line.trim();
    if (!text) continue;
    const r = await assistant.handle({ text, user: 'cli', channel: 'chat-json', platform: 'cli' });
    process.stdout.write(`${JSON.stringify(replyDocument(kb, text, r))}\n`);
  }
}
