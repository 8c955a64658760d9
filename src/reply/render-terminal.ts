import pc from 'picocolors';
import { SNIPPET_KIND_LABEL, type Reply, type ReplyEvidence, type ReplyQuote, type ReplyTable } from './reply.js';

export interface TerminalRenderOptions {
  /** ANSI colours; default: only when the output is a terminal. */
  color?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

/**
 * Renders a Reply as terminal text. Without colour the output is plain text that reads well when piped
 * into a ticket or an e-mail, so nothing here relies on colour alone to carry meaning.
 */
export function renderTerminal(r: Reply, options: TerminalRenderOptions = {}): string {
  const c = pc.createColors(options.color ?? false);
  const out: string[] = [];

  out.push(c.bold(r.title) + headerBadges(r, c));
  if (r.section) out.push(c.dim(`Guide: ${r.section}`));
  // The direct answer comes first; notices (a redacted secret) must not scroll by unseen.
  if (r.answer) out.push('', `${c.bold('Answer:')} ${r.answer}`);
  for (const notice of r.notices ?? []) out.push('', c.bold(c.yellow(`!! ${notice}`)));
  if (r.summary) out.push('', r.summary);

  if (r.findings.length > 0) {
    out.push('', c.bold('Findings'));
    for (const f of r.findings) {
      out.push(`  ${severityMark(f.severity, c)} ${c.bold(f.code)}: ${f.summary}`);
      out.push(...quotedLines(f.lines ?? [], c));
    }
  }

  if (r.table && r.table.rows.length > 0) {
    out.push('', c.bold(r.table.caption ?? 'Parameters'));
    out.push(...valueTable(r.table, c));
  }

  if (r.steps.length > 0) {
    out.push('', c.bold('Steps'));
    r.steps.forEach((s, i) => {
      out.push(`  ${i + 1}. ${s.text}`);
      for (const cmd of s.commands ?? []) out.push(`       ${c.cyan('$ ' + cmd)}`);
      for (const sn of s.snippets ?? []) {
        out.push(`       ${c.bold(`${sn.platform} (${SNIPPET_KIND_LABEL[sn.kind]}):`)}`);
        // Only shell lines get a "$": device CLI lines have their own prompt, config lines are not typed at one.
        for (const line of sn.lines) out.push(`         ${c.cyan(sn.kind === 'shell' ? '$ ' + line : line)}`);
      }
    });
    if (r.moreSteps) out.push(c.dim(`  (${r.moreSteps} more step${r.moreSteps === 1 ? '' : 's'}: ask "show all steps")`));
  }

  if (r.facts.length > 0) {
    out.push('', c.bold('Facts'));
    const w = Math.min(28, Math.max(...r.facts.map((f) => f.label.length)));
    for (const f of r.facts) out.push(`  ${f.label.padEnd(w)}  ${f.value}`);
  }

  if (r.evidence.length > 0) {
    out.push('', c.bold('Evidence'));
    out.push(...evidenceTable(r.evidence, c));
  }

  if (r.items.length > 0) {
    out.push('');
    const w = Math.min(32, Math.max(...r.items.map((i) => i.label.length)));
    for (const item of r.items) {
      out.push(item.detail ? `  ${c.bold(item.label.padEnd(w))}  ${item.detail}` : `  ${item.label}`);
    }
  }

  if (r.actions.length > 0) {
    out.push('', c.bold(r.kind === 'choices' ? 'Which one fits best? Reply with its number:' : 'Next'));
    r.actions.forEach((a, i) => out.push(`  [${i + 1}] ${a.label}`));
  }

  if (r.followUps.length > 0) {
    out.push('', c.dim('You can also ask: ' + r.followUps.map((f) => `"${f}"`).join(', ')));
  }
  return out.join('\n') + '\n';
}

function headerBadges(r: Reply, c: Colors): string {
  const parts: string[] = [];
  if (r.verdict) {
    const paint = r.verdict === 'healthy' ? c.green : r.verdict === 'degraded' ? c.yellow : c.red;
    parts.push(paint(r.verdict.toUpperCase()));
  }
  if (r.confidence !== undefined) parts.push(c.dim(`confidence ${Math.round(r.confidence * 100)}%`));
  if (r.answeredBy && r.answeredBy !== 'local') parts.push(c.dim(`via ${r.answeredBy}`));
  return parts.length > 0 ? `  ${parts.join('  ')}` : '';
}

function severityMark(severity: 'error' | 'warning' | 'info', c: Colors): string {
  if (severity === 'error') return c.red('[error]  ');
  if (severity === 'warning') return c.yellow('[warning]');
  return c.blue('[info]   ');
}

/** The lines a finding relies on, with their line numbers, indented under it. */
function quotedLines(quotes: ReplyQuote[], c: Colors): string[] {
  const w = Math.max(0, ...quotes.map((q) => String(q.n).length));
  return quotes.map((q) => `      ${c.dim(`${String(q.n).padStart(w)} |`)} ${q.text}`);
}

function statusMark(ok: boolean | null, c: Colors): string {
  return ok === true ? c.green('ok  ') : ok === false ? c.red('FAIL') : c.dim('info');
}

/** A table with a status column first; columns padded to their widest cell, the last one left free. */
function valueTable(t: ReplyTable, c: Colors): string[] {
  const widths = t.columns.map((col, i) => Math.max(col.length, ...t.rows.map((r) => (r.cells[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return [
    `  ${'    '}  ${c.bold(line(t.columns))}`,
    ...t.rows.map((r) => `  ${statusMark(r.ok, c)}  ${line(t.columns.map((_, i) => r.cells[i] ?? ''))}`),
  ];
}

function evidenceTable(rows: ReplyEvidence[], c: Colors): string[] {
  const lw = Math.max(...rows.map((r) => r.label.length));
  const tw = Math.max(...rows.map((r) => r.target.length));
  return rows.map((r) => {
    return `  ${statusMark(r.ok, c)}  ${r.label.padEnd(lw)}  ${r.target.padEnd(tw)}  ${r.outcome}`;
  });
}
