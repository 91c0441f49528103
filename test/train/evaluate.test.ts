import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/backend/node';
import { GPT } from '../../src/model/gpt';
import { learningRate } from '../../src/train/schedule';
import { meanLoss, pickToken, sample, scoreContinuations } from '../../src/train/evaluate';
import { Random } from '../../src/util/random';
import { TINY } from '../helpers';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

/** Reference: log-softmax of one unpadded forward pass, summed over the continuation. */
function referenceLogProb(model: GPT, prompt: number[], continuation: number[]): number {
  const ids = [...prompt, ...continuation];
  const row = new Int32Array(TINY.blockSize);
  row.set(ids);
  const logp = tf.tidy(() => tf.logSoftmax(model.forward(tf.tensor2d(row, [1, TINY.blockSize], 'int32'))).arraySync() as number[][]);
  return continuation.reduce((sum, tok, j) => sum + logp[prompt.length - 1 + j][tok], 0);
}

describe('evaluation', () => {
  it('scores a continuation as the sum of its tokens log-probabilities', async () => {
    const model = GPT.init(TINY, 4);
    const pairs = [
      { prompt: [1, 5, 6], continuation: [7, 8] },
      { prompt: [1, 9], continuation: [10, 11, 12] },
    ];
    const scores = await scoreContinuations(model, pairs, 4);
    pairs.forEach((p, i) => {
      expect(scores[i].tokens).toBe(p.continuation.length);
      expect(scores[i].logProb).toBeCloseTo(referenceLogProb(model, p.prompt, p.continuation), 4);
    });
    model.dispose();
  });

  it('computes held-out loss equal to minus the mean token log-probability', async () => {
    const model = GPT.init(TINY, 4);
    const ex = { ids: [1, 5, 6, 7], lossMask: [1, 1, 1, 0] };
    const loss = await meanLoss(model, [ex], 2);
    expect(loss).toBeCloseTo(-referenceLogProb(model, [1], [5, 6, 7]) / 3, 4);
    model.dispose();
  });

  it('samples greedily at temperature 0 and respects top-k', async () => {
    expect(pickToken([0.1, 3, 0.2], 0, 0, new Random(1))).toBe(1);
    const rng = new Random(2);
    const picks = Array.from({ length: 300 }, () => pickToken([0, 1, 5, 4.9], 1, 2, rng));
    expect(new Set(picks)).toEqual(new Set([2, 3]));
    const model = GPT.init(TINY, 4);
    const a = await sample(model, [1, 5], { maxTokens: 5, temperature: 0.7, topK: 0, seed: 3 });
    const b = await sample(model, [1, 5], { maxTokens: 5, temperature: 0.7, topK: 0, seed: 3 });
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(0);
    model.dispose();
  });

  it('warms up linearly then decays to the floor on a cosine', () => {
    const s = { peakLr: 1, minLr: 0.1, warmupSteps: 10, totalSteps: 110 };
    expect(learningRate(s, 0)).toBeCloseTo(0.1);
    expect(learningRate(s, 9)).toBeCloseTo(1);
    expect(learningRate(s, 60)).toBeCloseTo(0.55);
    expect(learningRate(s, 110)).toBeCloseTo(0.1);
  });
});
