import { createInterface } from 'node:readline';
import pc from 'picocolors';
import { pino } from 'pino';
import type { ConversationCore } from '../chat/core.js';
import type { ChatPort, WriteContext } from '../chat/port.js';
import { TurnEngine } from '../chat/turn-engine.js';
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

interface TerminalMessage {
  text: string;
}

/**
 * The terminal as a chat platform for the turn engine: what is written stays written (no edits), so
 * progress lines go to stderr as they come and the answer to the output. Remembers the last answer for
 * the numbered picks.
 */
class TerminalPort implements ChatPort<TerminalMessage, null> {
  readonly canEdit = false;
  last: Reply | undefined;

  constructor(
    private readonly output: NodeJS.WritableStream,
    private readonly color: boolean,
  ) {}

  render(reply: Reply): TerminalMessage[] {
    if (reply.kind === 'progress') return [{ text: pc.createColors(this.color).dim(`... ${reply.summary}\n`) }];
    return [{ text: '\n' + renderTerminal(reply, { color: this.color }) + '\n' }];
  }

  async post(message: TerminalMessage, { phase, reply }: WriteContext): Promise<null> {
    if (phase === 'progress') process.stderr.write(message.text);
    else {
      this.last = reply;
      this.output.write(message.text);
    }
    return null;
  }

  async update(): Promise<void> {
    throw new Error('terminal output cannot be edited');
  }
}

/**
 * The terminal voice: reads lines, runs each as a turn of the chat engine, renders the replies. A bare
 * number picks one of the numbered actions of the previous reply, the terminal's version of a button.
 * Resolves when the user quits or input ends; `close()` stops it early.
 */
export function runTerminalChat(core: ConversationCore, options: TerminalChatOptions): { done: Promise<void>; close: () => void } {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY && output.isTTY);
  const color = wantsColor(output);
  const rl = createInterface({ input, output, terminal: interactive });
  rl.setPrompt(color ? pc.bold(pc.cyan('you> ')) : 'you> ');
  // Failures are answered in the conversation; the details would only clutter the terminal.
  const engine = new TurnEngine<TerminalMessage>({
    core,
    logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
    progressIntervalMs: 0,
  });
  const port = new TerminalPort(output, color);

  const done = (async () => {
    if (interactive) {
      output.write(`${options.banner}\n\n`);
      rl.prompt();
    }
    for await (const raw of rl) {
      const line = raw.trim();
      if (QUIT.has(line.toLowerCase())) break;
      if (line) {
        const picked = /^\d+$/.test(line) ? port.last?.actions[Number(line) - 1] : undefined;
        const inbound = {
          text: picked ? picked.command : line,
          user: process.env.USER ?? 'terminal',
          channel: options.channel,
          platform: 'terminal',
        };
        await (
          await engine.run({ inbound, port })
        ).handle.done;
      }
      if (interactive) rl.prompt();
    }
    rl.close();
  })();
  return { done, close: () => rl.close() };
}
