/**
 * Files that came with a chat message (a log or a gateway configuration pasted as a file or uploaded).
 * Adapters fetch them and fill these in; they never interpret the text: that is the evidence engine's job.
 */

/** A shared file whose text could be read. */
export interface InboundFile {
  name: string;
  /** The file's text (UTF-8, or UTF-16 with a byte-order mark, decoded). */
  text: string;
  /** Size in bytes of what was downloaded (before decoding). */
  bytes: number;
  /** True when only the first part of the file is here (it was larger than the per-file limit). */
  truncated: boolean;
}

/** A shared file that was not read, and why, in words the core can repeat to the user. */
export interface SkippedFile {
  name: string;
  /** e.g. "not a text file", "larger than the 10 MB limit", "the download failed (HTTP 403)". */
  reason: string;
}
