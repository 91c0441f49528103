// The page's one engine Worker: started once, its backend shown, and lent to one job at a
// time (a run, a probe's sample, the playground). The page never trains itself. A Worker that
// dies is noticed (WorkerWatch) and can be replaced by a fresh one, on the same or another backend.
import type { BackendReport, BackendName } from '../../backend/select';
import type { SampleRequest } from '../../worker/api';
import { startEngineWorker, type EngineClient } from '../../worker/client';
import type { PresetName } from '../../model/config';

// Served by the app itself (the page's CSP allows no other origin): every shipped checkpoint's URL,
// by file name, so a base added to models/ needs no line here.
const BASE_URLS = import.meta.glob<string>('../../../models/*-base-seed*.ckpt', { query: '?url', import: 'default', eager: true });
const baseUrl = (preset: PresetName, seed: number) => BASE_URLS[`../../../models/${preset}-base-seed${seed}.ckpt`];

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

  /** A shipped base model's bytes (SHIPPED_SEEDS: nano seeds 1 to 6, small 1 to 5). */
  async baseModel(seed: number, preset: PresetName = 'nano'): Promise<Uint8Array> {
    const key = `${preset}/${seed}`;
    const cached = this.bases.get(key);
    if (cached) return cached;
    const url = baseUrl(preset, seed);
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
