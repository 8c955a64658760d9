import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { LOG_FAMILIES, LOG_FINDING_CODES, type LogFindingCode } from '../knowledge/log-signatures.js';
import { GUIDE_SECTIONS } from '../knowledge/schema.js';
import type { LogDocument } from './types.js';

/** One labelled entry of a log corpus (evidence contract: test/fixtures/evidence/logs*). */
export const CorpusEntrySchema = z
  .strictObject({
    id: z.string().min(1),
    // A family the analyser does not know yet (a blind corpus may bring one, e.g. watchguard) is still scored
    // on verdict, section and code: a gateway we cannot name can still say what went wrong.
    family: z.union([z.enum(LOG_FAMILIES), z.string().regex(/^[a-z0-9][a-z0-9-]*$/)]),
    source: z.string().min(1),
    origin: z.enum(['real', 'lab']),
    text: z.string().min(1),
    expect: z.strictObject({
      verdict: z.enum(['fault', 'healthy', 'unknown']),
      code: z.enum(LOG_FINDING_CODES as [LogFindingCode, ...LogFindingCode[]]).optional(),
      section: z.enum(GUIDE_SECTIONS).optional(),
    }),
  })
  .superRefine((e, ctx) => {
    if (e.expect.verdict === 'fault' && (!e.expect.code || !e.expect.section))
      ctx.addIssue({ code: 'custom', message: 'a fault entry needs code and section' });
    if (e.expect.verdict !== 'fault' && (e.expect.code || e.expect.section))
      ctx.addIssue({ code: 'custom', message: 'only fault entries carry code and section' });
  });
export type CorpusEntry = z.infer<typeof CorpusEntrySchema>;

/** Reads every `*.yaml` of a corpus folder; throws naming the file and entry of a malformed one. */
export function readCorpus(dir: string): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  const ids = new Set<string>();
  for (const name of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const data: unknown = parse(readFileSync(join(dir, name), 'utf8'));
    const list = z.array(z.unknown()).parse(data);
    list.forEach((raw, i) => {
      const r = CorpusEntrySchema.safeParse(raw);
      if (!r.success) throw new Error(`${name} entry ${i}: ${r.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
      if (ids.has(r.data.id)) throw new Error(`${name}: duplicate id ${r.data.id}`);
      ids.add(r.data.id);
      entries.push(r.data);
    });
  }
  return entries;
}

export interface EntryResult {
  entry: CorpusEntry;
  verdict: LogDocument['verdict'];
  code: string | undefined;
  section: string | undefined;
  rightVerdict: boolean;
  rightSection: boolean;
  rightCode: boolean;
  /** A normal (healthy) entry that the analyser alarmed on. */
  falseAlarm: boolean;
}

/** Compares the analyser's document with an entry's label. */
export function judgeEntry(entry: CorpusEntry, doc: LogDocument): EntryResult {
  const root = doc.findings.find((f) => f.severity !== 'info');
  const e = entry.expect;
  return {
    entry,
    verdict: doc.verdict,
    code: root?.code,
    section: root?.section,
    rightVerdict: doc.verdict === e.verdict,
    rightSection: e.verdict === 'fault' ? root?.section === e.section : doc.verdict === e.verdict,
    rightCode: e.verdict === 'fault' ? root?.code === e.code : doc.verdict === e.verdict,
    falseAlarm: e.verdict !== 'fault' && doc.verdict === 'fault',
  };
}

export interface Scores {
  faults: number;
  faultSection: number;
  faultCode: number;
  normals: number;
  normalNotAlarmed: number;
  unknowns: number;
  unknownNotAlarmed: number;
}

export function score(results: readonly EntryResult[]): Scores {
  const faults = results.filter((r) => r.entry.expect.verdict === 'fault');
  const normals = results.filter((r) => r.entry.expect.verdict === 'healthy');
  const unknowns = results.filter((r) => r.entry.expect.verdict === 'unknown');
  return {
    faults: faults.length,
    faultSection: faults.filter((r) => r.rightSection).length,
    faultCode: faults.filter((r) => r.rightCode).length,
    normals: normals.length,
    normalNotAlarmed: normals.filter((r) => !r.falseAlarm).length,
    unknowns: unknowns.length,
    unknownNotAlarmed: unknowns.filter((r) => !r.falseAlarm).length,
  };
}
