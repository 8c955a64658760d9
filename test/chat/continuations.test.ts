import { describe, expect, it } from 'vitest';
import { CONTINUATION_TTL_MS, Continuations } from '../../src/chat/continuations.js';
import { LocalMemory } from '../../src/chat/shared-memory.js';
import { tick } from './helpers.js';

describe('Continuations', () => {
  it('keeps "Show more" pages for CONTINUATION_TTL_MS (one day), then forgets them', async () => {
    expect(CONTINUATION_TTL_MS).toBe(24 * 60 * 60 * 1000);
    let now = 1_000;
    const store = new Continuations<{ n: number }>(new LocalMemory({ now: () => now }), () => 'tok');
    await store.save('tok', [{ n: 2 }, { n: 3 }]);
    now += CONTINUATION_TTL_MS - 1;
    await tick(5); // lru-cache reads its clock at most once per millisecond
    expect(await store.page('tok', 3)).toEqual({ n: 3 });
    now += 2;
    await tick(5);
    expect(await store.page('tok', 2)).toBeUndefined();
  });

  it('makes distinct tokens, usable in a button value', () => {
    const store = new Continuations<object>();
    const tokens = new Set(Array.from({ length: 100 }, () => store.token()));
    expect(tokens.size).toBe(100);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
});
