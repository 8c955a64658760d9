import { describe, expect, it } from 'vitest';
import { renderTerminal } from '../../src/reply/render-terminal.js';
import { reply } from '../../src/reply/reply.js';
import { analysisReply } from './fixtures/analysis-reply.js';

const sample = reply({
  kind: 'check',
  title: 'Connectivity check',
  summary: 'The cloud DNS server does not answer.',
  verdict: 'down',
  confidence: 0.87,
  section: 'Common issues testing VPN connectivity',
  steps: [{ text: 'Ping the cloud DNS server', commands: ['ping 10.0.0.2'] }, { text: 'Run a traceroute' }],
  moreSteps: 2,
  facts: [{ label: 'DNS port', value: 'UDP 53' }],
  findings: [{ code: 'tunnel-down', severity: 'error', summary: 'Nothing answers through the tunnel' }],
  evidence: [
    { label: 'ping', target: '10.0.0.2', outcome: '100% loss', ok: false },
    { label: 'dns', target: '10.0.0.2', outcome: 'timeout', ok: false },
  ],
  actions: [{ id: 'rerun', label: 'Run checks again', command: 'check' }],
  followUps: ['Why do I need the full range?'],
});

describe('renderTerminal', () => {
  it('renders every part of a reply as plain text when colour is off', () => {
    const out = renderTerminal(sample, { color: false });
    expect(out).not.toMatch(/\u001b\[/);
    expect(out).toContain('Connectivity check  DOWN  confidence 87%');
    expect(out).toContain('Guide: Common issues testing VPN connectivity');
    expect(out).toContain('[error]   tunnel-down: Nothing answers through the tunnel');
    expect(out).toContain('  1. Ping the cloud DNS server\n       $ ping 10.0.0.2\n  2. Run a traceroute');
    expect(out).toContain('(2 more steps: ask "show all steps")');
    expect(out).toContain('DNS port  UDP 53');
    expect(out).toMatch(/FAIL {2}ping {2}10\.0\.0\.2 {2}100% loss/);
    expect(out).toContain('[1] Run checks again');
    expect(out).toContain('"Why do I need the full range?"');
  });

  it('adds ANSI colour only when asked', () => {
    expect(renderTerminal(sample, { color: true })).toMatch(/\u001b\[/);
  });

  it('renders a minimal reply without empty headings', () => {
    const out = renderTerminal(reply({ kind: 'help', title: 'Hi', summary: 'Ask me.' }), { color: false });
    expect(out).toBe('Hi\n\nAsk me.\n');
  });

  it('labels numbered choices as a question', () => {
    const out = renderTerminal(
      reply({ kind: 'choices', title: 'Which?', summary: '', actions: [{ id: 'a', label: 'A', command: 'topic a' }] }),
      { color: false },
    );
    expect(out).toContain('Which one fits best? Reply with its number:\n  [1] A');
  });

  it('labels platform snippets and prefixes "$" only to shell lines, never to device CLI or config lines', () => {
    const r = reply({
      kind: 'answer',
      title: 'Hourly drop',
      summary: 'Lower the phase 2 lifetime.',
      steps: [
        {
          text: 'Confirm the pattern',
          commands: ['ping <DNS_SERVER_PRIVATE_IP>'],
          snippets: [
            { platform: 'Windows', kind: 'shell', lines: ['ping -t <DNS_SERVER_PRIVATE_IP>'] },
            {
              platform: 'FortiGate',
              kind: 'cli',
              lines: ['config vpn ipsec phase2-interface', 'edit <P2_NAME>', 'set keylifeseconds 3060', 'end'],
            },
            { platform: 'strongSwan swanctl.conf', kind: 'config', lines: ['rekey_time = 51m'] },
          ],
        },
      ],
    });
    const out = renderTerminal(r, { color: false });
    expect(out).toContain(
      [
        '  1. Confirm the pattern',
        '       $ ping <DNS_SERVER_PRIVATE_IP>',
        '       Windows (shell):',
        '         $ ping -t <DNS_SERVER_PRIVATE_IP>',
        '       FortiGate (cli):',
        '         config vpn ipsec phase2-interface',
        '         edit <P2_NAME>',
        '         set keylifeseconds 3060',
        '         end',
        '       strongSwan swanctl.conf (config file):',
        '         rekey_time = 51m',
      ].join('\n'),
    );
    expect(out).not.toMatch(/\$ (?:rekey_time|config vpn|set keylifeseconds)/);
  });
});

describe('renderTerminal: analysis replies', () => {
  const out = renderTerminal(analysisReply(), { color: false });

  it('shows the direct answer first, then the notice, then the summary', () => {
    const answer = out.indexOf('Answer: No: the pre-shared key');
    const notice = out.indexOf('!! A secret was redacted');
    const summary = out.indexOf('Phase 1 negotiates');
    expect(answer).toBeGreaterThan(0);
    expect(answer).toBeLessThan(notice);
    expect(notice).toBeLessThan(summary);
  });

  it("quotes each finding's lines under it, with their line numbers", () => {
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.includes('psk-mismatch'));
    expect(lines[at + 1]).toBe('      41 | Jun  3 10:12:01 gw charon: 09[ENC] parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]');
    expect(lines[at + 2]).toBe('      42 | Jun  3 10:12:01 gw charon: 09[IKE] received AUTHENTICATION_FAILED notify error');
    expect(lines[at + 3]).toContain('lifetime-mismatch');
  });

  it('renders the parameter table with aligned columns and a status word per row', () => {
    expect(out).toContain('Tunnel parameters (swanctl.conf, connection "outsystems")');
    const rows = out.split('\n').filter((l) => /^\s+(ok|FAIL|info)\s{2}/.test(l) || l.includes('parameter  '));
    expect(rows).toEqual([
      '        parameter      value      required  verdict',
      '  ok    auth           psk        psk       ok',
      '  FAIL  p1-encryption  aes128     aes256    violation',
      '  FAIL  p2-lifetime    28800      3600      risk',
      '  info  nat-t          (not set)  auto      missing',
    ]);
  });

  it('colours the notice and the statuses when colour is on', () => {
    const coloured = renderTerminal(analysisReply(), { color: true });
    expect(coloured).toMatch(/\u001b\[33m!! A secret was redacted/);
    expect(coloured).toMatch(/\u001b\[31mFAIL/);
  });
});
