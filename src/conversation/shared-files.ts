import { looksLikeConfig } from '../evidence/config/index.js';
import { looksLikeLog } from '../evidence/looks-like-log.js';
import type { Reply } from '../reply/reply.js';
import { analysePasted } from './evidence-reply.js';
import type { InboundFile, SkippedFile } from './inbound-file.js';
import type { Session } from './session.js';
import { reply } from '../reply/reply.js';

/** True when a message's text is evidence to read (log lines or a device configuration), not a question. */
export function isPastedEvidence(text: string): boolean {
  return looksLikeLog(text) || looksLikeConfig(text);
}

/**
 * The answer to files shared with a message: each readable file goes through the evidence engine; the
 * first one's analysis is the reply (what an engineer shares first is what they want read), the others'
 * findings follow under their file names, and files that could not be read are named with the reason.
 */
export function sharedFilesReply(files: readonly InboundFile[], skipped: readonly SkippedFile[], session: Session): Reply {
  const notices = skipped.map((s) => `I could not read ${s.name}: ${s.reason}.`);
  if (files.length === 0) {
    return reply({
      kind: 'error',
      title: skipped.length === 1 ? `I could not read ${skipped[0]!.name}` : `I could not read the ${skipped.length} files`,
      summary: 'Share the gateway log or configuration as a text file (.log, .txt, .conf, .cfg, .xml...), or paste its lines.',
      notices,
    });
  }
  const [first, ...rest] = files.map((f) => ({ file: f, answer: analysePasted(f.text, session) }));
  const main = first!.answer;
  main.title = `${first!.file.name}: ${main.title}`;
  for (const { file, answer } of rest) {
    main.findings = [...main.findings, ...answer.findings.map((f) => ({ ...f, summary: `${file.name}: ${f.summary}` }))];
    notices.push(`${file.name}: ${answer.title}`);
  }
  for (const f of files)
    if (f.truncated)
      notices.push(
        `${f.name} was longer than I read in chat: only its first part was analysed (vpn-doctor analyze reads files of any size).`,
      );
  main.notices = [...(main.notices ?? []), ...notices];
  return main;
}
