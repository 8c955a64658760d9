import { describe, expect, it } from 'vitest';
import { Normalizer, prepare, stem, TypoCorrector, withinOneEdit } from '../../src/nlu/normalize.js';

const n = new Normalizer();
const tokens = (t: string) => n.normalize(t).tokens;
const concepts = (t: string) => n.normalize(t).concepts;

describe('prepare', () => {
  it('lowercases, unifies apostrophes and expands contractions', () => {
    expect(prepare('Can\u2019t PING the DNS')).toContain('cannot');
    expect(prepare("doesn't work")).toContain('does not');
    expect(prepare('isnt up')).toContain('is not');
    expect(prepare("won't come up")).toContain('will not');
  });

  it('masks addresses (they are entities, not words)', () => {
    expect(prepare('ping 10.1.2.3 and 10.0.0.0/8').match(/\d/g)).toBeNull();
  });

  it('marks private DNS names', () => {
    expect(prepare('resolve sql01.corp.local')).toContain('internaldomain');
  });
});

describe('stem', () => {
  it('maps inflections to one stem', () => {
    expect(new Set(['drop', 'drops', 'dropped', 'dropping'].map(stem)).size).toBe(1);
    expect(new Set(['flap', 'flaps', 'flapping'].map(stem)).size).toBe(1);
    expect(new Set(['resolve', 'resolves', 'resolved', 'resolving'].map(stem)).size).toBe(1);
    expect(new Set(['move', 'moved', 'moving'].map(stem)).size).toBe(1);
    expect(new Set(['fail', 'fails', 'failed', 'failing'].map(stem)).size).toBe(1);
  });

  it('leaves short words, numbers and concepts alone', () => {
    expect(stem('dns')).toBe('dns');
    expect(stem('3600s')).toBe('3600s');
    expect(stem('#drop')).toBe('#drop');
  });
});

describe('synonyms and abbreviations', () => {
  it.each([
    ['p1 down', 'phase1'],
    ['phase one fails', 'phase1'],
    ['Phase-1 negotiation', 'phase1'],
    ['main mode fails', 'phase1'],
    ['p2 will not come up', 'phase2'],
    ['phase two', 'phase2'],
    ['ipsec sa missing', 'phase2'],
    ['child sa fails', 'phase2'],
    ['quick mode error', 'phase2'],
    ['tunnel flaps every hr', 'hourly'],
    ['drops hourly', 'hourly'],
    ['every 60 min', 'hourly'],
    ['each hour', 'hourly'],
    ['fw rules', 'firewall'],
    ['the db is down', 'database'],
    ['sql server unreachable', 'database'],
    ['fe ip', 'frontend'],
    ['front-end servers', 'frontend'],
    ['cond fwd for the domain', 'forwarder'],
    ['conditional forwarder', 'forwarder'],
    ['stub zone', 'forwarder'],
    ['tracert stops', 'traceroute'],
    ['Test-NetConnection fails', 'telnet'],
    ['nat traversal', 'natt'],
    ['pre-shared key', 'psk'],
    ['dead peer detection', 'dpd'],
    ['whitelist the ips', 'allow'],
    ['on-prem network', 'onprem'],
    ['on premises', 'onprem'],
    ['load balancer ip', 'loadbalancer'],
    ['as-path prepending', 'aspath'],
    ['ikev2', 'ikev2'],
    ['ike v2', 'ikev2'],
    ['IKE version 2', 'ikev2'],
  ])('%s -> %s', (text, token) => {
    expect(tokens(text)).toContain(stem(token));
  });

  it('adds concept features so different words meet', () => {
    for (const t of ['tunnel drops', 'vpn flaps', 'ipsec disconnects', 'connection goes down']) {
      expect(concepts(t)).toContain('#drop');
    }
    for (const t of ['vpn', 'tunnel', 'ipsec', 'site to site']) expect(concepts(t)).toContain('#vpn');
    expect(concepts('cannot ping the dns server')).toEqual(expect.arrayContaining(['#ping', '#dns']));
  });

  it('tells "support" the team from "support" the verb', () => {
    expect(concepts('contact outsystems support')).toContain('#support');
    expect(concepts('open a support case')).toContain('#support');
    expect(concepts('is ipv6 supported')).toContain('#requirement');
  });

  it('keeps "OS" for OutSystems only where it means it', () => {
    expect(tokens('the os cloud dns')).toContain('outsystem');
    expect(tokens('pan-os 10')).not.toContain('outsystem');
  });

  it('drops stopwords but keeps content', () => {
    expect(tokens('is the tunnel up?')).toEqual(['tunnel']);
  });
});

describe('typo correction', () => {
  const corrector = new TypoCorrector(['every', 'flaps', 'tunnel', 'forwarder', 'phase', 'router']);
  const typo = new Normalizer(corrector);

  it.each([
    ['evry', 'every'], // deletion
    ['flpas', 'flaps'], // transposition
    ['tunnle', 'tunnel'],
    ['forwarer', 'forwarder'],
    ['phasse', 'phase'], // insertion
  ])('%s -> %s', (wrong, right) => {
    expect(corrector.correct(wrong)).toBe(right);
  });

  it('leaves known, short, numeric and far-off words alone', () => {
    expect(corrector.correct('tunnel')).toBe('tunnel');
    expect(corrector.correct('vpn')).toBe('vpn');
    expect(corrector.correct('3600s')).toBe('3600s');
    expect(corrector.correct('printer')).toBe('printer');
    expect(corrector.correct('banana')).toBe('banana');
    expect(corrector.correct('outer')).toBe('outer'); // "router" is one edit away, but typos keep the first letter
  });

  it('corrects before the phrase layer, so a typo still reaches the canonical token', () => {
    expect(typo.normalize('tunnel flpas evry hour').tokens).toEqual(expect.arrayContaining(['tunnel', 'flap', 'hourly']));
  });

  it('withinOneEdit', () => {
    expect(withinOneEdit('abc', 'abc')).toBe(true);
    expect(withinOneEdit('abc', 'abd')).toBe(true);
    expect(withinOneEdit('abc', 'acb')).toBe(true);
    expect(withinOneEdit('abc', 'abcd')).toBe(true);
    expect(withinOneEdit('abc', 'ab')).toBe(true);
    expect(withinOneEdit('abc', 'cba')).toBe(false);
    expect(withinOneEdit('abc', 'abde')).toBe(false);
  });
});

describe('batch normalisation', () => {
  it('gives exactly the same result as one text at a time', () => {
    const texts = ['p1 down, NO_PROPOSAL_CHOSEN', 'tunnel flaps every hr since ikev2', 'cond fwd for outsystemsenterprise.com', ''];
    expect(n.normalizeBatch(texts)).toEqual(texts.map((t) => n.normalize(t)));
  });
});
