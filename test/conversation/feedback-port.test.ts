import { describe, expect, it } from 'vitest';
import { storeFeedbackPort } from '../../src/conversation/feedback-port.js';
import { Store } from '../../src/store/index.js';

describe('storeFeedbackPort', () => {
  it('records "fixed it" / "still broken" with who said it, where and when', async () => {
    const s = await Store.open(':memory:');
    const port = storeFeedbackPort(s.feedback, () => 5);
    await port.record({
      inbound: { text: 'fixed', user: 'u', channel: 'C', platform: 'teams' },
      topic: 'keep-traffic-flowing',
      fixed: true,
    });
    await port.record({
      inbound: { text: 'still broken', user: 'u', channel: 'C', platform: 'teams' },
      topic: 'keep-traffic-flowing',
      fixed: false,
    });
    expect(await s.feedback.summary()).toEqual([{ topic: 'keep-traffic-flowing', fixed: 1, notFixed: 1 }]);
    const rows = await s.db.all('SELECT at, platform, channel, "user" FROM feedback');
    expect(rows).toEqual([
      { at: 5, platform: 'teams', channel: 'C', user: 'u' },
      { at: 5, platform: 'teams', channel: 'C', user: 'u' },
    ]);
  });
});
