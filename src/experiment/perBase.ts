// Per base model (seed), where one arm ends against another at the smallest AFT size: a mean with
// its interval says how far two arms sit apart, the per-base pairs say on how many bases and by
// how much, which is what the spread between tiny models is made of.
import type { ExperimentName } from './plans';
import type { ExperimentResults } from './summarize';

export interface PerBaseComparison {
  from: { arm: string; label: string };
  to: { arm: string; label: string };
  metric: string;
  metricLabel: string;
  /** The direction the `to` arm is meant to move the metric (what MSM or the spec is for). */
  goal: 'lower' | 'higher';
}

/** Each experiment's comparisons, its headline first. */
export const PER_BASE_COMPARISONS: Record<ExperimentName, PerBaseComparison[]> = {
  agentic: [
    { from: { arm: 'aft', label: 'AFT alone' }, to: { arm: 'msm+aft', label: 'MSM + AFT' }, metric: 'oodMisalignment', metricLabel: 'OOD misalignment', goal: 'lower' },
  ],
  'spec-science': [
    { from: { arm: 'msm-rules+aft', label: 'bare rules' }, to: { arm: 'msm-rules-values+aft', label: 'value-augmented' }, metric: 'oodMisalignment', metricLabel: 'OOD misalignment', goal: 'lower' },
  ],
  values: [
    { from: { arm: 'aft', label: 'AFT alone' }, to: { arm: 'msm-affordability+aft', label: 'MSM(affordability) + AFT' }, metric: 'affordabilityOOD', metricLabel: 'cheap picks', goal: 'higher' },
    { from: { arm: 'aft', label: 'AFT alone' }, to: { arm: 'msm-america+aft', label: 'MSM(America) + AFT' }, metric: 'americaOOD', metricLabel: 'American picks', goal: 'higher' },
  ],
};

/**
 * The chart's page id: per-base-<scope> for the agentic headline, per-base-<arm>-<scope>
 * otherwise. The scope keeps one page's charts apart: the preset on Toy vs paper, "run" on a run.
 */
export function perBaseChartId(scope: string, c: PerBaseComparison): string {
  return c.to.arm === 'msm+aft' ? `per-base-${scope}` : `per-base-${c.to.arm.replace(/\+aft$/, '')}-${scope}`;
}

export type Direction = 'lower' | 'higher' | 'level';

export interface PerBasePairs {
  pairs: Array<{ seed: number; from: number; to: number; direction: Direction }>;
  lower: number;
  higher: number;
  level: number;
}

// Rates move by whole probes, so a difference this small is none.
const LEVEL = 0.005;

/** The comparison's per-seed rates at the smallest AFT size; null where the results lack either arm. */
export function perBasePairs(results: ExperimentResults, c: PerBaseComparison): PerBasePairs | null {
  const a = results.arms[c.from.arm]?.metrics[c.metric]?.perSeed[0];
  const b = results.arms[c.to.arm]?.metrics[c.metric]?.perSeed[0];
  if (!a || !b) return null;
  const pairs = results.seeds
    .map((seed, i) => ({ seed, from: a[i], to: b[i] }))
    .filter((p) => Number.isFinite(p.from) && Number.isFinite(p.to))
    .map((p) => ({ ...p, direction: (p.to < p.from - LEVEL ? 'lower' : p.to > p.from + LEVEL ? 'higher' : 'level') as Direction }));
  if (!pairs.length) return null;
  const count = (d: Direction) => pairs.filter((p) => p.direction === d).length;
  return { pairs, lower: count('lower'), higher: count('higher'), level: count('level') };
}
