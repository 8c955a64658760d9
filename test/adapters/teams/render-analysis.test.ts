import { describe, expect, it } from 'vitest';
import {
  byteSize,
  CARD_MAX_BYTES,
  renderCard,
  renderMessages,
  type AdaptiveCard,
  type CardElement,
} from '../../../adapters/teams/render.js';
import { analysisReply } from '../../reply/fixtures/analysis-reply.js';
import { checkCard } from './card-check.js';

describe('renderCard: analysis replies', () => {
  const { card, rest } = renderCard(analysisReply());
  const body = card.body;
  const textOf = (e: CardElement | undefined): string => JSON.stringify(e ?? null);

  it('is a valid card with everything on it, the direct answer first after the title, then the notice', () => {
    expect(checkCard(card)).toEqual([]);
    expect(rest).toBeNull();
    expect(body[0]).toMatchObject({ text: '🔎 strongSwan log: the tunnel fails at IKE authentication' });
    const answerAt = body.findIndex((e) => e.type === 'TextBlock' && String(e.text).startsWith('Answer: No: the pre-shared key'));
    expect(answerAt).toBeGreaterThan(0);
    expect(body[answerAt]).toMatchObject({ weight: 'Bolder' });
    expect(body[answerAt + 1]).toMatchObject({ type: 'Container', style: 'attention' });
    expect(textOf(body[answerAt + 1])).toContain('A secret was redacted from what you pasted (psk on line 14); rotate that key');
    expect(textOf(body[answerAt + 2])).toContain('Phase 1 negotiates');
  });

  it('quotes the lines of a finding in monospace with their line numbers', () => {
    const quoted = body.find((e) => e.type === 'Container' && textOf(e).includes('psk-mismatch'))!;
    const lines = ((quoted.items as CardElement[])[1]!.items as CardElement[]).map((l) =>
      (l.inlines as { text: string; fontType?: string }[]).map((r) => [r.text, r.fontType]),
    );
    expect(lines).toEqual([
      [
        ['41  ', 'Monospace'],
        ['Jun  3 10:12:01 gw charon: 09[ENC] parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]', 'Monospace'],
      ],
      [
        ['42  ', 'Monospace'],
        ['Jun  3 10:12:01 gw charon: 09[IKE] received AUTHENTICATION_FAILED notify error', 'Monospace'],
      ],
    ]);
  });

  it('lays the parameter table out as one ColumnSet per row (no Table element), header first, a status word per row', () => {
    const table = body.find((e) => e.type === 'Container' && textOf(e).includes('p1-encryption'))!;
    const rows = (table.items as CardElement[]).map((row) => (row.columns as { items: { text: string }[] }[]).map((c) => c.items[0]!.text));
    expect(rows).toEqual([
      [' ', 'parameter', 'value', 'required', 'verdict'],
      ['✅ ok', 'auth', 'psk', 'psk', 'ok'],
      ['❌ FAIL', 'p1-encryption', 'aes128', 'aes256', 'violation'],
      ['❌ FAIL', 'p2-lifetime', '28800', '3600', 'risk'],
      ['ℹ️ info', 'nat-t', '(not set)', 'auto', 'missing'],
    ]);
    expect(textOf(body[body.indexOf(table) - 1])).toContain('Tunnel parameters (swanctl.conf, connection \\"outsystems\\")');
    expect(JSON.stringify(card)).not.toContain('"type":"Table"');
  });

  it('splits a long parameter table over cards under the limit, each part with its header row', () => {
    const base = analysisReply();
    const big = {
      ...base,
      table: {
        columns: ['parameter', 'value', 'required', 'verdict'],
        rows: Array.from({ length: 600 }, (_, i) => ({ cells: [`p-${i}`, 'Ω'.repeat(200), 'r', 'violation'], ok: false })),
      },
    };
    const messages = renderMessages(big, { continuationToken: 'tok-table', maxCards: 100 });
    expect(messages.length).toBeGreaterThan(3);
    let rows = 0;
    for (const m of messages) {
      const c = m.attachments[0]!.content as AdaptiveCard;
      expect(checkCard(c)).toEqual([]);
      expect(byteSize(c)).toBeLessThanOrEqual(CARD_MAX_BYTES);
      for (const part of c.body.filter((e) => e.type === 'Container' && textOf(e).includes('"parameter"'))) {
        const items = part.items as CardElement[];
        expect(textOf(items[0])).toContain('"parameter"');
        rows += items.length - 1;
      }
    }
    expect(rows).toBe(600);
  });
});
