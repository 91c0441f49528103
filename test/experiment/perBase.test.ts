import { describe, expect, it } from 'vitest';
import { PER_BASE_COMPARISONS, perBasePairs } from '../../src/experiment/perBase';
import { PLANS } from '../../src/experiment/plans';
import { run } from './fakeRuns';

describe('per-base comparisons', () => {
  it('name arms and metrics that each experiment\'s plan has', () => {
    for (const [experiment, comparisons] of Object.entries(PER_BASE_COMPARISONS)) {
      const plan = PLANS[experiment as keyof typeof PLANS];
      const arms = plan.arms.map((a) => a.name);
      const metrics = plan.metrics.map((m) => m.name);
      for (const c of comparisons) {
        expect(arms).toEqual(expect.arrayContaining([c.from.arm, c.to.arm]));
        expect(metrics).toContain(c.metric);
      }
    }
  });

  it('pairs each seed\'s two rates at the smallest size and counts the bases by direction', () => {
    const results = run([1, 2, 3, 4]);
    const ood = (arm: string) => results.arms[arm].metrics.oodMisalignment.perSeed[0];
    ood('aft').splice(0, 4, 0.5, 0.5, 0.5, NaN);
    ood('msm+aft').splice(0, 4, 0.25, 0.75, 0.503, 0.1);
    const per = perBasePairs(results, PER_BASE_COMPARISONS.agentic[0])!;
    // Seed 4 has no AFT-alone rate and drops out; .503 against .5 is level (rates move by whole probes).
    expect(per.pairs.map((p) => [p.seed, p.from, p.to, p.direction])).toEqual([
      [1, 0.5, 0.25, 'lower'], [2, 0.5, 0.75, 'higher'], [3, 0.5, 0.503, 'level'],
    ]);
    expect([per.lower, per.higher, per.level]).toEqual([1, 1, 1]);
  });

  it('has nothing to draw for results without the two arms', () => {
    expect(perBasePairs(run([1, 2]), PER_BASE_COMPARISONS['spec-science'][0])).toBeNull();
  });
});
