/**
 * Scores the configuration reader against a labelled corpus (`<id>.<ext>` + `<id>.label.yaml`, format in
 * the evidence contract): labelled verdicts right, injected deviations found, false alarms on labelled-ok
 * parameters; per format. Used by the benchmark and the accuracy test, so both run the same code path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { PARAMETER_NAMES } from '../../knowledge/schema.js';
import { analyzeConfigText } from './index.js';
import { VERDICTS } from './model.js';

const LabelSchema = z.object({
  source: z.string().min(1),
  vendor: z.string().min(1),
  format: z.string().min(1),
  origin: z.enum(['real', 'mutated', 'lab']),
  mutation: z.string().optional(),
  /** Which parameters the mutation changed (our own corpus); absent: every non-ok label of a mutated entry. */
  injected: z.array(z.enum(PARAMETER_NAMES)).optional(),
  tunnels: z.array(z.object({ parameters: z.partialRecord(z.enum(PARAMETER_NAMES), z.enum(VERDICTS)) })).min(1),
});
export type ConfigLabel = z.infer<typeof LabelSchema>;

export interface CorpusEntry {
  id: string;
  file: string;
  text: string;
  label: ConfigLabel;
}

/** Every labelled configuration of a corpus folder, sorted by id. */
export function readConfigCorpus(dir: string): CorpusEntry[] {
  const files = readdirSync(dir);
  return files
    .filter((f) => f.endsWith('.label.yaml'))
    .sort()
    .map((labelFile) => {
      const id = labelFile.slice(0, -'.label.yaml'.length);
      const file = files.find((f) => f !== labelFile && f.startsWith(`${id}.`) && !f.endsWith('.label.yaml'));
      if (!file) throw new Error(`${dir}/${labelFile}: no configuration file ${id}.<ext> next to it`);
      const label = LabelSchema.parse(parse(readFileSync(join(dir, labelFile), 'utf8')));
      return { id, file, text: readFileSync(join(dir, file), 'utf8'), label };
    });
}

export interface Mismatch {
  id: string;
  tunnel: number;
  parameter: string;
  expected: string;
  got: string;
}

export interface FormatScore {
  format: string;
  files: number;
  labelled: number;
  right: number;
  /** Labelled ok, judged otherwise. */
  okLabelled: number;
  falseAlarms: number;
  injected: number;
  injectedFound: number;
  unread: number;
}

export interface CorpusScore {
  formats: FormatScore[];
  total: FormatScore;
  mismatches: Mismatch[];
}

const empty = (format: string): FormatScore => ({
  format,
  files: 0,
  labelled: 0,
  right: 0,
  okLabelled: 0,
  falseAlarms: 0,
  injected: 0,
  injectedFound: 0,
  unread: 0,
});

export function scoreConfigCorpus(entries: CorpusEntry[]): CorpusScore {
  const byFormat = new Map<string, FormatScore>();
  const mismatches: Mismatch[] = [];
  for (const e of entries) {
    const s = byFormat.get(e.label.format) ?? empty(e.label.format);
    byFormat.set(e.label.format, s);
    s.files++;
    const doc = analyzeConfigText(e.text);
    if (!doc) s.unread++;
    e.label.tunnels.forEach((t, i) => {
      const tunnelName = doc?.tunnels[i]?.name;
      for (const [name, expected] of Object.entries(t.parameters)) {
        const got = doc?.parameters.find((p) => p.tunnel === tunnelName && p.name === name)?.verdict ?? '(absent)';
        s.labelled++;
        if (got === expected) s.right++;
        else mismatches.push({ id: e.id, tunnel: i, parameter: name, expected, got });
        if (expected === 'ok') {
          s.okLabelled++;
          if (got !== 'ok' && got !== '(absent)') s.falseAlarms++;
        }
        const injected =
          e.label.origin === 'mutated' && expected !== 'ok' && (e.label.injected ? (e.label.injected as string[]).includes(name) : true);
        if (injected) {
          s.injected++;
          if (got === expected) s.injectedFound++;
        }
      }
    });
  }
  const formats = [...byFormat.values()].sort((a, b) => a.format.localeCompare(b.format));
  const total = formats.reduce((acc, f) => {
    for (const k of Object.keys(acc) as (keyof FormatScore)[]) if (k !== 'format') (acc[k] as number) += f[k] as number;
    return acc;
  }, empty('all'));
  return { formats, total, mismatches };
}

export const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
