// AdamW for a StackedGPT: the same update as adamw.ts, on the flat [M, P] parameters, so one
// step is about twenty kernels whatever the number of parameters and models. Each model has
// its own learning rate (its own stage schedule), its own gradient-norm clipping and its own
// step count: a model resumed from a snapshot may share a stack with one starting its stage.
import * as tf from '@tensorflow/tfjs';
import type { OptimizerState } from '../checkpoint/format';
import type { StackedGPT } from '../model/stackedGpt';
import { variableFrom } from '../model/variables';
import { DEFAULT_ADAMW, type AdamWSettings } from './adamw';

export class StackedAdamW {
  readonly m: tf.Variable; // [M, P] first moments
  readonly v: tf.Variable; // [M, P] second moments
  /** Updates applied to each model so far: its bias correction. */
  readonly steps: number[];

  constructor(private readonly model: StackedGPT, readonly settings: AdamWSettings = DEFAULT_ADAMW) {
    this.m = variableFrom(tf.zerosLike(model.flat), false);
    this.v = variableFrom(tf.zerosLike(model.flat), false);
    this.steps = Array.from({ length: model.count }, () => 0);
  }

  /**
   * One update from grad [M, P] with learning rate lrs[m] for model m (0 leaves a model exactly
   * as it is). Returns each model's gradient norm before clipping, [M], which the caller owns.
   */
  apply(grad: tf.Tensor2D, lrs: number[]): tf.Tensor1D {
    const { beta1, beta2, eps, weightDecay, gradClip } = this.settings;
    // Bias correction per model, computed here in float64 and multiplied in as float32: with
    // equal steps, every row gets the very value a scalar would give.
    const corrections = this.steps.map((s, i) => {
      this.steps[i] = s + 1;
      return Math.sqrt(1 - beta2 ** (s + 1)) / (1 - beta1 ** (s + 1));
    });
    const p = this.model.flat;
    return tf.tidy(() => {
      const lr = tf.tensor2d(lrs, [lrs.length, 1]);
      const correction = tf.tensor2d(corrections, [corrections.length, 1]); // [M, 1]
      const norm = grad.square().sum(1, true).sqrt(); // [M, 1]
      const g = gradClip > 0 ? grad.mul(tf.minimum(1, tf.div(gradClip, norm.add(1e-6)))) : grad;
      const m = this.m.mul(beta1).add(g.mul(1 - beta1));
      const v = this.v.mul(beta2).add(g.square().mul(1 - beta2));
      this.m.assign(m);
      this.v.assign(v);
      const adam = m.div(v.sqrt().add(eps)).mul(correction);
      const decay = p.mul(this.model.decayMask).mul(weightDecay);
      p.assign(p.sub(adam.add(decay).mul(lr)));
      return norm.reshape([lrs.length]) as tf.Tensor1D;
    });
  }

  /** Puts back each model's moments and step count from a snapshot; a model given none starts fresh (zeros, step 0). */
  restore(states: Array<OptimizerState | undefined>): void {
    const M = this.model.count;
    if (states.length !== M) throw new Error(`expected ${M} optimizer states, one per model, got ${states.length}`);
    if (states.every((s) => !s)) return;
    const P = this.m.shape[1]!;
    const m = new Float32Array(M * P);
    const v = new Float32Array(M * P);
    states.forEach((s, i) => {
      if (!s) return (this.steps[i] = 0);
      m.set(this.model.flatten(s.m, `model ${i}, optimizer m`), i * P);
      v.set(this.model.flatten(s.v, `model ${i}, optimizer v`), i * P);
      this.steps[i] = s.step;
    });
    tf.tidy(() => {
      this.m.assign(tf.tensor2d(m, [M, P]));
      this.v.assign(tf.tensor2d(v, [M, P]));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
