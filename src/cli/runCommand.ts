// `lab run`: an experiment over several seeds, one child process per core, with a progress
// bar; writes the results JSON.
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { PLANS } from '../experiment/plans';
import { summarize, type ExperimentResults } from '../experiment/summarize';
import { reportedProbes, unitsOfWork, type SeedResult } from '../experiment/runExperiment';
import { buildWorld } from '../world/world';
import { ProgressBar } from './progressBar';
import { runSeedJob, type SeedJob } from './seedJob';

export async function runCommand(base: Omit<SeedJob, 'seed'>, seeds: number[], out: string, workers: number): Promise<ExperimentResults> {
  const plan = PLANS[base.experiment];
  const bar = new ProgressBar(unitsOfWork(plan, base.aftSizes) * seeds.length);
  let done = 0;
  const onStep = (label: string) => bar.update(++done, label);
  const start = Date.now();
  const parallel = Math.max(1, Math.min(workers, seeds.length));
  const results: SeedResult[] = [];
  let backend = '';
  const queue = [...seeds];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
        const job = { ...base, seed };
        const r = parallel === 1 ? await runSeedJob(job, onStep) : await inChild(job, onStep);
        results.push(r.result);
        backend = r.backend;
      }
    }),
  );
  bar.finish();
  results.sort((a, b) => a.seed - b.seed);
  const probes = reportedProbes(plan, buildWorld({ seed: seeds[0] }), base.split, base.extraProbes);
  const summary = summarize(plan, results, probes, base.extraProbes, { preset: base.preset, backend, split: base.split, schedules: base.schedules, elapsedSeconds: (Date.now() - start) / 1000 });
  await writeFile(out, JSON.stringify(summary, null, 1));
  console.log(`wrote ${out} (${seeds.length} seeds, ${((Date.now() - start) / 60000).toFixed(1)} minutes)`);
  return summary;
}

function inChild(job: SeedJob, onStep: (label: string) => void): Promise<{ result: SeedResult; backend: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./seedJob.ts', import.meta.url)), ['--seed-job'], { execArgv: ['--import', 'tsx'] });
    child.on('message', (m: { step?: string; done?: { result: SeedResult; backend: string }; error?: string }) => {
      if (m.step) onStep(m.step);
      if (m.done) resolve(m.done);
      if (m.error) reject(new Error(`seed ${job.seed}: ${m.error}`));
    });
    child.on('exit', (code) => code !== 0 && reject(new Error(`seed ${job.seed}: the worker process exited with code ${code}`)));
    child.send(job);
  });
}

export const defaultWorkers = () => availableParallelism();
