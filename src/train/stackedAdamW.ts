// AdamW for a StackedGPT: the same update as adamw.ts, on the flat [M, P] parameters, so one
// step is about twenty kernels whatever the number of parameters and models. Each model has
// its own learning rate (its own stage schedule) and its own gradient-norm clipping.
import * as tf from '@tensorflow/tfjs';
import type { StackedGPT } from '../model/stackedGpt';
import { variableFrom } from '../model/variables';
import { DEFAULT_ADAMW, type AdamWSettings } from './adamw';

export class StackedAdamW {
  readonly m: tf.Variable; // [M, P] first moments
  readonly v: tf.Variable; // [M, P] second moments
  step = 0;

  constructor(private readonly model: StackedGPT, readonly settings: AdamWSettings = DEFAULT_ADAMW) {
    this.m = variableFrom(tf.zerosLike(model.flat), false);
    this.v = variableFrom(tf.zerosLike(model.flat), false);
  }

  /**
   * One update from grad [M, P] with learning rate lrs[m] for model m (0 leaves a model exactly
   * as it is). Returns each model's gradient norm before clipping, [M], which the caller owns.
   */
  apply(grad: tf.Tensor2D, lrs: number[]): tf.Tensor1D {
    this.step++;
    const { beta1, beta2, eps, weightDecay, gradClip } = this.settings;
    const correction = Math.sqrt(1 - beta2 ** this.step) / (1 - beta1 ** this.step);
    const p = this.model.flat;
    return tf.tidy(() => {
      const lr = tf.tensor2d(lrs, [lrs.length, 1]);
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

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
