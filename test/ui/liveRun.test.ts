// A run the engine refuses (busy with another job) fails at once and leaves no record of a run
// in progress behind, so nothing is listed as interrupted after a reload.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { quickConfig } from '../../src/runs/config';
import { listProgress } from '../../src/runs/progress';
import type { EngineHost } from '../../src/ui/state/engineHost.svelte';
import { LiveRun } from '../../src/ui/state/liveRun.svelte';

describe('LiveRun', () => {
  it('refused by a busy engine: failed, no progress record left, and not offered for resuming', async () => {
    const busy = {
      report: null,
      exclusive: async () => {
        throw new Error('the engine is busy with sampling; wait for it to finish');
      },
    } as unknown as EngineHost;
    const run = new LiveRun({ ...quickConfig('agentic'), seeds: [1] });
    await run.start(busy);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/the engine is busy with sampling/);
    expect(await listProgress()).toEqual([]);
    expect(run.resumable).toBe(false); // so the page does not offer a resume it cannot give
  });
});
