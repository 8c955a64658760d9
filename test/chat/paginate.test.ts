import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paginate, type PageBudget } from '../../src/chat/paginate.js';

/** Units are their own sizes; a page holds 100 in all (10 kept for the marker) and at most 6 units. */
const budget: PageBudget<number> = { size: (u) => u, maxSize: 100, maxUnits: 6, reservedSize: 10, maxPages: 4 };
const parts = (body: number[], head = [5], tail = [7]) => ({ head, body, tail, continuedHead: () => [1] });
const total = (units: number[]) => units.reduce((a, b) => a + b, 0);

describe('paginate (the one pagination engine)', () => {
  it('keeps everything on one page when it fits, tail included', () => {
    const { pages, trimmed } = paginate(parts([10, 20, 30]), budget, { continue: true });
    expect(pages).toEqual([{ head: [5], body: [10, 20, 30], tail: [7] }]);
    expect(trimmed).toBe(0);
  });

  it('cuts the body in reading order by size; the tail stays on the first page, continuation pages get their own head', () => {
    const { pages, trimmed } = paginate(parts([30, 30, 30, 30, 30]), budget, { continue: true });
    expect(pages.map((p) => p.body)).toEqual([[30, 30], [30, 30], [30]]);
    expect(pages.map((p) => p.tail)).toEqual([[7], [], []]);
    expect(pages.map((p) => p.head)).toEqual([[5], [1], [1]]);
    expect(trimmed).toBe(0);
  });

  it('counts units against the unit limit (Slack: 50 blocks), the marker included', () => {
    const { pages } = paginate(
      parts(
        Array.from({ length: 12 }, () => 1),
        [],
        [],
      ),
      budget,
      { continue: true },
    );
    expect(pages.map((p) => p.body.length)).toEqual([5, 4, 3]); // 6 units: head 1 on continuation pages, marker 1
  });

  it('trims past maxPages, and everything past the first page when pages cannot be kept', () => {
    const body = Array.from({ length: 20 }, () => 40);
    expect(paginate(parts(body), budget, { continue: true })).toMatchObject({ trimmed: 20 - 1 - 3 * 2 });
    const single = paginate(parts(body), budget, { continue: false });
    expect(single.pages).toHaveLength(1);
    expect(single.trimmed).toBe(19);
  });

  it('never loses, reorders or overfills (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 60 }), (body) => {
        const { pages, trimmed } = paginate(parts(body), { ...budget, maxPages: 1000 }, { continue: true });
        expect(pages.flatMap((p) => p.body)).toEqual(body);
        expect(trimmed).toBe(0);
        for (const p of pages) {
          expect(p.head.length + p.body.length + p.tail.length + 1).toBeLessThanOrEqual(budget.maxUnits);
          expect(total([...p.head, ...p.body, ...p.tail]) + budget.reservedSize).toBeLessThanOrEqual(budget.maxSize);
        }
      }),
    );
  });
});
