// The engine's trainMany: stacks of the asked size, halved until a step fits the device, and
// trained models carrying their new stage.
import { describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/backend/node';
import { decodeCheckpoint } from '../../src/checkpoint/format';
import { SPECIALS } from '../../src/tokenizer/tokenizer';
import { Engine } from '../../src/worker/engine';
import { WORDS } from '../helpers';

const stage = (seed: number) => ({
  name: 'aft', steps: 2, peakLr: 1e-2, minLr: 1e-3, warmupSteps: 0, readEvery: 1, seed,
  sources: [{ chats: [{ user: 'the cat', assistant: 'sat on a mat .' }], assistantOnly: true, weight: 1 }],
});

describe('Engine.trainMany', () => {
  it('halves a stack until its step fits the device, and records the stage in each model', async () => {
    const asked: number[] = [];
    // A device that takes at most two models a step.
    const engine = new Engine(useNodeBackend, undefined, (_config, step) => {
      asked.push(step.models ?? 1);
      if ((step.models ?? 1) > 2) throw new Error('too big');
    });
    await engine.init('wasm');
    await engine.createModel({ preset: 'nano', vocab: [...SPECIALS, ...WORDS], seed: 1 });
    const start = await engine.saveCheckpoint(false);
    const stacks: number[][] = [];
    const { results, checkpoints } = await engine.trainMany(
      [1, 2, 3, 4, 5].map((seed) => ({ checkpoint: start, stage: stage(seed) })),
      (p) => p.finished && stacks.push(p.jobs),
      8,
    );
    expect(asked).toEqual([1, 5, 3, 2]); // createModel's one model; then 5 jobs in stacks of 8 asked: 5, 3, and 2 fits
    expect(stacks).toEqual([[0, 1], [2, 3], [4]]);
    expect(results.map((r) => r.stepsDone)).toEqual([2, 2, 2, 2, 2]);
    const stages = checkpoints.map((c) => decodeCheckpoint(c).provenance.stages.at(-1));
    expect(stages.map((s) => [s!.name, s!.steps, s!.seed])).toEqual([1, 2, 3, 4, 5].map((seed) => ['aft', 2, seed]));
  });

  it('refuses when one model does not fit', async () => {
    // createModel asks without a model count; trainMany asks with one.
    const engine = new Engine(useNodeBackend, undefined, (_config, step) => {
      if (step.models !== undefined) throw new Error('no model fits this device');
    });
    await engine.init('wasm');
    await engine.createModel({ preset: 'nano', vocab: [...SPECIALS, ...WORDS], seed: 1 });
    const start = await engine.saveCheckpoint(false);
    await expect(engine.trainMany([{ checkpoint: start, stage: stage(1) }], undefined, 4)).rejects.toThrow('no model fits this device');
  });
});
