// npm run bench: how fast training is on every backend this machine has, in one run:
// wasm in Node, with the agentic experiment's own steps and evaluations, each before and after
// packing, timed back to back; webgpu and webgl in headless Chromium when it is installed
// (`--no-browser` skips them); then the wall time of the full agentic experiment, nano preset,
// 3 seeds, on wasm (`--no-experiment` skips it). `--out FILE` also writes the figures as JSON.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useNodeBackend } from '../backend/node';
import { DEFAULT_AFT_SIZES } from '../experiment/plans';
import { SCHEDULES } from '../experiment/schedules';
import { benchEvaluation, benchExperimentSteps, evaluationRow, experimentStepRow } from '../bench/experimentStepBench';
import { runBenchSuite, singleRow, stackedRow, type BenchPlan, type BenchReport } from '../bench/suite';
import { CHROMIUM, openBrowser } from './chromium';
import { defaultWorkers, runCommand } from './runCommand';

const NODE_PLAN: BenchPlan = {
  matmul: { size: 1024, repeats: 5 },
  single: [{ preset: 'nano', steps: 10 }, { preset: 'small', steps: 4 }],
  stacked: [{ preset: 'nano', models: [1, 8, 32], steps: 2 }],
};
// A software WebGPU adapter takes seconds a step: keep the browser run short.
const BROWSER_PLAN: BenchPlan = {
  matmul: { size: 512, repeats: 3 },
  single: [{ preset: 'nano', steps: 2 }],
  stacked: [{ preset: 'nano', models: [1, 8], steps: 2 }],
};

const args = process.argv.slice(2);
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : null;
const figures: Record<string, unknown> = {};

await useNodeBackend('wasm');
figures.node = await runBenchSuite(NODE_PLAN, console.log);
console.log('the agentic experiment\'s work, nano, one model (A and B alternated in this process):');
figures.experimentSteps = await benchExperimentSteps('nano', 10, 3);
(figures.experimentSteps as Awaited<ReturnType<typeof benchExperimentSteps>>).forEach((b) => console.log(experimentStepRow(b)));
figures.evaluation = await benchEvaluation('nano', 3);
(figures.evaluation as Awaited<ReturnType<typeof benchEvaluation>>).forEach((b) => console.log(evaluationRow(b)));

if (!args.includes('--no-browser')) {
  if (!existsSync(CHROMIUM)) console.log(`(no Chromium at ${CHROMIUM}: browser backends not measured)`);
  else figures.chromium = await benchChromium();
}

if (!args.includes('--no-experiment')) {
  const start = Date.now();
  const results = await runCommand(
    { experiment: 'agentic', preset: 'nano', aftSizes: DEFAULT_AFT_SIZES, split: 'test', extraProbes: [], backend: 'wasm', schedules: SCHEDULES.nano },
    [1, 2, 3], join(tmpdir(), 'msm-lab-bench-agentic.json'), defaultWorkers(),
  );
  const seconds = (Date.now() - start) / 1000;
  figures.agentic = { seconds, workers: defaultWorkers(), backend: results.backend };
  console.log(`agentic experiment, nano, 3 seeds, AFT sizes ${DEFAULT_AFT_SIZES.join(',')}, wasm, ${defaultWorkers()} processes: ${(seconds / 60).toFixed(2)} minutes`);
}
if (out) await writeFile(out, JSON.stringify(figures, null, 1));
process.exit(0);

async function benchChromium(): Promise<Record<string, BenchReport | string>> {
  const reports: Record<string, BenchReport | string> = {};
  const browser = await openBrowser();
  try {
    for (const backend of ['webgpu', 'webgl'] as const) {
      const page = await browser.context.newPage();
      await page.goto(`${browser.url}/test/browser/harness.html`);
      await page.waitForFunction(() => (window as { harnessReady?: boolean }).harnessReady === true);
      const report = await page.evaluate(
        ([b, plan]) => (window as unknown as { harness: { benchInBrowser: (...a: unknown[]) => Promise<BenchReport | string> } }).harness.benchInBrowser(b, plan),
        [backend, BROWSER_PLAN] as const,
      );
      reports[backend] = report;
      if (typeof report === 'string') console.log(`${backend} (chromium): not available: ${report}`);
      else {
        console.log(`${backend} (chromium): ${BROWSER_PLAN.matmul.size}² matmul ${(report.matmulFlops / 1e9).toFixed(2)} GFLOP/s`);
        report.single.forEach((b) => console.log(singleRow(b, report.matmulFlops)));
        report.stacked.forEach((b) => console.log(stackedRow(b, report.matmulFlops)));
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return reports;
}
