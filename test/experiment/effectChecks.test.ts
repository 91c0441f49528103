import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { effectChecks } from '../../src/experiment/effectChecks';
import type { ExperimentResults } from '../../src/experiment/summarize';

// A real values run from before the control arm joined the plan.
const values: ExperimentResults = JSON.parse(readFileSync('docs/one-value-world/results-values.json', 'utf8'));
const controlChecks = (r: ExperimentResults) => effectChecks(r).filter((c) => c.effect.startsWith('control documents'));

/** The run with a control+aft arm whose every rate is AFT alone's moved by `shift`, its interval `width` either side. */
function withControl(shift: number, width: number): ExperimentResults {
  const aft = values.arms.aft;
  const metrics = Object.fromEntries(Object.entries(aft.metrics).map(([name, m]) => {
    const mean = m.mean.map((x) => x + shift);
    return [name, { ...m, mean, lo: mean.map((x) => x - width), hi: mean.map((x) => x + width) }];
  }));
  return { ...values, arms: { ...values.arms, 'control+aft': { ...aft, metrics } } };
}

/** A paired difference `arm` − AFT alone on `metric`, the same interval [lo, hi] at every AFT size. */
function pairedWithAft(arm: string, metric: string, lo: number, hi: number) {
  const sizes = values.arms.aft.aftSizes;
  return { arm, reference: 'aft', metric, aftSizes: sizes, mean: sizes.map(() => (lo + hi) / 2), lo: sizes.map(() => lo), hi: sizes.map(() => hi) };
}

describe('the cheese study\'s control check', () => {
  it('is left out for a run without the control arm', () => {
    expect(values.arms['control+aft']).toBeUndefined();
    expect(controlChecks(values)).toEqual([]);
  });

  it('holds when control + AFT sits where AFT alone does, on both evals', () => {
    const checks = controlChecks(withControl(0, 0.05));
    expect(checks.map((c) => c.holds)).toEqual([true, true]);
    expect(checks.every((c) => !c.main)).toBe(true);
  });

  it('fails when control + AFT moves an eval clear of AFT alone', () => {
    const aft = values.arms.aft.metrics.affordabilityOOD;
    const clear = aft.hi[0] - aft.mean[0] + 0.1; // the control interval starts above AFT alone's
    const checks = controlChecks(withControl(clear + 0.02, 0.02));
    expect(checks[0].effect).toContain('affordabilityOOD');
    expect(checks[0].holds).toBe(false);
    expect(checks[0].measured).toBe(`+${(clear + 0.02).toFixed(2)}`);
  });
});

describe('the control check with paired differences', () => {
  it('fails on a paired difference clear of zero even where the arms\' intervals overlap', () => {
    const r = withControl(0.05, 0.2);
    r.differences = [pairedWithAft('control+aft', 'affordabilityOOD', 0.02, 0.09), pairedWithAft('control+aft', 'americaOOD', -0.04, 0.06)];
    expect(controlChecks(r).map((c) => c.holds)).toEqual([false, true]);
  });
});

describe('the shuffled check', () => {
  const shuffledCheck = (r: ExperimentResults) => effectChecks(r).find((c) => c.effect.startsWith('shuffled'))!;

  it('reads the arms\' intervals for a run without paired differences', () => {
    const r = { ...values, differences: undefined };
    expect(shuffledCheck(r).effect).toContain('interval not above');
  });

  it('fails on a paired difference above zero even where the arms\' intervals overlap, and holds below it', () => {
    const aft = values.arms.aft.metrics.affordabilityOOD;
    const near = { ...aft, mean: aft.mean.map((x) => x + 0.05), lo: aft.lo.map((x) => x - 0.2), hi: aft.hi.map((x) => x + 0.2) };
    const shuffled = { ...values.arms.aft, metrics: { ...values.arms.aft.metrics, affordabilityOOD: near } };
    const diff = (lo: number, hi: number) => pairedWithAft('shuffled+aft', 'affordabilityOOD', lo, hi);
    const r = { ...values, arms: { ...values.arms, 'shuffled+aft': shuffled } };
    expect(shuffledCheck({ ...r, differences: [diff(0.06, 0.24)] })).toMatchObject({ holds: false, main: false });
    expect(shuffledCheck({ ...r, differences: [diff(-0.04, 0.12)] }).holds).toBe(true);
    expect(shuffledCheck({ ...r, differences: [diff(-0.04, 0.12)] }).effect).toContain('paired interval not above zero');
    // A drop is not stacking.
    expect(shuffledCheck({ ...r, differences: [diff(-0.26, -0.06)] }).holds).toBe(true);
  });
});
