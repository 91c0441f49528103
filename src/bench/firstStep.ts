// How long until the first training step of a fresh stack is done (what a person waits for
// the first chart point), with or without compiling its pipelines ahead in parallel.
import { configFor, PRESETS, type PresetName } from '../model/config';
import { GPT } from '../model/gpt';
import { StackedGPT } from '../model/stackedGpt';
import { compileStackedStep } from '../train/compileAhead';
import { StackedTrainer } from '../train/stackedTrainer';
import { timeSteps } from './stackedStepBench';
import { BENCH_VOCAB, benchSampler } from './trainStepBench';

export async function benchFirstStep(preset: PresetName, models: number, compileAhead: boolean): Promise<{ msToFirstStep: number; msCompiling: number; msPerLaterStep: number }> {
  const config = configFor(preset, BENCH_VOCAB);
  const { batchSize } = PRESETS[preset];
  const T = config.blockSize;
  const samplers = Array.from({ length: models }, (_, m) => benchSampler(preset, m));
  const init = GPT.init(config, 1);
  const weights = await init.exportWeights();
  init.dispose();
  const start = performance.now();
  if (compileAhead) await compileStackedStep(config, models, batchSize, T);
  const msCompiling = performance.now() - start;
  const stack = StackedGPT.fromWeights(config, Array.from({ length: models }, () => weights));
  const trainer = new StackedTrainer(stack);
  const lrs = new Array(models).fill(1e-3);
  const [loss, norm] = trainer.step(samplers.map((s) => s.next()), lrs, T);
  await loss.data();
  loss.dispose();
  norm.dispose();
  const msToFirstStep = performance.now() - start;
  const msPerLaterStep = await timeSteps(() => trainer.step(samplers.map((s) => s.next()), lrs, T), 3);
  trainer.dispose();
  stack.dispose();
  return { msToFirstStep, msCompiling, msPerLaterStep };
}
