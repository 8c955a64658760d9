/**
 * Local mode must not load LangChain (the CLI starts fast without it). A child Node process registers a
 * module `resolve` hook that reports every URL it resolves, imports src/nlu/index.ts and classifies; the
 * positive control (LLM mode configured) proves the detector sees LangChain when it is loaded.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nlu-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOOK = `
let port;
export async function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  port.postMessage(r.url);
  return r;
}`;

function script(withLlm: boolean): string {
  const index = pathToFileURL(join(root, 'src/nlu/index.ts')).href;
  const loader = pathToFileURL(join(root, 'src/knowledge/loader.ts')).href;
  return `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (u) => urls.push(u));
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}), import.meta.url, { data: { port: port2 }, transferList: [port2] });
const { createClassifier } = await import(${JSON.stringify(index)});
const { loadKnowledgeBase } = await import(${JSON.stringify(loader)});
const c = await createClassifier(loadKnowledgeBase(), ${
    withLlm ? "{ llm: { provider: 'openai', model: 'm', baseUrl: 'http://127.0.0.1:9/v1', timeoutMs: 2000, maxRetries: 0 } }" : '{}'
  });
const r = await c.classify('tunnel drops every hour since ikev2');
await new Promise((res) => setTimeout(res, 100)); // let the hook thread's messages arrive
port1.close();
console.log(JSON.stringify({ engine: r.engine, langchain: urls.filter((u) => u.includes('@langchain') || u.includes('/langchain/')).length }));
`;
}

async function run(withLlm: boolean): Promise<{ engine: string; langchain: number }> {
  const file = join(dir, `probe-${withLlm ? 'llm' : 'local'}.mjs`);
  writeFileSync(file, script(withLlm));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], { cwd: root, timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { engine: string; langchain: number };
}

describe('LangChain is imported lazily', () => {
  it('local mode loads no @langchain module', async () => {
    const r = await run(false);
    expect(r.engine).toBe('local');
    expect(r.langchain).toBe(0);
  });

  it('(control) LLM mode does load it, so the check above can see it', async () => {
    const r = await run(true);
    expect(r.langchain).toBeGreaterThan(0);
    expect(r.engine).toMatch(/^local \(llm fallback: /); // nothing listens on port 9
  });

  it('no module of src/nlu imports LangChain statically', () => {
    const nluDir = join(root, 'src/nlu');
    for (const f of readdirSync(nluDir).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(join(nluDir, f), 'utf8');
      const staticImports = src.match(/^import\s+(?!type\b)[^;]*from\s+['"](@langchain\/[^'"]+|langchain[^'"]*)['"]/gm) ?? [];
      expect(staticImports, f).toEqual([]);
    }
  });
});
