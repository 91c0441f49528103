// Measures one training step of a preset on the current backend: wall time per step, tokens
// per second and the number of kernels one step launches. Runs in Node and in a browser.
import * as tf from '@tensorflow/tfjs';
import { configFor, parameterCount, PRESETS, type PresetName } from '../model/config';
import { GPT } from '../model/gpt';
import { BatchSampler } from '../train/batches';
import { Trainer } from '../train/trainer';
import { Random } from '../util/random';

export interface StepBench {
  backend: string;
  preset: PresetName;
  parameters: number;
  batchSize: number;
  msPerStep: number;
  tokensPerSecond: number;
  kernelsPerStep: number;
}

export const BENCH_VOCAB = 699; // the toy world's vocabulary size

export async function benchTrainStep(preset: PresetName, steps: number): Promise<StepBench> {
  const config = configFor(preset, BENCH_VOCAB);
  const { batchSize } = PRESETS[preset];
  const model = GPT.init(config, 1);
  const trainer = new Trainer(model);
  const sampler = benchSampler(preset, 1);
  const stepAndDiscard = () => {
    const [loss, norm] = trainer.step(sampler.next(), 1e-3);
    norm.dispose();
    return loss;
  };
  const stepAndWait = async () => {
    const loss = stepAndDiscard();
    await loss.data(); // wait for the device to finish the step
    loss.dispose();
  };
  await stepAndWait(); // warm-up: compiles shaders / kernels
  const profile = await tf.profile(() => stepAndDiscard().dispose());
  // Steps are queued back to back and read once at the end, as the trainer does.
  const start = performance.now();
  for (let i = 0; i < steps - 1; i++) stepAndDiscard().dispose();
  await stepAndWait();
  const msPerStep = (performance.now() - start) / steps;
  trainer.dispose();
  model.dispose();
  return {
    backend: tf.getBackend(),
    preset,
    parameters: parameterCount(config),
    batchSize,
    msPerStep,
    tokensPerSecond: (batchSize * config.blockSize) / (msPerStep / 1000),
    kernelsPerStep: profile.kernels.length,
  };
}

/** Batches of full-length rows of random words (every token trained), in a seeded order. */
export function benchSampler(preset: PresetName, seed: number): BatchSampler {
  const config = configFor(preset, BENCH_VOCAB);
  const rng = new Random(1);
  const examples = Array.from({ length: 64 }, () => {
    const ids = Array.from({ length: config.blockSize + 1 }, () => 5 + rng.int(BENCH_VOCAB - 5));
    return { ids, lossMask: ids.map(() => 1) };
  });
  return new BatchSampler([{ examples, weight: 1 }], PRESETS[preset].batchSize, config.blockSize, new Random(seed));
}
