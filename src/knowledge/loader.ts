import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { cachedParse } from './parsed-yaml-cache.js';
import type { z } from 'zod';
import { LogSignatureCatalogueSchema, LOG_FINDING_TOPICS, type LogSignatureCatalogue } from './log-signatures.js';
import { GUIDE_SECTIONS, RequirementsSchema, TopicSchema, type Requirements, type Topic } from './schema.js';

/** One problem in one knowledge file, precise enough to fix it without reading code. */
export interface KnowledgeProblem {
  file: string;
  /** Dotted field path inside the file ("examples.3", "steps.0.action"); empty for the whole file. */
  path: string;
  message: string;
}

export interface KnowledgeBase {
  dir: string;
  topics: Topic[];
  byId: ReadonlyMap<string, Topic>;
  requirements: Requirements | undefined;
  /** The log signature catalogue (`log-signatures.yaml`), when the folder has one. */
  logSignatures?: LogSignatureCatalogue;
}

export class KnowledgeError extends Error {
  constructor(readonly problems: KnowledgeProblem[]) {
    super(
      `knowledge base is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map(formatProblem).join('\n'),
    );
    this.name = 'KnowledgeError';
  }
}

export function formatProblem(p: KnowledgeProblem): string {
  return `${p.file}${p.path ? `: ${p.path}` : ''}: ${p.message}`;
}

/** The `knowledge/` folder shipped with the package, found from this module's location (src or dist). */
export function defaultKnowledgeDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const candidate of [resolve(here, '../../knowledge'), resolve(here, '../../../knowledge')]) {
    try {
      if (statSync(candidate).isDirectory()) return candidate;
    } catch {
      // not this layout; try the next
    }
  }
  throw new Error(`cannot find the knowledge/ folder near ${here}`);
}

const REQUIREMENTS_FILE = 'requirements.yaml';
export const LOG_SIGNATURES_FILE = 'log-signatures.yaml';
/** Files of a knowledge folder that are not topics. */
const DATA_FILES = new Set([REQUIREMENTS_FILE, LOG_SIGNATURES_FILE]);

/**
 * Reads and validates every `*.yaml` file of a knowledge folder. Collects all problems of all files
 * (rather than stopping at the first) so `kb check` can report them in one pass.
 */
export function checkKnowledgeDir(dir: string): { kb: KnowledgeBase | undefined; problems: KnowledgeProblem[] } {
  const problems: KnowledgeProblem[] = [];
  const topics: Topic[] = [];
  let requirements: Requirements | undefined;
  let logSignatures: LogSignatureCatalogue | undefined;
  const firstFileOfId = new Map<string, string>();

  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort();
  } catch (err) {
    return { kb: undefined, problems: [{ file: dir, path: '', message: `cannot read folder: ${(err as Error).message}` }] };
  }
  if (files.length === 0) problems.push({ file: dir, path: '', message: 'no .yaml files found' });

  for (const name of files) {
    const file = join(dir, name);
    if (name === REQUIREMENTS_FILE) {
      const data = readYaml(file, problems);
      const parsed = data === undefined ? undefined : validate(RequirementsSchema, data, file, problems);
      if (parsed) requirements = parsed;
      continue;
    }
    if (name === LOG_SIGNATURES_FILE) {
      logSignatures = readLogSignatures(file, problems);
      continue;
    }
    const topic = readTopicFile(file, problems);
    if (!topic) continue;
    const expectedName = `${topic.id}.yaml`;
    if (name !== expectedName) {
      problems.push({ file, path: 'id', message: `file name must match the id: expected ${expectedName}` });
    }
    const earlier = firstFileOfId.get(topic.id);
    if (earlier) {
      problems.push({ file, path: 'id', message: `duplicate id "${topic.id}" (also in ${basename(earlier)})` });
      continue;
    }
    firstFileOfId.set(topic.id, file);
    topics.push(topic);
  }

  // A reference to a file that exists but failed validation is not a second error: that file is reported.
  const topicFileIds = new Set(files.filter((f) => !DATA_FILES.has(f)).map((f) => f.replace(/\.ya?ml$/, '')));
  for (const topic of topics) {
    topic.related.forEach((id, i) => {
      if (!firstFileOfId.has(id) && !topicFileIds.has(id)) {
        problems.push({ file: firstFileOfId.get(topic.id)!, path: `related.${i}`, message: `unknown topic id "${id}"` });
      }
    });
  }

  // Every finding code must lead to a topic of this folder: a finding without its guide section is useless.
  if (logSignatures) {
    const codes = new Set(logSignatures.signatures.flatMap((s) => (s.code ? [s.code] : [])));
    for (const code of codes) {
      const topic = LOG_FINDING_TOPICS[code];
      if (!firstFileOfId.has(topic) && !topicFileIds.has(topic)) {
        problems.push({
          file: join(dir, LOG_SIGNATURES_FILE),
          path: 'signatures',
          message: `code ${code} needs topic "${topic}", which this folder does not have`,
        });
      }
    }
  }

  if (problems.length > 0) return { kb: undefined, problems };
  return {
    kb: { dir, topics, byId: new Map(topics.map((t) => [t.id, t])), requirements, ...(logSignatures ? { logSignatures } : {}) },
    problems,
  };
}

/** Sections of the guide that no topic covers: the knowledge base is incomplete while this is non-empty. */
export function uncoveredSections(kb: KnowledgeBase): string[] {
  const covered = new Set(kb.topics.map((t) => t.section));
  return GUIDE_SECTIONS.filter((s) => !covered.has(s));
}

/** Loads a knowledge folder or throws a KnowledgeError listing every problem. */
export function loadKnowledgeBase(dir: string = defaultKnowledgeDir()): KnowledgeBase {
  const { kb, problems } = checkKnowledgeDir(dir);
  if (!kb) throw new KnowledgeError(problems);
  return kb;
}

/**
 * Reads only the named topics (`<id>.yaml`), for callers that need a few topics and not the whole base
 * (a check's findings). Unknown ids, invalid files and ids that are not plain kebab-case (no paths) are
 * left out; validating the base as a whole is `checkKnowledgeDir`'s job.
 */
export function loadTopics(ids: Iterable<string>, dir: string = defaultKnowledgeDir()): Map<string, Topic> {
  const byId = new Map<string, Topic>();
  for (const id of new Set(ids)) {
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) continue;
    const topic = readTopicFile(join(dir, `${id}.yaml`), []);
    if (topic?.id === id) byId.set(id, topic);
  }
  return byId;
}

/** Reads and validates `requirements.yaml` on its own; undefined when it is missing or invalid. */
export function loadRequirements(dir: string = defaultKnowledgeDir()): Requirements | undefined {
  const data = readYaml(join(dir, REQUIREMENTS_FILE), []);
  return data === undefined ? undefined : validate(RequirementsSchema, data, REQUIREMENTS_FILE, []);
}

/** Reads and validates a log signature catalogue file on its own (the evidence engine loads only this). */
export function readLogSignatures(file: string, problems: KnowledgeProblem[]): LogSignatureCatalogue | undefined {
  const data = readYaml(file, problems);
  return data === undefined ? undefined : validate(LogSignatureCatalogueSchema, data, file, problems);
}

function readTopicFile(file: string, problems: KnowledgeProblem[]): Topic | undefined {
  const data = readYaml(file, problems);
  return data === undefined ? undefined : validate(TopicSchema, data, file, problems);
}

function readYaml(file: string, problems: KnowledgeProblem[]): unknown {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push({ file, path: '', message: `cannot read: ${(err as Error).message}` });
    return undefined;
  }
  return cachedParse(source, () => {
    // uniqueKeys: a key written twice is a mistake in a hand-edited file, not a silent override.
    const doc = parseDocument(source, { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length === 0) return { data: doc.toJS() as unknown, clean: true };
    for (const e of doc.errors) {
      const line = e.linePos?.[0];
      problems.push({ file, path: '', message: `YAML syntax${line ? ` (line ${line.line})` : ''}: ${e.message.split('\n')[0]}` });
    }
    return { data: undefined, clean: false };
  });
}

function validate<T extends z.ZodType>(schema: T, data: unknown, file: string, problems: KnowledgeProblem[]): z.infer<T> | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push({
      file,
      path: '',
      message: `must be a YAML mapping of fields, got ${data === null ? 'an empty file' : Array.isArray(data) ? 'a list' : typeof data}`,
    });
    return undefined;
  }
  // reportInput: tells a missing field (no input) from a field of the wrong type.
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field(s): ${issue.keys.join(', ')}`;
    else if (issue.code === 'invalid_type' && issue.input === undefined) message = 'required field is missing';
    problems.push({ file, path, message });
  }
  return undefined;
}
