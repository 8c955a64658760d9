/**
 * Entry point of the configuration reader (issue 13). Until the parsers land this recognises nothing, so
 * every text falls through to the log reader.
 */
export interface ConfigAnalyzeOptions {
  /** Text of the configuration file OutSystems sent, to compare the device's configuration against. */
  against?: string;
}

/** True when the first part of a text looks like a device configuration rather than a log. */
export function looksLikeConfig(_head: string): boolean {
  return false;
}

/** Parses and judges a configuration; null when the text is not a configuration this reader knows. */
export function analyzeConfigText(_text: string, _options: ConfigAnalyzeOptions = {}): unknown {
  return null;
}
