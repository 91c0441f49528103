// npm run bench: speed of a training step on every backend this machine has: wasm and cpu in
// Node, and webgpu and webgl in headless Chromium when it is installed (`--no-browser` skips it).
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend, NODE_ORDER } from '../backend/node';
import { benchTrainStep, type StepBench } from '../bench/trainStepBench';
import type { PresetName } from '../model/config';
import { CHROMIUM, openBrowser } from './chromium';
import { existsSync } from 'node:fs';

const NODE_STEPS: Array<[PresetName, number]> = [['nano', 20], ['small', 8]];
// A software WebGPU adapter takes seconds a step: keep the browser run short.
const BROWSER_STEPS: Array<[PresetName, number]> = [['nano', 3], ['small', 2]];

function row(b: StepBench, where: string): string {
  return [`${b.backend} (${where})`.padEnd(18), b.preset.padEnd(6), String(b.parameters).padStart(9), String(b.batchSize).padStart(5),
    b.msPerStep.toFixed(1).padStart(10), Math.round(b.tokensPerSecond).toString().padStart(10), String(b.kernelsPerStep).padStart(8)].join(' ');
}

console.log('backend            preset    params batch    ms/step  tokens/s kernels/step');
for (const backend of NODE_ORDER) {
  await useNodeBackend(backend);
  for (const [preset, steps] of NODE_STEPS) console.log(row(await benchTrainStep(preset, backend === 'cpu' ? Math.ceil(steps / 4) : steps), 'node'));
  tf.engine().reset();
}

if (process.argv.includes('--no-browser')) process.exit(0);
if (!existsSync(CHROMIUM)) {
  console.log(`(no Chromium at ${CHROMIUM}: browser backends not measured)`);
  process.exit(0);
}
const browser = await openBrowser();
try {
  for (const backend of ['webgpu', 'webgl'] as const) {
    const page = await browser.context.newPage();
    await page.goto(`${browser.url}/test/browser/harness.html`);
    await page.waitForFunction(() => (window as { harnessReady?: boolean }).harnessReady === true);
    const result = await page.evaluate(
      ([b, steps]) => (window as unknown as { harness: { benchInBrowser: (...a: unknown[]) => Promise<StepBench[] | string> } }).harness.benchInBrowser(b, steps),
      [backend, BROWSER_STEPS] as const,
    );
    if (typeof result === 'string') console.log(`${backend} (chromium): not available: ${result}`);
    else result.forEach((b) => console.log(row(b, 'chromium')));
    await page.close();
  }
} finally {
  await browser.close();
}
