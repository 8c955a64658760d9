import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  checkKnowledgeDir,
  defaultKnowledgeDir,
  KnowledgeError,
  loadKnowledgeBase,
  uncoveredSections,
} from '../../src/knowledge/loader.js';
import { GUIDE_SECTIONS } from '../../src/knowledge/schema.js';

const dirs: string[] = [];
function tempKb(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vpn-doctor-kb-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : stringify(content));
  }
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A real, valid topic from the shipped knowledge base, to break one field at a time. */
function validTopic(): Record<string, unknown> {
  return parse(readFileSync(join(defaultKnowledgeDir(), 'ikev2-hourly-drop.yaml'), 'utf8')) as Record<string, unknown>;
}
function standalone(t: Record<string, unknown>): Record<string, unknown> {
  return { ...t, related: [] };
}

describe('the shipped knowledge base', () => {
  const kb = loadKnowledgeBase();

  it('covers all 18 troubleshooting sections of the guide', () => {
    expect(GUIDE_SECTIONS).toHaveLength(18);
    expect(uncoveredSections(kb)).toEqual([]);
  });

  it('has unique kebab-case ids, each with at least 12 examples', () => {
    const ids = kb.topics.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of kb.topics) expect(t.examples.length, t.id).toBeGreaterThanOrEqual(12);
  });

  it('carries the guide numbers the answers depend on', () => {
    const allFacts = kb.topics.flatMap((t) => t.facts.map((f) => `${f.label} ${f.value}`)).join('\n');
    for (const needle of [
      '28800',
      '3600',
      '51',
      '53',
      '500',
      '4500',
      '50',
      '443',
      '80',
      '11.7.0',
      '0.0.0.0/0',
      'outsystemsenterprise.com',
    ]) {
      expect(allFacts, needle).toContain(needle);
    }
    const hourly = kb.byId.get('ikev2-hourly-drop')!;
    expect(JSON.stringify(hourly.steps)).toMatch(/51 minutes|3060/);
  });

  it('loads the requirement parameters', () => {
    expect(kb.requirements).toBeDefined();
    const text = JSON.stringify(kb.requirements);
    for (const needle of ['28800', '3600', 'AES-256', 'SHA-512', '1446', '1406', 'IPv6']) expect(text, needle).toContain(needle);
  });
});

describe('validation of broken files', () => {
  it('accepts a valid single-topic folder', () => {
    const { kb, problems } = checkKnowledgeDir(tempKb({ 'ikev2-hourly-drop.yaml': standalone(validTopic()) }));
    expect(problems).toEqual([]);
    expect(kb?.topics.map((t) => t.id)).toEqual(['ikev2-hourly-drop']);
  });

  it('names the file and the field when a required field is missing', () => {
    const t = standalone(validTopic());
    delete t.summary;
    const dir = tempKb({ 'ikev2-hourly-drop.yaml': t });
    const { kb, problems } = checkKnowledgeDir(dir);
    expect(kb).toBeUndefined();
    expect(problems).toEqual([{ file: join(dir, 'ikev2-hourly-drop.yaml'), path: 'summary', message: 'required field is missing' }]);
  });

  it('rejects an unknown field, also nested', () => {
    const t = standalone(validTopic());
    t.severity = 'high';
    (t.steps as Record<string, unknown>[])[0]!.cmd = 'ping';
    const { problems } = checkKnowledgeDir(tempKb({ 'ikev2-hourly-drop.yaml': t }));
    expect(problems.map((p) => [p.path, p.message])).toEqual(
      expect.arrayContaining([
        ['', 'unknown field(s): severity'],
        ['steps.0', 'unknown field(s): cmd'],
      ]),
    );
  });

  it('rejects a duplicate id across files', () => {
    const t = standalone(validTopic());
    const { problems } = checkKnowledgeDir(tempKb({ 'ikev2-hourly-drop.yaml': t, 'ikev2-hourly-drop.yml': t }));
    expect(problems.some((p) => p.path === 'id' && /duplicate id "ikev2-hourly-drop"/.test(p.message))).toBe(true);
  });

  it('rejects a section that is not a heading of the guide', () => {
    const t = { ...standalone(validTopic()), section: 'Tunnel drops every hour' };
    const { problems } = checkKnowledgeDir(tempKb({ 'ikev2-hourly-drop.yaml': t }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('section');
    expect(problems[0]!.message).toContain('is not a heading of the guide');
  });

  it('rejects too few examples, a bad id, a file named differently and an unknown related id', () => {
    const t = { ...validTopic(), id: 'Hourly_Drop', examples: ['x'], related: ['no-such-topic'] };
    const { problems } = checkKnowledgeDir(tempKb({ 'hourly.yaml': t }));
    const paths = problems.map((p) => p.path);
    expect(paths).toContain('id');
    expect(paths).toContain('examples');
    const ok = { ...validTopic(), related: ['no-such-topic'] };
    const second = checkKnowledgeDir(tempKb({ 'other-name.yaml': ok }));
    expect(second.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining(['file name must match the id: expected ikev2-hourly-drop.yaml', 'unknown topic id "no-such-topic"']),
    );
  });

  it('tells a field of the wrong type from a missing one', () => {
    const t = { ...standalone(validTopic()), examples: 'just one string', escalation: 42 };
    const { problems } = checkKnowledgeDir(tempKb({ 'ikev2-hourly-drop.yaml': t }));
    expect(problems.map((p) => [p.path, p.message])).toEqual(
      expect.arrayContaining([
        ['examples', 'Invalid input: expected array, received string'],
        ['escalation', 'Invalid input: expected string, received number'],
      ]),
    );
    expect(problems.some((p) => p.message === 'required field is missing')).toBe(false);
  });

  it('says so when a file is empty or not a mapping', () => {
    const { problems } = checkKnowledgeDir(tempKb({ 'empty.yaml': '', 'list.yaml': '- a\n- b\n' }));
    expect(problems.map((p) => p.message).sort()).toEqual([
      'must be a YAML mapping of fields, got a list',
      'must be a YAML mapping of fields, got an empty file',
    ]);
  });

  it('does not report references to a topic file that is itself invalid a second time', () => {
    const broken = { ...standalone(validTopic()), id: 'other-topic', title: '' };
    const ok = { ...validTopic(), related: ['other-topic'] };
    const { problems } = checkKnowledgeDir(tempKb({ 'ikev2-hourly-drop.yaml': ok, 'other-topic.yaml': broken }));
    expect(problems.map((p) => p.path)).toEqual(['title']);
  });

  it('reports YAML syntax errors with a line number, and duplicate keys', () => {
    const { problems } = checkKnowledgeDir(tempKb({ 'a.yaml': 'id: a\ntitle: [unclosed\n', 'b.yaml': 'id: b\nid: c\n' }));
    expect(problems.filter((p) => p.message.startsWith('YAML syntax')).length).toBeGreaterThanOrEqual(2);
    expect(problems.some((p) => /line \d+/.test(p.message))).toBe(true);
  });

  it('loadKnowledgeBase throws a KnowledgeError listing every problem', () => {
    const t = standalone(validTopic());
    delete t.title;
    delete t.escalation;
    const dir = tempKb({ 'ikev2-hourly-drop.yaml': t });
    expect(() => loadKnowledgeBase(dir)).toThrow(KnowledgeError);
    try {
      loadKnowledgeBase(dir);
    } catch (err) {
      expect((err as KnowledgeError).problems.map((p) => p.path).sort()).toEqual(['escalation', 'title']);
    }
  });

  it('validates requirements.yaml with its own schema', () => {
    const { problems } = checkKnowledgeDir(tempKb({ 'requirements.yaml': { kind: 'requirements', title: 'x' } }));
    expect(problems.map((p) => p.path).sort()).toEqual(['groups', 'policy', 'sources', 'summary']);
  });
});

describe('the requirements policy block', () => {
  it('refuses an unknown parameter name and a non-numeric lifetime', () => {
    const kb = loadKnowledgeBase();
    const policy = { ...kb.requirements!.policy, 'p9-magic': { says: 'x' }, 'p1-lifetime': { says: 'eight hours', expect: 'long' } };
    const data = { ...kb.requirements!, policy };
    const { problems } = checkKnowledgeDir(tempKb({ 'requirements.yaml': data }));
    const paths = problems.map((p) => `${p.path} ${p.message}`).join('\n');
    expect(paths).toMatch(/policy/);
    expect(paths).toMatch(/p9-magic/);
    expect(paths).toMatch(/policy\.p1-lifetime\.expect/);
  });

  it('states the phase 2 lifetime and the IKEv2 workaround the guide gives', () => {
    const { policy } = loadKnowledgeBase().requirements!;
    expect(policy['p2-lifetime']).toMatchObject({ expect: 3600, max: 3600, workaround: 3060 });
    expect(policy['p1-dh'].accept).not.toContain(5);
    expect(policy.pfs.accept).toContain(5);
    expect(policy['p1-encryption'].platform).toEqual(['aes128gcm', 'aes256gcm']);
  });
});
