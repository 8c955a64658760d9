import { afterEach, describe, expect, it } from 'vitest';
import { ChatStateRepo } from '../../src/store/chat-state.js';
import type { Store } from '../../src/store/index.js';
import { ENGINES } from '../support/store-engines.js';

const open: Store[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

describe.each(ENGINES)('shared chat state on $name', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let clock = 1_000_000;
    const repo = async () => {
      const s = await engine.store();
      open.push(s);
      return new ChatStateRepo(s.db, () => clock);
    };

    it('remembers a key once until it expires, then once again', async () => {
      const state = await repo();
      expect(await state.rememberOnce('slack:event:Ev1', 1000)).toBe(true);
      expect(await state.rememberOnce('slack:event:Ev1', 1000)).toBe(false);
      expect(await state.rememberOnce('slack:event:Ev2', 1000)).toBe(true);
      clock += 1000;
      expect(await state.rememberOnce('slack:event:Ev1', 1000)).toBe(true);
      expect(await state.rememberOnce('slack:event:Ev1', 1000)).toBe(false);
    });

    it('lets exactly one of many simultaneous callers be first', async () => {
      const state = await repo();
      const answers = await Promise.all(Array.from({ length: 8 }, () => state.rememberOnce('teams:invoke:x', 60_000)));
      expect(answers.filter(Boolean)).toHaveLength(1);
    });

    it('keeps JSON values until they expire, replaces them, and prunes expired rows in chunks', async () => {
      const state = await repo();
      await state.put('pages:t1', [{ text: 'page 2' }, { text: 'page 3' }], 500);
      expect(await state.get('pages:t1')).toEqual([{ text: 'page 2' }, { text: 'page 3' }]);
      await state.put('pages:t1', [{ text: 'other' }], 500);
      expect(await state.get('pages:t1')).toEqual([{ text: 'other' }]);
      expect(await state.get('pages:none')).toBeUndefined();
      for (let i = 0; i < 3; i++) await state.put(`k${i}`, i, 100);
      await state.put('long', 'kept', 10_000);
      clock += 600;
      expect(await state.get('pages:t1')).toBeUndefined();
      expect(await state.prune(clock, 3)).toBe(3);
      expect(await state.prune(clock, 3)).toBe(1);
      expect(await state.prune(clock, 3)).toBe(0);
      expect(await state.get('long')).toBe('kept');
      await state.delete('long');
      expect(await state.get('long')).toBeUndefined();
    });
  });
});
