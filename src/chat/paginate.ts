/**
 * The one pagination engine: packs an answer's rendered parts into messages a platform accepts. Units are
 * whatever the platform renders (Slack blocks, Adaptive Card elements); the platform says what one costs
 * and what a message may hold. The first message carries the head, as much body as fits, and the tail
 * (buttons: they must not hide behind "Show more"); continuation pages carry a short head and more body.
 * Reading order is kept: the body is cut, never reordered.
 */

export interface PageBudget<U> {
  /** What one unit costs against `maxSize` (Slack: characters of text; Teams: bytes of JSON). */
  size(unit: U): number;
  /** What one message may carry in all, room for the continuation marker included. */
  maxSize: number;
  /** Units one message may hold (Slack: 50 blocks), the continuation marker included. */
  maxUnits: number;
  /** Size kept free on every page for the marker ("Show more" button or a note that the rest was left out). */
  reservedSize: number;
  /** An answer never becomes more messages than this; the rest is trimmed (and the platform says so). */
  maxPages: number;
}

export interface AnswerParts<U> {
  head: U[];
  body: U[];
  /** First message only, after the body. */
  tail: U[];
  /** The head of continuation page `page` (2..n). */
  continuedHead: (page: number) => U[];
}

export interface PagePlan<U> {
  pages: { head: U[]; body: U[]; tail: U[] }[];
  /** Body units left out (past maxPages, or everything past page 1 when there is nowhere to keep pages). */
  trimmed: number;
}

/**
 * Splits `parts` into pages. With `continue: false` (no place to keep pages 2..n, e.g. a progress message
 * or an alert) everything past the first message is trimmed. Every continuation page takes at least one
 * unit, so a unit larger than a page (which the platform's renderer must prevent) cannot loop forever.
 */
export function paginate<U>(parts: AnswerParts<U>, budget: PageBudget<U>, options: { continue: boolean }): PagePlan<U> {
  const pages: PagePlan<U>['pages'] = [];
  let rest = parts.body;
  let n = take(rest, [...parts.head, ...parts.tail], budget);
  pages.push({ head: parts.head, body: rest.slice(0, n), tail: parts.tail });
  rest = rest.slice(n);
  while (rest.length > 0 && options.continue && pages.length < budget.maxPages) {
    const head = parts.continuedHead(pages.length + 1);
    n = Math.max(1, take(rest, head, budget));
    pages.push({ head, body: rest.slice(0, n), tail: [] });
    rest = rest.slice(n);
  }
  return { pages, trimmed: rest.length };
}

/** How many of `body`'s leading units fit on a page that also holds `fixed` and the reserved marker. */
function take<U>(body: U[], fixed: U[], budget: PageBudget<U>): number {
  let units = fixed.length + 1;
  let size = fixed.reduce((sum, u) => sum + budget.size(u), 0) + budget.reservedSize;
  let i = 0;
  while (i < body.length && units + 1 <= budget.maxUnits) {
    const next = budget.size(body[i]!);
    if (size + next > budget.maxSize) break;
    units += 1;
    size += next;
    i += 1;
  }
  return i;
}
