import { describe, expect, it } from 'vitest';
import {
  byteSize,
  CARD_MAX_BYTES,
  MAX_CARDS,
  renderCard,
  renderMessages,
  TEAMS_MESSAGE_MAX_BYTES,
  type AdaptiveCard,
  type CardElement,
} from '../../../adapters/teams/render.js';
import { helpReply } from '../../../src/conversation/assistant.js';
import { newSession } from '../../../src/conversation/session.js';
import { supportCaseReply } from '../../../src/conversation/support-case.js';
import { topicReply } from '../../../src/conversation/topic-reply.js';
import { reply, type Reply } from '../../../src/reply/reply.js';
import { kb } from './harness.js';
import { checkCard, texts } from './card-check.js';

describe('renderCard', () => {
  const topic = kb().byId.get('phase1-ike-failure')!;

  it('renders an answer: title, guide section, summary, numbered steps with monospace commands, facts, buttons', () => {
    const r = topicReply(kb(), topic, {
      confidence: 0.87,
      answeredBy: 'llm:openai',
      checkCommand: 'check acme.outsystemsenterprise.com dns 10.0.0.2',
    });
    const { card, bytes, rest } = renderCard(r);
    expect(checkCard(card)).toEqual([]);
    expect(rest).toBeNull();
    expect(bytes).toBe(byteSize(card));
    expect(card).toMatchObject({
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      msteams: { width: 'Full' },
    });
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: topic.title, style: 'heading', weight: 'Bolder' });
    expect(card.body[1]).toMatchObject({ isSubtle: true, text: `Guide: ${topic.section} · confidence 87% · via llm:openai` });
    const json = texts(card);
    expect(json).toContain('"text":"1."');
    expect(json).toContain(`"text":"${r.steps.length}."`);
    const withCommand = r.steps.find((s) => s.commands?.length)!;
    expect(card.body).toContainEqual(
      expect.objectContaining({
        type: 'ColumnSet',
        columns: expect.arrayContaining([
          expect.objectContaining({
            items: expect.arrayContaining([
              expect.objectContaining({
                type: 'Container',
                items: expect.arrayContaining([
                  {
                    type: 'RichTextBlock',
                    spacing: 'Default',
                    inlines: [{ type: 'TextRun', text: withCommand.commands![0], fontType: 'Monospace' }],
                  },
                ]),
              }),
            ]),
          }),
        ]),
      }),
    );
    expect(card.body).toContainEqual({ type: 'FactSet', facts: topic.facts.map((f) => ({ title: f.label, value: f.value })) });
    expect(card.actions!.map((a) => [a.title, a.style])).toEqual(
      r.actions.map((a) => [a.label, a.style === 'primary' ? 'positive' : a.style === 'danger' ? 'destructive' : undefined]),
    );
    expect(card.actions!.map((a) => a.title)).toEqual(
      expect.arrayContaining(['Run checks', 'Fixed it', 'Still broken', 'Prepare support case']),
    );
    expect(card.actions![0]).toEqual({
      type: 'Action.Submit',
      title: 'Run checks',
      data: { command: 'check acme.outsystemsenterprise.com dns 10.0.0.2', actionId: 'run-checks' },
      style: 'positive',
    });
  });

  it('labels each platform snippet and shows its lines in monospace, apart from the universal commands', () => {
    const hourly = kb().byId.get('ikev2-hourly-drop')!;
    const { card, rest } = renderCard(topicReply(kb(), hourly, { allSteps: true }));
    expect(checkCard(card)).toEqual([]);
    expect(rest).toBeNull();
    const items = (card.body as CardElement[])
      .filter((e) => e.type === 'ColumnSet')
      .flatMap((e) => (e.columns as { items: CardElement[] }[])[1]?.items ?? []);
    const label = (platform: string) =>
      items.findLastIndex((e) => e.type === 'RichTextBlock' && (e.inlines as { text: string }[])[0]?.text === platform);
    const linesAfter = (i: number) =>
      (items[i + 1]!.items as CardElement[]).map((r) => (r.inlines as { text: string; fontType: string }[])[0]!);
    const fg = label('FortiGate'); // the last one: the phase 2 lifetime block of step 2
    expect(items[fg]).toEqual({
      type: 'RichTextBlock',
      spacing: 'Small',
      inlines: [
        { type: 'TextRun', text: 'FortiGate', weight: 'Bolder' },
        { type: 'TextRun', text: ' (cli)', isSubtle: true },
      ],
    });
    expect(linesAfter(fg)).toEqual(
      ['config vpn ipsec phase2-interface', 'edit <P2_NAME>', 'set keylifeseconds 3060', 'end'].map((text) => ({
        type: 'TextRun',
        text,
        fontType: 'Monospace',
      })),
    );
    expect(linesAfter(label('Windows'))).toEqual([{ type: 'TextRun', text: 'ping -t <DNS_SERVER_PRIVATE_IP>', fontType: 'Monospace' }]);
    const swan = items.findIndex(
      (e) => e.type === 'RichTextBlock' && /swanctl\.conf/.test((e.inlines as { text: string }[])[0]?.text ?? ''),
    );
    expect((items[swan]!.inlines as { text: string }[])[1]!.text).toBe(' (config file)');
    expect(linesAfter(swan)[0]!.text).toBe('rekey_time = 51m');
  });

  it('shows "Show all steps" and a note when steps are held back', () => {
    const long = kb().topics.find((t) => t.steps.length > 5)!;
    const { card } = renderCard(topicReply(kb(), long));
    expect(card.actions!.map((a) => a.title)).toContain('Show all steps');
    expect(texts(card)).toMatch(/\d+ more steps? not shown\./);
  });

  it('renders a check: verdict, findings, the evidence table', () => {
    const r = reply({
      kind: 'check',
      title: 'Connectivity check',
      summary: 'Probes stop at the VPN edge device.',
      verdict: 'degraded',
      findings: [
        { code: 'vpn-device', severity: 'error', summary: 'Probes reach 10.1.0.1 and go no further.' },
        { code: 'dns-forwarder-missing', severity: 'warning', summary: 'No conditional forwarder for *.outsystemsenterprise.com.' },
      ],
      evidence: [
        { label: 'ping', target: '10.0.0.2', outcome: '100% loss', ok: false },
        { label: 'tcp', target: 'acme.outsystemsenterprise.com:443', outcome: 'connected in 31 ms', ok: true },
        { label: 'traceroute', target: '10.0.0.2', outcome: 'last hop 10.1.0.1', ok: null },
      ],
    });
    const { card } = renderCard(r);
    expect(checkCard(card)).toEqual([]);
    expect(card.body[1]).toMatchObject({ text: '⚠️ Verdict: DEGRADED', color: 'Warning' });
    // Codes and commands are TextRuns, not markdown: "*" and "_" show as typed.
    expect(card.body).toContainEqual(
      expect.objectContaining({
        type: 'RichTextBlock',
        inlines: expect.arrayContaining([expect.objectContaining({ text: ': No conditional forwarder for *.outsystemsenterprise.com.' })]),
      }),
    );
    const table = card.body.find((e) => e.type === 'Table') as unknown as { rows: { cells: { items: { text: string }[] }[] }[] };
    expect(table.rows.map((row) => row.cells.map((c) => c.items[0]!.text))).toEqual([
      ['Result', 'Check', 'Target', 'Outcome'],
      ['❌ FAIL', 'ping', '10.0.0.2', '100% loss'],
      ['✅ ok', 'tcp', 'acme.outsystemsenterprise.com:443', 'connected in 31 ms'],
      ['ℹ️ info', 'traceroute', '10.0.0.2', 'last hop 10.1.0.1'],
    ]);
  });

  it('renders choices as one numbered button per row, and lists as fact sets', () => {
    const choices = reply({
      kind: 'choices',
      title: 'Which of these is closest?',
      summary: 'Pick one.',
      actions: [
        { id: 'choose-1', label: 'IPsec VPN Phase 1 (IKE) fails to establish', command: 'topic phase1-ike-failure' },
        { id: 'choose-2', label: 'IPsec VPN Phase 2 fails', command: 'topic phase2-ipsec-failure' },
      ],
    });
    const { card } = renderCard(choices);
    expect(checkCard(card)).toEqual([]);
    expect(card.actions).toBeUndefined();
    const sets = card.body.filter((e) => e.type === 'ActionSet') as unknown as { actions: { title: string; data: unknown }[] }[];
    expect(sets.map((s) => s.actions[0]!.title)).toEqual(['1. IPsec VPN Phase 1 (IKE) fails to establish', '2. IPsec VPN Phase 2 fails']);
    expect(sets[0]!.actions[0]!.data).toEqual({ command: 'topic phase1-ike-failure', actionId: 'choose-1' });

    const list = renderCard(helpReply()).card;
    expect(checkCard(list)).toEqual([]);
    expect(list.body).toContainEqual(
      expect.objectContaining({ type: 'FactSet', facts: expect.arrayContaining([{ title: 'help', value: 'this list' }]) }),
    );
  });

  it('gives each summary line its own block (Teams ignores single line breaks)', () => {
    const { card } = renderCard(
      reply({ kind: 'answer', title: 't', summary: 'Problem: x\nGuide section followed: y\n\nEnvironment(s): z' }),
    );
    expect(card.body.slice(1).map((e) => [e.text, e.spacing])).toEqual([
      ['Problem: x', 'Medium'],
      ['Guide section followed: y', 'None'],
      ['Environment(s): z', 'Medium'],
    ]);
  });

  it('renders Action.Execute with a verb when Universal Actions are chosen', () => {
    const { card } = renderCard(topicReply(kb(), topic), { actionType: 'Action.Execute' });
    expect(checkCard(card)).toEqual([]);
    expect(card.actions!.every((a) => a.type === 'Action.Execute' && typeof a.verb === 'string')).toBe(true);
  });
});

describe('renderCard: the 28 KB limit', () => {
  it('fits every real answer in one card: each topic with all steps, the support case, help, the topic list', () => {
    const session = newSession(Date.now());
    session.currentTopic = 'phase2-ipsec-failure';
    session.history = Array.from(
      { length: 20 },
      (_, i) => `message ${i}: ${'the tunnel comes up then phase 2 fails with TS_UNACCEPTABLE '.repeat(4)}`,
    );
    session.lastCheckArgs = { hosts: ['acme-dev.outsystemsenterprise.com'], dnsServers: ['10.0.0.2'] };
    const replies: Reply[] = [
      ...kb().topics.map((t) =>
        topicReply(kb(), t, {
          allSteps: true,
          confidence: 0.5,
          answeredBy: 'llm:anthropic',
          checkCommand: 'check acme-dev.outsystemsenterprise.com dns 10.0.0.2 dns 10.0.0.3',
        }),
      ),
      supportCaseReply(kb(), session),
      helpReply(),
      reply({ kind: 'list', title: 'topics', summary: 's', items: kb().topics.map((t) => ({ label: t.id, detail: t.title })) }),
    ];
    let largest = 0;
    for (const r of replies) {
      const { card, bytes, rest } = renderCard(r);
      expect(rest, r.title).toBeNull();
      expect(checkCard(card), r.title).toEqual([]);
      largest = Math.max(largest, bytes);
    }
    expect(largest).toBeLessThan(CARD_MAX_BYTES);
  });

  it('renders the largest possible answer under 28 KB, and the "Show the rest" chain carries everything else', () => {
    const big = (n: number, tag: string) => `${tag} ${'Ω_*x'.repeat(n)}`;
    const huge = reply({
      kind: 'check',
      title: big(3000, 'title'),
      summary: Array.from({ length: 600 }, (_, i) => big(800, `line-${i}`)).join('\n'),
      section: big(500, 'section'),
      confidence: 0.123456,
      answeredBy: big(200, 'engine'),
      verdict: 'down',
      steps: Array.from({ length: 450 }, (_, i) => ({
        text: big(900, `step-${i}`),
        commands: Array.from({ length: 20 }, (_, j) => big(400, `cmd-${i}-${j}`)),
        snippets: Array.from({ length: 20 }, (_, j) => ({
          platform: big(200, `vendor-${j}`),
          kind: (['shell', 'cli', 'config'] as const)[j % 3]!,
          lines: Array.from({ length: 30 }, (_, k) => big(500, `snip-${j}-${k}`)),
        })),
      })),
      moreSteps: 3,
      findings: Array.from({ length: 450 }, (_, i) => ({
        code: big(60, `code-${i}`),
        severity: 'error' as const,
        summary: big(900, `finding-${i}`),
      })),
      evidence: Array.from({ length: 900 }, (_, i) => ({
        label: big(100, `ev-${i}`),
        target: big(100, 't'),
        outcome: big(600, 'o'),
        ok: i % 3 === 0 ? true : i % 3 === 1 ? false : null,
      })),
      facts: Array.from({ length: 450 }, (_, i) => ({ label: big(100, `fact-${i}`), value: big(600, 'v') })),
      items: Array.from({ length: 450 }, (_, i) => ({ label: big(100, `item-${i}`), detail: big(600, 'd') })),
      actions: Array.from({ length: 12 }, (_, i) => ({ id: `a${i}`, label: big(100, `button-${i}`), command: `topic t${i}` })),
      followUps: Array.from({ length: 30 }, (_, i) => big(300, `follow-${i}`)),
    });

    const token = 'tok-huge-answer';
    const messages = renderMessages(huge, { continuationToken: token, maxCards: 2000 });
    const seen = { summary: 0, steps: 0, findings: 0, evidence: 0, facts: 0, items: 0, actions: 0, followUps: 0 };
    let cards = 0;
    let lastStepNumber = 0;
    for (const message of messages) {
      cards++;
      const card = message.attachments[0]!.content as AdaptiveCard;
      expect(checkCard(card)).toEqual([]);
      expect(byteSize(card)).toBeLessThanOrEqual(CARD_MAX_BYTES);
      // The whole activity as posted, with a long Teams conversation id, stays under Teams' limit.
      const activity = {
        type: 'message',
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
        conversation: {
          id: `19:${'c'.repeat(60)}@thread.tacv2;messageid=1700000000000`,
          conversationType: 'channel',
          tenantId: 't'.repeat(36),
        },
        from: { id: `28:${'b'.repeat(36)}`, name: 'vpn-doctor' },
        recipient: { id: `29:${'u'.repeat(120)}`, name: 'A Person With A Long Name', aadObjectId: 'a'.repeat(36) },
        replyToId: '1700000000001',
        ...message,
      };
      expect(byteSize(activity)).toBeLessThan(TEAMS_MESSAGE_MAX_BYTES);

      const json = JSON.stringify(card);
      for (const [key, re] of Object.entries({
        summary: /line-\d+ /g,
        steps: /step-\d+ /g,
        findings: /finding-\d+ /g,
        evidence: /ev-\d+ /g,
        facts: /fact-\d+ /g,
        items: /item-\d+ /g,
        actions: /button-\d+ /g,
        followUps: /follow-\d+ /g,
      }))
        seen[key as keyof typeof seen] += json.match(re)?.length ?? 0;
      for (const m of json.matchAll(/"text":"(\d+)\."/g)) {
        expect(Number(m[1])).toBe(lastStepNumber + 1); // numbering goes on across cards
        lastStepNumber = Number(m[1]);
      }

      const more = (card.actions ?? []).find((a) => a.title === 'Show the rest');
      // Every card but the last links to the next one by the token and its page number.
      expect(more?.data).toEqual(cards < messages.length ? { moreToken: token, page: cards + 1 } : undefined);
    }
    // Follow-ups appear twice per button (title and command), everything else once.
    expect({ ...seen, followUps: seen.followUps / 2 }).toEqual({
      summary: 600,
      steps: 450,
      findings: 450,
      evidence: 900,
      facts: 450,
      items: 450,
      actions: 12,
      followUps: 30,
    });
    expect(cards).toBeGreaterThan(10);

    // By default an answer stops at MAX_CARDS, and the last card says that part was left out.
    const capped = renderMessages(huge, { continuationToken: token });
    expect(capped).toHaveLength(MAX_CARDS);
    expect(JSON.stringify(capped.at(-1))).toContain('was left out');
    expect(JSON.stringify(capped.at(-1))).not.toContain('Show the rest');
  });

  it('never sends a button whose command could not be read back', () => {
    const r = reply({
      kind: 'answer',
      title: 't',
      summary: 's',
      actions: [
        { id: 'big', label: 'Run checks', command: `check ${'a.outsystemsenterprise.com '.repeat(200)}` },
        { id: 'ok', label: 'Fixed it', command: 'fixed it' },
      ],
    });
    const { card } = renderCard(r);
    expect(card.actions!.map((a) => a.title)).toEqual(['Fixed it']);
  });
});
