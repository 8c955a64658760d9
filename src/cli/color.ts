/** Colour only on a terminal, and never when the user asked for none (https://no-color.org, TERM=dumb). */
export function wantsColor(stream: { isTTY?: boolean }): boolean {
  if (!stream.isTTY) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return process.env.TERM !== 'dumb';
}
