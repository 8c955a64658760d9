import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import { SnippetSchema, StepSchema } from '../../src/knowledge/schema.js';

describe('step snippets (schema)', () => {
  const ok = {
    platform: 'FortiGate',
    kind: 'cli',
    lines: ['config vpn ipsec phase2-interface', 'edit <P2_NAME>', 'set keylifeseconds 3060', 'end'],
  };

  it('accepts a labelled snippet of each kind, and keeps indentation inside config lines', () => {
    for (const kind of ['shell', 'cli', 'config'] as const) expect(SnippetSchema.safeParse({ ...ok, kind }).success, kind).toBe(true);
    const parsed = SnippetSchema.parse({
      platform: 'strongSwan swanctl.conf',
      kind: 'config',
      lines: ['children {', '  net { rekey_time = 51m }', '}'],
    });
    expect(parsed.lines[1]).toBe('  net { rekey_time = 51m }');
    expect(StepSchema.safeParse({ action: 'Set the lifetime.', commands: ['ping <IP>'], snippets: [ok] }).success).toBe(true);
    expect(StepSchema.safeParse({ action: 'Read the guide.' }).success).toBe(true);
  });

  it('rejects an unknown kind, empty or blank lines, a missing platform and unknown fields', () => {
    expect(SnippetSchema.safeParse({ ...ok, kind: 'powershell' }).success).toBe(false);
    expect(SnippetSchema.safeParse({ ...ok, lines: [] }).success).toBe(false);
    expect(SnippetSchema.safeParse({ ...ok, lines: ['show vpn ike-sa', '   '] }).success).toBe(false);
    expect(SnippetSchema.safeParse({ ...ok, lines: [''] }).success).toBe(false);
    expect(SnippetSchema.safeParse({ ...ok, platform: ' ' }).success).toBe(false);
    expect(SnippetSchema.safeParse({ kind: 'cli', lines: ['end'] }).success).toBe(false);
    expect(SnippetSchema.safeParse({ ...ok, vendor: 'Fortinet' }).success).toBe(false);
    expect(StepSchema.safeParse({ action: 'x', snippets: [] }).success).toBe(false);
  });
});

describe('step commands of the shipped knowledge base', () => {
  const kb = loadKnowledgeBase();
  const steps = kb.topics.flatMap((t) => t.steps.map((s, i) => ({ where: `${t.id} step ${i + 1}`, step: s })));

  /** Markers of a command that only works on one OS or device, or of a configuration line. */
  const PLATFORM_SPECIFIC: RegExp[] = [
    /\bping\s+(?:.*\s)?-[tDIiMfl]\b/, // -t Windows; -D/-i/-M/-I Linux or macOS; -f -l Windows
    /\btracert\b/i,
    /\btraceroute\b/, // not on Windows (tracert)
    /Test-NetConnection|Test-Connection|Resolve-DnsName|-DnsServer|New-NetFirewallRule/i,
    /\bipconfig\b|\bnetstat\b|\bfindstr\b|\bdnscmd\b/i,
    /^(?:dig|nc|ss|tcpdump|iptables|curl|journalctl|resolvectl|swanctl|rndc|unbound-control)\b/,
    /\s=\s|^\S+=\S/, // key = value / key=value configuration syntax
    /^(?:set|config|edit|end|next|show|diagnose|execute|get|debug|undebug|clear|test|crypto|access-list|sla|zone|route-map|router|neighbor|tunnel-group|group-policy|packet-tracer|capture|management-access|less)\b/,
    /^\//, // MikroTik RouterOS paths
    /[{}]/, // config blocks
  ];

  it('keeps only universal commands in `commands`; everything platform-specific is a labelled snippet', () => {
    const offenders = steps.flatMap(({ where, step }) =>
      (step.commands ?? []).filter((c) => PLATFORM_SPECIFIC.some((re) => re.test(c))).map((c) => `${where}: ${c}`),
    );
    expect(offenders).toEqual([]);
  });

  it('uses only commands that run the same on Linux, macOS and Windows in `commands`', () => {
    const universal = /^(?:ping <[A-Z_0-9]+>|nslookup \S+(?: \S+)?|telnet \S+ \d+)$/;
    const offenders = steps.flatMap(({ where, step }) =>
      (step.commands ?? []).filter((c) => !universal.test(c)).map((c) => `${where}: ${c}`),
    );
    expect(offenders).toEqual([]);
  });

  it('labels snippets: Windows-only lines never sit under a Linux/macOS or device label, and the reverse', () => {
    for (const { where, step } of steps) {
      for (const sn of step.snippets ?? []) {
        const text = sn.lines.join('\n');
        if (/\bping -t\b|\btracert\b|\bipconfig\b|findstr/.test(text)) expect(sn.platform, where).toBe('Windows');
        if (/Test-NetConnection|Resolve-DnsName|Test-Connection|New-NetFirewallRule/.test(text))
          expect(sn.platform, where).toMatch(/PowerShell|Windows DNS/);
        if (/\bping -D -i\b|\bping -M do\b|\bping -I\b/.test(text)) expect(sn.platform, where).toBe('Linux');
        // A configuration file's lines are config, typed nowhere; `key = value` lines only appear there.
        if (/^\s*[a-z_]+ = /m.test(text)) expect(sn.kind, where).toBe('config');
        if (/swanctl\.conf|named\.conf|dnsmasq\.conf/.test(sn.platform)) expect(sn.kind, where).toBe('config');
      }
    }
  });

  it('no longer needs "(X, Y, Z shown)" vendor lists in the step text', () => {
    const listed = steps.filter(({ step }) => /\bshown\)/.test(step.action)).map(({ where }) => where);
    expect(listed).toEqual([]);
  });

  it('shows the hourly-drop example per platform: Linux and Windows pings apart, FortiGate as one block, strongSwan as config', () => {
    const hourly = kb.byId.get('ikev2-hourly-drop')!;
    const confirm = hourly.steps[0]!.snippets!;
    expect(confirm.find((s) => s.platform === 'Linux')!.lines).toEqual(['ping -D -i 5 <DNS_SERVER_PRIVATE_IP>']);
    expect(confirm.find((s) => s.platform === 'Windows')!.lines).toEqual(['ping -t <DNS_SERVER_PRIVATE_IP>']);
    const lifetime = hourly.steps[1]!.snippets!;
    expect(lifetime.find((s) => s.platform === 'FortiGate')).toEqual({
      platform: 'FortiGate',
      kind: 'cli',
      lines: ['config vpn ipsec phase2-interface', 'edit <P2_NAME>', 'set keylifeseconds 3060', 'end'],
    });
    expect(lifetime.find((s) => s.platform.startsWith('strongSwan'))).toMatchObject({ kind: 'config', lines: ['rekey_time = 51m'] });
  });
});
