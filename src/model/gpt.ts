// A decoder-only transformer (GPT) written with raw tf.variables, readable top to bottom:
// token + learned position embeddings -> nLayer pre-LayerNorm blocks (causal multi-head
// attention with a fused QKV projection, GELU MLP) -> final LayerNorm -> head tied to the
// token embedding. No dropout: toy runs are short and must reproduce from their seeds.
//
// Shapes never change during a run: every batch is [B, T] with T = blockSize (padded), so
// the WebGPU backend compiles each kernel once and reuses one buffer pool.
import * as tf from '@tensorflow/tfjs';
import { type GPTConfig, parameterShapes, validateConfig } from './config';
import { Random } from '../util/random';
import { variableFrom } from './variables';
import { matMul2d } from './matmul';
import { embed } from './embedding';
import { gelu } from './gelu';

export class GPT {
  readonly config: GPTConfig;
  /** Parameters in parameterShapes(config) order; checkpoints and the optimizer rely on it. */
  readonly params: tf.Variable[];
  private readonly byName: Map<string, tf.Variable>;
  private readonly causalMask: tf.Tensor2D; // [T, T]: 0 on and below the diagonal, -1e9 above

  private constructor(config: GPTConfig, values: Float32Array[]) {
    validateConfig(config);
    this.config = { ...config };
    const shapes = parameterShapes(config);
    if (values.length !== shapes.length) throw new Error(`expected ${shapes.length} parameter arrays, got ${values.length}`);
    this.params = shapes.map(([name, shape], i) => {
      const size = shape.reduce((a, b) => a * b, 1);
      if (values[i].length !== size) throw new Error(`${name}: expected ${size} values, got ${values[i].length}`);
      return variableFrom(tf.tensor(values[i], shape, 'float32'), true, `${name}_${nextId++}`);
    });
    this.byName = new Map(shapes.map(([name], i) => [name, this.params[i]]));
    const T = config.blockSize;
    const mask = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mask[i * T + j] = -1e9;
    this.causalMask = tf.keep(tf.tensor2d(mask, [T, T]));
  }

  /** Fresh weights from a seeded generator (the same seed gives the same model on every backend). */
  static init(config: GPTConfig, seed: number): GPT {
    const rng = new Random(seed);
    // GPT-2 init: N(0, 0.02); residual projections scaled by 1/sqrt(2 nLayer) so the
    // residual stream's variance does not grow with depth.
    const residualStd = 0.02 / Math.sqrt(2 * config.nLayer);
    const values = parameterShapes(config).map(([name, shape]) => {
      const a = new Float32Array(shape.reduce((x, y) => x * y, 1));
      if (name.endsWith('.g')) a.fill(1);
      else if (/\.b\w*$/.test(name)) a.fill(0); // LayerNorm shifts and biases
      else {
        const std = name.endsWith('attn.wo') || name.endsWith('mlp.wo') ? residualStd : 0.02;
        for (let i = 0; i < a.length; i++) a[i] = rng.normal() * std;
      }
      return a;
    });
    return new GPT(config, values);
  }

  /** A model with the given weights (parameterShapes order), e.g. from a checkpoint. */
  static fromWeights(config: GPTConfig, weights: Float32Array[]): GPT {
    return new GPT(config, weights);
  }

  /** Copies of the current weights, in parameterShapes order. */
  async exportWeights(): Promise<Float32Array[]> {
    return Promise.all(this.params.map(async (p) => new Float32Array(await p.data())));
  }

  param(name: string): tf.Variable {
    const p = this.byName.get(name);
    if (!p) throw new Error(`no parameter named ${name}`);
    return p;
  }

  /**
   * ids [B, T] int32 -> logits [B*T, V], or [K, V] at the K flat positions `at` (the head is
   * most of the cost, and sampling or scoring needs only a few positions). Rows shorter than
   * blockSize (t < T) are padded rows cut short, or, with a layout, packed rows: each token's
   * position [B, t] int32 and an additive attention mask [B, t, t] (0 where a token may look,
   * -1e9 elsewhere) in place of the causal one. Call inside tf.tidy.
   */
  forward(ids: tf.Tensor2D, at?: tf.Tensor1D, layout?: { positions: tf.Tensor2D; mask: tf.Tensor3D }, cache?: KVCache): tf.Tensor2D {
    const { blockSize: T, nLayer, nEmbd: C } = this.config;
    const [B, t] = ids.shape;
    if (t > T) throw new Error(`forward expects [B, t <= ${T}] ids, got [${B}, ${t}]`);
    const tok = embed(this.param('wte').expandDims(0) as tf.Tensor3D, ids.reshape([1, B * t])); // [1, B*t, C]
    const wpe = this.param('wpe');
    const pos = layout ? tf.gather(wpe, layout.positions.reshape([B * t])).reshape([B, t, C]) : t === T ? wpe : wpe.slice([0, 0], [t, C]);
    let x = tok.reshape([B, t, C]).add(pos).reshape([B * t, C]) as tf.Tensor2D; // [B*t, C]
    // [t, t] causal, or [B, 1, t, t] one per row
    const mask = layout ? layout.mask.expandDims(1) : t === T ? this.causalMask : this.causalMask.slice([0, 0], [t, t]);
    for (let l = 0; l < nLayer; l++) {
      x = x.add(this.attention(this.layerNorm(x, `h${l}.ln1`), B, t, l, mask, cache));
      x = x.add(this.mlp(this.layerNorm(x, `h${l}.ln2`), l));
    }
    x = this.layerNorm(x, 'lnf');
    if (at) x = tf.gather(x, at); // [K, C]
    return matMul2d(x, this.param('wte') as tf.Tensor2D, false, true); // [B*T or K, V], tied head
  }

  private layerNorm(x: tf.Tensor2D, name: string): tf.Tensor2D {
    const { mean, variance } = tf.moments(x, -1, true);
    return x.sub(mean).mul(variance.add(1e-5).rsqrt()).mul(this.param(`${name}.g`)).add(this.param(`${name}.b`));
  }

  private attention(x: tf.Tensor2D, B: number, T: number, l: number, mask: tf.Tensor, cache?: KVCache): tf.Tensor2D {
    const { nHead: nh, nEmbd: C } = this.config;
    const hs = C / nh;
    const p = `h${l}.attn.`;
    // One matmul for q, k and v; [B*T, C] keeps it 2-D so its gradient needs no broadcast sum.
    const qkv = matMul2d(x, this.param(p + 'wqkv') as tf.Tensor2D).add(this.param(p + 'bqkv')); // [B*T, 3C]
    const heads = qkv.reshape([B, T, 3 * nh, hs]).transpose([0, 2, 1, 3]); // [B, 3nh, T, hs]
    const [q, k, v] = tf.split(heads.reshape([B, 3, nh * T * hs]), 3, 1).map((s) => s.reshape([B * nh, T, hs]));
    if (cache) (cache.keys[l] = k as tf.Tensor3D), (cache.values[l] = v as tf.Tensor3D);
    const scores = tf.matMul(q, k, false, true).mul(1 / Math.sqrt(hs)); // [B*nh, T, T]
    const att = (mask.rank === 2 ? scores.add(mask) : scores.reshape([B, nh, T, T]).add(mask).reshape([B * nh, T, T])).softmax();
    const y = tf.matMul(att, v).reshape([B, nh, T, hs]).transpose([0, 2, 1, 3]).reshape([B * T, C]); // [B*T, C]
    return matMul2d(y as tf.Tensor2D, this.param(p + 'wo') as tf.Tensor2D).add(this.param(p + 'bo'));
  }

  /**
   * One new token a row, at the cache's next place: tokens and positions [B] int32 (position <
   * blockSize: the token's place in its row), cache from forward over [B, blockSize] rows (or
   * from the last step). Returns the logits [B, V] at the new tokens and the cache with their keys
   * and values written at their positions; every earlier position of the row is as forward
   * left it. The same logits as forward over the whole rows, for 1/T of the work. Call inside tf.tidy.
   */
  decodeStep(tokens: tf.Tensor1D, positions: tf.Tensor1D, cache: KVCache): { logits: tf.Tensor2D; cache: KVCache } {
    const { blockSize: T, nLayer, nHead: nh, nEmbd: C } = this.config;
    const hs = C / nh;
    const B = tokens.shape[0];
    let x = tf.gather(this.param('wte'), tokens).add(tf.gather(this.param('wpe'), positions)) as tf.Tensor2D; // [B, C]
    const slot = tf.oneHot(positions, T).cast('float32').reshape([B, 1, T, 1]); // where each row's new key and value go
    const keep = tf.scalar(1).sub(slot);
    // [B, 1, 1, T]: a token sees its row up to its own position.
    const mask = tf.range(0, T, 1, 'int32').reshape([1, T]).greater(positions.reshape([B, 1])).cast('float32').mul(-1e9).reshape([B, 1, 1, T]);
    const next: KVCache = { keys: [], values: [] };
    for (let l = 0; l < nLayer; l++) {
      const p = `h${l}.attn.`;
      const qkv = matMul2d(this.layerNorm(x, `h${l}.ln1`), this.param(p + 'wqkv') as tf.Tensor2D).add(this.param(p + 'bqkv')); // [B, 3C]
      const [q, k, v] = tf.split(qkv, 3, 1).map((s) => s.reshape([B, nh, 1, hs]));
      const write = (old: tf.Tensor3D, fresh: tf.Tensor) => old.reshape([B, nh, T, hs]).mul(keep).add(fresh.mul(slot)).reshape([B * nh, T, hs]) as tf.Tensor3D;
      next.keys[l] = write(cache.keys[l], k);
      next.values[l] = write(cache.values[l], v);
      const scores = tf.matMul(q.reshape([B * nh, 1, hs]), next.keys[l], false, true).mul(1 / Math.sqrt(hs)); // [B*nh, 1, T]
      const att = scores.reshape([B, nh, 1, T]).add(mask).reshape([B * nh, 1, T]).softmax();
      const y = tf.matMul(att, next.values[l]).reshape([B, C]) as tf.Tensor2D; // heads side by side, as forward lays them
      x = x.add(matMul2d(y, this.param(p + 'wo') as tf.Tensor2D).add(this.param(p + 'bo')));
      x = x.add(this.mlp(this.layerNorm(x, `h${l}.ln2`), l));
    }
    const logits = matMul2d(this.layerNorm(x, 'lnf'), this.param('wte') as tf.Tensor2D, false, true); // [B, V]
    return { logits, cache: next };
  }

  private mlp(x: tf.Tensor2D, l: number): tf.Tensor2D {
    const p = `h${l}.mlp.`;
    const h = gelu(matMul2d(x, this.param(p + 'wi') as tf.Tensor2D).add(this.param(p + 'bi')) as tf.Tensor2D); // [B*T, 4C]
    return matMul2d(h, this.param(p + 'wo') as tf.Tensor2D).add(this.param(p + 'bo'));
  }

  /**
   * Log-probability of each target token, [B*T]. targets [B, T] int32.
   * Call inside tf.tidy.
   */
  tokenLogProbs(ids: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor1D {
    const logits = this.forward(ids);
    const logp = tf.logSoftmax(logits); // [B*T, V]
    const pick = oneHotFloat(targets.reshape([-1]), this.config.vocabSize);
    return logp.mul(pick).sum(-1) as tf.Tensor1D;
  }

  /** Mean next-token loss over positions where mask is 1. mask [B, T] float32. Call inside tf.tidy. */
  loss(ids: tf.Tensor2D, targets: tf.Tensor2D, mask: tf.Tensor2D): tf.Scalar {
    const m = mask.reshape([-1]);
    return this.tokenLogProbs(ids, targets).mul(m).sum().neg().div(m.sum().maximum(1)) as tf.Scalar;
  }

  dispose(): void {
    this.params.forEach((p) => p.dispose());
    this.causalMask.dispose();
  }
}

let nextId = 0; // variable names must be unique per TF.js engine

/** Every layer's keys and values for B rows, [B*nh, blockSize, hs] each: what decoding one token at a time reuses. */
export interface KVCache {
  keys: tf.Tensor3D[];
  values: tf.Tensor3D[];
}

/** One-hot rows as float32. (The wasm backend's OneHot writes integer bits into a float32 output, so cast instead.) */
function oneHotFloat(ids: tf.Tensor, depth: number): tf.Tensor2D {
  return tf.oneHot(ids as tf.Tensor1D, depth).cast('float32') as tf.Tensor2D;
}
