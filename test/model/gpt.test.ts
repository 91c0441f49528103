import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GPT } from '../../src/model/gpt';
import { packRows } from '../../src/train/batches';
import { Random } from '../../src/util/random';
import { randomExamples, TINY } from '../helpers';

beforeAll(async () => {
  await tf.setBackend('cpu'); // float32 reference backend for finite differences
});

function lossOf(model: GPT, batch: ReturnType<typeof packRows>, B: number): number {
  const T = model.config.blockSize;
  return tf.tidy(() =>
    model.loss(tf.tensor2d(batch.inputs, [B, T], 'int32'), tf.tensor2d(batch.targets, [B, T], 'int32'), tf.tensor2d(batch.mask, [B, T])).arraySync() as number,
  );
}

describe('GPT', () => {
  it('matches finite differences for the gradient of every parameter', () => {
    const model = GPT.init(TINY, 7);
    // Larger weights than the 0.02 init, so every path carries a gradient well above float32 noise.
    const rng = new Random(11);
    tf.tidy(() => model.params.forEach((p) => p.assign(p.add(tf.randomNormal(p.shape, 0, 0.3, 'float32', rng.int(1e9))))));
    const B = 3;
    const batch = packRows(randomExamples(rng, B, 7, TINY.vocabSize), TINY.blockSize);
    const T = TINY.blockSize;
    const { grads } = tf.variableGrads(
      () => model.loss(tf.tensor2d(batch.inputs, [B, T], 'int32'), tf.tensor2d(batch.targets, [B, T], 'int32'), tf.tensor2d(batch.mask, [B, T])),
      model.params,
    );
    const eps = 1e-2;
    for (const p of model.params) {
      // Directional derivative along a random unit direction u: <grad, u> vs (L(p+eps u) - L(p-eps u)) / 2 eps.
      const u = tf.tidy(() => {
        const r = tf.randomNormal(p.shape, 0, 1, 'float32', rng.int(1e9));
        return r.div(r.norm());
      });
      const analytic = tf.tidy(() => grads[p.name].mul(u).sum().arraySync() as number);
      const original = p.clone();
      p.assign(original.add(u.mul(eps)));
      const plus = lossOf(model, batch, B);
      p.assign(original.sub(u.mul(eps)));
      const minus = lossOf(model, batch, B);
      p.assign(original);
      const numeric = (plus - minus) / (2 * eps);
      expect(Math.abs(analytic), `${p.name} has a vanishing gradient`).toBeGreaterThan(1e-3);
      expect(Math.abs(numeric - analytic) / Math.abs(analytic), `${p.name}: analytic ${analytic}, numeric ${numeric}`).toBeLessThan(0.03);
      original.dispose();
      u.dispose();
    }
    Object.values(grads).forEach((g) => g.dispose());
    model.dispose();
  });

  it('is causal: a later token does not change earlier logits', () => {
    const model = GPT.init(TINY, 3);
    const a = [1, 5, 6, 7, 8, 9, 10, 11];
    const b = [...a.slice(0, 5), 12, 13, 14];
    const logits = tf.tidy(() => model.forward(tf.tensor2d([a, b], [2, 8], 'int32')).arraySync() as number[][]);
    const V = TINY.vocabSize;
    for (let t = 0; t < 5; t++) for (let v = 0; v < V; v++) expect(logits[8 + t][v]).toBeCloseTo(logits[t][v], 5);
    expect(Math.abs(logits[8 + 5][0] - logits[5][0])).toBeGreaterThan(1e-6);
    model.dispose();
  });

  it('gives the same initial weights for the same seed and different ones for another', async () => {
    const [a, b, c] = [GPT.init(TINY, 1), GPT.init(TINY, 1), GPT.init(TINY, 2)];
    const [wa, wb, wc] = await Promise.all([a.exportWeights(), b.exportWeights(), c.exportWeights()]);
    expect(wa[0]).toEqual(wb[0]);
    expect(wa[0]).not.toEqual(wc[0]);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('starts near uniform: initial loss close to ln(vocabSize)', () => {
    const model = GPT.init(TINY, 5);
    const batch = packRows(randomExamples(new Random(1), 4, 8, TINY.vocabSize), TINY.blockSize);
    expect(lossOf(model, batch, 4)).toBeCloseTo(Math.log(TINY.vocabSize), 1);
    model.dispose();
  });
});
