// M independent GPTs computed as one: the same transformer as gpt.ts, with a leading model axis
// on every tensor, so an experiment's arms, AFT sizes and seeds train in one step instead of
// one after another (a tiny model cannot fill a GPU, and each kernel costs a fixed dispatch).
//
// All parameters of all models live in one variable, flat [M, P] in parameterShapes order, so
// the optimizer updates everything with a handful of kernels; the forward pass splits it into
// [M, ...shape] views (split's gradient is one concat).
import * as tf from '@tensorflow/tfjs';
import { type GPTConfig, parameterShapes, validateConfig } from './config';
import { embed } from './embedding';
import { gelu } from './gelu';
import { matMulPerModel } from './matmul';
import { variableFrom } from './variables';

export class StackedGPT {
  readonly config: GPTConfig;
  readonly count: number; // M, the number of models
  readonly flat: tf.Variable; // [M, P]
  /** [1, P]: 1 where weight decay applies (matrices), 0 on LayerNorm gains and biases. */
  readonly decayMask: tf.Tensor2D;
  private readonly shapes: Array<[string, number[]]>;
  private readonly sizes: number[];
  private readonly causalMasks = new Map<number, tf.Tensor2D>();

  private constructor(config: GPTConfig, models: Float32Array[][]) {
    validateConfig(config);
    if (models.length === 0) throw new Error('a stack needs at least one model');
    this.config = { ...config };
    this.count = models.length;
    this.shapes = parameterShapes(config);
    this.sizes = this.shapes.map(([, s]) => s.reduce((a, b) => a * b, 1));
    const P = this.sizes.reduce((a, b) => a + b, 0);
    const values = new Float32Array(this.count * P);
    models.forEach((weights, m) => values.set(this.flatten(weights, `model ${m}`), m * P));
    this.flat = variableFrom(tf.tensor2d(values, [this.count, P]), true, `stack_${nextId++}`);
    const decay = new Float32Array(P);
    let offset = 0;
    this.shapes.forEach(([, shape], i) => {
      if (shape.length >= 2) decay.fill(1, offset, offset + this.sizes[i]);
      offset += this.sizes[i];
    });
    this.decayMask = tf.keep(tf.tensor2d(decay, [1, P]));
  }

  /** A stack of the given models' weights (each in parameterShapes order). */
  static fromWeights(config: GPTConfig, models: Float32Array[][]): StackedGPT {
    return new StackedGPT(config, models);
  }

  /** Each model's weights, in parameterShapes order. */
  async exportWeights(): Promise<Float32Array[][]> {
    return this.perModel((await this.flat.data()) as Float32Array);
  }

  /** One model's arrays in parameterShapes order (weights or optimizer moments) as one row of P values. */
  flatten(arrays: Float32Array[], what: string): Float32Array {
    if (arrays.length !== this.shapes.length) throw new Error(`${what}: expected ${this.shapes.length} parameter arrays, got ${arrays.length}`);
    const row = new Float32Array(this.sizes.reduce((a, b) => a + b, 0));
    let offset = 0;
    arrays.forEach((a, i) => {
      if (a.length !== this.sizes[i]) throw new Error(`${what}, ${this.shapes[i][0]}: expected ${this.sizes[i]} values, got ${a.length}`);
      row.set(a, offset);
      offset += a.length;
    });
    return row;
  }

  /** [M, P] values read back (weights or moments) as each model's arrays, in parameterShapes order. */
  perModel(values: Float32Array): Float32Array[][] {
    const P = values.length / this.count;
    return Array.from({ length: this.count }, (_, m) => {
      let offset = m * P;
      return this.sizes.map((size) => values.slice(offset, (offset += size)));
    });
  }

  /**
   * Each model's mean next-token loss over the positions where mask is 1: [M].
   * ids and targets [M, B, T] int32 with T <= blockSize, mask [M, B, T] float32. Call inside tf.tidy.
   */
  losses(ids: tf.Tensor3D, targets: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor1D {
    const [M, B, T] = ids.shape;
    const logits = this.forward(ids); // [M, B*T, V]
    const pick = tf.oneHot(targets.reshape([M, B * T]), this.config.vocabSize).cast('float32');
    const logp = tf.logSoftmax(logits).mul(pick).sum(-1); // [M, B*T]
    const m = mask.reshape([M, B * T]);
    return logp.mul(m).sum(1).neg().div(m.sum(1).maximum(1)) as tf.Tensor1D;
  }

  /**
   * The same losses from packed rows (src/train/packing.ts): several examples a row, each with
   * its own positions and attention only within itself, and only the K counted positions
   * through the final LayerNorm and the head. ids, positions, segments [M, R, T] int32 (segment
   * -1 on padding); at, targets [M, K] int32 (at: flat r*T + t, distinct); weights [M, K]
   * float32. With queryMask [M*R, Q, T] (K = R*Q, at grouped Q a row), the last block runs at
   * the positions `at` only. Returns [M]. Call inside tf.tidy.
   */
  packedLosses(ids: tf.Tensor3D, positions: tf.Tensor3D, segments: tf.Tensor3D, at: tf.Tensor2D, targets: tf.Tensor2D, weights: tf.Tensor2D, queryMask?: tf.Tensor3D): tf.Tensor1D {
    const { blockSize, nLayer, nEmbd: C, vocabSize: V } = this.config;
    const [M, R, T] = ids.shape;
    const K = at.shape[1];
    if (M !== this.count) throw new Error(`packedLosses expects [${this.count}, R, T <= ${blockSize}] ids, got [${ids.shape}]`);
    const p = this.views();
    const tok = embed(p.get('wte') as tf.Tensor3D, ids.reshape([M, R * T])); // [M, R*T, C]
    const pos = embed(p.get('wpe') as tf.Tensor3D, positions.reshape([M, R * T])); // [M, R*T, C]
    let x = tok.add(pos) as tf.Tensor3D;
    // [M*R, 1, T, T]: 0 where a token may look (itself and earlier tokens of its own example), -1e9 elsewhere.
    // Built from float differences (1 where two positions belong to different examples): on
    // wasm, equal and int32 arithmetic take a generic broadcasting loop that cost 8 ms a step
    // here, float subtraction 0.2 ms. The values are the same either way.
    const seg = segments.reshape([M * R, T]).cast('float32');
    const apart = seg.expandDims(2).sub(seg.expandDims(1)).square().minimum(1);
    const mask = apart.mul(-1e9).add(this.causalMask(T)).expandDims(1);
    const full = queryMask ? nLayer - 1 : nLayer; // blocks run at every position
    for (let l = 0; l < full; l++) {
      x = x.add(this.attention(this.layerNorm(x, p, `h${l}.ln1`), p, R, T, l, mask));
      x = x.add(this.mlp(this.layerNorm(x, p, `h${l}.ln2`), p, l));
    }
    // Model m's positions start at m * R * T in the flattened [M*R*T, C] activations.
    const offsets = tf.range(0, M * R * T, R * T, 'int32').reshape([M, 1]);
    const flatAt = at.add(offsets).reshape([M * K]) as tf.Tensor1D;
    const counted = queryMask
      ? this.lastBlockAt(x, p, R, T, flatAt, queryMask) // [M, K, C]
      : (gatherRows(x.reshape([M * R * T, C]) as tf.Tensor2D, flatAt).reshape([M, K, C]) as tf.Tensor3D);
    const logits = matMulPerModel(this.layerNorm(counted, p, 'lnf'), p.get('wte')!.transpose([0, 2, 1]) as tf.Tensor3D); // [M, K, V]
    const pick = tf.oneHot(targets, V).cast('float32');
    const logp = tf.logSoftmax(logits).mul(pick).sum(-1); // [M, K]
    return logp.mul(weights).sum(1).neg().div(weights.sum(1).maximum(1)) as tf.Tensor1D;
  }

  /** ids [M, B, T] int32 -> logits [M, B*T, V]. A T below blockSize uses the first T positions. */
  forward(ids: tf.Tensor3D): tf.Tensor3D {
    const { blockSize, nLayer, nEmbd: C } = this.config;
    const [M, B, T] = ids.shape;
    if (M !== this.count || T > blockSize) throw new Error(`forward expects [${this.count}, B, T <= ${blockSize}] ids, got [${ids.shape}]`);
    const p = this.views();
    const tok = embed(p.get('wte') as tf.Tensor3D, ids.reshape([M, B * T])); // [M, B*T, C]
    const pos = p.get('wpe')!.slice([0, 0, 0], [M, T, C]).reshape([M, 1, T, C]);
    let x = tok.reshape([M, B, T, C]).add(pos).reshape([M, B * T, C]) as tf.Tensor3D;
    for (let l = 0; l < nLayer; l++) {
      x = x.add(this.attention(this.layerNorm(x, p, `h${l}.ln1`), p, B, T, l));
      x = x.add(this.mlp(this.layerNorm(x, p, `h${l}.ln2`), p, l));
    }
    x = this.layerNorm(x, p, 'lnf');
    return matMulPerModel(x, p.get('wte')!.transpose([0, 2, 1]) as tf.Tensor3D); // [M, B*T, V], tied head
  }

  // The last block at Q query positions a row: keys and values from every position of the row,
  // queries, attention output, MLP only at `at` (flat over M*R*T, Q a row). -> [M, R*Q, C]
  private lastBlockAt(x: tf.Tensor3D, p: Map<string, tf.Tensor>, R: number, T: number, at: tf.Tensor1D, queryMask: tf.Tensor3D): tf.Tensor3D {
    const { nLayer, nHead: nh, nEmbd: C } = this.config;
    const M = this.count;
    const hs = C / nh;
    const Q = queryMask.shape[1];
    const l = nLayer - 1;
    const w = (n: string) => p.get(`h${l}.attn.${n}`)!;
    const qkv = matMulPerModel(this.layerNorm(x, p, `h${l}.ln1`), w('wqkv') as tf.Tensor3D).add(w('bqkv').expandDims(1)); // [M, R*T, 3C]
    const heads = qkv.reshape([M * R, T, 3 * nh, hs]).transpose([0, 2, 1, 3]); // [M*R, 3nh, T, hs]
    const [, k, v] = tf.split(heads.reshape([M * R, 3, nh * T * hs]), 3, 1).map((s) => s.reshape([M * R * nh, T, hs]));
    const picked = gatherRows(qkv.reshape([M * R * T, 3 * C]) as tf.Tensor2D, at); // [M*R*Q, 3C]; q is the first C columns
    const q = picked.slice([0, 0], [M * R * Q, C]).reshape([M * R, Q, nh, hs]).transpose([0, 2, 1, 3]).reshape([M * R * nh, Q, hs]);
    const scores = tf.matMul(q, k, false, true).mul(1 / Math.sqrt(hs)); // [M*R*nh, Q, T]
    const att = scores.reshape([M * R, nh, Q, T]).add(queryMask.expandDims(1)).reshape([M * R * nh, Q, T]).softmax();
    const y = tf.matMul(att, v).reshape([M * R, nh, Q, hs]).transpose([0, 2, 1, 3]).reshape([M, R * Q, C]) as tf.Tensor3D;
    const residual = gatherRows(x.reshape([M * R * T, C]) as tf.Tensor2D, at).reshape([M, R * Q, C]);
    const h = residual.add(matMulPerModel(y, w('wo') as tf.Tensor3D).add(w('bo').expandDims(1))) as tf.Tensor3D;
    return h.add(this.mlp(this.layerNorm(h, p, `h${l}.ln2`), p, l));
  }

  // Every parameter as [M, ...shape], cut from the flat variable in one split.
  private views(): Map<string, tf.Tensor> {
    const parts = tf.split(this.flat, this.sizes, 1);
    return new Map(this.shapes.map(([name, shape], i) => [name, parts[i].reshape([this.count, ...shape])]));
  }

  private layerNorm(x: tf.Tensor3D, p: Map<string, tf.Tensor>, name: string): tf.Tensor3D {
    const { mean, variance } = tf.moments(x, -1, true);
    const g = p.get(`${name}.g`)!.expandDims(1); // [M, 1, C]
    const b = p.get(`${name}.b`)!.expandDims(1);
    return x.sub(mean).mul(variance.add(1e-5).rsqrt()).mul(g).add(b);
  }

  // mask: [T, T] causal, or [M*B, 1, T, T] one per row (packed rows).
  private attention(x: tf.Tensor3D, p: Map<string, tf.Tensor>, B: number, T: number, l: number, mask: tf.Tensor = this.causalMask(T)): tf.Tensor3D {
    const { nHead: nh, nEmbd: C } = this.config;
    const M = this.count;
    const hs = C / nh;
    const w = (n: string) => p.get(`h${l}.attn.${n}`)!;
    const qkv = matMulPerModel(x, w('wqkv') as tf.Tensor3D).add(w('bqkv').expandDims(1)); // [M, B*T, 3C]
    const heads = qkv.reshape([M * B, T, 3 * nh, hs]).transpose([0, 2, 1, 3]); // [M*B, 3nh, T, hs]
    const [q, k, v] = tf.split(heads.reshape([M * B, 3, nh * T * hs]), 3, 1).map((s) => s.reshape([M * B * nh, T, hs]));
    const scores = tf.matMul(q, k, false, true).mul(1 / Math.sqrt(hs)); // [M*B*nh, T, T]
    const masked = mask.rank === 2 ? scores.add(mask) : scores.reshape([M * B, nh, T, T]).add(mask).reshape([M * B * nh, T, T]);
    const att = masked.softmax();
    const y = tf.matMul(att, v).reshape([M * B, nh, T, hs]).transpose([0, 2, 1, 3]).reshape([M, B * T, C]) as tf.Tensor3D;
    return matMulPerModel(y, w('wo') as tf.Tensor3D).add(w('bo').expandDims(1));
  }

  private mlp(x: tf.Tensor3D, p: Map<string, tf.Tensor>, l: number): tf.Tensor3D {
    const w = (n: string) => p.get(`h${l}.mlp.${n}`)!;
    const h = gelu(matMulPerModel(x, w('wi') as tf.Tensor3D).add(w('bi').expandDims(1)) as tf.Tensor3D); // [M, B*T, 4C]
    return matMulPerModel(h, w('wo') as tf.Tensor3D).add(w('bo').expandDims(1));
  }

  // [T, T]: 0 on and below the diagonal, -1e9 above; one per sequence length, kept.
  private causalMask(T: number): tf.Tensor2D {
    let mask = this.causalMasks.get(T);
    if (!mask) {
      const values = new Float32Array(T * T);
      for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) values[i * T + j] = -1e9;
      mask = tf.keep(tf.tensor2d(values, [T, T]));
      this.causalMasks.set(T, mask);
    }
    return mask;
  }

  dispose(): void {
    this.flat.dispose();
    this.decayMask.dispose();
    this.causalMasks.forEach((m) => m.dispose());
  }
}

let nextId = 0;

/**
 * x [N, C], at [K] int32 of distinct rows -> [K, C]. Its gradient is a scatter of dy into those
 * rows (the wasm backend has no kernel for gather's own gradient, UnsortedSegmentSum).
 */
const gatherRows = tf.customGrad((...args: unknown[]) => {
  const [x, at, save] = args as [tf.Tensor2D, tf.Tensor1D, (t: tf.Tensor[]) => void];
  save([at]);
  const shape = x.shape;
  return {
    value: tf.gather(x, at),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [savedAt] = saved as [tf.Tensor1D];
      return [tf.scatterND(savedAt.expandDims(1), dy as tf.Tensor2D, shape), tf.zerosLike(savedAt)];
    },
  };
}) as (x: tf.Tensor2D, at: tf.Tensor1D) => tf.Tensor2D;
