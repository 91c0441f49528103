// Measures M models trained as one stack against the same M models trained one after another
// (same models, same batches, same number of steps), on the current backend.
import * as tf from '@tensorflow/tfjs';
import { configFor, PRESETS, type PresetName } from '../model/config';
import { GPT } from '../model/gpt';
import { StackedGPT } from '../model/stackedGpt';
import { StackedTrainer } from '../train/stackedTrainer';
import { Trainer } from '../train/trainer';
import { BENCH_VOCAB, benchSampler } from './trainStepBench';

export interface StackedBench {
  backend: string;
  preset: PresetName;
  models: number;
  msPerStackedStep: number; // one step of all M models
  msPerSequentialStep: number; // one step of each of the M models, one after another
  speedup: number; // sequential time / stacked time
  tokensPerSecond: number; // all models, stacked
  kernelsPerStep: number; // stacked
}

export async function benchStackedStep(preset: PresetName, models: number, steps: number): Promise<StackedBench> {
  const config = configFor(preset, BENCH_VOCAB);
  const { batchSize } = PRESETS[preset];
  const T = config.blockSize;
  const samplers = Array.from({ length: models }, (_, m) => benchSampler(preset, m));
  const singles = Array.from({ length: models }, (_, m) => GPT.init(config, m + 1));
  const stack = StackedGPT.fromWeights(config, await Promise.all(singles.map((g) => g.exportWeights())));

  const stacked = new StackedTrainer(stack);
  const lrs = singles.map(() => 1e-3);
  const stackedStep = () => stacked.step(samplers.map((s) => s.next()), lrs, T);
  const msPerStackedStep = await timeSteps(stackedStep, steps);
  const profile = await tf.profile(() => stackedStep().forEach((t) => t.dispose()));
  stacked.dispose();
  stack.dispose();

  const trainers = singles.map((g) => new Trainer(g));
  const sequentialStep = () => trainers.flatMap((t, m) => t.step(samplers[m].next(), 1e-3));
  const msPerSequentialStep = await timeSteps(sequentialStep, steps);
  trainers.forEach((t) => t.dispose());
  singles.forEach((g) => g.dispose());

  return {
    backend: tf.getBackend(), preset, models, msPerStackedStep, msPerSequentialStep,
    speedup: msPerSequentialStep / msPerStackedStep,
    tokensPerSecond: (models * batchSize * T) / (msPerStackedStep / 1000),
    kernelsPerStep: profile.kernels.length,
  };
}

/** Mean wall time of a step after one warm-up step; steps are queued and read once at the end. */
export async function timeSteps(step: () => tf.Tensor[], steps: number): Promise<number> {
  const wait = async (ts: tf.Tensor[]) => {
    await ts[0].data();
    ts.forEach((t) => t.dispose());
  };
  await wait(step());
  const start = performance.now();
  for (let i = 0; i < steps - 1; i++) step().forEach((t) => t.dispose());
  await wait(step());
  return (performance.now() - start) / steps;
}
