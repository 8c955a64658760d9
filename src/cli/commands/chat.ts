import type { Command } from 'commander';
import { Assistant } from '../../conversation/assistant.js';
import { knowledgeDirOption } from '../options.js';
import { createRuntime } from '../../runtime.js';
import { runTerminalChat } from '../terminal-chat.js';

export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description('talk to vpn-doctor in the terminal (the same conversation core as Slack and Teams)')
    .addOption(knowledgeDirOption())
    .action(async (opts: { knowledge?: string }) => {
      const runtime = await createRuntime({ knowledgeDir: opts.knowledge, withLocalChecks: true });
      const assistant = new Assistant({ kb: runtime.kb, classifier: runtime.classifier, ...(runtime.checks ? { checks: runtime.checks } : {}) });
      await runTerminalChat(assistant, {
        channel: 'terminal',
        banner: 'vpn-doctor - describe the VPN problem, paste an error, or type "help". Checks run from this machine. "quit" leaves.',
      }).done;
    });
}
