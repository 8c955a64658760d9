import type { Logger } from 'pino';
import { z } from 'zod';
import { downloadFile } from '../../src/chat/file-download.js';
import type { FileLimits } from '../../src/chat/file-text.js';
import { readSharedFiles, type ReadFiles, type SharedFile } from '../../src/chat/inbound-files.js';

/**
 * Files shared in a Slack message (`files[]` of a `file_share` message or an app_mention), fetched as
 * text with the bot token. Only the fields used are validated; a file entry that does not parse is
 * reported as unreadable instead of failing the whole message.
 */
const SlackFile = z.object({
  id: z.string().max(64),
  name: z.string().max(1000).optional(),
  title: z.string().max(1000).optional(),
  mimetype: z.string().max(200).optional(),
  filetype: z.string().max(64).optional(),
  size: z.number().int().nonnegative().optional(),
  url_private_download: z.string().max(4000).optional(),
  url_private: z.string().max(4000).optional(),
  mode: z.string().max(64).optional(),
  file_access: z.string().max(64).optional(),
});
type SlackFile = z.infer<typeof SlackFile>;

/** Slack stores files on files.slack.com (files.slack-gov.com for GovSlack); downloads go nowhere else. */
const SLACK_FILE_HOST = /(^|\.)(slack\.com|slack-gov\.com|slack-edge\.com)$/;

/**
 * True for a URL the bot token may be sent to: https on Slack's own hosts, or the origin of the
 * configured SLACK_API_URL (GovSlack-style installs, and the tests' fake Slack on loopback).
 */
export function isSlackFileUrl(url: URL, apiUrl: string): boolean {
  if (url.origin === new URL(apiUrl).origin) return true;
  return url.protocol === 'https:' && url.port === '' && SLACK_FILE_HOST.test(url.hostname);
}

/** Why Slack gives us no content for a file, by its `mode` / `file_access`, or null when it may. */
function unavailable(f: SlackFile): string | undefined {
  if (f.file_access === 'check_file_info') return 'Slack did not share the file with the bot (it came from another organisation)';
  switch (f.mode) {
    case 'tombstone':
      return 'the file was deleted';
    case 'hidden_by_limit':
      return "Slack hides the file (the workspace's file history limit)";
    case 'external':
      return 'the file is stored outside Slack (a link to another service)';
    default:
      return f.url_private_download || f.url_private ? undefined : 'Slack gave no download link for the file';
  }
}

export class SlackFiles {
  constructor(private readonly options: { botToken: string; apiUrl: string; limits: FileLimits; logger: Logger }) {}

  /** Reads the files of one message; never throws (every failure is a skipped file with its reason). */
  read(rawFiles: readonly unknown[]): Promise<ReadFiles> {
    const { botToken, apiUrl, limits, logger } = this.options;
    const shared: SharedFile[] = rawFiles.map((raw) => {
      const parsed = SlackFile.safeParse(raw);
      if (!parsed.success) {
        const name = (raw as { name?: unknown } | null)?.name;
        return {
          name: typeof name === 'string' ? name : 'unnamed file',
          unavailable: 'Slack described the file in a way the bot does not understand',
        };
      }
      const f = parsed.data;
      const url = f.url_private_download ?? f.url_private;
      const why = unavailable(f);
      return {
        name: f.name ?? f.title ?? f.id,
        // A snippet's text is text whatever language it is tagged with.
        mimetype: f.mode === 'snippet' ? (f.mimetype ?? 'text/plain') : f.mimetype,
        size: f.size,
        ...(why || !url
          ? { unavailable: why ?? 'Slack gave no download link for the file' }
          : {
              download: (timeoutMs: number) =>
                downloadFile({
                  timeoutMs,
                  url,
                  headers: { authorization: `Bearer ${botToken}` },
                  allowUrl: (u) => isSlackFileUrl(u, apiUrl),
                  limits,
                }),
            }),
      };
    });
    return readSharedFiles(shared, limits, logger);
  }
}
