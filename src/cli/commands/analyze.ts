import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { wantsColor } from '../color.js';
import { UsageError } from '../errors.js';
import { knowledgeDirOption } from '../options.js';
import { analyzeFile, analyzeLogStream, analyzeText, type AnalysisDocument } from '../../evidence/analyze.js';
import { analysisReply } from '../../conversation/evidence-reply.js';
import { renderTerminal } from '../../reply/render-terminal.js';

/** Exit codes of `analyze` (GUIDE.md): 0 healthy / all ok, 3 a fault or a non-ok verdict, 1 cannot read, 2 usage. */
export function analyzeExitCode(doc: AnalysisDocument): number {
  if (doc.kind === 'log') return doc.verdict === 'fault' ? 3 : 0;
  const params = (doc as { parameters?: { verdict?: string }[] }).parameters ?? [];
  const findings = (doc as { findings?: { severity?: string }[] }).findings ?? [];
  return params.some((p) => p.verdict !== undefined && p.verdict !== 'ok') ||
    findings.some((f) => f.severity === 'error' || f.severity === 'warning')
    ? 3
    : 0;
}

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('read a VPN log or device configuration and name the cause (exit 0 healthy, 3 fault found, 1 cannot read)')
    .argument('[file]', 'the log or configuration file; "-" or nothing reads standard input')
    .option('--json', 'print one document: {kind:"log", family, verdict, findings, timeline} or {kind:"config", ...}')
    .option('--against <file>', 'the VPN configuration file OutSystems sent, to compare a device configuration against')
    .addOption(knowledgeDirOption())
    .action(async (file: string | undefined, opts: { json?: boolean; against?: string; knowledge?: string }) => {
      if (file === undefined && process.stdin.isTTY) {
        throw new UsageError(
          'analyze needs a file, or the log on standard input: vpn-doctor analyze gateway.log (or: ... | vpn-doctor analyze -)',
        );
      }
      let against: string | undefined;
      if (opts.against) {
        try {
          against = await readFile(opts.against, 'utf8');
        } catch (err) {
          return cannotRead(opts.against, err);
        }
      }
      const options = { ...(opts.knowledge ? { knowledgeDir: opts.knowledge } : {}), ...(against !== undefined ? { against } : {}) };
      let doc: AnalysisDocument;
      try {
        if (file === undefined || file === '-') {
          // Standard input: a configuration would need sniffing before streaming; read a bounded head.
          doc = await analyzeStdin(options);
        } else {
          doc = await analyzeFile(file, options);
        }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'EPERM') return cannotRead(file ?? '-', err);
        throw err;
      }
      if (opts.json) process.stdout.write(JSON.stringify(doc) + '\n');
      else {
        const answer = analysisReply(doc);
        process.stdout.write(renderTerminal(answer, { color: wantsColor(process.stdout) }));
        // The terminal renderer predates notices (redacted secrets, unknown format): say them here.
        for (const n of answer.notices ?? []) process.stdout.write(`\nNotice: ${n}\n`);
      }
      process.exitCode = analyzeExitCode(doc);
    });
}

function cannotRead(what: string, err: unknown): void {
  process.stderr.write(`vpn-doctor: cannot read ${what}: ${(err as Error).message}\n`);
  process.exitCode = 1;
}

/**
 * Standard input: the first 64 KiB decide. A configuration is read whole as text; a log continues as a
 * stream (the head is replayed in front of the rest), so a huge piped log stays in constant memory.
 */
async function analyzeStdin(options: { knowledgeDir?: string; against?: string }): Promise<AnalysisDocument> {
  const { Readable } = await import('node:stream');
  const stdin = process.stdin;
  const chunks: Buffer[] = [];
  let size = 0;
  const it = stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let done = false;
  while (size < 64 * 1024) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(chunks);
  if (done) return analyzeText(head.toString('utf8'), options);
  const { looksLikeConfig } = await import('../../evidence/config/index.js');
  if (looksLikeConfig(head.toString('utf8'))) {
    const rest: Buffer[] = [head];
    for (let next = await it.next(); !next.done; next = await it.next()) rest.push(next.value);
    return analyzeText(Buffer.concat(rest).toString('utf8'), options);
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield head;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  return analyzeLogStream(Readable.from(replay()), options);
}
