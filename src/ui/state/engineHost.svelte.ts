// The page's one engine Worker: started once, its backend shown, and lent to one job at a
// time (a run, a probe's sample, the playground). The page never trains itself. A Worker that
// dies is noticed (WorkerWatch) and can be replaced by a fresh one, on the same or another backend.
import type { BackendReport, BackendName } from '../../backend/select';
import type { SampleRequest } from '../../worker/api';
import { startEngineWorker, type EngineClient } from '../../worker/client';
import type { PresetName } from '../../model/config';
import nano1 from '../../../models/nano-base-seed1.ckpt?url';
import nano2 from '../../../models/nano-base-seed2.ckpt?url';
import nano3 from '../../../models/nano-base-seed3.ckpt?url';
import small1 from '../../../models/small-base-seed1.ckpt?url';
import small2 from '../../../models/small-base-seed2.ckpt?url';
import small3 from '../../../models/small-base-seed3.ckpt?url';
import small4 from '../../../models/small-base-seed4.ckpt?url';
import small5 from '../../../models/small-base-seed5.ckpt?url';
import small6 from '../../../models/small-base-seed6.ckpt?url';
import small7 from '../../../models/small-base-seed7.ckpt?url';

// Served by the app itself (the page's CSP allows no other origin).
const BASE_URLS: Partial<Record<PresetName, Record<number, string>>> = {
  nano: { 1: nano1, 2: nano2, 3: nano3 },
  small: { 1: small1, 2: small2, 3: small3, 4: small4, 5: small5, 6: small6, 7: small7 },
};

export class EngineHost {
  report = $state<BackendReport | null>(null);
  status = $state<'off' | 'starting' | 'ready' | 'failed' | 'lost'>('off');
  error = $state<string | null>(null);
  /** What holds the engine now ("a run", "sampling"), or null when it is free. */
  busyWith = $state<string | null>(null);
  private client: EngineClient | null = null;
  private starting: Promise<void> | null = null;
  private bases = new Map<string, Uint8Array>();

  /** Starts the Worker and its backend (once); `force` picks a backend, e.g. for tests. */
  start(force?: BackendName): Promise<void> {
    this.starting ??= (async () => {
      this.status = 'starting';
      try {
        const client = startEngineWorker();
        this.client = client;
        client.watch.onDied((e) => {
          if (this.client !== client) return; // an engine already replaced
          this.status = 'lost';
          this.error = e.message;
        });
        this.report = await client.engine.init(force);
        this.status = 'ready';
      } catch (e) {
        this.error = e instanceof Error ? e.message : String(e);
        this.status = 'failed';
        throw e;
      }
    })();
    return this.starting;
  }

  /** Ends the current Worker (dead, hung or with a lost GPU) and starts a fresh one. */
  restart(force?: BackendName): Promise<void> {
    this.client?.terminate();
    this.client = null;
    this.starting = null;
    this.status = 'off';
    this.error = null;
    return this.start(force);
  }

  get engine(): EngineClient['engine'] {
    if (!this.client || this.status !== 'ready') throw new Error('the engine is not ready');
    return this.client.engine;
  }

  /** A shipped base model's bytes (SHIPPED_SEEDS: nano seeds 1 to 3, small 1 to 7). */
  async baseModel(seed: number, preset: PresetName = 'nano'): Promise<Uint8Array> {
    const key = `${preset}/${seed}`;
    const cached = this.bases.get(key);
    if (cached) return cached;
    const url = BASE_URLS[preset]?.[seed];
    if (!url) throw new Error(`no shipped ${preset} base model for seed ${seed}`);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`could not load the ${preset} base model for seed ${seed} (${response.status})`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    this.bases.set(key, bytes);
    return bytes;
  }

  /** Runs `job` with the engine to itself; refuses while another job holds it. */
  async exclusive<T>(what: string, job: () => Promise<T>): Promise<T> {
    if (this.busyWith) throw new Error(`the engine is busy with ${this.busyWith}; wait for it to finish`);
    this.busyWith = what; // before any await: a second call while the engine starts is refused too
    try {
      if (this.status === 'lost') await this.restart(this.report?.chosen);
      else await this.start();
      return await job();
    } finally {
      this.busyWith = null;
    }
  }

  /** One sampled reply from a checkpoint. */
  sampleFrom(checkpoint: Uint8Array, request: SampleRequest): Promise<string> {
    return this.exclusive('sampling', async () => {
      await this.engine.loadCheckpoint(checkpoint);
      return this.engine.sample(request);
    });
  }
}
