/**
 * `vpn-doctor chat --json` and `ask --json` as scripts use them: the built CLI in a separate process.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from './run-cli.js';

beforeAll(() => {
  // `npm test` builds first; a direct `vitest run test/cli` may not have.
  if (!existsSync(fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url)))) {
    execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  }
}, 120_000);

describe('chat --json', () => {
  it('prints one reply document per input line, keeping the conversation between lines', async () => {
    const input = ['cannot ping 10.9.8.7 over the vpn', '', 'it is a front end server in the cloud', 'is ipv6 supported?', 'thanks'].join(
      '\n',
    );
    const r = await runCli(['chat', '--json'], { input, timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const docs = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(docs).toHaveLength(4); // the empty line is not a message
    expect(docs.map((d) => d.text)).toEqual([
      'cannot ping 10.9.8.7 over the vpn',
      'it is a front end server in the cloud',
      'is ipv6 supported?',
      'thanks',
    ]);
    expect(docs[0]!.kind).toBe('choices');
    expect(docs[1]).toMatchObject({ kind: 'answer', topic: 'ping-front-ends-blocked', answer: null });
    expect(docs[2]!.kind).toBe('answer');
    expect(String(docs[2]!.answer)).toMatch(/^No\. /);
    expect(docs[3]).toMatchObject({ kind: 'help', topic: null, answer: null });
    for (const d of docs) {
      for (const key of [
        'text',
        'kind',
        'answer',
        'topic',
        'section',
        'title',
        'confidence',
        'engine',
        'summary',
        'steps',
        'facts',
        'alternatives',
        'entities',
      ]) {
        expect(d).toHaveProperty(key);
      }
    }
  });
});

describe('ask --json', () => {
  it('carries the direct answer for a fact question', async () => {
    const r = await runCli(['ask', '--json', 'what port does nat traversal use?']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { answer: string | null; topic: string | null };
    expect(doc.answer).toMatch(/UDP 4500/);
    expect(doc.topic).not.toBeNull();
  });
  it('has answer null when the message is not such a question', async () => {
    const r = await runCli(['ask', '--json', 'tunnel drops every hour since we moved to ikev2']);
    const doc = JSON.parse(r.stdout) as { answer: string | null; topic: string | null };
    expect(doc.answer).toBeNull();
    expect(doc.topic).toBe('ikev2-hourly-drop');
  });
});
