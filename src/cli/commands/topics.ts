import { wantsColor } from '../color.js';
import type { Command } from 'commander';
import { loadKnowledgeBase } from '../../knowledge/loader.js';
import { renderTerminal } from '../../reply/render-terminal.js';
import { reply } from '../../reply/reply.js';
import { knowledgeDirOption } from '../options.js';

export function registerTopicsCommand(program: Command): void {
  program
    .command('topics')
    .description('list the topics of the knowledge base (the troubleshooting guide as data)')
    .option('--json', 'print a JSON array of {id, title, section}')
    .addOption(knowledgeDirOption())
    .action((opts: { json?: boolean; knowledge?: string }) => {
      const kb = loadKnowledgeBase(opts.knowledge);
      if (opts.json) {
        process.stdout.write(JSON.stringify(kb.topics.map((t) => ({ id: t.id, title: t.title, section: t.section }))) + '\n');
        return;
      }
      const listing = reply({
        kind: 'list',
        title: `${kb.topics.length} topics`,
        summary: 'Use `vpn-doctor ask "<question>"` or `vpn-doctor chat`.',
        items: kb.topics.map((t) => ({ label: t.id, detail: t.title })),
      });
      process.stdout.write(renderTerminal(listing, { color: wantsColor(process.stdout) }));
    });
}
