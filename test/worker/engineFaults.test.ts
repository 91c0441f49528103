// The engine when training goes wrong: a NaN or infinite loss leaves the model at its last good
// weights, and a model too big for the device is refused before any tensor exists.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { checkFitsDevice, DeviceLimitError } from '../../src/backend/deviceLimits';
import { useNodeBackend } from '../../src/backend/node';
import { decodeCheckpoint } from '../../src/checkpoint/format';
import { LastGoodWeights } from '../../src/checkpoint/lastGoodWeights';
import { SPECIALS } from '../../src/tokenizer/tokenizer';
import type { TrainStageRequest } from '../../src/worker/api';
import { Engine } from '../../src/worker/engine';
import { rejection, WORDS } from '../helpers';
import { expectSameBits } from '../checkpoint/fixtures';

const vocab = [...SPECIALS, ...WORDS];
const documents = ['the cat sat on a mat .', 'the dog ran to a red ball .'];
const stage = (steps: number, peakLr: number, readEvery = 1): TrainStageRequest => ({
  name: 'pretrain', steps, peakLr, minLr: peakLr, warmupSteps: 0, readEvery, seed: 5, sources: [{ documents, weight: 1 }],
});

describe('a diverging stage', () => {
  for (const readEvery of [1, 3]) {
    it(`stops with the step and leaves the last good weights (read back every ${readEvery})`, async () => {
      const engine = new Engine(useNodeBackend);
      await engine.init('wasm');
      await engine.createModel({ preset: 'nano', vocab, seed: 1 });
      const first = await engine.trainStage(stage(3, 1e-2));
      const good = decodeCheckpoint(await engine.saveCheckpoint(false));
      const goodLoss = await engine.evaluateLoss(documents);

      // A learning rate of 1e30 throws the weights to ~1e30 after one step: the next loss overflows.
      const seen: number[] = [];
      const e = await rejection(engine.trainStage(stage(6, 1e30, readEvery), (p) => seen.push(...p.metrics.map((m) => m.loss))));
      console.log(`diverged (readEvery ${readEvery}): ${e.message}`);
      expect(e.name).toBe('DivergedError');
      expect(e.message).toMatch(/^training diverged: the loss became (NaN|Infinity) at step 2 of stage "pretrain"; the model is back at its weights after step 0 of the stage, the last with a finite loss$/);

      // The weights are those from before the bad stage, bit for bit: they save, load and score as before.
      const after = decodeCheckpoint(await engine.saveCheckpoint(true));
      expectSameBits(after.weights, good.weights);
      expect(after.optimizer!.m.every((a) => a.every((x) => x === 0))).toBe(true); // the NaN moments were cleared
      expect(await engine.evaluateLoss(documents)).toBe(goodLoss);

      // Training goes on from there.
      const next = await engine.trainStage(stage(2, 1e-2));
      expect(next.metrics[0].loss).toBeLessThan(first.metrics[0].loss);
      expect(Math.abs(next.metrics[0].loss - goodLoss)).toBeLessThan(0.05);
      expect(next.metrics.every((m) => Number.isFinite(m.loss))).toBe(true);
    });
  }
});

describe('LastGoodWeights', () => {
  it('restores the newest snapshot whose loss was read back finite', async () => {
    await tf.setBackend('cpu');
    const w = tf.variable(tf.scalar(0));
    const lastGood = new LastGoodWeights([w]);
    const setStep = (s: number) => w.assign(tf.scalar(s)); // "the weights after step s" hold the value s
    // Read back after steps 2 and 4 (all finite), then the loss of step 6 is NaN.
    setStep(1); setStep(2); lastGood.confirm(2);
    setStep(3); setStep(4); lastGood.confirm(4);
    setStep(5); setStep(6);
    // Step 6's loss came from the weights after step 5; the snapshot after step 4 gave step 5 a finite loss.
    expect(lastGood.restore(6)).toBe(4);
    expect(w.dataSync()[0]).toBe(4);
    // When the first loss after a snapshot is the bad one, that snapshot is not trusted: the one before is.
    setStep(7);
    expect(lastGood.restore(5)).toBe(2);
    expect(w.dataSync()[0]).toBe(2);
    const before = tf.memory().numTensors;
    lastGood.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
    w.dispose();
  });

  it('has nothing to restore when the very first loss is bad', async () => {
    await tf.setBackend('cpu');
    const w = tf.variable(tf.scalar(7));
    const lastGood = new LastGoodWeights([w]);
    w.assign(tf.scalar(8));
    expect(lastGood.restore(1)).toBeNull();
    expect(w.dataSync()[0]).toBe(8);
    lastGood.dispose();
    w.dispose();
  });
});

describe('a model too big for the device', () => {
  const tiny = { maxStorageBufferBindingSize: 1 << 20, maxBufferSize: 1 << 20 }; // 1 MiB: nano needs more
  const engineWithLimits = () => new Engine(useNodeBackend, undefined, (config, step, preset) => checkFitsDevice(config, step, tiny, preset));

  it('is refused before any tensor is made, naming the limit', async () => {
    const engine = engineWithLimits();
    await engine.init('wasm');
    const tensors = tf.memory().numTensors;
    const e = await rejection(engine.createModel({ preset: 'small', vocab, seed: 1 }));
    expect(e).toBeInstanceOf(DeviceLimitError);
    // small: 32 x 64 positions x 17 words x 4 bytes = 139,264 bytes of logits; its MLP weights are bigger.
    expect(e.message).toMatch(/^the small preset \(batch 32\) is too big for this GPU: one training step needs a [\d.]+ MiB buffer for .* over the GPU's maxStorageBufferBindingSize of 1\.0 MiB; try the nano preset/);
    expect(tf.memory().numTensors).toBe(tensors);
    await expect(engine.evaluateLoss(documents)).rejects.toThrow('no model: create or load one first');
  });

  it('is refused when loaded from a checkpoint too', async () => {
    const maker = new Engine(useNodeBackend);
    await maker.init('wasm');
    await maker.createModel({ preset: 'small', vocab, seed: 1 });
    const bytes = await maker.saveCheckpoint(false);
    const engine = engineWithLimits();
    await engine.init('wasm');
    await expect(engine.loadCheckpoint(bytes)).rejects.toThrow(DeviceLimitError);
    await expect(engine.createModel({ preset: 'nano', vocab, seed: 1 })).resolves.toMatchObject({ preset: 'nano' });
  });
});
