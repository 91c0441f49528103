import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/backend/node';
import type { GPTConfig } from '../../src/model/config';
import { GPT } from '../../src/model/gpt';
import { StackedGPT } from '../../src/model/stackedGpt';
import { BatchSampler, packRows, type Batch } from '../../src/train/batches';
import { RunControl } from '../../src/train/control';
import { drawAhead, packBatches, packShape } from '../../src/train/packing';
import { StackedTrainer } from '../../src/train/stackedTrainer';
import type { StageSettings } from '../../src/train/trainer';
import type { Example } from '../../src/tokenizer/tokenizer';
import { Random } from '../../src/util/random';

const CONFIG: GPTConfig = { vocabSize: 24, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16, mlpRatio: 2 };
const B = 6;

// Examples of 3 to 15 tokens; some count every next token (documents), some only their second
// half (chats with assistant-only loss), one counts nothing.
function examples(rng: Random, count: number): Example[] {
  return Array.from({ length: count }, (_, i) => {
    const length = 3 + rng.int(13);
    const ids = Array.from({ length }, () => 5 + rng.int(CONFIG.vocabSize - 5));
    const from = i % 3 === 0 ? Math.floor(length / 2) : 0;
    return { ids, lossMask: ids.map((_, t) => (i === 7 ? 0 : t >= from && t < length - 1 ? 1 : 0)) };
  });
}

// Chats with assistant-only loss: 4 to 10 tokens of prompt, then 2 to 4 counted tokens.
function chats(rng: Random, count: number): Example[] {
  return Array.from({ length: count }, () => {
    const prompt = 4 + rng.int(7);
    const length = prompt + 2 + rng.int(3);
    const ids = Array.from({ length }, () => 5 + rng.int(CONFIG.vocabSize - 5));
    return { ids, lossMask: ids.map((_, t) => (t >= prompt - 1 && t < length - 1 ? 1 : 0)) };
  });
}

const KINDS = { documents: examples, chats };
const batchOf = (seed: number, kind: keyof typeof KINDS = 'documents') => packRows(KINDS[kind](new Random(seed), B), CONFIG.blockSize);

describe('packBatches', () => {
  it('puts every counted position once, with its target and weight, in fewer rows', () => {
    const batches = [batchOf(4), batchOf(5)];
    const shape = packShape(batches, CONFIG.blockSize, CONFIG.blockSize);
    expect(shape.rows).toBeLessThan(B);
    const packed = packBatches(batches, CONFIG.blockSize, shape);
    const { rows: R, width: T, counted: K } = shape;
    batches.forEach((batch, m) => {
      const want = Array.from(batch.mask.entries()).filter(([, w]) => w > 0).map(([i]) => `${batch.targets[i]}:${batch.mask[i]}`).sort();
      const got: string[] = [];
      const seen = new Set<number>();
      for (let k = 0; k < K; k++) {
        const at = packed.at[m * K + k];
        expect(seen.has(at)).toBe(false); // distinct, so the gather's gradient is a plain scatter
        seen.add(at);
        expect(at).toBeLessThan(R * T);
        if (packed.weights[m * K + k] > 0) got.push(`${packed.targets[m * K + k]}:${packed.weights[m * K + k]}`);
        else expect(packed.segments[m * R * T + at] === -1 || packed.weights[m * K + k] === 0).toBe(true);
      }
      expect(got.sort()).toEqual(want);
    });
  });

  it('refuses a batch that needs more rows than the shape', () => {
    const shape = packShape([batchOf(1)], CONFIG.blockSize, CONFIG.blockSize);
    expect(() => packBatches([batchOf(3)], CONFIG.blockSize, { ...shape, rows: 1 })).toThrow(/packed rows/);
  });
});

describe.each(['wasm', 'cpu'] as const)('packed rows on %s', (backend) => {
  beforeAll(async () => {
    await useNodeBackend(backend);
  });
  afterAll(() => {
    tf.engine().reset();
  });

  const starts = async (M: number) =>
    Promise.all(Array.from({ length: M }, async (_, m) => {
      const g = GPT.init(CONFIG, m + 1);
      const w = await g.exportWeights();
      g.dispose();
      return w;
    }));

  it.each(['documents', 'chats'] as const)('gives the same losses and gradients as one example a row (%s)', async (kind) => {
    const batches: Batch[] = [batchOf(4, kind), batchOf(5, kind), batchOf(6, kind)];
    const model = StackedGPT.fromWeights(CONFIG, await starts(batches.length));
    const M = batches.length;
    const T = CONFIG.blockSize;
    const cat = (key: 'inputs' | 'targets' | 'mask') => batches.flatMap((b) => Array.from(b[key]));
    const reference = tf.variableGrads(() => model.losses(
      tf.tensor3d(cat('inputs'), [M, B, T], 'int32'), tf.tensor3d(cat('targets'), [M, B, T], 'int32'), tf.tensor3d(cat('mask'), [M, B, T], 'float32'),
    ).mul(tf.tensor1d([1, 2, 3])).sum() as tf.Scalar, [model.flat]);
    const shape = packShape(batches, CONFIG.blockSize, T);
    const p = packBatches(batches, CONFIG.blockSize, shape);
    const { rows: R, counted: K } = shape;
    const packed = tf.variableGrads(() => model.packedLosses(
      tf.tensor3d(p.ids, [M, R, T], 'int32'), tf.tensor3d(p.positions, [M, R, T], 'int32'), tf.tensor3d(p.segments, [M, R, T], 'int32'),
      tf.tensor2d(p.at, [M, K], 'int32'), tf.tensor2d(p.targets, [M, K], 'int32'), tf.tensor2d(p.weights, [M, K], 'float32'),
      p.queryMask ? tf.tensor3d(p.queryMask, [M * R, shape.queries, T], 'float32') : undefined,
    ).mul(tf.tensor1d([1, 2, 3])).sum() as tf.Scalar, [model.flat]);
    expect(R).toBeLessThan(B);
    // Documents count nearly every position: the last block runs everywhere. Chats count a few
    // tokens a row: the last block runs only there.
    if (kind === 'documents') expect(shape.queries).toBe(0);
    else expect(shape.queries).toBeGreaterThan(0);
    expect(packed.value.dataSync()[0]).toBeCloseTo(reference.value.dataSync()[0], 5);
    const g = packed.grads[model.flat.name].dataSync();
    const r = reference.grads[model.flat.name].dataSync();
    let worst = 0;
    let scale = 0;
    r.forEach((v, i) => ((worst = Math.max(worst, Math.abs(v - g[i]))), (scale = Math.max(scale, Math.abs(v)))));
    expect(scale).toBeGreaterThan(0.01);
    expect(worst).toBeLessThan(1e-5 * scale);
    model.dispose();
  });

  it.each(['documents', 'chats'] as const)('trains a stage to the same losses and weights (%s)', async (kind) => {
    const settings: StageSettings = { name: 'a', steps: 8, peakLr: 1e-2, minLr: 1e-3, warmupSteps: 2, readEvery: 4 };
    const sampler = (m: number) => new BatchSampler([{ examples: KINDS[kind](new Random(30 + m), 20), weight: 1 }], B, CONFIG.blockSize, new Random(40 + m));
    const run = async (packing: boolean) => {
      const model = StackedGPT.fromWeights(CONFIG, await starts(2));
      const trainer = new StackedTrainer(model);
      if (packing) trainer.packing = packShape(drawAhead([0, 1].map((m) => ({ sampler: sampler(m), steps: settings.steps }))), CONFIG.blockSize, CONFIG.blockSize);
      const results = await trainer.runStages([0, 1].map((m) => ({ settings, sampler: sampler(m) })), new RunControl(), CONFIG.blockSize);
      const weights = await model.exportWeights();
      trainer.dispose();
      model.dispose();
      return { losses: results.map((x) => x.metrics.map((s) => s.loss)), weights };
    };
    const plain = await run(false);
    const packed = await run(true);
    packed.losses.forEach((l, m) => l.forEach((x, i) => expect(x).toBeCloseTo(plain.losses[m][i], 4)));
    let worst = 0;
    packed.weights.forEach((w, m) => w.forEach((a, i) => a.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - plain.weights[m][i][j]))))));
    expect(worst).toBeLessThan(2e-5);
  });

  it('leaks no tensor across packed steps', async () => {
    const model = StackedGPT.fromWeights(CONFIG, await starts(2));
    const trainer = new StackedTrainer(model);
    for (const kind of ['documents', 'chats'] as const) {
      const batches = [batchOf(7, kind), batchOf(8, kind)];
      trainer.packing = packShape(batches, CONFIG.blockSize, CONFIG.blockSize);
      trainer.step(batches, [1e-3, 1e-3], CONFIG.blockSize).forEach((t) => t.dispose()); // the optimizer's moments are made here
      const before = tf.memory().numTensors;
      trainer.step(batches, [1e-3, 1e-3], CONFIG.blockSize).forEach((t) => t.dispose());
      expect(tf.memory().numTensors).toBe(before);
    }
    trainer.dispose();
    model.dispose();
  });
});
