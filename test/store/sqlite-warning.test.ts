import { describe, expect, it } from 'vitest';
import { isSqliteExperimentalWarning } from '../../src/store/sqlite-warning.js';

function warning(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

describe('the node:sqlite experimental-warning filter', () => {
  it("drops Node 22's SQLite notice and nothing else", () => {
    expect(
      isSqliteExperimentalWarning(
        'warning',
        warning('ExperimentalWarning', 'SQLite is an experimental feature and might change at any time'),
      ),
    ).toBe(true);
    expect(isSqliteExperimentalWarning('warning', warning('ExperimentalWarning', 'The Fetch API is an experimental feature'))).toBe(false);
    expect(isSqliteExperimentalWarning('warning', warning('DeprecationWarning', 'SQLite is an experimental feature'))).toBe(false);
    expect(isSqliteExperimentalWarning('exit', warning('ExperimentalWarning', 'SQLite is an experimental feature'))).toBe(false);
  });

  it('lets every other warning through to listeners once installed (the store installs it on load)', async () => {
    await import('../../src/store/db.js');
    const seen: string[] = [];
    // Node's own printer is a 'warning' listener too: set it aside so the test's warning is seen, not printed.
    const others = process.listeners('warning');
    process.removeAllListeners('warning');
    const listener = (w: Error) => seen.push(w.message);
    process.on('warning', listener);
    try {
      process.emit('warning', warning('ExperimentalWarning', 'SQLite is an experimental feature and might change at any time'));
      process.emit('warning', warning('ExperimentalWarning', 'something else is experimental'));
    } finally {
      process.off('warning', listener);
      for (const l of others) process.on('warning', l);
    }
    expect(seen).toEqual(['something else is experimental']);
  });
});
