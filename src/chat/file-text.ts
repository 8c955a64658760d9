/**
 * Decides whether a file shared in a chat is text the bot may read, and decodes it. Platform-neutral:
 * adapters describe a file (name, declared type and size), this module says yes or why not.
 */

/** How much a message may bring along. VPN_DOCTOR_FILE_MAX_MB and VPN_DOCTOR_FILE_MAX_COUNT set the first two. */
export interface FileLimits {
  /** Largest file read, in bytes (default 10 MB). */
  maxBytes: number;
  /** Files read per message (default 3); the others are skipped with a reason. */
  maxFiles: number;
  /** Time allowed for one download, headers and body (default 30 s). */
  timeoutMs: number;
}

export const DEFAULT_FILE_LIMITS: FileLimits = { maxBytes: 10 * 1024 * 1024, maxFiles: 3, timeoutMs: 30_000 };

/** What an adapter knows about a shared file before downloading it. */
export interface FileDescription {
  name: string;
  /** Declared MIME type, when the platform gives one. */
  mimetype?: string | undefined;
  /** Declared size in bytes, when the platform gives one. */
  size?: number | undefined;
}

/**
 * Extensions of the files engineers paste: device logs, gateway configurations (Cisco/strongSwan .conf,
 * MikroTik .rsc exports, Azure/AWS XML and JSON downloads, Terraform), and the scripts they ran.
 */
export const TEXT_EXTENSIONS: ReadonlySet<string> = new Set([
  'log',
  'txt',
  'conf',
  'cfg',
  'rsc',
  'xml',
  'json',
  'yaml',
  'yml',
  'tf',
  'ps1',
  'sh',
  'csv',
]);

/** Non-text/* MIME types that are text all the same. */
const TEXT_MIMETYPES = new Set([
  'application/json',
  'application/xml',
  'application/yaml',
  'application/x-yaml',
  'application/x-sh',
  'application/x-shellscript',
  'application/csv',
]);

export function extensionOf(name: string): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name);
  return m ? m[1]!.toLowerCase() : '';
}

function isTextMimetype(mimetype: string | undefined): boolean {
  if (!mimetype) return false;
  const base = mimetype.split(';')[0]!.trim().toLowerCase();
  return base.startsWith('text/') || TEXT_MIMETYPES.has(base);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} KB`;
  return `${n} bytes`;
}

/**
 * Why a described file is not downloaded at all, or null when it may be. The content is sniffed again
 * after download (a .log may still be a zip someone renamed).
 */
export function refuseBeforeDownload(file: FileDescription, limits: FileLimits): string | null {
  if (!isTextMimetype(file.mimetype) && !TEXT_EXTENSIONS.has(extensionOf(file.name))) return 'not a text file';
  if (file.size !== undefined && file.size > limits.maxBytes) {
    return `too large (${formatBytes(file.size)}; the limit is ${formatBytes(limits.maxBytes)})`;
  }
  return null;
}

/** Bytes looked at to tell text from binary: enough for any file header, cheap for 10 MB. */
const SNIFF_BYTES = 64 * 1024;

/**
 * The bytes as text, or why they are not text. Windows tools (PowerShell 5 `>` redirection, some VPN
 * client exports) write UTF-16 with a byte-order mark, so that is honoured; otherwise UTF-8, falling back
 * to Windows-1252 for old device exports. NUL bytes or many control characters mean binary.
 */
export function decodeText(bytes: Uint8Array, truncated = false): { text: string } | { reason: string } {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return { reason: 'not a text file (it contains binary data)' };
    try {
      // A cut-off file may end inside a multi-byte character: only a stream decode forgives that.
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes, { stream: truncated });
    } catch {
      text = new TextDecoder('windows-1252').decode(bytes);
    }
  }
  const sample = text.slice(0, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return { reason: 'not a text file (it contains binary data)' };
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) control++;
  }
  if (sample.length > 0 && control / sample.length > 0.05) return { reason: 'not a text file (it contains binary data)' };
  if (truncated) {
    // Cut at the last complete line, so the analysis never sees half a log line.
    const end = text.lastIndexOf('\n');
    if (end > 0) text = text.slice(0, end + 1);
  }
  return { text };
}
