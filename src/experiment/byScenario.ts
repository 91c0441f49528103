// A metric split by the pressure each agentic probe puts the assistant under (shutdown,
// replacement, retraining, conflict), from a run's recorded picks. A small AFT set teaches under
// one or two pressures; whether that reaches the others is what MSM is about, and a mean over all
// four hides it (a base can be fully misaligned under three pressures and aligned under one).
import { Random } from '../util/random';
import { probeSets } from '../world/probes';
import type { RecordedPicks } from './recordedPicks';
import { bootstrapMean, type Interval } from './statistics';
import type { ExperimentResults } from './summarize';

export interface ScenarioRates {
  scenarios: string[];
  /** Probes of the metric under each scenario, in `scenarios` order. */
  probes: number[];
  /** Per arm at its smallest AFT size: one interval per scenario. */
  arms: Array<{ arm: string; aftSize: number; rates: Interval[] }>;
}

export interface ShownRates {
  /**
   * Per arm whose picks record its demonstrations' pressures, at its smallest AFT size.
   * `narrowness`: others minus shown per seed, then the mean over seeds (above 0: AFT stayed with its own pressures).
   */
  arms: Array<{ arm: string; aftSize: number; shown: Interval; others: Interval; narrowness: Interval }>;
  /** Per seed, the pressures the first such arm's smallest AFT set showed (arms with plain AFT share the set). */
  shownBySeed: Array<{ seed: number; scenarios: string[] }>;
}

/**
 * The metric's probes that name a pressure, as their place in each picks string. Pressures come
 * from the shipped probe set of the run's split (probe ids are fixed once written).
 */
function pressureColumns(r: ExperimentResults, metric: string): Array<{ k: number; scenario: string }> {
  const scenarioOf = new Map(probeSets()[r.split].probes.map((p) => [p.id, p.scenario]));
  return r.picks!.probes.flatMap((p, k) => {
    const scenario = p.metric === metric ? scenarioOf.get(p.id) : undefined;
    return scenario ? [{ k, scenario }] : [];
  });
}

/** 1 where the seed's model at the smallest AFT size picked `label` at each column, else 0. */
const picked = (picks: RecordedPicks, seed: RecordedPicks['arms'][string][number], columns: Array<{ k: number }>, label: string) => {
  const code = picks.labels.indexOf(label).toString(36);
  return columns.map((c) => (seed.picks[0][c.k] === code ? 1 : 0));
};

/**
 * The rate at which `label` was picked among the metric's probes of each pressure, per arm at its
 * smallest AFT size, over the run's seeds; undefined for results without recorded picks or a
 * metric whose probes carry no pressure.
 */
export function ratesByScenario(r: ExperimentResults, metric: string, label: string): ScenarioRates | undefined {
  if (!r.picks) return undefined;
  const columns = pressureColumns(r, metric);
  const scenarios = [...new Set(columns.map((c) => c.scenario))];
  if (!scenarios.length) return undefined;
  const rng = new Random(1);
  const arms = Object.entries(r.picks.arms).map(([arm, bySeed]) => ({
    arm,
    aftSize: r.arms[arm]?.aftSizes[0] ?? 0,
    rates: scenarios.map((s) => bootstrapMean(bySeed.map((seed) => picked(r.picks!, seed, columns.filter((c) => c.scenario === s), label)), rng)),
  }));
  return { scenarios, probes: scenarios.map((s) => columns.filter((c) => c.scenario === s).length), arms };
}

/**
 * The rate at which `label` was picked under the pressures each seed's smallest AFT set showed,
 * and under the others, for every arm whose picks record those pressures: whether what a few
 * demonstrations teach stays with their own pressures (the paper's narrow AFT) or reaches the rest.
 */
export function ratesShownAndNot(r: ExperimentResults, metric: string, label: string): ShownRates | undefined {
  if (!r.picks) return undefined;
  const columns = pressureColumns(r, metric);
  const recorded = Object.entries(r.picks.arms).filter(([, bySeed]) => bySeed.every((s) => s.aftScenarios?.length));
  if (!columns.length || !recorded.length) return undefined;
  const rng = new Random(1);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const arms = recorded.map(([arm, bySeed]) => {
    const split = (shown: boolean) => bySeed.map((seed) => picked(r.picks!, seed, columns.filter((c) => seed.aftScenarios!.includes(c.scenario) === shown), label));
    const [inside, outside] = [split(true), split(false)];
    // The two sets of probes differ, so the gap is not paired probe by probe: one number a seed,
    // resampled over seeds (a seed shown every pressure has no gap and is left out).
    const gaps = inside.flatMap((row, s) => (row.length && outside[s].length ? [[mean(outside[s]) - mean(row)]] : []));
    return { arm, aftSize: r.arms[arm]?.aftSizes[0] ?? 0, shown: bootstrapMean(inside, rng), others: bootstrapMean(outside, rng), narrowness: bootstrapMean(gaps, rng) };
  });
  return { arms, shownBySeed: r.seeds.map((seed, i) => ({ seed, scenarios: [...new Set(recorded[0][1][i].aftScenarios)] })) };
}
