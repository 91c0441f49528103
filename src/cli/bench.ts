// npm run bench: speed of a training step on every backend this machine has in Node.
// Browser backends (webgpu, webgl) are measured by `npm run bench -- --browser`.
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend, NODE_ORDER } from '../backend/node';
import { benchTrainStep, type StepBench } from '../bench/trainStepBench';
import type { PresetName } from '../model/config';

const STEPS: Record<string, number> = { nano: 20, small: 8 };

function row(b: StepBench): string {
  return [b.backend.padEnd(7), b.preset.padEnd(6), String(b.parameters).padStart(9), String(b.batchSize).padStart(5),
    b.msPerStep.toFixed(1).padStart(10), Math.round(b.tokensPerSecond).toString().padStart(10), String(b.kernelsPerStep).padStart(8)].join(' ');
}

console.log('backend preset     params batch    ms/step  tokens/s kernels/step');
for (const backend of NODE_ORDER) {
  await useNodeBackend(backend);
  for (const preset of ['nano', 'small'] as PresetName[]) {
    const steps = backend === 'cpu' ? Math.ceil(STEPS[preset] / 4) : STEPS[preset];
    console.log(row(await benchTrainStep(preset, steps)));
  }
  tf.engine().reset();
}
