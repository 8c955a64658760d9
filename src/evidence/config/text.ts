/** Small helpers every configuration reader shares: lines, comments, template placeholders. */

export interface SourceLine {
  /** 1-based line number in the pasted text. */
  n: number;
  /** The line without its trailing comment, trimmed; empty for blank and comment-only lines. */
  body: string;
  /** The line as pasted. */
  raw: string;
}

/**
 * Splits text into numbered lines, dropping comments that start with one of `commentStarts` (at the start
 * of the line, or after whitespace when `inline` is true).
 */
export function sourceLines(text: string, commentStarts: string[], inline = false): SourceLine[] {
  const out: SourceLine[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    let body = raw.trim();
    if (commentStarts.some((c) => body.startsWith(c))) body = '';
    else if (inline) {
      for (const c of commentStarts) {
        const at = body.search(new RegExp(`\\s${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        if (at >= 0) body = body.slice(0, at).trim();
      }
    }
    out.push({ n: i + 1, body, raw });
  }
  return out;
}

/** True for an unfilled template placeholder: `${var.x}`, `{{ x }}`, `<%= x %>`, `$(x)`, `<YOUR_VALUE>`. */
export function isTemplateValue(value: string): boolean {
  return /\$\{[^}]*\}|\{\{[^}]*\}\}|<%[^%]*%>|\$\([^)]*\)|^<[A-Za-z_][\w -]*>$/.test(value.trim());
}

/** Unquotes a value written in double or single quotes. */
export function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}

/** Splits a command line into words, keeping "quoted strings" together (quotes removed). */
export function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** The 1-based number of the first line at or after `from` whose text matches `re`; null when none. */
export function findLine(lines: string[], re: RegExp, from = 1, to = lines.length): number | null {
  for (let n = Math.max(1, from); n <= Math.min(to, lines.length); n++) if (re.test(lines[n - 1]!)) return n;
  return null;
}

/** Every balanced `{...}` that parses as JSON, outermost first (a script or a fenced block around it is skipped). */
export function jsonObjects(text: string): unknown[] {
  const out: unknown[] = [];
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        try {
          out.push(JSON.parse(text.slice(start, i + 1)));
          start = i;
        } catch {
          /* not JSON (a Python dict, a template): try the next brace */
        }
        break;
      }
    }
  }
  return out;
}
