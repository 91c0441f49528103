// `lab run`: an experiment over several seeds, its models spread over one process per core,
// with a progress bar; writes the results JSON.
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { BackendName } from '../backend/select';
import { PLANS, type ExperimentName } from '../experiment/plans';
import { reportedProbes, runSeeds, workOfSeed } from '../experiment/runExperiment';
import type { Schedules } from '../experiment/schedules';
import { recordPicks } from '../experiment/recordedPicks';
import { summarize, type ExperimentResults } from '../experiment/summarize';
import type { PresetName } from '../model/config';
import { buildWorld, type Probe } from '../world/world';
import { readBaseModel } from './baseModels';
import { startEnginePool } from './enginePool';
import { ProgressBar } from './progressBar';
import { resultsText } from './resultsFiles';

export interface RunSettings {
  experiment: ExperimentName;
  preset: PresetName;
  aftSizes: number[];
  split: 'dev' | 'test';
  extraProbes: Probe[];
  backend?: BackendName;
  saveCheckpoints?: string;
  schedules: Schedules;
  /** The folder the base models are read from (default `models`, the shipped ones). */
  bases?: string;
}

export async function runCommand(settings: RunSettings, seeds: number[], out: string, workers: number): Promise<ExperimentResults> {
  const plan = PLANS[settings.experiment];
  const start = Date.now();
  const inputs = await Promise.all(seeds.map(async (seed) => {
    const world = buildWorld({ seed });
    return { seed, world, baseCheckpoint: await readBaseModel(settings.preset, seed, world, settings.bases) };
  }));
  const probes = reportedProbes(plan, inputs[0].world, settings.split, settings.extraProbes);
  const dir = settings.saveCheckpoints;
  if (dir) await mkdir(dir, { recursive: true });
  const bar = new ProgressBar(workOfSeed(plan, settings.aftSizes, settings.schedules) * seeds.length);
  let done = 0;
  const pool = await startEnginePool(workers, settings.backend);
  try {
    const results = await runSeeds({
      plan, preset: settings.preset, seeds: inputs, aftSizes: settings.aftSizes, probes, engine: pool, schedules: settings.schedules,
      onStep: (label, work) => bar.update((done += work), label),
      baseAftWithMidtrainings: true,
      keepCheckpoint: dir ? (name, bytes) => writeFile(join(dir, `${settings.experiment}-${name}.ckpt`), bytes) : undefined,
    });
    bar.finish();
    const summary: ExperimentResults = {
      ...summarize(plan, results, probes, settings.extraProbes, { preset: settings.preset, backend: pool.backend, split: settings.split, schedules: settings.schedules, elapsedSeconds: (Date.now() - start) / 1000, workers: Math.max(1, workers) }),
      picks: recordPicks(results, settings.extraProbes), // so that runs on other seeds can be merged with this one
    };
    await writeFile(out, resultsText(summary));
    console.log(`wrote ${out} (${seeds.length} seeds, ${((Date.now() - start) / 60000).toFixed(1)} minutes)`);
    return summary;
  } finally {
    pool.close();
  }
}

export const defaultWorkers = () => availableParallelism();
