import { wantsColor } from '../color.js';
import type { Command } from 'commander';
import { renderTerminal } from '../../reply/render-terminal.js';
import { UsageError } from '../errors.js';
import { knowledgeDirOption } from '../options.js';
import { createRuntime } from '../../runtime.js';
import { answerDocument } from '../../conversation/answer-document.js';
import { Assistant } from '../../conversation/assistant.js';

export function registerAskCommand(program: Command): void {
  program
    .command('ask')
    .description('answer one question from the troubleshooting guide')
    .argument('<question...>', 'the question, in your own words')
    .option('--json', 'print {topic, section, title, confidence, summary, steps, facts, alternatives} as JSON')
    .addOption(knowledgeDirOption())
    .action(async (words: string[], opts: { json?: boolean; knowledge?: string }) => {
      const question = words.join(' ').trim();
      if (!question) throw new UsageError('ask needs a question, e.g. vpn-doctor ask "tunnel drops every hour"');
      const runtime = await createRuntime({ knowledgeDir: opts.knowledge });
      if (opts.json) {
        const doc = await answerDocument(runtime.kb, runtime.classifier, question);
        process.stdout.write(JSON.stringify(doc) + '\n');
        return;
      }
      const assistant = new Assistant({ kb: runtime.kb, classifier: runtime.classifier });
      const answer = await assistant.handle({ text: question, user: 'cli', channel: 'ask', platform: 'cli' }, { oneShot: true });
      process.stdout.write(renderTerminal(answer, { color: wantsColor(process.stdout) }));
    });
}
