import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { defaultKnowledgeDir, loadRequirements, loadTopics, type KnowledgeBase } from '../knowledge/loader.js';
import { LOG_FINDING_TOPICS } from '../knowledge/log-signatures.js';
import { loadSignatureCatalogue } from './catalogue.js';
import { analyzeConfigText, looksLikeConfig } from './config/index.js';
import type { ConfigAnalysis } from './config/index.js';
import { buildLogDocument } from './findings.js';
import { LogReader } from './log-reader.js';
import type { LogDocument } from './types.js';

/** Largest text the HTTP API and chat uploads should hand to `analyzeText` (the CLI streams files of any size). */
export const MAX_ANALYZE_TEXT_BYTES = 5 * 1024 * 1024;
/** How much of the start of a text decides whether it is a configuration or a log. */
export const SNIFF_BYTES = 64 * 1024;

export interface AnalyzeOptions {
  /** Knowledge folder (topics, requirements, log signatures); the bundled one by default. */
  knowledgeDir?: string;
  /** The configuration file OutSystems sent, for comparing a device configuration against. */
  against?: string;
}

/** What `analyze` prints: a log document or a configuration document (each reader owns its shape). */
export type AnalysisDocument = LogDocument | ConfigAnalysis;

const kbs = new Map<string, KnowledgeBase>();
/**
 * The part of the knowledge base the log reader needs: the topics its codes point to and the policy.
 * Read once per folder; the whole base (twenty-odd files) is not needed to read a log.
 */
function knowledge(dir: string | undefined): KnowledgeBase {
  const key = dir ?? defaultKnowledgeDir();
  let kb = kbs.get(key);
  if (!kb) {
    const byId = loadTopics(Object.values(LOG_FINDING_TOPICS), key);
    kb = { dir: key, topics: [...byId.values()], byId, requirements: loadRequirements(key) };
    kbs.set(key, kb);
  }
  return kb;
}

function configDocument(text: string, options: AnalyzeOptions): AnalysisDocument | undefined {
  if (!looksLikeConfig(text.slice(0, SNIFF_BYTES))) return undefined;
  return analyzeConfigText(text, options.against === undefined ? {} : { against: options.against }) ?? undefined;
}

/**
 * Reads a pasted or uploaded text: a device configuration goes to the configuration reader, anything else
 * to the log reader. Texts larger than MAX_ANALYZE_TEXT_BYTES should be refused by the caller (or streamed
 * with `analyzeLogStream`).
 */
export function analyzeText(text: string, options: AnalyzeOptions = {}): AnalysisDocument {
  const config = configDocument(text, options);
  if (config) return config;
  return analyzeLogText(text, options);
}

/** The log reader over a whole text in memory. */
export function analyzeLogText(text: string, options: Pick<AnalyzeOptions, 'knowledgeDir'> = {}): LogDocument {
  const kb = knowledge(options.knowledgeDir);
  const reader = new LogReader(loadSignatureCatalogue(kb.dir));
  reader.pushBlock(text);
  return buildLogDocument(reader.finish(), { kb });
}

/**
 * Streams a log of any size through the log reader in constant memory: chunks are split into lines here
 * (cheaper than readline), only a partial last line is carried between chunks.
 */
export async function analyzeLogStream(input: Readable, options: Pick<AnalyzeOptions, 'knowledgeDir'> = {}): Promise<LogDocument> {
  const kb = knowledge(options.knowledgeDir);
  const reader = new LogReader(loadSignatureCatalogue(kb.dir));
  // Bytes are read as latin1 (one character per byte: no UTF-8 validation, compact strings, same positions);
  // the catalogue is ASCII, and the lines quoted back are turned into UTF-8 again when the document is built.
  let carry = '';
  let latin1 = false;
  for await (const chunk of input) {
    if (typeof chunk !== 'string') latin1 = true;
    const text = typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('latin1');
    const first = text.indexOf('\n');
    if (first < 0) {
      carry += text;
      // A "line" without an end (a binary file) must not grow without bound.
      if (carry.length > 1024 * 1024) {
        reader.pushBlock(carry);
        carry = '';
      }
      continue;
    }
    // Only the line cut by the chunk boundary is glued together; the rest is read in place.
    reader.pushBlock(carry + text.slice(0, first + 1));
    const last = text.lastIndexOf('\n');
    if (last > first) reader.pushBlock(text, first + 1, last + 1);
    carry = text.slice(last + 1);
  }
  if (carry.length > 0) reader.pushBlock(carry);
  return buildLogDocument(reader.finish(), { kb, latin1 });
}

/**
 * A file: sniffs its start; a configuration is read whole (configurations are small), a log is streamed.
 */
export async function analyzeFile(path: string, options: AnalyzeOptions = {}): Promise<AnalysisDocument> {
  const head = await readHead(path);
  if (looksLikeConfig(head)) {
    const { readFile } = await import('node:fs/promises');
    const config = configDocument(await readFile(path, 'utf8'), options);
    if (config) return config;
  }
  return analyzeLogStream(createReadStream(path, { highWaterMark: 1024 * 1024 }), options);
}

async function readHead(path: string): Promise<string> {
  const { open } = await import('node:fs/promises');
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}
