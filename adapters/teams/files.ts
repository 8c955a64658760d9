import type { Logger } from 'pino';
import { z } from 'zod';
import { downloadFile } from '../../src/chat/file-download.js';
import type { FileLimits } from '../../src/chat/file-text.js';
import { readSharedFiles, type ReadFiles, type SharedFile } from '../../src/chat/inbound-files.js';
import { isLoopbackUrl } from './config.js';

/**
 * Files attached to a Teams message. In a personal chat (manifest `supportsFiles: true`) a file arrives as
 * an attachment of type `application/vnd.microsoft.teams.file.download.info` whose `content.downloadUrl`
 * is a short-lived, pre-authenticated SharePoint/OneDrive link: fetched with no credentials of ours, and
 * never logged (its query string is the access token). Plain-text attachments with a `contentUrl` are
 * read the same way. The `text/html` copy of the message body and cards are not files.
 */

export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

const DownloadInfo = z.object({
  contentType: z.literal(FILE_DOWNLOAD_INFO),
  name: z.string().max(1000).optional(),
  content: z.object({ downloadUrl: z.string().max(8000), fileType: z.string().max(64).optional() }),
});

const UrlAttachment = z.object({
  contentType: z.string().max(200),
  contentUrl: z.string().max(8000),
  name: z.string().max(1000).optional(),
});

/** Attachment types that are part of the message itself, not something the user shared. */
const NOT_FILES = /^(text\/html$|application\/vnd\.microsoft\.(card\.|teams\.card\.))/i;

/** Where Teams keeps files: SharePoint Online (chat files live in the sender's OneDrive for Business) and OneDrive. */
const TEAMS_FILE_HOST =
  /(^|\.)(sharepoint\.com|sharepoint\.us|sharepoint-mil\.us|sharepoint\.cn|onedrive\.live\.com|1drv\.com|livefilestore\.com)$/i;

/** https on the SharePoint/OneDrive hosts; in dev mode (no authentication, local testing) loopback too. */
export function isTeamsFileUrl(url: URL, allowLoopback: boolean): boolean {
  if (allowLoopback && isLoopbackUrl(url.href) && (url.protocol === 'http:' || url.protocol === 'https:')) return true;
  return url.protocol === 'https:' && url.port === '' && url.username === '' && TEAMS_FILE_HOST.test(url.hostname);
}

/** The files of an activity's attachments, or [] when it has none. */
export function sharedFilesOf(
  attachments: unknown,
  download: (url: string, timeoutMs: number) => ReturnType<typeof downloadFile>,
): SharedFile[] {
  if (!Array.isArray(attachments)) return [];
  const out: SharedFile[] = [];
  for (const a of attachments.slice(0, 100)) {
    const info = DownloadInfo.safeParse(a);
    if (info.success) {
      const name = info.data.name ?? `file.${info.data.content.fileType ?? 'bin'}`;
      const url = info.data.content.downloadUrl;
      out.push({ name, download: (t) => download(url, t) });
      continue;
    }
    const linked = UrlAttachment.safeParse(a);
    if (!linked.success || NOT_FILES.test(linked.data.contentType)) continue;
    const { contentType, contentUrl, name } = linked.data;
    out.push({ name: name ?? 'attachment', mimetype: contentType, download: (t) => download(contentUrl, t) });
  }
  return out;
}

export class TeamsFiles {
  constructor(private readonly options: { limits: FileLimits; allowLoopback: boolean; logger: Logger }) {}

  /** Reads the files attached to one activity within `budgetMs` overall; never throws. */
  async read(attachments: unknown, budgetMs: number): Promise<ReadFiles | undefined> {
    const { limits, allowLoopback, logger } = this.options;
    const shared = sharedFilesOf(attachments, (url, timeoutMs) =>
      downloadFile({ url, allowUrl: (u) => isTeamsFileUrl(u, allowLoopback), limits, timeoutMs }),
    );
    if (shared.length === 0) return undefined;
    return readSharedFiles(shared, limits, logger, { budgetMs });
  }
}
