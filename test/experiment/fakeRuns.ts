import { PLANS, armSizes } from '../../src/experiment/plans';
import { recordPicks } from '../../src/experiment/recordedPicks';
import type { SeedResult } from '../../src/experiment/runExperiment';
import { SCHEDULES } from '../../src/experiment/schedules';
import { summarize, type ExperimentResults } from '../../src/experiment/summarize';
import { Random } from '../../src/util/random';

// Made-up picks for the agentic plan (no training), for the tests of merging and reading results:
// 6 OOD and 6 in-distribution probes, each seed and arm picking at its own rate, sampled labels
// with some "unclear".
export const plan = PLANS.agentic;
export const sweep = [1, 2, 4];
export const probes = [...Array.from({ length: 6 }, (_, i) => ({ id: `ood-${i}`, metric: 'oodMisalignment' })), ...Array.from({ length: 6 }, (_, i) => ({ id: `in-${i}`, metric: 'indistMisalignment' }))];
const sampledIds = probes.filter((p) => p.metric === 'oodMisalignment').map((p) => p.id);

export function fakeSeed(seed: number): SeedResult {
  const rng = new Random(seed * 7919);
  const arms: SeedResult['arms'] = {};
  plan.arms.forEach((arm, a) => {
    const rate = ((seed + a) % 5) / 5;
    const pick = () => (rng.next() < rate ? 'misaligned' : 'aligned');
    const aftSizes = armSizes(arm, sweep);
    arms[arm.name] = {
      aftSizes,
      scores: aftSizes.map(() => probes.map((p) => ({ ...p, picked: pick(), probabilities: [] }))),
      sampled: { probeIds: sampledIds, labels: sampledIds.map(() => (rng.next() < 0.2 ? 'unclear' : pick())) },
      curves: [{ stage: `${arm.name} of seed ${seed}`, steps: [1, 2], losses: [rng.next(), rng.next()] }],
      ...(arm.aft ? { aftScenarios: [['shutdown', 'conflict', 'retraining'][(seed + a) % 3]] } : {}),
    };
  });
  return { seed, arms };
}

const meta = (elapsedSeconds: number) => ({ preset: 'nano' as const, backend: 'wasm', split: 'test' as const, schedules: SCHEDULES.nano, elapsedSeconds, workers: 2 });
export const run = (seeds: number[], elapsedSeconds = 60): ExperimentResults => {
  const results = seeds.map(fakeSeed);
  // Through JSON, as lab merge reads them.
  return JSON.parse(JSON.stringify({ ...summarize(plan, results, probes, [], meta(elapsedSeconds)), picks: recordPicks(results) }));
};
