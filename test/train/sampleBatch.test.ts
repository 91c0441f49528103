import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/backend/node';
import type { GPTConfig } from '../../src/model/config';
import { GPT } from '../../src/model/gpt';
import { sampleBatch, sampleByFullPasses } from '../../src/train/evaluate';
import { Random } from '../../src/util/random';

const CONFIG: GPTConfig = { vocabSize: 30, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16, mlpRatio: 2 };

describe.each(['wasm', 'cpu'] as const)('sampleBatch on %s', (backend) => {
  beforeAll(async () => {
    await useNodeBackend(backend);
  });
  afterAll(() => {
    tf.engine().reset();
  });

  it('gives the logits of a full pass from the cached keys and values', () => {
    const model = GPT.init(CONFIG, 2);
    const B = 3;
    const T = CONFIG.blockSize;
    const rows = [[1, 7, 8], [1, 9, 10, 11, 12, 13], [1, 5]];
    const next = [14, 15, 16];
    const ids = new Int32Array(B * T);
    rows.forEach((r, i) => ids.set(r, i * T));
    const before = tf.memory().numTensors;
    const [fromCache, full] = tf.tidy(() => {
      const cache = { keys: [] as tf.Tensor3D[], values: [] as tf.Tensor3D[] };
      model.forward(tf.tensor2d(ids, [B, T], 'int32'), undefined, undefined, cache);
      const step = model.decodeStep(tf.tensor1d(next, 'int32'), tf.tensor1d(rows.map((r) => r.length), 'int32'), cache);
      const grown = new Int32Array(ids);
      rows.forEach((r, i) => (grown[i * T + r.length] = next[i]));
      const reference = model.forward(tf.tensor2d(grown, [B, T], 'int32'), tf.tensor1d(rows.map((r, i) => i * T + r.length), 'int32'));
      return [step.logits.arraySync() as number[][], reference.arraySync() as number[][]];
    });
    expect(tf.memory().numTensors).toBe(before);
    fromCache.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(full[i][j], 4)));
    model.dispose();
  });

  it.each([0, 0.7])('samples the same replies as a full pass a token (temperature %s)', async (temperature) => {
    const model = GPT.init(CONFIG, 3);
    const rng = new Random(9);
    // Prompts of 2 to 12 tokens; 10 of them in batches of 4 (the last batch has 2 rows); 9 new tokens, so some rows outgrow the 16-token context.
    const prompts = Array.from({ length: 10 }, () => [1, ...Array.from({ length: 1 + rng.int(11) }, () => 5 + rng.int(CONFIG.vocabSize - 5))]);
    const o = { maxTokens: 9, temperature, topK: 0, seed: 4 };
    const before = tf.memory().numTensors;
    const replies = await sampleBatch(model, prompts, 4, o);
    expect(tf.memory().numTensors).toBe(before);
    expect(replies).toEqual(await sampleByFullPasses(model, prompts, 4, o));
    expect(replies.some((r) => r.length > 1)).toBe(true);
    model.dispose();
  });
});
