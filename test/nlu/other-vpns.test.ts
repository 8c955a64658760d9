import { describe, expect, it } from 'vitest';
import { noTopicReply } from '../../src/conversation/no-topic-reply.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import { isForeignSubject } from '../../src/nlu/foreign-subject.js';
import { LocalClassifier } from '../../src/nlu/local-classifier.js';
import { isOtherSiteToSite, isRemoteAccessVpn } from '../../src/nlu/remote-access.js';

// Trained once, outside any test's time budget.
const c = new LocalClassifier(loadKnowledgeBase());

describe('VPNs that are not the site-to-site tunnel to the OutSystems Cloud', () => {
  it('recognises client VPNs by product and by context', () => {
    expect(isRemoteAccessVpn('tailscale exit node is not routing')).toBe(true);
    expect(isRemoteAccessVpn('our azure point-to-site clients disconnect')).toBe(true);
    expect(isRemoteAccessVpn('remote workers lose the vpn when the laptop sleeps')).toBe(true);
    expect(isRemoteAccessVpn('the tunnel to outsystems drops every hour')).toBe(false);
  });
  it("recognises tunnels between the user's own sites, but not ones with an OutSystems end", () => {
    expect(isOtherSiteToSite('ipsec between our two offices is down')).toBe(true);
    expect(isOtherSiteToSite('vpn between our aws vpc and our azure vnet keeps dropping')).toBe(true);
    expect(isOtherSiteToSite('fortigate to fortigate tunnel flaps')).toBe(true);
    expect(isOtherSiteToSite('ipsec between our hq and the branch office flaps')).toBe(true);
    expect(isOtherSiteToSite('tunnel between our datacenter and the cloud is down')).toBe(false);
    expect(isOtherSiteToSite('site-to-site vpn from our datacenter to outsystems is down')).toBe(false);
    expect(isOtherSiteToSite('both tunnels between our firewalls and your cloud are up')).toBe(false);
  });
  it('treats a foreign subject as off-topic only when no VPN word is named', () => {
    expect(isForeignSubject('office wifi drops every hour')).toBe(true);
    expect(isForeignSubject('the cloud app cannot reach our printer over the vpn')).toBe(false);
    expect(isForeignSubject('the dns ips from the setup email do not answer ping')).toBe(false);
  });
  it('the classifier rejects them and the reply names the other product', () => {
    for (const text of [
      'ipsec between our hq and branch offices flaps',
      'wifi in the warehouse drops every hour',
      'kubectl shows pods pending',
    ])
      expect(c.classifySync(text).kind, text).toBe('off-topic');
    const text = 'vpn between our two data centers is down';
    expect(noTopicReply(text, c.classifySync(text)).title).toMatch(/your own networks/);
  });
});
