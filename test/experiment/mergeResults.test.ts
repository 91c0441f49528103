import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeResults } from '../../src/experiment/mergeResults';
import { recordPicks, seedResultsFrom } from '../../src/experiment/recordedPicks';
import { SCHEDULES } from '../../src/experiment/schedules';
import type { ExperimentResults } from '../../src/experiment/summarize';
import { extraProbes, fakeSeed, run } from './fakeRuns';

describe('recordPicks', () => {
  it('gives back every pick, sampled label and demonstrated pressure of every arm, seed and AFT size', () => {
    const seeds = [3, 5].map((s) => fakeSeed(s));
    const recorded = JSON.parse(JSON.stringify(recordPicks(seeds)));
    const arms = Object.fromEntries(Object.entries(seeds[0].arms).map(([name, a]) => [name, { aftSizes: a.aftSizes, curves: { 3: seeds[0].arms[name].curves, 5: seeds[1].arms[name].curves } }]));
    expect(seedResultsFrom(recorded, [3, 5], arms)).toEqual(seeds);
  });

  it('refuses arms scored on different probes', () => {
    const seed = fakeSeed(1);
    seed.arms['msm'].scores[0] = seed.arms['msm'].scores[0].slice(1);
    expect(() => recordPicks([seed])).toThrow(/seed 1, msm: scored other probes/);
  });
});

describe('mergeResults', () => {
  it('gives what one run over all the seeds gives, but for the time', () => {
    const merged = mergeResults([run([4, 2], 100), run([1, 3], 50)]);
    const whole = run([1, 2, 3, 4]);
    expect({ ...merged, elapsedSeconds: 0, runs: undefined }).toEqual({ ...whole, elapsedSeconds: 0, runs: undefined });
    expect(merged.seeds).toEqual([1, 2, 3, 4]);
    expect(merged.elapsedSeconds).toBe(150);
    expect(merged.runs).toEqual([{ seeds: [4, 2], elapsedSeconds: 100, workers: 2 }, { seeds: [1, 3], elapsedSeconds: 50, workers: 2 }]);
    // A value the merge must recompute, not copy: seed 3's OOD rate after AFT alone at size 2.
    const picks = fakeSeed(3).arms['aft'].scores[1].filter((p) => p.metric === 'oodMisalignment').map((p) => (p.picked === 'misaligned' ? 1 : 0));
    expect(merged.arms['aft'].metrics.oodMisalignment.perSeed[1][2]).toBeCloseTo(picks.reduce((a: number, b) => a + b, 0) / 6, 12);
  });

  it('merges runs scored on an extra probe file: its label rates and their differences, as one run gives them', () => {
    const merged = mergeResults([run([4, 2], 100, extraProbes), run([1, 3], 50, extraProbes)]);
    const whole = run([1, 2, 3, 4], 60, extraProbes);
    expect({ ...merged, elapsedSeconds: 0, runs: undefined }).toEqual({ ...whole, elapsedSeconds: 0, runs: undefined });
    expect(Object.keys(merged.probesPerMetric)).toEqual(['oodMisalignment', 'indistMisalignment', 'extra.aligned', 'extra.misaligned', 'extra.cheap', 'extra.expensive']);
    expect(merged.probesPerMetric['extra.misaligned']).toBe(4);
    // Recomputed from the picks: seed 3's rate of misaligned story picks after AFT alone at size 2.
    const story = fakeSeed(3, extraProbes).arms['aft'].scores[1].filter((p) => p.id.startsWith('story-')).map((p) => (p.picked === 'misaligned' ? 1 : 0));
    expect(merged.arms['aft'].metrics['extra.misaligned'].perSeed[1][2]).toBeCloseTo(story.reduce((a: number, b) => a + b, 0) / 4, 12);
    expect(merged.differences!.some((d) => d.metric === 'extra.misaligned')).toBe(true);
    // A file whose extra labels were not recorded (made before they were) is refused, not misread.
    const [old, older] = [run([5], 60, extraProbes), run([6], 60, extraProbes)];
    for (const r of [old, older]) r.picks!.probes = r.picks!.probes.map(({ id, metric }) => ({ id, metric }));
    expect(() => mergeResults([old, older])).toThrow(/before their labels were recorded/);
  });

  it('merges runs made before the midtraining-alone arms joined the plan: the two halves of the one-value world give its twelve seeds', () => {
    const read = (name: string): ExperimentResults => JSON.parse(readFileSync(`docs/one-value-world/${name}.json`, 'utf8'));
    const merged = mergeResults([read('results-agentic-6seeds'), read('results-agentic-seeds7-12')]);
    expect(Object.keys(merged.arms)).not.toContain('control');
    const saved = read('results-agentic-12seeds');
    expect({ ...merged, differences: undefined }).toEqual({ ...saved, differences: undefined });
    // Comparisons appended to the plan since (MSM+AFT against control+AFT) come after the saved
    // ones and leave them as they were: each keeps its place in the random stream.
    expect(merged.differences!.slice(0, saved.differences!.length)).toEqual(saved.differences);
    expect(merged.differences!.slice(saved.differences!.length).map((d) => `${d.arm} - ${d.reference}: ${d.metric}`)).toEqual([
      'msm+aft - control+aft: oodMisalignment',
      'msm+aft - control+aft: indistMisalignment',
    ]);
  });

  it('refuses a seed twice, other settings, and results without picks, naming the problem', () => {
    expect(() => mergeResults([run([1, 2]), run([2, 3])])).toThrow(/seed 2 is in more than one/);
    const other = { ...run([3]), schedules: { ...SCHEDULES.nano, aft: { ...SCHEDULES.nano.aft, steps: 8 } } };
    expect(() => mergeResults([run([1]), other])).toThrow(/results 2 differ from results 1 in schedules/);
    const old = { ...run([3]), picks: undefined };
    expect(() => mergeResults([run([1]), old])).toThrow(/results 2 \(seeds 3\) keep no per-probe picks/);
    expect(() => mergeResults([run([1])])).toThrow(/at least two/);
  });
});
