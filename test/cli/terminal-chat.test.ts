import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { ConversationCore, HandleHooks, Inbound } from '../../src/chat/core.js';
import { runTerminalChat } from '../../src/cli/terminal-chat.js';
import { reply, type Reply } from '../../src/reply/reply.js';

describe('terminal chat (through the turn engine)', () => {
  it('answers each line in order, picks numbered actions of the last answer, and answers a failure with the failure reply', async () => {
    const seen: string[] = [];
    const core: ConversationCore = {
      async handle(m: Inbound, hooks: HandleHooks = {}): Promise<Reply> {
        seen.push(m.text);
        if (m.text === 'boom') throw new Error('core failed');
        await hooks.progress?.(reply({ kind: 'progress', title: 'Working', summary: 'probing' }));
        return reply({
          kind: 'answer',
          title: `You said ${m.text}`,
          summary: 's',
          actions: [{ id: 'a', label: 'Run checks', command: 'check example.com' }],
        });
      },
    };
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (c: Buffer) => (text += c.toString('utf8')));
    // Progress lines go to the process's stderr as they come: captured and checked, not printed.
    const progress: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      progress.push(String(chunk));
      return true;
    });
    try {
      const chat = runTerminalChat(core, { channel: 'test', banner: 'hi', input, output });
      input.end('hello\n1\nboom\nquit\nnever\n');
      await chat.done;
    } finally {
      stderr.mockRestore();
    }
    expect(progress.join('')).toContain('... probing');
    expect(seen).toEqual(['hello', 'check example.com', 'boom']);
    expect(text.indexOf('You said hello')).toBeLessThan(text.indexOf('You said check example.com'));
    expect(text).toContain('Something went wrong on my side');
    expect(text).not.toContain('never');
  });
});
