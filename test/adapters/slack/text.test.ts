import { describe, expect, it } from 'vitest';
import { decodeSlackText } from '../../../adapters/slack/text.js';
import { escapeMrkdwn, fitEscaped, splitEscaped, truncate } from '../../../adapters/slack/mrkdwn.js';

describe('decodeSlackText', () => {
  it('removes the bot mention and undoes auto-links, so commands arrive as typed', () => {
    expect(
      decodeSlackText('<@UBOT> check <http://acme.outsystemsenterprise.com|acme.outsystemsenterprise.com> dns 10.0.0.2', {
        botUserId: 'UBOT',
      }),
    ).toBe('check acme.outsystemsenterprise.com dns 10.0.0.2');
    expect(decodeSlackText('see <https://success.outsystems.com/x>')).toBe('see https://success.outsystems.com/x');
    expect(decodeSlackText('mail <mailto:ops@example.com|ops@example.com>')).toBe('mail ops@example.com');
  });

  it('keeps other mentions and channels readable, and unescapes entities', () => {
    expect(decodeSlackText('<@U123|alice> and <@U456> in <#C1|network> <!here> <!subteam^S1|@netops>')).toBe(
      '@alice and @U456 in #network @here @netops',
    );
    expect(decodeSlackText('a &lt;b&gt; &amp;lt; c')).toBe('a <b> &lt; c');
  });
});

describe('mrkdwn helpers', () => {
  it('escapes the three control characters only', () => {
    expect(escapeMrkdwn('<!channel> & *bold*')).toBe('&lt;!channel&gt; &amp; *bold*');
  });

  it('truncates without splitting a surrogate pair or an entity', () => {
    expect(truncate('ab🔥cd', 4)).toBe('ab…');
    const fitted = fitEscaped('<<<<<<<<<<', 12);
    expect(fitted.length).toBeLessThanOrEqual(12);
    expect(fitted).toMatch(/^(&lt;)*…$/);
  });

  it('wraps a long line into pieces that fit, losing nothing', () => {
    const raw = `${'word & <tag> '.repeat(400)}${'x'.repeat(7000)} end`;
    const pieces = splitEscaped(raw, 3000);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(3000);
    const back = pieces.join('').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(back.replace(/\s+/g, '')).toBe(raw.replace(/\s+/g, ''));
  });
});
