// The training loop: one stage (pre-training, MSM or AFT) of AdamW steps on batches from a
// BatchSampler. Loss and gradient norm stay on the device and are read back together every
// `readEvery` steps with an async read, so the GPU is never stalled step by step.
import * as tf from '@tensorflow/tfjs';
import type { GPT } from '../model/gpt';
import { AdamW, DEFAULT_ADAMW, type AdamWSettings } from './adamw';
import type { Batch, BatchSampler } from './batches';
import type { RunControl } from './control';
import { learningRate } from './schedule';

export interface StageSettings {
  name: string;
  steps: number;
  peakLr: number;
  minLr: number;
  warmupSteps: number;
  readEvery: number; // steps between read-backs of loss and gradient norm
}

export interface StepMetrics {
  stage: string;
  step: number; // 1-based step within the stage
  loss: number;
  gradNorm: number;
  lr: number;
}

export interface Progress {
  stage: string;
  step: number; // steps done in this stage
  steps: number;
  metrics: StepMetrics[]; // the steps read back since the last report
  tokensPerSecond: number;
  elapsedMs: number;
}

export interface StageResult {
  stage: string;
  stepsDone: number;
  stopped: boolean; // true when stopped before the last step
  metrics: StepMetrics[];
  elapsedMs: number;
  /** Stacked training only: the step at which this model's loss became NaN or infinite (it stopped there). */
  diverged?: { step: number; loss: number };
  /** Stacked training only: the step of a snapshot this stage went on from (steps up to it were trained before a cut). */
  resumedAt?: number;
}

/** The loss became NaN or infinite: training stops there, naming the step. */
export class DivergedError extends Error {
  constructor(readonly stage: string, readonly step: number, readonly loss: number) {
    super(`training diverged: the loss became ${loss} at step ${step} of stage "${stage}"`);
    this.name = 'DivergedError';
  }
}

export class Trainer {
  readonly optimizer: AdamW;

  constructor(readonly model: GPT, adamw: AdamWSettings = DEFAULT_ADAMW) {
    this.optimizer = new AdamW(model.params, adamw);
  }

  /** One AdamW step. Returns [loss, gradNorm] scalars that the caller disposes. */
  step(batch: Batch, lr: number): [tf.Scalar, tf.Scalar] {
    const { blockSize: T } = this.model.config;
    const B = batch.inputs.length / T;
    return tf.tidy(() => {
      const inputs = tf.tensor2d(batch.inputs, [B, T], 'int32');
      const targets = tf.tensor2d(batch.targets, [B, T], 'int32');
      const mask = tf.tensor2d(batch.mask, [B, T], 'float32');
      const { value, grads } = tf.variableGrads(() => this.model.loss(inputs, targets, mask), this.model.params);
      const gradNorm = this.optimizer.apply(this.model.params.map((p) => grads[p.name]), lr);
      return [value, gradNorm] as [tf.Scalar, tf.Scalar];
    });
  }

  async runStage(
    s: StageSettings,
    sampler: BatchSampler,
    control: RunControl,
    onProgress: (p: Progress) => void = () => {},
  ): Promise<StageResult> {
    const schedule = { peakLr: s.peakLr, minLr: s.minLr, warmupSteps: s.warmupSteps, totalSteps: s.steps };
    const metrics: StepMetrics[] = [];
    const pending: Array<{ step: number; lr: number; loss: tf.Scalar; gradNorm: tf.Scalar }> = [];
    const start = performance.now();
    let done = 0;
    let tokens = 0;

    const readBack = async () => {
      if (pending.length === 0) return;
      const stacked = tf.stack(pending.flatMap((p) => [p.loss, p.gradNorm]));
      const values = await stacked.data();
      stacked.dispose();
      const fresh = pending.map((p, i) => ({ stage: s.name, step: p.step, lr: p.lr, loss: values[2 * i], gradNorm: values[2 * i + 1] }));
      pending.forEach((p) => (p.loss.dispose(), p.gradNorm.dispose()));
      pending.length = 0;
      metrics.push(...fresh);
      const bad = fresh.find((m) => !Number.isFinite(m.loss));
      if (bad) throw new DivergedError(s.name, bad.step, bad.loss);
      const elapsedMs = performance.now() - start;
      onProgress({ stage: s.name, step: done, steps: s.steps, metrics: fresh, tokensPerSecond: tokens / (elapsedMs / 1000), elapsedMs });
      // A macrotask turn, so pause/stop messages from the page are delivered between steps.
      await new Promise((r) => setTimeout(r, 0));
    };

    try {
      while (done < s.steps && (await control.shouldContinue())) {
        const lr = learningRate(schedule, done);
        const batch = sampler.next();
        const [loss, gradNorm] = this.step(batch, lr);
        done++;
        tokens += batch.inputs.length;
        pending.push({ step: done, lr, loss, gradNorm });
        if (pending.length >= s.readEvery || done === s.steps) await readBack();
      }
      await readBack();
    } finally {
      pending.forEach((p) => (p.loss.dispose(), p.gradNorm.dispose()));
    }
    return { stage: s.name, stepsDone: done, stopped: done < s.steps, metrics, elapsedMs: performance.now() - start };
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
