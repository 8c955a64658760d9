import { createInterface } from 'node:readline';
import pc from 'picocolors';
import type { Assistant } from '../conversation/assistant.js';
import { wantsColor } from './color.js';
import { renderTerminal } from '../reply/render-terminal.js';
import type { Reply } from '../reply/reply.js';

const QUIT = new Set(['quit', 'exit', 'bye', ':q']);

export interface TerminalChatOptions {
  /** Conversation id, so `chat` and `serve --chat` keep separate sessions. */
  channel: string;
  banner: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * The terminal voice: reads lines, hands them to the conversation core, renders the replies. A bare
 * number picks one of the numbered actions of the previous reply, the terminal's version of a button.
 * Resolves when the user quits or input ends; `close()` stops it early.
 */
export function runTerminalChat(assistant: Assistant, options: TerminalChatOptions): { done: Promise<void>; close: () => void } {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY && output.isTTY);
  const color = wantsColor(output);
  const rl = createInterface({ input, output, terminal: interactive });
  rl.setPrompt(color ? pc.bold(pc.cyan('you> ')) : 'you> ');

  const done = (async () => {
    if (interactive) {
      output.write(`${options.banner}\n\n`);
      rl.prompt();
    }
    let last: Reply | undefined;
    for await (const raw of rl) {
      const line = raw.trim();
      if (QUIT.has(line.toLowerCase())) break;
      if (line) {
        const picked = /^\d+$/.test(line) ? last?.actions[Number(line) - 1] : undefined;
        last = await assistant.handle(
          { text: picked ? picked.command : line, user: process.env.USER ?? 'terminal', channel: options.channel, platform: 'terminal' },
          { progress: (interim) => void process.stderr.write(pc.dim(`... ${interim.summary}\n`)) },
        );
        output.write('\n' + renderTerminal(last, { color }) + '\n');
      }
      if (interactive) rl.prompt();
    }
    rl.close();
  })();
  return { done, close: () => rl.close() };
}
