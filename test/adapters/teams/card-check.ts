import { readActionData } from '../../../adapters/teams/card-actions.js';
import type { AdaptiveCard } from '../../../adapters/teams/render.js';

// ---- a structural check of Adaptive Card 1.5 (the elements and values this renderer may use) ----------

const ELEMENTS = new Set(['TextBlock', 'RichTextBlock', 'ColumnSet', 'Container', 'FactSet', 'ActionSet', 'Table']);
const ACTIONS = new Set(['Action.Submit', 'Action.Execute']);
const ENUMS: Record<string, Set<string>> = {
  spacing: new Set(['None', 'Small', 'Default', 'Medium', 'Large', 'ExtraLarge', 'Padding']),
  size: new Set(['Small', 'Default', 'Medium', 'Large', 'ExtraLarge']),
  weight: new Set(['Lighter', 'Default', 'Bolder']),
  color: new Set(['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention']),
  fontType: new Set(['Default', 'Monospace']),
};

export function checkCard(card: AdaptiveCard): string[] {
  const problems: string[] = [];
  if (card.type !== 'AdaptiveCard' || card.version !== '1.5') problems.push('root: not an Adaptive Card 1.5');
  const enums = (o: Record<string, unknown>, where: string) => {
    for (const [k, allowed] of Object.entries(ENUMS))
      if (k in o && !allowed.has(String(o[k]))) problems.push(`${where}: ${k}=${String(o[k])}`);
  };
  const action = (a: Record<string, unknown>, where: string) => {
    if (!ACTIONS.has(String(a.type))) problems.push(`${where}: action type ${String(a.type)}`);
    if (typeof a.title !== 'string' || a.title === '') problems.push(`${where}: action without title`);
    if (a.type === 'Action.Execute' && typeof a.verb !== 'string') problems.push(`${where}: Action.Execute without verb`);
    if (!readActionData(a.data)) problems.push(`${where}: data the adapter cannot read back`);
    if (a.style !== undefined && !['default', 'positive', 'destructive'].includes(String(a.style)))
      problems.push(`${where}: style ${String(a.style)}`);
  };
  const element = (e: Record<string, unknown>, where: string): void => {
    const type = String(e.type);
    if (!ELEMENTS.has(type)) problems.push(`${where}: element type ${type}`);
    enums(e, where);
    switch (type) {
      case 'TextBlock':
        if (typeof e.text !== 'string') problems.push(`${where}: TextBlock without text`);
        break;
      case 'RichTextBlock':
        for (const [i, r] of (e.inlines as Record<string, unknown>[]).entries()) {
          if (r.type !== 'TextRun' || typeof r.text !== 'string') problems.push(`${where}.inlines.${i}: not a TextRun`);
          enums(r, `${where}.inlines.${i}`);
        }
        break;
      case 'ColumnSet':
        for (const [i, c] of (e.columns as Record<string, unknown>[]).entries()) {
          if (c.type !== 'Column') problems.push(`${where}.columns.${i}: not a Column`);
          (c.items as Record<string, unknown>[]).forEach((x, j) => element(x, `${where}.columns.${i}.items.${j}`));
        }
        break;
      case 'Container':
        (e.items as Record<string, unknown>[]).forEach((x, j) => element(x, `${where}.items.${j}`));
        break;
      case 'FactSet':
        for (const f of e.facts as Record<string, unknown>[])
          if (typeof f.title !== 'string' || typeof f.value !== 'string') problems.push(`${where}: bad fact`);
        break;
      case 'ActionSet':
        (e.actions as Record<string, unknown>[]).forEach((a, j) => action(a, `${where}.actions.${j}`));
        break;
      case 'Table': {
        const columns = e.columns as unknown[];
        for (const [i, row] of (e.rows as Record<string, unknown>[]).entries()) {
          const cells = row.cells as Record<string, unknown>[];
          if (row.type !== 'TableRow' || cells.length !== columns.length) problems.push(`${where}.rows.${i}: bad row`);
          cells.forEach((c, j) =>
            (c.items as Record<string, unknown>[]).forEach((x, k) => element(x, `${where}.rows.${i}.cells.${j}.items.${k}`)),
          );
        }
        break;
      }
    }
  };
  card.body.forEach((e, i) => element(e, `body.${i}`));
  (card.actions ?? []).forEach((a, i) => action(a, `actions.${i}`));
  if ((card.actions ?? []).length > 6) problems.push('more than six card actions');
  return problems;
}

export const texts = (card: AdaptiveCard): string => JSON.stringify(card);
