// AdamW (Loshchilov & Hutter): Adam moments with weight decay applied to the weights directly,
// not through the gradient, and global-norm gradient clipping. Everything stays on the device:
// the clip factor is a tensor, so a step never reads a value back to JavaScript.
import * as tf from '@tensorflow/tfjs';
import { variableFrom } from '../model/variables';

export interface AdamWSettings {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  gradClip: number; // max global gradient norm; 0 turns clipping off
}

export const DEFAULT_ADAMW: AdamWSettings = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, gradClip: 1 };

export class AdamW {
  readonly settings: AdamWSettings;
  private readonly params: tf.Variable[];
  private readonly decays: boolean[]; // weight decay on matrices only, not on LayerNorm gains or biases
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  step = 0;

  constructor(params: tf.Variable[], settings: AdamWSettings = DEFAULT_ADAMW) {
    this.settings = settings;
    this.params = params;
    this.decays = params.map((p) => p.rank >= 2);
    this.m = params.map((p) => variableFrom(tf.zerosLike(p), false));
    this.v = params.map((p) => variableFrom(tf.zerosLike(p), false));
  }

  /**
   * Applies one update from `grads` (same order as the params) at learning rate `lr`.
   * Returns the global gradient norm before clipping, a scalar the caller owns.
   */
  apply(grads: tf.Tensor[], lr: number): tf.Scalar {
    this.step++;
    const { beta1, beta2, eps, weightDecay, gradClip } = this.settings;
    // Bias correction folded into the step size (Kingma & Ba, section 2).
    const stepSize = (lr * Math.sqrt(1 - beta2 ** this.step)) / (1 - beta1 ** this.step);
    return tf.tidy(() => {
      const norm = tf.sqrt(addAll(grads.map((g) => g.square().sum()))) as tf.Scalar;
      const scale = gradClip > 0 ? tf.minimum(1, tf.div(gradClip, norm.add(1e-6))) : tf.scalar(1);
      grads.forEach((raw, i) => {
        const g = raw.mul(scale);
        const m = this.m[i].mul(beta1).add(g.mul(1 - beta1));
        const v = this.v[i].mul(beta2).add(g.square().mul(1 - beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        let update = m.div(v.sqrt().add(eps)).mul(stepSize);
        if (this.decays[i] && weightDecay > 0) update = update.add(this.params[i].mul(lr * weightDecay));
        this.params[i].assign(this.params[i].sub(update));
      });
      return tf.keep(norm);
    });
  }

  /** Zero moments and step count: each training stage starts its own optimizer. */
  reset(): void {
    tf.tidy(() => [...this.m, ...this.v].forEach((t) => t.assign(tf.zerosLike(t))));
    this.step = 0;
  }

  /** Moments and step count, for a checkpoint. */
  async exportState(): Promise<{ step: number; m: Float32Array[]; v: Float32Array[] }> {
    const read = (vs: tf.Variable[]) => Promise.all(vs.map(async (t) => new Float32Array(await t.data())));
    return { step: this.step, m: await read(this.m), v: await read(this.v) };
  }

  importState(state: { step: number; m: Float32Array[]; v: Float32Array[] }): void {
    if (state.m.length !== this.m.length || state.v.length !== this.v.length) throw new Error('optimizer state does not match the model');
    tf.tidy(() => {
      state.m.forEach((a, i) => this.m[i].assign(tf.tensor(a, this.m[i].shape)));
      state.v.forEach((a, i) => this.v[i].assign(tf.tensor(a, this.v[i].shape)));
    });
    this.step = state.step;
  }

  dispose(): void {
    [...this.m, ...this.v].forEach((t) => t.dispose());
  }
}

/**
 * Sum of many same-shape tensors, in addN groups of at most 7 inputs: a WebGPU shader may bind
 * only 8 storage buffers (the default limit, and SwiftShader's), and addN binds one per input.
 */
export function addAll(tensors: tf.Tensor[]): tf.Tensor {
  let level = tensors;
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += 7) {
      const group = level.slice(i, i + 7);
      next.push(group.length === 1 ? group[0] : tf.addN(group));
    }
    level = next;
  }
  return level[0];
}
