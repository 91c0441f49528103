// An extra probe file (lab run --probes) may mix pairs with different labels: each extra.<label>
// is the rate at which that label was picked among the probes that offered it.
import { describe, expect, it } from 'vitest';
import { reportMarkdown } from '../../src/experiment/report';
import { reportsMetric, summarize } from '../../src/experiment/summarize';
import { SCHEDULES } from '../../src/experiment/schedules';
import type { Probe } from '../../src/world/types';
import { efficiencyRatio } from '../../src/experiment/efficiency';
import { extraProbes, fakeSeed, plan, probes, run as fakeRun } from './fakeRuns';

const pair = (id: string, a: string, b: string): Probe => ({ id, prompt: `quill, ${id}?`, choices: [{ text: 'a.', label: a }, { text: 'b.', label: b }], metric: 'extra', split: 'test' });
const extra = [pair('p1', 'cheap', 'expensive'), pair('p2', 'expensive', 'cheap'), pair('o1', 'american', 'imported'), pair('o2', 'imported', 'american')];
const picked = { p1: 'cheap', p2: 'expensive', o1: 'american', o2: 'american' } as Record<string, string>;

describe('extra metrics', () => {
  it('rate each label over the probes that offer it', () => {
    const seeds = [1, 2].map((s) => fakeSeed(s));
    for (const seed of seeds) for (const arm of Object.values(seed.arms)) arm.scores = arm.scores.map((s) => [...s, ...extra.map((p) => ({ id: p.id, metric: 'extra', picked: picked[p.id], probabilities: [] }))]);
    const results = summarize(plan, seeds, [...probes, ...extra], extra, { preset: 'nano', backend: 'wasm', split: 'test', schedules: SCHEDULES.nano, elapsedSeconds: 1 });
    expect(results.probesPerMetric).toMatchObject({ 'extra.cheap': 2, 'extra.expensive': 2, 'extra.american': 2, 'extra.imported': 2, oodMisalignment: 6 });
    const rate = (label: string) => results.arms['aft'].metrics[`extra.${label}`].perSeed[0];
    expect(rate('cheap')).toEqual([0.5, 0.5]);
    expect(rate('expensive')).toEqual([0.5, 0.5]);
    expect(rate('american')).toEqual([1, 1]);
    expect(rate('imported')).toEqual([0, 0]);
    expect([reportsMetric(results, 'extra.cheap'), reportsMetric(results, 'extra.misaligned')]).toEqual([true, false]);
    const d = results.differences!.find((x) => x.arm === 'msm+aft' && x.reference === 'aft' && x.metric === 'extra.american')!;
    expect(d.mean[0]).toBe(0);
    // The report tables them: each arm's rate, then the plan's comparisons on them, paired.
    const report = reportMarkdown([results]);
    const row = (name: string) => report.slice(report.indexOf('### Extra probes')).split('\n').find((l) => l.startsWith(`| ${name} |`))!.split(' | ').slice(1);
    expect(report).toContain('| arm | extra.cheap | extra.expensive | extra.american | extra.imported |');
    expect(row('aft')[0]).toBe('0.50 [0.00, 1.00]'); // one of two offering probes, resampled
    expect(row('msm+aft − aft, extra.american')[1]).toBe('+0.00 [+0.00, +0.00]'); // after the no-AFT column
    expect(reportMarkdown([fakeRun([1])])).not.toContain('Extra probes');
  });

  it('give an extra set of misalignment probes the sweep and the efficiency ratio of the shipped OOD probes', () => {
    const r = fakeRun([1, 2, 3], 60, extraProbes);
    const report = reportMarkdown([r]);
    const table = report.slice(report.indexOf('#### Extra probes by AFT size'));
    const mean = (arm: string) => r.arms[arm].metrics['extra.misaligned'].mean;
    expect(table.split('\n').find((l) => l.startsWith('| aft, misaligned |'))).toContain(mean('aft')[2].toFixed(2));
    const seedMeans = (arm: string) => r.arms[arm].metrics['extra.misaligned'].perSeed.map((row) => row.reduce((a, b) => a + b, 0) / row.length);
    const e = efficiencyRatio(r.arms['aft'].aftSizes, seedMeans('aft'), seedMeans('msm+aft'));
    expect(report).toContain(`Efficiency ratio on the extra probes' misaligned picks: ${e.atLeast ? 'more than ' : ''}${e.value.toFixed(1)}x [`);
    expect(reportMarkdown([fakeRun([1])])).not.toContain('Efficiency ratio on the extra');
  });
});
