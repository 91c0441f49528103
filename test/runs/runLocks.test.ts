// Run locks: a run training in one tab is seen as training from another, and cannot be taken
// twice; its lock goes when it is released. The Web Locks API is faked with its ifAvailable rule.
import { describe, expect, it } from 'vitest';
import { lockRun, runsTrainingNow, whenRunFree, type Locks } from '../../src/runs/runLocks';

/** navigator.locks for one browser: exclusive locks, granted in turn, or (ifAvailable) at once or not at all. */
function fakeLocks(): Locks {
  const held = new Map<string, Promise<void>>(); // name -> its release
  return {
    async request(name, options, callback) {
      if (held.has(name) && options.ifAvailable) return callback(null);
      while (held.has(name)) await held.get(name);
      let release!: () => void;
      held.set(name, new Promise<void>((r) => (release = r)));
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
        release();
      }
    },
    query: async () => ({ held: [...held.keys()].map((name) => ({ name })) }),
  };
}

describe('run locks', () => {
  it('a held run is training; a second tab cannot take it until it is released', async () => {
    const locks = fakeLocks(); // shared by the tabs of one browser
    const release = await lockRun('run-a', locks);
    expect(release).toBeTypeOf('function');
    expect(await runsTrainingNow(locks)).toEqual(new Set(['run-a']));
    expect(await lockRun('run-a', locks)).toBeNull();
    const other = await lockRun('run-b', locks);
    expect(await runsTrainingNow(locks)).toEqual(new Set(['run-a', 'run-b']));

    release!();
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(await runsTrainingNow(locks)).toEqual(new Set(['run-b']));
    expect(await lockRun('run-a', locks)).toBeTypeOf('function');
    other!();
  });

  it('whenRunFree waits for the holder to let go', async () => {
    const locks = fakeLocks();
    const release = await lockRun('run-a', locks);
    let free = false;
    const waiting = whenRunFree('run-a', locks).then(() => (free = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(free).toBe(false);
    release!();
    await waiting;
    expect(free).toBe(true);
    expect(await runsTrainingNow(locks)).toEqual(new Set());
  });

  it('other locks of the origin are not runs', async () => {
    const locks = fakeLocks();
    await locks.request('something-else', { ifAvailable: true }, () => undefined);
    void locks.request('kept-by-a-library', { ifAvailable: true }, () => new Promise<void>(() => {})); // held for good
    expect(await runsTrainingNow(locks)).toEqual(new Set());
  });

  it('without Web Locks every run is free and none is seen training', async () => {
    expect(await lockRun('run-a', null)).toBeTypeOf('function');
    expect(await runsTrainingNow(null)).toEqual(new Set());
  });
});
