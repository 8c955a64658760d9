import { describe, expect, it } from 'vitest';
import { decodeEntities, sameAccountId, stripMentions } from '../../../adapters/teams/text.js';
import { interpretActivity, splitConversationId } from '../../../adapters/teams/inbound.js';
import { BOT, CHANNEL, channelMention, personalMessage } from './harness.js';

const bot = (text = '<at>vpn-doctor</at>') => ({ type: 'mention', text, mentioned: { id: BOT.id, name: 'vpn-doctor' } });

describe('stripMentions', () => {
  it('removes the bot mention named by the entity and decodes what Teams encodes', () => {
    expect(stripMentions('<at>vpn-doctor</at>&nbsp;check acme.outsystemsenterprise.com dns 10.0.0.2', [bot()], BOT.id)).toEqual({
      text: 'check acme.outsystemsenterprise.com dns 10.0.0.2',
      botMentioned: true,
    });
    expect(stripMentions('why does &lt;phase 2&gt; fail &amp; drop?', [], BOT.id).text).toBe('why does <phase 2> fail & drop?');
  });

  it('finds the mention anywhere in the text, and every part of a split name', () => {
    expect(stripMentions('hey <at>vpn-doctor</at>, topics', [bot()], BOT.id).text).toBe('hey , topics');
    const split = stripMentions('<at>VPN</at> <at>Doctor</at> help', [bot('<at>VPN</at>'), bot('<at>Doctor</at>')], BOT.id);
    expect(split).toEqual({ text: 'help', botMentioned: true });
  });

  it('keeps other people as plain names and does not count them as the bot', () => {
    const r = stripMentions(
      'ask <at>Rui</at> about it',
      [{ type: 'mention', text: '<at>Rui</at>', mentioned: { id: '29:rui', name: 'Rui' } }],
      BOT.id,
    );
    expect(r).toEqual({ text: 'ask Rui about it', botMentioned: false });
  });

  it('matches the bot with or without the 28: prefix, case-insensitively', () => {
    expect(sameAccountId('28:ABC-1', 'abc-1')).toBe(true);
    expect(sameAccountId('', '')).toBe(false);
    expect(
      stripMentions('<at>x</at> help', [{ type: 'mention', text: '<at>x</at>', mentioned: { id: BOT.id.slice(3).toUpperCase() } }], BOT.id)
        .botMentioned,
    ).toBe(true);
  });

  it('uses the name when the entity has no text, and unwraps tags without an entity', () => {
    expect(
      stripMentions('<at>vpn-doctor</at> topics', [{ type: 'mention', mentioned: { id: BOT.id, name: 'vpn-doctor' } }], BOT.id).text,
    ).toBe('topics');
    expect(stripMentions('<at id="0">Somebody</at> said hi', undefined, BOT.id).text).toBe('Somebody said hi');
  });

  it('keeps line breaks (pasted log lines) but tidies spaces', () => {
    expect(stripMentions('<at>vpn-doctor</at>\r\n  line one  \r\nline   two', [bot()], BOT.id).text).toBe('line one\nline two');
  });

  it('survives hostile entities', () => {
    const hostile = [
      null,
      42,
      'mention',
      [],
      { type: 'mention' },
      { type: 'mention', text: '', mentioned: 'x' },
      { type: 'mention', text: 7, mentioned: { id: 9 } },
    ];
    expect(stripMentions('plain', hostile, BOT.id)).toEqual({ text: 'plain', botMentioned: false });
    expect(stripMentions('plain', { length: 3 }, undefined).text).toBe('plain');
  });

  it('decodes numeric entities but not invalid code points', () => {
    expect(decodeEntities('&#65;&#x42;&#xD800;&#99999999;&bogus;')).toBe('AB&#xD800;&#99999999;&bogus;');
  });
});

describe('interpretActivity', () => {
  const url = 'http://127.0.0.1:9/amer/';

  it('splits channel conversation ids into channel and thread', () => {
    expect(splitConversationId(`${CHANNEL};messageid=1700000000123`)).toEqual({ channel: CHANNEL, thread: '1700000000123' });
    expect(splitConversationId('a:1personal')).toEqual({ channel: 'a:1personal' });
  });

  it('reads a channel mention as a command with a conversation address', () => {
    const a = channelMention(url, 'topics');
    const r = interpretActivity(a);
    expect(r).toMatchObject({
      kind: 'command',
      via: 'text',
      inbound: { text: 'topics', channel: CHANNEL, thread: a.id, platform: 'teams' },
    });
    if (r.kind !== 'command') throw new Error();
    expect(r.inbound.address).toMatchObject({
      v: 1,
      teamsChannelId: CHANNEL,
      reference: { serviceUrl: url, bot: BOT, conversation: { conversationType: 'channel' } },
    });
  });

  it('ignores its own messages and activities it cannot answer', () => {
    expect(interpretActivity(personalMessage(url, 'x', { from: BOT }))).toMatchObject({ kind: 'ignore', reason: 'own message' });
    expect(interpretActivity(personalMessage(url, 'x', { serviceUrl: 'javascript:alert(1)' }))).toMatchObject({ kind: 'ignore' });
    expect(interpretActivity({ type: 'typing' })).toMatchObject({ kind: 'ignore' });
    expect(interpretActivity(personalMessage(url, '', { type: 'messageReaction' }))).toMatchObject({ kind: 'ignore' });
  });

  it('reads button data from Action.Submit and Action.Execute, and the "rest" token', () => {
    expect(
      interpretActivity(personalMessage(url, '', { text: undefined, value: { command: 'fixed it', actionId: 'fixed' } })),
    ).toMatchObject({
      kind: 'command',
      via: 'submit',
      actionId: 'fixed',
      inbound: { text: 'fixed it' },
    });
    expect(
      interpretActivity(
        personalMessage(url, '', {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb: 'x', data: { moreToken: 'abcdefgh12345678' } } },
        }),
      ),
    ).toMatchObject({
      kind: 'more',
      via: 'execute',
      token: 'abcdefgh12345678',
    });
    // A submit in a channel needs no mention: the click is addressed to the bot's card.
    expect(
      interpretActivity(channelMention(url, '', undefined, { text: undefined, entities: undefined, value: { command: 'support case' } })),
    ).toMatchObject({ kind: 'command' });
  });
});
