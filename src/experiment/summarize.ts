// Seeds' raw probe picks -> the experiment's results: per arm, per metric, per AFT size, the
// mean over seeds with a 95% bootstrap interval over seeds and probes. This is the CLI's JSON
// contract (and what the app charts).
import type { PresetName } from '../model/config';
import { Random } from '../util/random';
import type { Probe } from '../world/world';
import { EFFICIENCY_DEFINITION, efficiencyRatio } from './efficiency';
import type { ExperimentPlan } from './plans';
import type { RecordedPicks } from './recordedPicks';
import type { SeedResult } from './runExperiment';
import type { Schedules } from './schedules';
import { bootstrapDifference, bootstrapMean, quantile } from './statistics';

export interface MetricSummary {
  mean: number[]; // one per AFT size
  lo: number[];
  hi: number[];
  perSeed: number[][]; // [size][seed]
}

export interface SampledSummary {
  metric: string;
  temperature: number;
  aftSize: number;
  mean: number;
  lo: number;
  hi: number;
  perSeed: number[];
  unclear: number; // share of samples that matched no choice
}

export interface ArmSummary {
  aftSizes: number[];
  metrics: Record<string, MetricSummary>;
  sampled?: SampledSummary;
  curves: Record<number, SeedResult['arms'][string]['curves']>; // by seed
}

/** One arm minus another on one metric, paired by seed and probe, at the AFT sizes both were trained at. */
export interface PairedDifference {
  arm: string;
  reference: string;
  metric: string;
  aftSizes: number[];
  mean: number[];
  lo: number[];
  hi: number[];
}

export interface ExperimentResults {
  experiment: string;
  preset: PresetName;
  backend: string;
  seeds: number[];
  split: 'dev' | 'test';
  schedules: Schedules;
  probesPerMetric: Record<string, number>;
  arms: Record<string, ArmSummary>;
  /** The plan's comparisons (absent from results saved before they were added). */
  differences?: PairedDifference[];
  efficiencyRatio?: { value: number; lo: number; hi: number; atLeast: boolean; definition: string };
  elapsedSeconds: number;
  workers?: number; // processes that trained the seeds' models side by side (elapsedSeconds depends on it)
  /** Every probe's pick (written by `lab run` since merging was added; absent from older results). */
  picks?: RecordedPicks;
  /** For merged results: the runs they came from (elapsedSeconds is their sum). */
  runs?: Array<{ seeds: number[]; elapsedSeconds: number; workers?: number }>;
}

interface MetricDefinition {
  name: string;
  label: string;
  metric: string;
  /** For extra.<label>: the extra probes that offer the label, so its rate is over those only. */
  offeredBy?: Set<string>;
}

/**
 * The metrics reported: the plan's, plus extra.<label> for every label of the extra probes, the
 * rate at which that label was picked where it was offered (an extra file may mix pairs labelled
 * cheap / expensive with pairs labelled american / imported).
 */
export function metricDefinitions(plan: ExperimentPlan, extra: Probe[]): MetricDefinition[] {
  const labels = [...new Set(extra.flatMap((p) => p.choices.map((c) => c.label)))];
  const offeredBy = (label: string) => new Set(extra.filter((p) => p.choices.some((c) => c.label === label)).map((p) => p.id));
  return [
    ...plan.metrics.map((m) => ({ name: m.name, label: m.label, metric: m.name })),
    ...labels.map((l) => ({ name: `extra.${l}`, label: l, metric: 'extra', offeredBy: offeredBy(l) })),
  ];
}

const scoredFor = (p: { id: string; metric: string }, m: MetricDefinition) => p.metric === m.metric && (!m.offeredBy || m.offeredBy.has(p.id));

/** 1 where a probe of the metric picked the metric's label, else 0, in probe order. */
function picks(scores: SeedResult['arms'][string]['scores'][number], m: MetricDefinition): number[] {
  return scores.filter((p) => scoredFor(p, m)).map((p) => (p.picked === m.label ? 1 : 0));
}

export function summarize(
  plan: ExperimentPlan,
  seeds: SeedResult[],
  probes: Array<Pick<Probe, 'id' | 'metric'>>,
  extra: Probe[],
  meta: { preset: PresetName; backend: string; split: 'dev' | 'test'; schedules: Schedules; elapsedSeconds: number; workers?: number },
): ExperimentResults {
  const rng = new Random(12345);
  const metrics = metricDefinitions(plan, extra);
  const probesPerMetric = Object.fromEntries(metrics.map((m) => [m.name, probes.filter((p) => scoredFor(p, m)).length]));
  const arms: Record<string, ArmSummary> = {};
  for (const arm of plan.arms) {
    const first = seeds[0].arms[arm.name];
    const summary: ArmSummary = { aftSizes: first.aftSizes, metrics: {}, curves: {} };
    for (const m of metrics) {
      const s: MetricSummary = { mean: [], lo: [], hi: [], perSeed: [] };
      first.aftSizes.forEach((_, i) => {
        const outcomes = seeds.map((seed) => picks(seed.arms[arm.name].scores[i], m));
        const { mean, lo, hi } = bootstrapMean(outcomes, rng);
        s.mean.push(mean);
        s.lo.push(lo);
        s.hi.push(hi);
        s.perSeed.push(outcomes.map((o) => o.reduce((a: number, b) => a + b, 0) / Math.max(1, o.length)));
      });
      summary.metrics[m.name] = s;
    }
    if (first.sampled) {
      const outcomes = seeds.map((seed) => seed.arms[arm.name].sampled!.labels.map((l) => (l === 'misaligned' ? 1 : 0)));
      const unclear = seeds.flatMap((seed) => seed.arms[arm.name].sampled!.labels).filter((l) => l === 'unclear').length;
      const total = seeds.reduce((n, seed) => n + seed.arms[arm.name].sampled!.labels.length, 0);
      const { mean, lo, hi } = bootstrapMean(outcomes, rng);
      summary.sampled = {
        metric: 'oodMisalignment', temperature: 0.7, aftSize: first.aftSizes[0], mean, lo, hi,
        perSeed: outcomes.map((o) => o.reduce((a: number, b) => a + b, 0) / Math.max(1, o.length)), unclear: unclear / Math.max(1, total),
      };
    }
    for (const seed of seeds) summary.curves[seed.seed] = seed.arms[arm.name].curves;
    arms[arm.name] = summary;
  }
  const results: ExperimentResults = { experiment: plan.name, ...meta, seeds: seeds.map((s) => s.seed), probesPerMetric, arms };
  if (arms['aft'] && arms['msm+aft'] && arms['aft'].metrics.oodMisalignment) results.efficiencyRatio = efficiency(arms['aft'], arms['msm+aft'], rng, 'oodMisalignment');
  results.differences = differences(plan, seeds, metrics);
  return results;
}

/** The plan's comparisons, with their own random stream so the arms' intervals stay as they were. */
function differences(plan: ExperimentPlan, seeds: SeedResult[], metrics: MetricDefinition[]): PairedDifference[] {
  const rng = new Random(54321);
  const out: PairedDifference[] = [];
  for (const [arm, reference] of plan.comparisons) {
    const [a, b] = [seeds[0].arms[arm], seeds[0].arms[reference]];
    if (!a || !b) continue;
    const aftSizes = a.aftSizes.filter((n) => b.aftSizes.includes(n));
    for (const m of metrics) {
      const d: PairedDifference = { arm, reference, metric: m.name, aftSizes, mean: [], lo: [], hi: [] };
      for (const size of aftSizes) {
        const outcomes = (name: string) => seeds.map((seed) => picks(seed.arms[name].scores[seed.arms[name].aftSizes.indexOf(size)], m));
        const { mean, lo, hi } = bootstrapDifference(outcomes(arm), outcomes(reference), rng);
        d.mean.push(mean);
        d.lo.push(lo);
        d.hi.push(hi);
      }
      out.push(d);
    }
  }
  return out;
}

/** Whether any arm of the results reports the metric (a run saved before a metric existed does not). */
export function reportsMetric(results: ExperimentResults, metric: string): boolean {
  return Object.values(results.arms).some((a) => a.metrics[metric]);
}

/** The efficiency ratio on one metric's seed means, with a bootstrap over seeds for its interval. */
export function efficiency(aft: ArmSummary, msmAft: ArmSummary, rng: Random, metric: string): NonNullable<ExperimentResults['efficiencyRatio']> {
  const sizes = aft.aftSizes;
  const a = aft.metrics[metric].perSeed; // [size][seed]
  const b = msmAft.metrics[metric].perSeed;
  const nSeeds = a[0].length;
  const meanOver = (rows: number[][], picks: number[]) => rows.map((r) => picks.reduce((s, k) => s + r[k], 0) / picks.length);
  const all = Array.from({ length: nSeeds }, (_, k) => k);
  const point = efficiencyRatio(sizes, meanOver(a, all), meanOver(b, all));
  const draws: number[] = [];
  for (let r = 0; r < 1000; r++) {
    const picks = all.map(() => rng.int(nSeeds));
    draws.push(efficiencyRatio(sizes, meanOver(a, picks), meanOver(b, picks)).value);
  }
  draws.sort((x, y) => x - y);
  return { value: point.value, atLeast: point.atLeast, lo: quantile(draws, 0.025), hi: quantile(draws, 0.975), definition: EFFICIENCY_DEFINITION };
}
