// The step benchmark on a browser backend (run in the page by `npm run bench`).
import * as tf from '@tensorflow/tfjs';
import '../backend/browser';
import type { PresetName } from '../model/config';
import { benchTrainStep, type StepBench } from './trainStepBench';

export async function benchInBrowser(backend: 'webgpu' | 'webgl', presets: Array<[PresetName, number]>): Promise<StepBench[] | string> {
  try {
    if (!(await tf.setBackend(backend))) return `${backend} did not initialize`;
    await tf.ready();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const out: StepBench[] = [];
  for (const [preset, steps] of presets) out.push(await benchTrainStep(preset, steps));
  return out;
}
