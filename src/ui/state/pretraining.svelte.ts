// Pre-training a base model from scratch in the Worker, with its live loss curve: the stage the
// shipped base models (models/) skip. The result can be sampled in the playground and downloaded.
import { decodeCheckpoint, encodeCheckpoint } from '../../checkpoint/format';
import { pretrainBase, pretrainFingerprint } from '../../experiment/pretrainBase';
import { SCHEDULES } from '../../experiment/schedules';
import type { Progress } from '../../train/trainer';
import { progressCallback } from '../../worker/client';
import { buildWorld } from '../../world/world';
import type { EngineHost } from './engineHost.svelte';

export class Pretraining {
  status = $state<'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'failed'>('idle');
  error = $state<string | null>(null);
  seed = $state(1);
  steps = $state(SCHEDULES.nano.pretrain.steps);
  step = $state(0);
  tokensPerSecond = $state(0);
  curve = $state.raw<{ steps: number[]; losses: number[] }>({ steps: [], losses: [] });
  bytes = $state.raw<Uint8Array | null>(null);

  async start(host: EngineHost): Promise<void> {
    this.status = 'running';
    this.error = null;
    this.curve = { steps: [], losses: [] };
    this.step = 0;
    const seed = this.seed;
    const steps = this.steps;
    try {
      await host.exclusive('pre-training', async () => {
        await new Promise((r) => setTimeout(r, 0)); // paint "running" before building the world
        const world = buildWorld({ seed });
        const onProgress = (p: Progress) => {
          this.step = p.step;
          this.tokensPerSecond = p.tokensPerSecond;
          this.curve = { steps: [...this.curve.steps, ...p.metrics.map((m) => m.step)], losses: [...this.curve.losses, ...p.metrics.map((m) => m.loss)] };
        };
        const bytes = await pretrainBase(host.engine, world, 'nano', seed, progressCallback(onProgress), steps);
        // The same note the CLI writes, so the model says which corpus made it.
        const checkpoint = decodeCheckpoint(bytes);
        checkpoint.provenance.note = `base model: nano, world seed ${seed}, pre-training corpus ${pretrainFingerprint(world)}, pre-trained in the browser for ${this.step} steps`;
        this.bytes = encodeCheckpoint(checkpoint);
      });
      if (this.status === 'running') this.status = this.step < steps ? 'stopped' : 'done';
    } catch (e) {
      this.status = 'failed';
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  pause(host: EngineHost): void {
    if (this.status !== 'running') return;
    this.status = 'paused';
    void host.engine.pause();
  }

  resume(host: EngineHost): void {
    if (this.status !== 'paused') return;
    this.status = 'running';
    void host.engine.resume();
  }

  stop(host: EngineHost): void {
    if (this.status !== 'running' && this.status !== 'paused') return;
    this.status = 'stopped';
    void host.engine.stop();
  }
}
