// Trains M models at once, each through its own stage (own data order, corpora, schedule and
// length), as one StackedGPT. A model whose stage has ended takes learning rate 0 and an empty
// batch until the longest stage is done, which leaves its weights exactly as they were. A model
// whose loss turns NaN or infinite is stopped there, with the step, and the others go on (no
// operation mixes models, so its NaNs stay in its own slice of the stack).
// Batches are cut to the longest example in any of the stages' sources (a multiple of 8 up to
// blockSize): padding at the end of a row changes nothing a causal model computes, so this
// gives the same losses and gradients as the full context, for less work.
// A model may start its stage midway (resumed from a snapshot): it takes the schedule from its
// step on, and every `every` steps of the call the trainer hands back each model's weights and
// optimizer moments, read back in one go, so a run cut off can go on from there.
import * as tf from '@tensorflow/tfjs';
import type { OptimizerState } from '../checkpoint/format';
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
  sampler: BatchSampler; // at the batch of step from + 1
  /** Steps of the stage done before (resumed, its optimizer state restored): training goes on from there. */
  from?: number;
}

/** Every model of the stack as it stands after some step of the call, for a run to go on from. */
export interface StackedSnapshot {
  /** Per model, the steps of its stage done; null for a model that asked for none, whose stage is over, or that diverged. */
  steps: Array<number | null>;
  weights: Float32Array[][]; // per model, parameterShapes order
  optimizer: OptimizerState[]; // per model
  metrics: StepMetrics[][]; // per model, every step of this call so far
}

export interface SnapshotOptions {
  every: number; // steps of the call between snapshots
  wanted: boolean[]; // per model: the stack is read back only when some model that wants a snapshot is due
  take: (s: StackedSnapshot) => void | Promise<void>;
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

  async runStages(
    stages: ModelStage[],
    control: RunControl,
    T: number,
    onProgress: (p: StackedProgress) => void = () => {},
    snapshots?: SnapshotOptions,
  ): Promise<StageResult[]> {
    const M = this.model.count;
    if (stages.length !== M) throw new Error(`expected ${M} stages, one per model, got ${stages.length}`);
    const from = stages.map((s) => s.from ?? 0);
    stages.forEach((s, m) => {
      if (!(Number.isInteger(from[m]) && from[m] >= 0 && from[m] < s.settings.steps)) throw new Error(`model ${m}: cannot go on from step ${from[m]} of a ${s.settings.steps}-step stage`);
    });
    // The call runs until the model with the most steps left is done; progress counts toward
    // the longest stage, so a model resumed alone reports its own step of its stage.
    const calls = Math.max(...stages.map((s, m) => s.settings.steps - from[m]));
    const steps = Math.max(...stages.map((s) => s.settings.steps));
    const shown = (done: number) => steps - calls + done;
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
          const step = from[m] + p.step;
          if (step > s.settings.steps || diverged[m]) return;
          const loss = values[2 * i * M + m];
          if (Number.isFinite(loss)) fresh[m].push({ stage: s.settings.name, step, lr: p.lrs[m], loss, gradNorm: values[(2 * i + 1) * M + m] });
          else diverged[m] = { step, loss };
        });
        p.losses.dispose();
        p.norms.dispose();
      });
      pending.length = 0;
      fresh.forEach((f, m) => metrics[m].push(...f));
      const elapsedMs = performance.now() - start;
      onProgress({ step: shown(done), steps, metrics: fresh, tokensPerSecond: tokens / (elapsedMs / 1000), elapsedMs });
      await new Promise((r) => setTimeout(r, 0)); // let pause/stop messages in between steps
    };

    const snapshot = async () => {
      const at = stages.map((s, m) => (!snapshots!.wanted[m] || diverged[m] || from[m] + done >= s.settings.steps ? null : from[m] + done));
      if (at.every((step) => step === null)) return;
      const { weights, optimizer } = await this.exportState();
      await snapshots!.take({ steps: at, weights, optimizer, metrics: metrics.map((ms) => [...ms]) });
    };

    try {
      while (done < calls && (await control.shouldContinue())) {
        const lrs: number[] = [];
        const drawn = stages.map((s, m) => {
          const step = from[m] + done; // steps of this model's stage done before this one
          if (step >= s.settings.steps || diverged[m]) return (lrs.push(0), null);
          const { peakLr, minLr, warmupSteps } = s.settings;
          lrs.push(learningRate({ peakLr, minLr, warmupSteps, totalSteps: s.settings.steps }, step));
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
        // A snapshot waits for the losses up to its step, so a model that diverged before it is left out.
        const snapshotDue = !!snapshots && done % snapshots.every === 0 && done < calls;
        if (pending.length >= readEvery || done === calls || snapshotDue) await readBack();
        if (snapshotDue) await snapshot();
      }
      await readBack();
    } finally {
      pending.forEach((p) => (p.losses.dispose(), p.norms.dispose()));
    }
    const elapsedMs = performance.now() - start;
    return stages.map((s, m) => {
      const stepsDone = Math.min(diverged[m] ? diverged[m]!.step - 1 : from[m] + done, s.settings.steps);
      return { stage: s.settings.name, stepsDone, stopped: stepsDone < s.settings.steps, metrics: metrics[m], elapsedMs, diverged: diverged[m] ?? undefined };
    });
  }

  /** Each model's weights and optimizer state, read back from the device in one go. */
  async exportState(): Promise<{ weights: Float32Array[][]; optimizer: OptimizerState[] }> {
    const all = tf.stack([this.model.flat, this.optimizer.m, this.optimizer.v]); // [3, M, P]
    const values = (await all.data()) as Float32Array;
    all.dispose();
    const third = values.length / 3;
    const [weights, m, v] = [0, 1, 2].map((k) => this.model.perModel(values.subarray(k * third, (k + 1) * third)));
    return { weights, optimizer: weights.map((_, i) => ({ step: this.optimizer.steps[i], m: m[i], v: v[i] })) };
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
