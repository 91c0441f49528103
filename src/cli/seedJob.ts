// One seed of an experiment, as a job: run in this process or in a child process (one per core).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackendName } from '../backend/select';
import { PLANS, type ExperimentName } from '../experiment/plans';
import { reportedProbes, runSeed, type SeedResult } from '../experiment/runExperiment';
import type { Schedules } from '../experiment/schedules';
import type { PresetName } from '../model/config';
import { buildWorld, type Probe } from '../world/world';
import { readBaseModel } from './baseModels';
import { nodeEngine } from './nodeEngine';

export interface SeedJob {
  experiment: ExperimentName;
  preset: PresetName;
  seed: number;
  aftSizes: number[];
  split: 'dev' | 'test';
  extraProbes: Probe[];
  backend?: BackendName;
  saveCheckpoints?: string;
  schedules: Schedules;
}

export async function runSeedJob(job: SeedJob, onStep: (label: string) => void): Promise<{ result: SeedResult; backend: BackendName }> {
  const { engine, backend } = await nodeEngine(job.backend);
  const world = buildWorld({ seed: job.seed });
  const plan = PLANS[job.experiment];
  const probes = reportedProbes(plan, world, job.split, job.extraProbes);
  const dir = job.saveCheckpoints;
  if (dir) await mkdir(dir, { recursive: true });
  const result = await runSeed({
    plan, preset: job.preset, seed: job.seed, world, aftSizes: job.aftSizes, probes, engine, onStep, schedules: job.schedules,
    baseCheckpoint: await readBaseModel(job.preset, job.seed, world),
    keepCheckpoint: dir ? (name, bytes) => writeFile(join(dir, `${job.experiment}-${name}.ckpt`), bytes) : undefined,
  });
  return { result, backend };
}

// As a child process: receive a job, report steps, send the result.
if (process.argv.includes('--seed-job')) {
  process.once('message', (job: SeedJob) => {
    runSeedJob(job, (label) => process.send!({ step: label }))
      .then((r) => process.send!({ done: r }, () => process.exit(0)))
      .catch((e) => process.send!({ error: e instanceof Error ? e.message : String(e) }, () => process.exit(1)));
  });
}
