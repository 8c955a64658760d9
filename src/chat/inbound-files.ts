import type { Logger } from 'pino';
import type { InboundFile, SkippedFile } from './core.js';
import type { DownloadResult } from './file-download.js';
import { decodeText, refuseBeforeDownload, type FileDescription, type FileLimits } from './file-text.js';

/** A file as an adapter found it on a message: what it is, and how to get it (or why it cannot). */
export interface SharedFile extends FileDescription {
  /** Fetches the file within `timeoutMs`. Absent when the platform already says the file cannot be had. */
  download?: (timeoutMs: number) => Promise<DownloadResult>;
  unavailable?: string;
}

export interface ReadFiles {
  files: InboundFile[];
  skippedFiles: SkippedFile[];
}

/**
 * Reads the shared files of one message as text, within the limits: the first `maxFiles` are tried (one
 * at a time: a message rarely has more than a few, and parallel 10 MB downloads would only compete), the
 * rest are skipped with a reason. Never throws: every failure becomes a skipped file. `budgetMs` bounds all
 * downloads together; each one also gets at most `limits.timeoutMs`.
 */
export async function readSharedFiles(
  shared: readonly SharedFile[],
  limits: FileLimits,
  logger: Logger,
  options: { budgetMs?: number } = {},
): Promise<ReadFiles> {
  const out: ReadFiles = { files: [], skippedFiles: [] };
  // A platform that must answer within seconds (Teams: 15 s) gives the downloads of a message one budget.
  const deadline = Date.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  for (const [i, file] of shared.entries()) {
    const name = file.name.slice(0, 255) || 'unnamed file';
    const skip = (reason: string) => {
      out.skippedFiles.push({ name, reason });
      logger.info({ file: name, reason }, 'shared file not read');
    };
    if (i >= limits.maxFiles) {
      skip(`only the first ${limits.maxFiles} files of a message are read`);
      continue;
    }
    const refused = file.unavailable ?? refuseBeforeDownload(file, limits);
    if (refused || !file.download) {
      skip(refused ?? 'the file cannot be downloaded');
      continue;
    }
    const left = deadline - Date.now();
    if (left < 100) {
      skip('there was no time left to download it');
      continue;
    }
    let got: DownloadResult;
    try {
      got = await file.download(Math.min(limits.timeoutMs, left));
    } catch {
      got = { ok: false, reason: 'the download failed' };
    }
    if (!got.ok) {
      skip(got.reason);
      continue;
    }
    const decoded = decodeText(got.bytes, got.truncated);
    if ('reason' in decoded) {
      skip(decoded.reason);
      continue;
    }
    out.files.push({ name, text: decoded.text, bytes: got.bytes.byteLength, truncated: got.truncated });
    logger.info({ file: name, bytes: got.bytes.byteLength, truncated: got.truncated }, 'shared file read');
  }
  return out;
}

/** The Inbound fields for what was read: nothing at all when the message had no files. */
export function filesFields(read: ReadFiles): { files?: InboundFile[]; skippedFiles?: SkippedFile[] } {
  return {
    ...(read.files.length > 0 ? { files: read.files } : {}),
    ...(read.skippedFiles.length > 0 ? { skippedFiles: read.skippedFiles } : {}),
  };
}
