import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/backend/node';
import type { GPTConfig } from '../../src/model/config';
import { GPT } from '../../src/model/gpt';
import { scoreChoices, scoreContinuations } from '../../src/train/evaluate';
import { Random } from '../../src/util/random';

const CONFIG: GPTConfig = { vocabSize: 30, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16, mlpRatio: 2 };

// Prompts of 1 to 8 tokens with 1 to 3 choices of 0 to 4 tokens; the last question's choices do
// not fit one row together, so each goes in a row of its own.
function questions(rng: Random) {
  const words = (n: number) => Array.from({ length: n }, () => 5 + rng.int(CONFIG.vocabSize - 5));
  const qs = Array.from({ length: 11 }, () => ({ prompt: [1, ...words(rng.int(8))], choices: Array.from({ length: 1 + rng.int(3) }, () => words(rng.int(5))) }));
  qs.push({ prompt: [1, ...words(7)], choices: [words(6), words(7), words(5)] });
  return qs;
}

describe.each(['wasm', 'cpu'] as const)('scoreChoices on %s', (backend) => {
  beforeAll(async () => {
    await useNodeBackend(backend);
  });
  afterAll(() => {
    tf.engine().reset();
  });

  it('gives each choice the same log-probability as scoring it alone after its prompt', async () => {
    const model = GPT.init(CONFIG, 3);
    const qs = questions(new Random(5));
    const reference = await scoreContinuations(model, qs.flatMap((q) => q.choices.map((c) => ({ prompt: q.prompt, continuation: c }))), 4);
    const before = tf.memory().numTensors;
    const packed = await scoreChoices(model, qs, 4);
    expect(tf.memory().numTensors).toBe(before);
    expect(packed.flat()).toHaveLength(reference.length);
    packed.flat().forEach((s, i) => {
      expect(s.tokens).toBe(reference[i].tokens);
      expect(s.logProb).toBeCloseTo(reference[i].logProb, 4);
    });
    expect(packed.flat().some((s) => s.tokens > 0 && s.logProb < -1)).toBe(true); // not all zeros
    model.dispose();
  });
});
