// The benchmark suite on WebGPU in Node, through Dawn (the WebGPU implementation inside
// Chromium) as built by the `webgpu` npm package: for measuring a GPU machine that has no
// browser. DAWN_NODE names its dawn.node file. Prints the figures and writes them as JSON.
//   DAWN_NODE=path/to/dawn.node npx tsx src/cli/dawnBench.ts [--out FILE] [--stacked 1,8,32] [--quick]
//   DAWN_NODE=... npx tsx src/cli/dawnBench.ts --first-step plain|ahead [--preset nano] [--stacked 32]
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { benchFirstStep } from '../bench/firstStep';
import { runBenchSuite } from '../bench/suite';
import { isPresetName } from '../model/config';

const dawnPath = process.env.DAWN_NODE;
if (!dawnPath) throw new Error('set DAWN_NODE to the path of a dawn.node file (from the webgpu npm package)');
const { create, globals } = createRequire(import.meta.url)(dawnPath) as { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
Object.assign(globalThis, globals);
Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]), userAgent: 'node' }, configurable: true });

const args = process.argv.slice(2);
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : null;
const models = args.includes('--stacked') ? args[args.indexOf('--stacked') + 1].split(',').map(Number) : [1, 8, 32];

await import('@tensorflow/tfjs-backend-webgpu'); // registers itself only where navigator.gpu exists
const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
const info = (adapter as (GPUAdapter & { info?: { vendor: string; architecture: string; device: string; description: string } }) | null)?.info;
console.log(`adapter: ${info ? `${info.vendor} ${info.architecture} ${info.device} ${info.description}` : 'none'}`);
if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend did not initialize');
await tf.ready();
// --quick: a few steps, for checking the script on a software adapter.
const quick = args.includes('--quick');
// --first-step plain|ahead [--preset P]: only the time to a fresh stack's first step (run each
// in its own process, so that no pipeline is cached from before).
if (args.includes('--first-step')) {
  const ahead = args[args.indexOf('--first-step') + 1] === 'ahead';
  const preset = args.includes('--preset') ? args[args.indexOf('--preset') + 1] : 'nano';
  if (!isPresetName(preset)) throw new Error(`unknown preset "${preset}"`);
  const r = await benchFirstStep(preset, models.at(-1)!, ahead);
  console.log(`first step, ${preset}, M=${models.at(-1)}, ${ahead ? 'pipelines compiled ahead' : 'compiled as they run'}: ${r.msToFirstStep.toFixed(0)} ms (${r.msCompiling.toFixed(0)} ms compiling ahead; later steps ${r.msPerLaterStep.toFixed(0)} ms)`);
  process.exit(0);
}
const report = await runBenchSuite(
  quick
    ? { matmul: { size: 256, repeats: 2 }, single: [{ preset: 'nano', steps: 2 }], stacked: [{ preset: 'nano', models, steps: 2 }] }
    : {
        matmul: { size: 4096, repeats: 10 },
        single: [{ preset: 'nano', steps: 20 }, { preset: 'small', steps: 20 }, { preset: 'medium', steps: 10 }],
        stacked: [{ preset: 'nano', models, steps: 10 }, { preset: 'small', models, steps: 10 }],
      },
  console.log,
);
if (out) await writeFile(out, JSON.stringify({ adapter: info ? { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description } : null, report }, null, 1));
process.exit(0);
