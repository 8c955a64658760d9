import { describe, expect, it } from 'vitest';
import { ExpiringMap } from '../../src/util/expiring-map.js';

describe('ExpiringMap', () => {
  it('forgets entries after their time-to-live', () => {
    let now = 0;
    const m = new ExpiringMap<string, number>(1000, 10, () => now);
    m.set('a', 1);
    now = 999;
    expect(m.get('a')).toBe(1);
    now = 1000;
    expect(m.get('a')).toBeUndefined();
    expect(m.has('a')).toBe(false);
  });

  it('keeps at most maxEntries, dropping the oldest first', () => {
    const m = new ExpiringMap<string, number>(60_000, 2);
    m.set('a', 1);
    m.set('b', 2);
    m.set('c', 3);
    expect([m.has('a'), m.has('b'), m.has('c'), m.size]).toEqual([false, true, true, 2]);
  });

  it('addIfAbsent tells whether a key was new (deduplication)', () => {
    const m = new ExpiringMap<string, true>(60_000, 10);
    expect(m.addIfAbsent('evt-1', true)).toBe(true);
    expect(m.addIfAbsent('evt-1', true)).toBe(false);
  });
});
