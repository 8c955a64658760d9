import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { Command } from 'commander';
import { knowledgeDirOption } from '../options.js';
import { createRuntime } from '../../runtime.js';

export function registerClassifyCommand(program: Command): void {
  program
    .command('classify')
    .description('classify messages read from stdin, one per line')
    .option('--json', 'write one JSON object per line: {"text", "topic", "section", "confidence"}')
    .addOption(knowledgeDirOption())
    .action(async (opts: { json?: boolean; knowledge?: string }) => {
      const { kb, classifier } = await createRuntime({ knowledgeDir: opts.knowledge });
      // A reader that goes away (`| head`) ends the run quietly, as Unix tools do.
      let closed = false;
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
        closed = true;
      });
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const line of lines) {
        if (closed) break;
        // Every input line gets exactly one output line (blank ones a null topic), so outputs can be
        // pasted next to inputs or joined by line number.
        const text = line.trim();
        const c = text ? await classifier.classify(text) : null;
        const topic = c?.topic ? kb.byId.get(c.topic) : undefined;
        const confidence = c ? Math.round(c.confidence * 1000) / 1000 : 0;
        const out = opts.json
          ? JSON.stringify({
              text: line,
              topic: topic?.id ?? null,
              section: topic?.section ?? null,
              confidence,
            })
          : `${(topic?.id ?? '-').padEnd(30)} ${confidence.toFixed(2)}  ${line}`;
        // Respect back-pressure so thousands of lines piped through a slow consumer do not pile up in memory.
        if (!process.stdout.write(out + '\n')) await once(process.stdout, 'drain').catch(() => {}); // an EPIPE ends the loop above
      }
    });
}
