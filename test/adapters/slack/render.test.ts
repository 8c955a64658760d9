import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoreButtonValue, renderReply, type SlackMessage } from '../../../adapters/slack/render.js';
import { helpReply } from '../../../src/conversation/assistant.js';
import { topicReply } from '../../../src/conversation/topic-reply.js';
import { loadKnowledgeBase } from '../../../src/knowledge/loader.js';
import { reply, type Reply } from '../../../src/reply/reply.js';
import { blockKitViolations, blockTextLength } from './helpers/block-kit-check.js';
import { analysisReply } from '../../reply/fixtures/analysis-reply.js';

const kb = loadKnowledgeBase();

/** Slack's limits per message, measured independently of the renderer (see block-kit-check.ts). */
function expectWithinSlackLimits(pages: SlackMessage[]): void {
  for (const [i, page] of pages.entries()) {
    expect(blockKitViolations(page), `page ${i + 1}`).toEqual([]);
    expect(page.blocks.length, `page ${i + 1} blocks`).toBeLessThanOrEqual(50);
    // Slack documents no total, but long messages get refused or collapsed beyond about 13k characters.
    expect(blockTextLength(page.blocks), `page ${i + 1} text`).toBeLessThanOrEqual(13_000);
    expect(page.text.length).toBeGreaterThan(0);
    expect(page.text.length).toBeLessThanOrEqual(3000);
  }
}

/** Every mrkdwn text of the pages (plain_text, used by headers and buttons, is shown literally by Slack). */
function mrkdwnOf(pages: SlackMessage[]): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(visit);
    }
  };
  visit(pages.map((p) => p.blocks));
  return out;
}

const json = (pages: SlackMessage[]) => JSON.stringify(pages.map((p) => p.blocks));
const long = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);

/** The largest answer the Reply model can carry: every topic's steps, facts and more, all at their longest. */
function largestPossibleReply(): Reply {
  const allSteps = kb.topics.flatMap((t) =>
    t.steps.map((s) => ({
      text: s.action,
      ...(s.commands ? { commands: s.commands } : {}),
      ...(s.snippets ? { snippets: s.snippets } : {}),
    })),
  );
  return reply({
    kind: 'check',
    verdict: 'down',
    title: long('Connectivity check of every environment and every tunnel <with> & "quotes" ', 400),
    section: long('A guide section with a very long heading ', 600),
    topic: 'testing-connectivity',
    confidence: 0.4242,
    answeredBy: 'llm:openai',
    summary: Array.from({ length: 120 }, (_, i) => `Line ${i + 1}: ${long('the tunnel & <its> `phase 2` SA ', 150)}`).join('\n'),
    steps: [
      ...allSteps,
      {
        text: long('A step whose text alone is longer than a section allows <b> & ', 5000),
        commands: Array.from({ length: 60 }, (_, i) => `show crypto ipsec sa peer 10.0.0.${i} ${long('detail ', 120)}`),
      },
      { text: 'A step with a command that contains a code fence', commands: ['echo ```oops``` && cat <file>'] },
      {
        text: long('A step with more vendors than a section holds ', 2900),
        commands: ['ping <DNS_SERVER_PRIVATE_IP>'],
        snippets: Array.from({ length: 30 }, (_, i) => ({
          platform: long(`Vendor *${i}* <x> `, 300),
          kind: (['shell', 'cli', 'config'] as const)[i % 3]!,
          lines: Array.from({ length: 40 }, (_, j) => `set line ${j} ${long('value <v> & ``` ', 700)}`),
        })),
      },
    ],
    moreSteps: 3,
    facts: [
      ...kb.topics.flatMap((t) => t.facts.map((f) => ({ label: f.label, value: f.value }))),
      { label: long('label ', 500), value: long('value <x> & ', 5000) },
    ],
    findings: Array.from({ length: 40 }, (_, i) => ({
      code: i % 2 ? 'port-blocked' : 'dns-forwarder-missing',
      severity: (['error', 'warning', 'info'] as const)[i % 3]!,
      summary: long(`Finding ${i}: something <really> & badly wrong `, 400),
    })),
    evidence: Array.from({ length: 400 }, (_, i) => ({
      label: long(`TCP 443 probe number ${i} `, 60),
      target: long(`host-${i}.outsystemsenterprise.com `, 90),
      outcome: long('timed out after 3000 ms <no SYN-ACK> & retried ', 300),
      ok: i % 3 === 0 ? true : i % 3 === 1 ? false : null,
    })),
    items: [
      ...kb.topics.map((t) => ({ label: t.id, detail: t.title })),
      ...Array.from({ length: 150 }, (_, i) => ({ label: `agent-${i}`, detail: long('online, last seen just now ', 300) })),
    ],
    actions: Array.from({ length: 60 }, (_, i) => ({
      id: `a${i}`,
      label: long(`Action number ${i} with a label far longer than any button `, 120),
      command: i === 59 ? long('x', 2500) : long(`topic phase1-ike-failure `, 1900),
      ...(i % 7 === 0 ? { style: 'primary' as const } : i % 11 === 0 ? { style: 'danger' as const } : {}),
    })),
    followUps: Array.from({ length: 10 }, (_, i) => long(`Follow-up question ${i} `, 300)),
  });
}

describe('renderReply (Block Kit)', () => {
  it('renders every topic, with all its steps, within Slack limits and on one message', () => {
    for (const topic of kb.topics) {
      const pages = renderReply(
        topicReply(kb, topic, { allSteps: true, confidence: 0.87, checkCommand: 'check acme.outsystemsenterprise.com dns 10.0.0.2' }),
        {
          continuationToken: 'tok',
          trigger: { userId: 'U0ONCALL01', text: `/vpn topic ${topic.id} all` },
        },
      );
      expectWithinSlackLimits(pages);
      expect(pages, topic.id).toHaveLength(1);
      expect(json(pages)).toContain(`*${topic.steps.length}.*`);
    }
  });

  it('keeps the largest possible answer within the limits, split over "Show more" pages', () => {
    const r = largestPossibleReply();
    const pages = renderReply(r, { continuationToken: 'tok123', trigger: { userId: 'U0ONCALL01', text: long('what is wrong ', 3000) } });
    expectWithinSlackLimits(pages);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.length).toBeLessThanOrEqual(10);

    // Page 1: header first, the buttons on it (not behind "Show more"), and a "Show more" button.
    const first = pages[0]!;
    expect(first.blocks[0]!.type).toBe('header');
    const firstJson = JSON.stringify(first.blocks);
    expect(firstJson).toContain('"action_id":"vpn_cmd_0"');
    expect(firstJson).toContain('"action_id":"vpn_more"');
    // Every page but the last links to the next.
    pages.slice(0, -1).forEach((page, i) => {
      const more = page.blocks
        .flatMap((b) => (b.type === 'actions' ? b.elements : []))
        .find((e) => 'action_id' in e && e.action_id === 'vpn_more');
      expect(more && 'value' in more ? parseMoreButtonValue(String(more.value)) : undefined).toEqual({ token: 'tok123', page: i + 2 });
    });
    // Content that fits in ten messages is not lost: the first steps and evidence rows are all there.
    const all = json(pages);
    for (let n = 1; n <= 20; n++) expect(all).toContain(`*${n}.*`);
    expect(all).toContain('TCP 443 probe number 0 ');
    // A command longer than a button value allows is dropped, not cut (a cut command means something else).
    expect(all).not.toContain(long('x', 2100));
    // Everything mrkdwn is escaped; the code fence inside a command cannot close the block early.
    expect(mrkdwnOf(pages).join('\n')).not.toMatch(/<with>|<really>|<its>|<file>/);
    expect(all).toContain('&lt;really&gt; &amp; badly');
    expect(all).not.toContain('echo ```oops');
  });

  it('shows each platform snippet as its own code block under a bold platform label', () => {
    const hourly = kb.byId.get('ikev2-hourly-drop')!;
    const pages = renderReply(topicReply(kb, hourly, { allSteps: true }));
    expectWithinSlackLimits(pages);
    const text = mrkdwnOf(pages).join('\n');
    expect(text).toContain('*Linux* _(shell)_\n```\nping -D -i 5 &lt;DNS_SERVER_PRIVATE_IP&gt;\n```');
    expect(text).toContain('*Windows* _(shell)_\n```\nping -t &lt;DNS_SERVER_PRIVATE_IP&gt;\n```');
    expect(text).toContain(
      '*FortiGate* _(cli)_\n```\nconfig vpn ipsec phase2-interface\nedit &lt;P2_NAME&gt;\nset keylifeseconds 3060\nend\n```',
    );
    expect(text).toContain('_(config file)_\n```\nrekey_time = 51m\n```');
    // Linux and Windows pings never share one unlabelled code block.
    expect(text).not.toMatch(/ping -D -i 5[^`]*\nping -t/);
  });

  it('without a continuation token, trims to one message and says so', () => {
    const pages = renderReply(largestPossibleReply());
    expectWithinSlackLimits(pages);
    expect(pages).toHaveLength(1);
    expect(json(pages)).toContain('not shown: the answer is longer than Slack messages allow');
    expect(json(pages)).not.toContain('vpn_more');
  });

  it('escapes what users wrote, so nobody can ping @channel or forge links through the bot', () => {
    const [page] = renderReply(
      reply({ kind: 'answer', title: '<!channel> hi', summary: 'I saw <!channel> & <@U123> and <https://evil.example|click>' }),
    );
    const blocks = JSON.stringify(page!.blocks);
    expect(blocks).toContain('&lt;!channel&gt; &amp; &lt;@U123&gt;');
    expect(blocks).not.toContain('<https://evil');
    expect(page!.text).not.toContain('<!channel>');
  });

  it('shows the verdict in words as well as colour, and choices as one line and button each', () => {
    const [check] = renderReply(reply({ kind: 'check', title: 'Check', summary: 's', verdict: 'degraded' }));
    expect(JSON.stringify(check!.blocks)).toContain('Verdict: *DEGRADED*');

    const [choices] = renderReply(
      reply({
        kind: 'choices',
        title: 'Which of these is closest?',
        summary: 'Pick one',
        actions: kb.topics.slice(0, 3).map((t, i) => ({ id: `choose-${i + 1}`, label: t.title, command: `topic ${t.id}` })),
      }),
    );
    const sections = choices!.blocks.filter((b) => b.type === 'section' && 'accessory' in b && b.accessory);
    expect(sections).toHaveLength(3);
    expect(JSON.stringify(sections[0])).toContain(kb.topics[0]!.title);
  });

  it('renders help and progress replies', () => {
    const [help] = renderReply(helpReply());
    expect(blockKitViolations(help!)).toEqual([]);
    const [progress] = renderReply(reply({ kind: 'progress', title: 'Running connectivity checks', summary: 'Pinging 10.0.0.2' }));
    expect(JSON.stringify(progress!.blocks)).toContain(':hourglass_flowing_sand:');
  });

  it('is pure: the same reply renders the same blocks', () => {
    const r = largestPossibleReply();
    expect(renderReply(r, { continuationToken: 't' })).toEqual(renderReply(r, { continuationToken: 't' }));
  });

  it('keeps any Reply within the limits (property test)', () => {
    const str = (max: number) =>
      fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '<', '>', '&', '`', '*', '\n', 'é', '🔥'), maxLength: max });
    const replyArb = fc.record({
      kind: fc.constantFrom('answer', 'choices', 'help', 'list', 'check', 'progress', 'error') as fc.Arbitrary<Reply['kind']>,
      title: str(300),
      summary: str(4000),
      section: fc.option(str(400), { nil: undefined }),
      confidence: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      verdict: fc.option(fc.constantFrom('healthy', 'degraded', 'down') as fc.Arbitrary<NonNullable<Reply['verdict']>>, { nil: undefined }),
      steps: fc.array(
        fc.record({
          text: str(3500),
          commands: fc.option(fc.array(str(600), { maxLength: 8 }), { nil: undefined }),
          snippets: fc.option(
            fc.array(
              fc.record({
                platform: str(200),
                kind: fc.constantFrom('shell', 'cli', 'config') as fc.Arbitrary<'shell'>,
                lines: fc.array(str(600), { maxLength: 10 }),
              }),
              { maxLength: 8 },
            ),
            { nil: undefined },
          ),
        }),
        { maxLength: 30 },
      ),
      moreSteps: fc.option(fc.nat(40), { nil: undefined }),
      facts: fc.array(fc.record({ label: str(300), value: str(2500) }), { maxLength: 30 }),
      findings: fc.array(
        fc.record({ code: str(40), severity: fc.constantFrom('error', 'warning', 'info') as fc.Arbitrary<'error'>, summary: str(2000) }),
        { maxLength: 12 },
      ),
      evidence: fc.array(fc.record({ label: str(80), target: str(80), outcome: str(400), ok: fc.constantFrom(true, false, null) }), {
        maxLength: 120,
      }),
      items: fc.array(fc.record({ label: str(100), detail: fc.option(str(600), { nil: undefined }) }), { maxLength: 60 }),
      actions: fc.array(fc.record({ id: str(10), label: str(120), command: str(2100) }), { maxLength: 40 }),
      followUps: fc.array(str(300), { maxLength: 8 }),
    });
    fc.assert(
      fc.property(replyArb, fc.boolean(), (fields, withToken) => {
        const r = reply(JSON.parse(JSON.stringify(fields)) as Reply);
        const pages = renderReply(r, withToken ? { continuationToken: 'tok' } : {});
        for (const page of pages) {
          const problems = blockKitViolations(page);
          if (problems.length > 0 || blockTextLength(page.blocks) > 13_000) throw new Error(problems.join('; ') || 'too much text');
        }
        return pages.length >= 1 && pages.length <= 10 && (withToken || pages.length === 1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderReply (Block Kit): analysis replies', () => {
  const [page] = renderReply(analysisReply(), { continuationToken: 'tok' });
  const sections = page!.blocks.filter((b) => b.type === 'section').map((b) => (b as { text: { text: string } }).text.text);

  it('shows the direct answer first, then the notice, prominently, then the summary', () => {
    expect(JSON.stringify(page!.blocks[0])).toContain(':mag: strongSwan log');
    expect(sections[0]).toBe('*Answer:* No: the pre-shared key on your side does not match the one configured in the OutSystems Cloud.');
    expect(sections[1]).toMatch(/^:rotating_light: \*A secret was redacted from what you pasted \(psk on line 14\); rotate that key/);
    expect(sections[2]).toContain('Phase 1 negotiates');
  });

  it('quotes the lines of a finding in a code block, with their line numbers', () => {
    const findings = sections.find((s) => s.startsWith('*Findings*'))!;
    expect(findings).toContain(
      '*psk-mismatch* (error): The peer answered AUTHENTICATION_FAILED to our IKE_AUTH request\n```\n41 | Jun  3 10:12:01 gw charon: 09[ENC] parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]\n42 | Jun  3 10:12:01 gw charon: 09[IKE] received AUTHENTICATION_FAILED notify error\n```',
    );
  });

  it('lays the parameter table out in monospace, a status word per row, under its caption', () => {
    const table = sections.find((s) => s.startsWith('*Tunnel parameters'))!;
    expect(table).toBe(
      [
        '*Tunnel parameters (swanctl.conf, connection "outsystems")*',
        '```',
        '      parameter      value      required  verdict',
        'ok    auth           psk        psk       ok',
        'FAIL  p1-encryption  aes128     aes256    violation',
        'FAIL  p2-lifetime    28800      3600      risk',
        'info  nat-t          (not set)  auto      missing',
        '```',
      ].join('\n'),
    );
    expectWithinSlackLimits([page!]);
  });

  it('splits a long parameter table and many quoted lines within the limits, repeating the header', () => {
    const base = analysisReply();
    const big = {
      ...base,
      findings: Array.from({ length: 30 }, (_, i) => ({
        ...base.findings[0]!,
        code: `code-${i}`,
        lines: Array.from({ length: 20 }, (_, n) => ({ n: n + 1, text: long('x` <!channel> ', 400) })),
      })),
      table: {
        columns: ['parameter', 'value', 'required', 'verdict'],
        rows: Array.from({ length: 400 }, (_, i) => ({ cells: [`p-${i}`, long('v', 80), 'r', 'violation'], ok: false })),
      },
    };
    const pages = renderReply(big, { continuationToken: 'tok' });
    expectWithinSlackLimits(pages);
    expect(pages.length).toBeGreaterThan(1);
    const all = mrkdwnOf(pages).join('\n');
    expect(all).not.toContain('<!channel>');
    const tableSections = mrkdwnOf(pages).filter((t) => t.startsWith('*Parameters*'));
    expect(tableSections.length).toBeGreaterThan(1);
    for (const t of tableSections) expect(t.split('\n')[2]).toMatch(/^\s+parameter\s+value/);
  });
});
