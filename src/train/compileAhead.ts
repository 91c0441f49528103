// Warm start on WebGPU. A kernel's pipeline is compiled the first time it runs, one after
// another, so the first training step waits for every shader of the step (seconds). TF.js can
// instead compile pipelines without running anything (WEBGPU_ENGINE_COMPILE_ONLY), all at once
// and in parallel. A throwaway stack of the same shape takes one such step, so the real first
// step finds every pipeline ready. (The throwaway's values are never computed: it must not be
// the real model.)
import * as tf from '@tensorflow/tfjs';
import { type GPTConfig, parameterShapes } from '../model/config';
import { StackedGPT } from '../model/stackedGpt';
import type { PackShape } from './packing';
import { StackedTrainer } from './stackedTrainer';

/** Compiles the pipelines of a stacked training step of this shape; false where the backend cannot. */
export async function compileStackedStep(config: GPTConfig, models: number, batchSize: number, length: number, packing: PackShape | null = null): Promise<boolean> {
  const backend = tf.backend() as unknown as { checkCompileCompletionAsync?: () => Promise<void> };
  if (tf.getBackend() !== 'webgpu' || !backend.checkCompileCompletionAsync) return false;
  const zeros = parameterShapes(config).map(([, shape]) => new Float32Array(shape.reduce((a, b) => a * b, 1)));
  const throwaway = StackedGPT.fromWeights(config, Array.from({ length: models }, () => zeros));
  const trainer = new StackedTrainer(throwaway);
  trainer.packing = packing;
  const size = batchSize * config.blockSize;
  const empty = { inputs: new Int32Array(size), targets: new Int32Array(size), mask: new Float32Array(size) };
  tf.env().set('WEBGPU_ENGINE_COMPILE_ONLY', true);
  try {
    trainer.step(Array.from({ length: models }, () => empty), new Array(models).fill(0), length).forEach((t) => t.dispose());
    await backend.checkCompileCompletionAsync();
  } finally {
    tf.env().set('WEBGPU_ENGINE_COMPILE_ONLY', false);
    trainer.dispose();
    throwaway.dispose();
  }
  return true;
}
