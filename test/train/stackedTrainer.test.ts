import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/backend/node';
import type { GPTConfig } from '../../src/model/config';
import { GPT } from '../../src/model/gpt';
import { StackedGPT } from '../../src/model/stackedGpt';
import { BatchSampler } from '../../src/train/batches';
import { RunControl } from '../../src/train/control';
import { StackedTrainer, trimmedLength } from '../../src/train/stackedTrainer';
import { Trainer, type StageSettings } from '../../src/train/trainer';
import { Random } from '../../src/util/random';
import { randomExamples } from '../helpers';

// Small enough to be quick, big enough that every part of the model matters; rows of up to
// 13 tokens in a 16-token context, so the stack trains on rows cut to 16 -> 16 and 8-token cuts.
const CONFIG: GPTConfig = { vocabSize: 24, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16, mlpRatio: 2 };
const STAGES: StageSettings[] = [
  { name: 'a', steps: 12, peakLr: 3e-3, minLr: 3e-4, warmupSteps: 3, readEvery: 4 },
  { name: 'b', steps: 7, peakLr: 1e-2, minLr: 1e-3, warmupSteps: 2, readEvery: 4 },
  { name: 'c', steps: 12, peakLr: 1e-3, minLr: 1e-4, warmupSteps: 0, readEvery: 4 },
];
const examples = (seed: number, length: number) => randomExamples(new Random(seed), 24, length, CONFIG.vocabSize);
const sampler = (m: number, length: number) => new BatchSampler([{ examples: examples(10 + m, length), weight: 1 }], 4, CONFIG.blockSize, new Random(20 + m));

async function alone(m: number, length: number) {
  const model = GPT.init(CONFIG, m + 1);
  const trainer = new Trainer(model);
  const result = await trainer.runStage(STAGES[m], sampler(m, length), new RunControl());
  const weights = await model.exportWeights();
  trainer.dispose();
  model.dispose();
  return { losses: result.metrics.map((x) => x.loss), norms: result.metrics.map((x) => x.gradNorm), weights };
}

async function together(length: number) {
  const starts = await Promise.all(STAGES.map(async (_, m) => {
    const g = GPT.init(CONFIG, m + 1);
    const w = await g.exportWeights();
    g.dispose();
    return w;
  }));
  const model = StackedGPT.fromWeights(CONFIG, starts);
  const trainer = new StackedTrainer(model);
  const T = trimmedLength(length, CONFIG.blockSize);
  const results = await trainer.runStages(STAGES.map((settings, m) => ({ settings, sampler: sampler(m, length) })), new RunControl(), T);
  const weights = await model.exportWeights();
  trainer.dispose();
  model.dispose();
  return { T, results, weights };
}

function maxAbsoluteDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) => x.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j])))));
  return worst;
}

describe.each(['wasm', 'cpu'] as const)('StackedTrainer on %s', (backend) => {
  beforeAll(async () => {
    await useNodeBackend(backend);
  });
  afterAll(() => {
    tf.engine().reset();
  });

  it.each([13, 7])('trains M models exactly as training each alone (examples of %i tokens)', async (length) => {
    const { T, results, weights } = await together(length);
    expect(T).toBe(length === 13 ? 16 : 8);
    for (let m = 0; m < STAGES.length; m++) {
      const reference = await alone(m, length);
      const stacked = results[m].metrics;
      expect(results[m].stepsDone).toBe(STAGES[m].steps);
      expect(stacked.map((x) => x.step)).toEqual(reference.losses.map((_, i) => i + 1));
      stacked.forEach((x, i) => {
        expect(x.loss).toBeCloseTo(reference.losses[i], 4);
        expect(x.gradNorm).toBeCloseTo(reference.norms[i], 3);
      });
      expect(maxAbsoluteDifference(weights[m], reference.weights)).toBeLessThan(2e-5); // weights are ~0.02
    }
    // Training moved every model: a stack that ignored its updates would fail here.
    expect(results[0].metrics.at(-1)!.loss).toBeLessThan(results[0].metrics[0].loss);
  });

  it('leaks no tensor across steps', async () => {
    const model = StackedGPT.fromWeights(CONFIG, [await weightsOf(1), await weightsOf(2)]);
    const trainer = new StackedTrainer(model);
    const batches = [sampler(0, 13).next(), sampler(1, 13).next()];
    const step = () => trainer.step(batches, [1e-3, 1e-3], 16).forEach((t) => t.dispose());
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    model.dispose();
  });
});

async function weightsOf(seed: number) {
  const g = GPT.init(CONFIG, seed);
  const w = await g.exportWeights();
  g.dispose();
  return w;
}

describe('StackedTrainer with a diverging model', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('stops only that model, with its step, and trains the others exactly as alone', async () => {
    const wild = [STAGES[0], { ...STAGES[1], peakLr: 1e30, warmupSteps: 0 }, STAGES[2]];
    const model = StackedGPT.fromWeights(CONFIG, await Promise.all(wild.map((_, m) => weightsOf(m + 1))));
    const trainer = new StackedTrainer(model);
    const results = await trainer.runStages(wild.map((settings, m) => ({ settings, sampler: sampler(m, 13) })), new RunControl(), 16);
    const weights = await model.exportWeights();
    trainer.dispose();
    model.dispose();
    expect(results[1].diverged).toBeDefined();
    expect(Number.isFinite(results[1].diverged!.loss)).toBe(false);
    expect(results[1].stepsDone).toBe(results[1].diverged!.step - 1);
    expect(results[1].stopped).toBe(true);
    for (const m of [0, 2]) {
      const reference = await alone(m, 13);
      expect(results[m].diverged).toBeUndefined();
      results[m].metrics.forEach((x, i) => expect(x.loss).toBeCloseTo(reference.losses[i], 4));
      expect(maxAbsoluteDifference(weights[m], reference.weights)).toBeLessThan(2e-5);
    }
  });
});
