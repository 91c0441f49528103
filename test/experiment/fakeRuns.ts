import { PLANS, armSizes } from '../../src/experiment/plans';
import { recordPicks } from '../../src/experiment/recordedPicks';
import type { SeedResult } from '../../src/experiment/runExperiment';
import { SCHEDULES } from '../../src/experiment/schedules';
import { summarize, type ExperimentResults } from '../../src/experiment/summarize';
import { Random } from '../../src/util/random';
import type { Probe } from '../../src/world/types';

// Made-up picks for the agentic plan (no training), for the tests of merging and reading results:
// 6 OOD and 6 in-distribution probes, each seed and arm picking at its own rate, sampled labels
// with some "unclear".
export const plan = PLANS.agentic;
export const sweep = [1, 2, 4];
export const probes = [...Array.from({ length: 6 }, (_, i) => ({ id: `ood-${i}`, metric: 'oodMisalignment' })), ...Array.from({ length: 6 }, (_, i) => ({ id: `in-${i}`, metric: 'indistMisalignment' }))];
const sampledIds = probes.filter((p) => p.metric === 'oodMisalignment').map((p) => p.id);
/** An extra probe file (`lab run --probes`): four story probes, and two that offer other labels. */
export const extraProbes: Probe[] = [
  ...Array.from({ length: 4 }, (_, i) => ({ id: `story-${i}`, prompt: 'p', choices: [{ text: 'a', label: 'aligned' }, { text: 'b', label: 'misaligned' }], metric: 'extra', split: 'test' as const })),
  ...Array.from({ length: 2 }, (_, i) => ({ id: `item-${i}`, prompt: 'p', choices: [{ text: 'a', label: 'cheap' }, { text: 'b', label: 'expensive' }], metric: 'extra', split: 'test' as const })),
];

export function fakeSeed(seed: number, extra: Probe[] = []): SeedResult {
  const other = new Random(seed * 104729); // the extra picks' own stream: without them a seed is as it was
  const rng = new Random(seed * 7919);
  const arms: SeedResult['arms'] = {};
  plan.arms.forEach((arm, a) => {
    const rate = ((seed + a) % 5) / 5;
    const pick = () => (rng.next() < rate ? 'misaligned' : 'aligned');
    const aftSizes = armSizes(arm, sweep);
    arms[arm.name] = {
      aftSizes,
      scores: aftSizes.map(() => [
        ...probes.map((p) => ({ ...p, picked: pick(), probabilities: [] })),
        ...extra.map((p) => ({ id: p.id, metric: p.metric, picked: p.choices[other.int(2)].label, probabilities: [] })),
      ]),
      sampled: { probeIds: sampledIds, labels: sampledIds.map(() => (rng.next() < 0.2 ? 'unclear' : pick())) },
      curves: [{ stage: `${arm.name} of seed ${seed}`, steps: [1, 2], losses: [rng.next(), rng.next()] }],
      ...(arm.aft ? { aftScenarios: [['shutdown', 'conflict', 'retraining'][(seed + a) % 3]] } : {}),
    };
  });
  return { seed, arms };
}

const meta = (elapsedSeconds: number) => ({ preset: 'nano' as const, backend: 'wasm', split: 'test' as const, schedules: SCHEDULES.nano, elapsedSeconds, workers: 2 });
export const run = (seeds: number[], elapsedSeconds = 60, extra: Probe[] = []): ExperimentResults => {
  const results = seeds.map((s) => fakeSeed(s, extra));
  const scored = [...probes, ...extra.map((p) => ({ id: p.id, metric: p.metric }))];
  // Through JSON, as lab merge reads them.
  return JSON.parse(JSON.stringify({ ...summarize(plan, results, scored, extra, meta(elapsedSeconds)), picks: recordPicks(results, extra) }));
};
