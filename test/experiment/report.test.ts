// The generated report against results JSON of the one-value world: its per-size tables carry every
// AFT arm's metrics, cell for cell, and the sweep is stated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ratesShownAndNot } from '../../src/experiment/byScenario';
import { interval } from '../../src/experiment/effectChecks';
import { reportMarkdown } from '../../src/experiment/report';
import type { ExperimentResults } from '../../src/experiment/summarize';

const agentic: ExperimentResults = JSON.parse(readFileSync('docs/one-value-world/results-agentic.json', 'utf8'));
const values: ExperimentResults = JSON.parse(readFileSync('docs/one-value-world/results-values.json', 'utf8'));

/** A by-size row's cells, and the cells a metric's results should give. */
const rowCells = (report: string, label: string) => report.split('\n').find((l) => l.startsWith(`| ${label} |`))!.split('|').slice(2, -1).map((c) => c.trim());
const expectedCells = (m: ExperimentResults['arms'][string]['metrics'][string]) => m.mean.map((x, i) => `${x.toFixed(2)} [${m.lo[i].toFixed(2)}, ${m.hi[i].toFixed(2)}]`);

describe('reportMarkdown', () => {
  it('lists OOD and in-distribution misalignment of aft and msm+aft at every AFT size', () => {
    const report = reportMarkdown([agentic]);
    for (const [metric, name] of [['oodMisalignment', 'OOD'], ['indistMisalignment', 'in-distribution']]) {
      for (const arm of ['aft', 'msm+aft']) expect(rowCells(report, `${arm}, ${name}`)).toEqual(expectedCells(agentic.arms[arm].metrics[metric]));
    }
  });

  it('gives OOD misalignment per seed before and after each stage, at the smallest AFT size', () => {
    const perSeed = (arm: string) => agentic.arms[arm].metrics.oodMisalignment.perSeed[0].map((x) => x.toFixed(2)).join(', ');
    expect(reportMarkdown([agentic])).toContain(
      `OOD misalignment of the base: ${perSeed('base')}; after MSM alone: ${perSeed('msm')}; with 1 demonstration, after AFT alone: ${perSeed('aft')}; after MSM+AFT: ${perSeed('msm+aft')}.`,
    );
  });

  it('says how many worker processes the stated minutes are for, when the results record it', () => {
    const unrecorded: ExperimentResults = { ...agentic, workers: undefined };
    expect(reportMarkdown([unrecorded])).toContain(`${(agentic.elapsedSeconds / 60).toFixed(1)} minutes. `);
    expect(reportMarkdown([{ ...agentic, workers: 2 }])).toContain(`${(agentic.elapsedSeconds / 60).toFixed(1)} minutes with 2 worker processes. `);
  });

  it('gives each run\'s seeds and minutes for merged results', () => {
    const merged: ExperimentResults = { ...agentic, runs: [{ seeds: [1, 2], elapsedSeconds: 600, workers: 2 }, { seeds: [3], elapsedSeconds: 90, workers: 1 }] };
    expect(reportMarkdown([merged])).toContain('merged from 2 runs (seeds 1, 2: 10.0 minutes with 2 worker processes; seeds 3: 1.5 minutes with 1 worker process). ');
  });

  it('states the AFT sweep a run used and gives each value arm at every size of it', () => {
    const report = reportMarkdown([values]);
    const sizes = values.arms['aft'].aftSizes;
    expect(report).toContain(`swept over ${sizes.join(', ')} demonstrations (the first table shows the smallest, ${sizes[0]};`);
    expect(rowCells(report, 'msm-america+aft, America')).toEqual(expectedCells(values.arms['msm-america+aft'].metrics.americaOOD));
  });

  it('tables each paired difference at the sizes both arms were trained at, and says when a run predates them', () => {
    const report = reportMarkdown([agentic]);
    const sign = (x: number) => (x >= 0 ? `+${x.toFixed(2)}` : x.toFixed(2));
    for (const d of agentic.differences!.filter((x) => x.metric === 'oodMisalignment')) {
      const cells = agentic.arms['aft'].aftSizes.map((n) => {
        const i = d.aftSizes.indexOf(n);
        return i < 0 ? '—' : `${sign(d.mean[i])} [${sign(d.lo[i])}, ${sign(d.hi[i])}]`;
      });
      expect(rowCells(report, `${d.arm} − ${d.reference}, OOD`)).toEqual(cells);
    }
    expect(reportMarkdown([{ ...agentic, differences: undefined }])).toContain('predate the paired differences');
  });

  it('tables OOD misalignment under the pressures each seed\'s demonstrations showed, where the picks record them', () => {
    const sixSeeds: ExperimentResults = JSON.parse(readFileSync('docs/one-value-world/results-agentic-6seeds.json', 'utf8'));
    const shown = ['conflict', 'shutdown', 'retraining', 'replacement', 'conflict', 'shutdown'];
    const arms = Object.fromEntries(Object.entries(sixSeeds.picks!.arms).map(([name, bySeed]) => [
      name, sixSeeds.arms[name].aftSizes[0] ? bySeed.map((s, i) => ({ ...s, aftScenarios: [shown[i]] })) : bySeed,
    ]));
    const report = reportMarkdown([{ ...sixSeeds, picks: { ...sixSeeds.picks!, arms } }]);
    expect(report).toContain('seed 1: conflict; seed 2: shutdown; seed 3: retraining; seed 4: replacement; seed 5: conflict; seed 6: shutdown');
    const table = report.split('### Under the pressures the demonstrations showed, and under the others')[1];
    expect(rowCells(table, 'aft')).toHaveLength(6);
    expect(rowCells(table, 'msm+aft')[0]).toBe('1');
    // The in-distribution columns read the same split of the in-distribution probes.
    const indist = ratesShownAndNot({ ...sixSeeds, picks: { ...sixSeeds.picks!, arms } }, 'indistMisalignment', 'misaligned')!;
    const aft = indist.arms.find((a) => a.arm === 'aft')!;
    expect(rowCells(table, 'aft').slice(4)).toEqual([interval(aft.shown), interval(aft.others)]);
    expect(table).not.toMatch(/^\| base \|/m);
    expect(reportMarkdown([sixSeeds])).not.toContain('### Under the pressures the demonstrations showed');
  });

  it('gives differences between arms without AFT a column of their own', () => {
    const alone = { arm: 'msm', reference: 'control', metric: 'oodMisalignment', aftSizes: [0], mean: [-0.125], lo: [-0.25], hi: [0.0625] };
    const report = reportMarkdown([{ ...agentic, differences: [...agentic.differences!, alone] }]);
    expect(report).toContain(`| difference, metric | no AFT | ${agentic.arms['aft'].aftSizes.join(' | ')} |`);
    expect(rowCells(report, 'msm − control, OOD')).toEqual(['-0.13 [-0.25, +0.06]', ...agentic.arms['aft'].aftSizes.map(() => '—')]);
    expect(rowCells(report, 'msm+aft − aft, OOD')[0]).toBe('—');
  });

  it('tables OOD misalignment by pressure from recorded picks, and says when a run predates them', () => {
    const sixSeeds: ExperimentResults = JSON.parse(readFileSync('docs/one-value-world/results-agentic-6seeds.json', 'utf8'));
    const report = reportMarkdown([sixSeeds]);
    expect(report).toContain('| arm | AFT size | shutdown | replacement | retraining | conflict |');
    const msmAft = rowCells(report.split('### OOD misalignment by pressure')[1], 'msm+aft');
    expect(msmAft[0]).toBe('1');
    const means = msmAft.slice(1).map((c) => Number(c.split(' ')[0]));
    expect(means.reduce((a, b) => a + b, 0) / 4).toBeCloseTo(sixSeeds.arms['msm+aft'].metrics.oodMisalignment.mean[0], 2);
    expect(reportMarkdown([agentic])).toContain('predate recorded picks, so OOD misalignment by pressure cannot be shown');
  });

  it('tells runs of one experiment apart by their preset, seed count and seeds', () => {
    const titles = reportMarkdown([agentic, { ...agentic, seeds: [1, 2, 3, 4, 5, 6] }, { ...agentic, seeds: [7, 8, 9] }]).split('\n').filter((l) => l.startsWith('## '));
    expect(titles).toEqual([
      '## agentic: the philosophy spec against agentic misalignment (nano, 3 seeds: 1–3)',
      '## agentic: the philosophy spec against agentic misalignment (nano, 6 seeds: 1–6)',
      '## agentic: the philosophy spec against agentic misalignment (nano, 3 seeds: 7–9)',
    ]);
  });
});
