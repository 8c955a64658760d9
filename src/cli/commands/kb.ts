import type { Command } from 'commander';
import { checkKnowledgeDir, defaultKnowledgeDir, formatProblem, uncoveredSections } from '../../knowledge/loader.js';
import { knowledgeDirOption } from '../options.js';

export function registerKbCommand(program: Command): void {
  const kb = program.command('kb').description('work with the knowledge base');
  kb.command('check')
    .description('validate every knowledge file; exits 1 naming the file, field and problem when one is wrong')
    .addOption(knowledgeDirOption())
    .option('--json', 'print {ok, topics, problems, uncoveredSections} as JSON')
    .action((opts: { knowledge?: string; json?: boolean }) => {
      const dir = opts.knowledge ?? defaultKnowledgeDir();
      const { kb: base, problems } = checkKnowledgeDir(dir);
      const uncovered = base ? uncoveredSections(base) : [];
      // A guide section that no topic covers leaves users without an answer: an error, not a warning.
      const ok = problems.length === 0 && uncovered.length === 0;
      if (opts.json) {
        process.stdout.write(JSON.stringify({ ok, dir, topics: base?.topics.length ?? 0, problems, uncoveredSections: uncovered }) + '\n');
      } else if (ok) {
        const examples = base!.topics.reduce((n, t) => n + t.examples.length, 0);
        process.stderr.write(
          `ok: ${base!.topics.length} topics, ${examples} examples${base!.requirements ? ', requirements' : ''}${base!.logSignatures ? `, ${base!.logSignatures.signatures.length} log signatures` : ''} in ${dir}\n`,
        );
      } else if (problems.length === 0) {
        for (const s of uncovered) process.stderr.write(`${dir}: no topic covers the guide section "${s}"\n`);
        process.stderr.write(`${uncovered.length} guide section${uncovered.length === 1 ? '' : 's'} not covered\n`);
      } else {
        for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
        process.stderr.write(`${problems.length} problem${problems.length === 1 ? '' : 's'} found\n`);
      }
      if (!ok) process.exitCode = 1;
    });
}
