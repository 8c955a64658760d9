import { describe, expect, it } from 'vitest';
import { timingClue } from '../../src/conversation/clues.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import { extractEntities } from '../../src/nlu/entities.js';

const req = loadKnowledgeBase().requirements;
const clue = (t: string) => timingClue(t, extractEntities(t), req);

describe('timing clues matched to the requirement timers', () => {
  it('a drop at 59m58s is the phase 2 lifetime', () => {
    const c = clue('the sa goes down after 59m58s every time');
    expect(c?.topic).toBe('ikev2-hourly-drop');
    expect(c?.explanation).toContain('59m58s');
    expect(c?.explanation).toContain('3600');
  });
  it('hourly drops are the phase 2 lifetime, eight-hourly the phase 1 lifetime', () => {
    expect(clue('it disconnects every hour on the dot')?.topic).toBe('ikev2-hourly-drop');
    expect(clue('goes down every 8 hours')?.timer).toContain('28800');
  });
  it('a drop after about 10 s of idle is the idle timer; 3 missed DPD requests the DPD timeout', () => {
    expect(clue('drops after 10 s idle')?.topic).toBe('keep-traffic-flowing');
    expect(clue('log says 3 missed dpd requests then it closes')?.topic).toBe('dpd-idle-instability');
  });
  it('a configured lifetime is not a symptom, and 10 s without idling is no clue', () => {
    expect(clue('we set lifetime 28800 on both phases')).toBeNull();
    expect(clue('ping replies take 10 s')).toBeNull();
  });
  it('reads clock-like durations', () => {
    expect(extractEntities('down at 1h 0m 2s').durations[0]?.seconds).toBe(3602);
  });
});
