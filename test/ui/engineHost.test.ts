// EngineHost.exclusive: one job at a time holds the engine, counting the time the engine takes
// to start (a Worker's first start takes seconds, long enough for a second click).
import { describe, expect, it } from 'vitest';
import { EngineHost } from '../../src/ui/state/engineHost.svelte';

describe('EngineHost.exclusive', () => {
  it('refuses a second job while the first is still waiting for the engine to start', async () => {
    const host = new EngineHost();
    let started!: () => void;
    host.start = () => new Promise<void>((resolve) => (started = resolve)); // a slow first start
    const first = host.exclusive('a run', async () => 'ran');
    await expect(host.exclusive('sampling', async () => 'sampled')).rejects.toThrow(/busy with a run/);
    started();
    expect(await first).toBe('ran');
    host.start = () => Promise.resolve(); // started now
    expect(host.busyWith).toBeNull();
    expect(await host.exclusive('sampling', async () => 'sampled')).toBe('sampled');
  });

  it('frees the engine when the start fails', async () => {
    const host = new EngineHost();
    host.start = () => Promise.reject(new Error('no backend'));
    await expect(host.exclusive('a run', async () => 'ran')).rejects.toThrow(/no backend/);
    expect(host.busyWith).toBeNull();
  });
});
