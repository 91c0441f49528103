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
