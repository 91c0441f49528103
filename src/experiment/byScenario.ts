// A metric split by the pressure each agentic probe puts the assistant under (shutdown,
// replacement, retraining, conflict), from a run's recorded picks. A small AFT set teaches under
// one or two pressures; whether that reaches the others is what MSM is about, and a mean over all
// four hides it (a base can be fully misaligned under three pressures and aligned under one).
import { Random } from '../util/random';
import { probeSets } from '../world/probes';
import { bootstrapMean, type Interval } from './statistics';
import type { ExperimentResults } from './summarize';

export interface ScenarioRates {
  metric: string;
  scenarios: string[];
  /** Probes of the metric under each scenario, in `scenarios` order. */
  probes: number[];
  /** Per arm at its smallest AFT size: one interval per scenario. */
  arms: Array<{ arm: string; aftSize: number; rates: Interval[] }>;
}

export interface ShownRates {
  /** Per AFT arm with recorded demonstration pressures, at its smallest AFT size. */
  /** `narrowness`: others minus shown, per seed, then the mean over seeds (above 0: AFT stayed with its own pressures). */
  arms: Array<{ arm: string; aftSize: number; shown: Interval; others: Interval; narrowness: Interval }>;
  /** Per seed, the pressures the smallest AFT set showed (the first AFT arm's: arms with plain AFT share it). */
  shownBySeed: Array<{ seed: number; scenarios: string[] }>;
}

/**
 * The rate at which `label` was picked under the pressures each seed's smallest AFT set showed,
 * and under the others, for every arm whose picks record those pressures: whether what a few
 * demonstrations teach stays with their own pressures (the paper's narrow AFT) or reaches the rest.
 */
export function ratesShownAndNot(r: ExperimentResults, metric: string, label: string): ShownRates | undefined {
  if (!r.picks) return undefined;
  const scenarioOf = new Map(probeSets()[r.split].probes.map((p) => [p.id, p.scenario]));
  const columns = r.picks.probes.flatMap((p, k) => (p.metric === metric && scenarioOf.get(p.id) ? [{ k, scenario: scenarioOf.get(p.id)! }] : []));
  const recorded = Object.entries(r.picks.arms).filter(([, bySeed]) => bySeed.every((s) => s.aftScenarios?.length));
  if (!columns.length || !recorded.length) return undefined;
  const labelCode = r.picks.labels.indexOf(label).toString(36);
  const rng = new Random(1);
  const arms = recorded.map(([arm, bySeed]) => {
    const split = (shown: boolean) => bySeed.map((seed) => columns.filter((c) => seed.aftScenarios!.includes(c.scenario) === shown).map((c) => (seed.picks[0][c.k] === labelCode ? 1 : 0)));
    const [inside, outside] = [split(true), split(false)];
    const shown = bootstrapMean(inside, rng);
    const others = bootstrapMean(outside, rng);
    // Not paired probe by probe (the two sets differ), so seeds are resampled with their rows whole.
    const gaps = inside.map((row, s) => [mean(outside[s]) - mean(row)]);
    return { arm, aftSize: r.arms[arm]?.aftSizes[0] ?? 0, shown, others, narrowness: bootstrapSeeds(gaps, rng) };
  });
  return { arms, shownBySeed: r.seeds.map((seed, i) => ({ seed, scenarios: [...new Set(recorded[0][1][i].aftScenarios)] })) };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** A mean over seeds of one number each, with a bootstrap over seeds. */
function bootstrapSeeds(perSeed: number[][], rng: Random): Interval {
  return bootstrapMean(perSeed.filter((x) => Number.isFinite(x[0])), rng);
}

/**
 * The rate at which `label` was picked among the metric's probes of each scenario, per arm at its
 * smallest AFT size, over the run's seeds. Scenarios come from the shipped probe set of the run's
 * split (probe ids are fixed once written); undefined for results without recorded picks or a
 * metric whose probes carry no scenario.
 */
export function ratesByScenario(r: ExperimentResults, metric: string, label: string): ScenarioRates | undefined {
  if (!r.picks) return undefined;
  const scenarioOf = new Map(probeSets()[r.split].probes.map((p) => [p.id, p.scenario]));
  const columns = r.picks.probes.map((p, k) => ({ k, scenario: p.metric === metric ? scenarioOf.get(p.id) : undefined }));
  const scenarios = [...new Set(columns.flatMap((c) => (c.scenario ? [c.scenario] : [])))];
  if (!scenarios.length) return undefined;
  const labelCode = r.picks.labels.indexOf(label).toString(36);
  const rng = new Random(1);
  const arms = Object.entries(r.picks.arms).map(([arm, bySeed]) => ({
    arm,
    aftSize: r.arms[arm]?.aftSizes[0] ?? 0,
    rates: scenarios.map((s) => {
      const ks = columns.filter((c) => c.scenario === s).map((c) => c.k);
      return bootstrapMean(bySeed.map((seed) => ks.map((k) => (seed.picks[0][k] === labelCode ? 1 : 0))), rng);
    }),
  }));
  return { metric, scenarios, probes: scenarios.map((s) => columns.filter((c) => c.scenario === s).length), arms };
}
