/**
 * An independent check of Slack's Block Kit limits for messages, written from Slack's reference
 * (docs.slack.dev/reference/block-kit), deliberately not sharing code or constants with the renderer:
 * the fake Web API refuses what Slack would refuse, and the render test measures against Slack's
 * numbers rather than against the renderer's own idea of them.
 */
export function blockKitViolations(message: { text?: unknown; blocks?: unknown }): string[] {
  const problems: string[] = [];
  const blocks = message.blocks;
  if (blocks === undefined) return typeof message.text === 'string' && message.text.length > 0 ? [] : ['no text and no blocks'];
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  if (blocks.length > 50) problems.push(`${blocks.length} blocks (max 50)`);
  const actionIds = new Set<string>();

  const text = (where: string, t: unknown, max: number, type?: 'plain_text' | 'mrkdwn') => {
    const o = t as { type?: unknown; text?: unknown };
    if (!o || typeof o.text !== 'string') return problems.push(`${where}: missing text`);
    if (type && o.type !== type) problems.push(`${where}: type ${String(o.type)}, want ${type}`);
    if (o.type !== 'plain_text' && o.type !== 'mrkdwn') problems.push(`${where}: bad text type ${String(o.type)}`);
    if (o.text.length === 0) problems.push(`${where}: empty text`);
    if (o.text.length > max) problems.push(`${where}: ${o.text.length} chars (max ${max})`);
    if (o.type === 'mrkdwn' && /<(?![@#!]|https?:|mailto:)/.test(o.text)) problems.push(`${where}: unescaped "<"`);
  };
  const button = (where: string, b: Record<string, unknown>) => {
    if (b.type !== 'button') return problems.push(`${where}: element type ${String(b.type)}`);
    text(`${where}.text`, b.text, 75, 'plain_text');
    const id = b.action_id;
    if (typeof id !== 'string' || id.length === 0 || id.length > 255) problems.push(`${where}: bad action_id`);
    else if (actionIds.has(id)) problems.push(`${where}: duplicate action_id ${id}`);
    else actionIds.add(id);
    if (b.value !== undefined && (typeof b.value !== 'string' || b.value.length > 2000)) problems.push(`${where}: value too long`);
    if (b.style !== undefined && b.style !== 'primary' && b.style !== 'danger') problems.push(`${where}: bad style`);
  };

  blocks.forEach((raw, i) => {
    const b = raw as Record<string, unknown>;
    const where = `blocks[${i}] (${String(b.type)})`;
    if (b.block_id !== undefined && (typeof b.block_id !== 'string' || b.block_id.length > 255)) problems.push(`${where}: bad block_id`);
    switch (b.type) {
      case 'header':
        text(where, b.text, 150, 'plain_text');
        break;
      case 'section': {
        if (b.text === undefined && b.fields === undefined) problems.push(`${where}: neither text nor fields`);
        if (b.text !== undefined) text(where, b.text, 3000);
        if (b.fields !== undefined) {
          const fields = b.fields as unknown[];
          if (!Array.isArray(fields) || fields.length === 0 || fields.length > 10)
            problems.push(`${where}: ${Array.isArray(fields) ? fields.length : '?'} fields (1-10)`);
          else fields.forEach((f, j) => text(`${where}.fields[${j}]`, f, 2000));
        }
        if (b.accessory !== undefined) button(`${where}.accessory`, b.accessory as Record<string, unknown>);
        break;
      }
      case 'context': {
        const els = b.elements as unknown[];
        if (!Array.isArray(els) || els.length === 0 || els.length > 10) problems.push(`${where}: context needs 1-10 elements`);
        else els.forEach((e, j) => text(`${where}.elements[${j}]`, e, 3000));
        break;
      }
      case 'actions': {
        const els = b.elements as unknown[];
        if (!Array.isArray(els) || els.length === 0 || els.length > 25) problems.push(`${where}: actions needs 1-25 elements`);
        else els.forEach((e, j) => button(`${where}.elements[${j}]`, e as Record<string, unknown>));
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`${where}: block type not expected`);
    }
  });
  return problems;
}

/** Characters of text a message's blocks carry (what the "about 13k in practice" rule of thumb counts). */
export function blockTextLength(blocks: unknown[]): number {
  let n = 0;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === 'text' && typeof child === 'string') n += child.length;
        else visit(child);
      }
    }
  };
  visit(blocks);
  return n;
}
