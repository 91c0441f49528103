// Trains M models at once, each through its own stage (own data order, corpora, schedule and
// length), as one StackedGPT. A model whose stage has ended takes learning rate 0 and an empty
// batch until the longest stage is done, which leaves its weights exactly as they were. A model
// whose loss turns NaN or infinite is stopped there, with the step, and the others go on (no
// operation mixes models, so its NaNs stay in its own slice of the stack).
// Batches are cut to the longest example in any of the stages' sources (a multiple of 8 up to
// blockSize): padding at the end of a row changes nothing a causal model computes, so this
// gives the same losses and gradients as the full context, for less work.
import * as tf from '@tensorflow/tfjs';
import type { StackedGPT } from '../model/stackedGpt';
import { DEFAULT_ADAMW, type AdamWSettings } from './adamw';
import type { Batch, BatchSampler } from './batches';
import { packedStep } from './packedStep';
import type { PackShape } from './packing';
import type { RunControl } from './control';
import { learningRate } from './schedule';
import { StackedAdamW } from './stackedAdamW';
import type { StageResult, StageSettings, StepMetrics } from './trainer';

export interface ModelStage {
  settings: StageSettings;
  sampler: BatchSampler;
}

export interface StackedProgress {
  step: number; // steps done (of the longest stage)
  steps: number;
  metrics: StepMetrics[][]; // per model, the steps read back since the last report
  tokensPerSecond: number; // all models together
  elapsedMs: number;
}

export class StackedTrainer {
  readonly optimizer: StackedAdamW;
  /** When set, every step packs its batches into this shape (src/train/packing.ts): same math, less work. */
  packing: PackShape | null = null;

  constructor(readonly model: StackedGPT, adamw: AdamWSettings = DEFAULT_ADAMW) {
    this.optimizer = new StackedAdamW(model, adamw);
  }

  /** One step: batches[m] and lrs[m] for model m, rows cut to T tokens. Returns [losses, gradNorms], [M] each, which the caller disposes. */
  step(batches: Batch[], lrs: number[], T: number): [tf.Tensor1D, tf.Tensor1D] {
    if (this.packing) return packedStep(this.model, this.optimizer, this.packing, batches, lrs);
    const M = this.model.count;
    const { blockSize } = this.model.config;
    const B = batches[0].inputs.length / blockSize;
    const inputs = new Int32Array(M * B * T);
    const targets = new Int32Array(M * B * T);
    const mask = new Float32Array(M * B * T);
    batches.forEach((batch, m) => {
      for (let r = 0; r < B; r++) {
        const from = r * blockSize;
        const to = (m * B + r) * T;
        inputs.set(batch.inputs.subarray(from, from + T), to);
        targets.set(batch.targets.subarray(from, from + T), to);
        mask.set(batch.mask.subarray(from, from + T), to);
      }
    });
    return tf.tidy(() => {
      const ids = tf.tensor3d(inputs, [M, B, T], 'int32');
      const next = tf.tensor3d(targets, [M, B, T], 'int32');
      const weights = tf.tensor3d(mask, [M, B, T], 'float32');
      let losses: tf.Tensor1D | null = null;
      const { grads } = tf.variableGrads(() => {
        losses = tf.keep(this.model.losses(ids, next, weights)); // variableGrads keeps only the sum
        return losses.sum() as tf.Scalar;
      }, [this.model.flat]);
      const norms = this.optimizer.apply(grads[this.model.flat.name] as tf.Tensor2D, lrs);
      return [losses!, norms] as [tf.Tensor1D, tf.Tensor1D];
    });
  }

  async runStages(stages: ModelStage[], control: RunControl, T: number, onProgress: (p: StackedProgress) => void = () => {}): Promise<StageResult[]> {
    const M = this.model.count;
    if (stages.length !== M) throw new Error(`expected ${M} stages, one per model, got ${stages.length}`);
    const steps = Math.max(...stages.map((s) => s.settings.steps));
    const readEvery = Math.min(...stages.map((s) => s.settings.readEvery));
    const metrics: StepMetrics[][] = stages.map(() => []);
    const diverged: Array<{ step: number; loss: number } | null> = stages.map(() => null);
    const pending: Array<{ step: number; lrs: number[]; losses: tf.Tensor1D; norms: tf.Tensor1D }> = [];
    const start = performance.now();
    let done = 0;
    let tokens = 0;

    const readBack = async () => {
      if (pending.length === 0) return;
      const stacked = tf.stack(pending.flatMap((p) => [p.losses, p.norms]));
      const values = await stacked.data();
      stacked.dispose();
      const fresh: StepMetrics[][] = stages.map(() => []);
      pending.forEach((p, i) => {
        stages.forEach((s, m) => {
          if (p.step > s.settings.steps || diverged[m]) return;
          const loss = values[2 * i * M + m];
          if (Number.isFinite(loss)) fresh[m].push({ stage: s.settings.name, step: p.step, lr: p.lrs[m], loss, gradNorm: values[(2 * i + 1) * M + m] });
          else diverged[m] = { step: p.step, loss };
        });
        p.losses.dispose();
        p.norms.dispose();
      });
      pending.length = 0;
      fresh.forEach((f, m) => metrics[m].push(...f));
      const elapsedMs = performance.now() - start;
      onProgress({ step: done, steps, metrics: fresh, tokensPerSecond: tokens / (elapsedMs / 1000), elapsedMs });
      await new Promise((r) => setTimeout(r, 0)); // let pause/stop messages in between steps
    };

    try {
      while (done < steps && (await control.shouldContinue())) {
        const lrs: number[] = [];
        const drawn = stages.map((s, m) => {
          if (done >= s.settings.steps || diverged[m]) return (lrs.push(0), null);
          const { peakLr, minLr, warmupSteps } = s.settings;
          lrs.push(learningRate({ peakLr, minLr, warmupSteps, totalSteps: s.settings.steps }, done));
          return s.sampler.next();
        });
        const first = drawn.find((b) => b);
        if (!first) break; // every model still training has diverged
        const size = first.inputs.length;
        tokens += drawn.reduce((n, b) => n + (b ? size : 0), 0);
        const batches = drawn.map((b) => b ?? emptyBatch(size));
        const [losses, norms] = this.step(batches, lrs, T);
        done++;
        pending.push({ step: done, lrs, losses, norms });
        if (pending.length >= readEvery || done === steps) await readBack();
      }
      await readBack();
    } finally {
      pending.forEach((p) => (p.losses.dispose(), p.norms.dispose()));
    }
    const elapsedMs = performance.now() - start;
    return stages.map((s, m) => {
      const stepsDone = Math.min(diverged[m] ? diverged[m]!.step - 1 : done, s.settings.steps);
      return { stage: s.settings.name, stepsDone, stopped: stepsDone < s.settings.steps, metrics: metrics[m], elapsedMs, diverged: diverged[m] ?? undefined };
    });
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** The shortest row length, a multiple of 8 up to blockSize, that holds every example (ids minus one). */
export function trimmedLength(longestExample: number, blockSize: number): number {
  return Math.min(blockSize, Math.max(8, Math.ceil((longestExample - 1) / 8) * 8));
}

function emptyBatch(size: number): Batch {
  return { inputs: new Int32Array(size), targets: new Int32Array(size), mask: new Float32Array(size) };
}
