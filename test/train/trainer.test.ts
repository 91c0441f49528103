import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/backend/node';
import { configFor } from '../../src/model/config';
import { GPT } from '../../src/model/gpt';
import { BatchSampler, packRows } from '../../src/train/batches';
import { RunControl } from '../../src/train/control';
import { DivergedError, Trainer, type StageSettings } from '../../src/train/trainer';
import { Random } from '../../src/util/random';
import { randomExamples, TINY } from '../helpers';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

const stage = (steps: number, extra: Partial<StageSettings> = {}): StageSettings => ({
  name: 'test', steps, peakLr: 3e-3, minLr: 3e-4, warmupSteps: 5, readEvery: 5, ...extra,
});

async function trainLosses(seed: number, dataSeed: number, steps: number): Promise<number[]> {
  const model = GPT.init(TINY, seed);
  const trainer = new Trainer(model);
  const sampler = new BatchSampler([{ examples: randomExamples(new Random(9), 32, 8, TINY.vocabSize), weight: 1 }], 4, TINY.blockSize, new Random(dataSeed));
  const result = await trainer.runStage(stage(steps), sampler, new RunControl());
  trainer.dispose();
  model.dispose();
  return result.metrics.map((m) => m.loss);
}

describe('Trainer', () => {
  it('overfits one small batch of the nano preset: loss from ~ln(V) to below 0.2', async () => {
    const config = configFor('nano', 40);
    const model = GPT.init(config, 1);
    const trainer = new Trainer(model, { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0, gradClip: 1 });
    const batch = randomExamples(new Random(2), 4, 24, 40);
    const sampler = new BatchSampler([{ examples: batch, weight: 1 }], 4, config.blockSize, new Random(3));
    const result = await trainer.runStage(stage(150, { peakLr: 1e-2, minLr: 1e-3, warmupSteps: 10, readEvery: 25 }), sampler, new RunControl());
    const losses = result.metrics.map((m) => m.loss);
    expect(losses[0]).toBeGreaterThan(3); // ln 40 = 3.7
    expect(losses.at(-1)).toBeLessThan(0.2);
    trainer.dispose();
    model.dispose();
  });

  it('leaks no tensor: the count after step 5 equals the count after step 50', async () => {
    const model = GPT.init(TINY, 1);
    const trainer = new Trainer(model);
    const batch = packRows(randomExamples(new Random(4), 4, 8, TINY.vocabSize), TINY.blockSize);
    const counts: number[] = [];
    for (let step = 1; step <= 50; step++) {
      const [loss, norm] = trainer.step(batch, 1e-3);
      loss.dispose();
      norm.dispose();
      if (step === 5 || step === 50) counts.push(tf.memory().numTensors);
    }
    expect(counts[1]).toBe(counts[0]);
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(0);
  });

  it('repeats the same loss curve for the same seeds and changes with the data seed', async () => {
    const a = await trainLosses(1, 5, 20);
    const b = await trainLosses(1, 5, 20);
    const c = await trainLosses(1, 6, 20);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.at(-1)!).toBeLessThan(a[0]);
  });

  it('stops with the step number when the loss becomes NaN', async () => {
    const model = GPT.init(TINY, 1);
    const trainer = new Trainer(model);
    const sampler = new BatchSampler([{ examples: randomExamples(new Random(9), 8, 8, TINY.vocabSize), weight: 1 }], 4, TINY.blockSize, new Random(1));
    let step = 0;
    const poison = (p: { step: number }) => {
      step = p.step;
      if (step === 3) tf.tidy(() => model.param('lnf.g').assign(tf.fill([TINY.nEmbd], NaN)));
    };
    const run = trainer.runStage(stage(10, { readEvery: 1 }), sampler, new RunControl(), poison);
    await expect(run).rejects.toThrow(DivergedError);
    await expect(run).rejects.toThrow(/step 4 /);
    trainer.dispose();
    model.dispose();
  });

  it('pauses, resumes and stops between steps', async () => {
    const model = GPT.init(TINY, 1);
    const trainer = new Trainer(model);
    const sampler = new BatchSampler([{ examples: randomExamples(new Random(9), 8, 8, TINY.vocabSize), weight: 1 }], 4, TINY.blockSize, new Random(1));
    const control = new RunControl();
    const seen: number[] = [];
    const run = trainer.runStage(stage(100, { readEvery: 2 }), sampler, control, (p) => {
      seen.push(p.step);
      if (p.step === 4) control.pause();
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(control.state).toBe('paused');
    expect(seen.at(-1)).toBe(4); // nothing ran while paused
    control.resume();
    await new Promise((r) => setTimeout(r, 20));
    control.stop();
    const result = await run;
    expect(result.stopped).toBe(true);
    expect(result.stepsDone).toBeGreaterThan(4);
    expect(result.stepsDone).toBeLessThan(100);
    trainer.dispose();
    model.dispose();
  });
});
