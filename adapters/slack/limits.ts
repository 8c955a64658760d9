/**
 * Slack's published Block Kit limits for messages (docs.slack.dev/reference/block-kit). Slack rejects a
 * whole message (`invalid_blocks`) when one element breaks one of them, so the renderer builds every block
 * within these numbers instead of hoping. MAX_PAGE_TEXT is not a documented limit but what Slack
 * reliably accepts and clients render without collapsing: a few screens of text.
 */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  /** Documented as 3000 for text objects; context lines are meant to be short, so stay well under. */
  contextText: 2000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** Top-level `text`: used for notifications and screen readers next to blocks; Slack truncates at 40k. */
  fallbackText: 3000,
} as const;

/** Text (all text objects together) per message; beyond this the answer continues on a "Show more" page. */
export const MAX_PAGE_TEXT = 12_000;

/** An answer never becomes more than this many messages; the rest is trimmed with a note. */
export const MAX_PAGES = 10;
