import { afterEach, describe, expect, it, vi } from 'vitest';
import { wantsColor } from '../../src/cli/color.js';

describe('wantsColor', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('colours a terminal, never a pipe', () => {
    vi.stubEnv('NO_COLOR', '');
    vi.stubEnv('TERM', 'xterm-256color');
    expect(wantsColor({ isTTY: true })).toBe(true);
    expect(wantsColor({ isTTY: false })).toBe(false);
    expect(wantsColor({})).toBe(false);
  });

  it('honours NO_COLOR and TERM=dumb', () => {
    vi.stubEnv('TERM', 'xterm');
    vi.stubEnv('NO_COLOR', '1');
    expect(wantsColor({ isTTY: true })).toBe(false);
    vi.stubEnv('NO_COLOR', '');
    vi.stubEnv('TERM', 'dumb');
    expect(wantsColor({ isTTY: true })).toBe(false);
  });
});
