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
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const line of lines) {
        const text = line.trim();
        if (!text) continue;
        const c = await classifier.classify(text);
        const topic = c.topic ? kb.byId.get(c.topic) : undefined;
        const out = opts.json
          ? JSON.stringify({
              text,
              topic: topic?.id ?? null,
              section: topic?.section ?? null,
              confidence: Math.round(c.confidence * 1000) / 1000,
            })
          : `${(topic?.id ?? '-').padEnd(30)} ${c.confidence.toFixed(2)}  ${text}`;
        // Respect back-pressure so thousands of lines piped through a slow consumer do not pile up in memory.
        if (!process.stdout.write(out + '\n')) await once(process.stdout, 'drain');
      }
    });
}
