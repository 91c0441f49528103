// EngineHost.exclusive: one job at a time holds the engine, counting the time the engine takes
// to start (a Worker's first start takes seconds, long enough for a second click).
import { describe, expect, it } from 'vitest';
import { EngineHost } from '../../src/ui/state/engineHost.svelte';
import { SHIPPED_SEEDS } from '../../src/runs/config';
import type { PresetName } from '../../src/model/config';

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

// The page serves its base models by URL, one per checkpoint in models/: every seed the form offers must load.
describe('EngineHost.baseModel', () => {
  it('has a URL for every shipped seed of every preset, and none for another', async () => {
    const asked: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (url: string) => {
      asked.push(String(url));
      return new Response(new Uint8Array([1, 2, 3]));
    }) as typeof fetch;
    try {
      const host = new EngineHost();
      for (const [preset, seeds] of Object.entries(SHIPPED_SEEDS)) {
        for (const seed of seeds!) expect(await host.baseModel(seed, preset as PresetName)).toEqual(new Uint8Array([1, 2, 3]));
      }
      expect(asked.filter((u) => /small-base-seed3\.ckpt/.test(u))).toHaveLength(1);
      expect(asked).toHaveLength(Object.values(SHIPPED_SEEDS).flat().length);
      await expect(host.baseModel(99, 'nano')).rejects.toThrow(/no shipped nano base model for seed 99/);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
