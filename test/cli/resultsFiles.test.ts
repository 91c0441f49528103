// lab merge and lab report read CLI results files and the app's run files alike.
import { describe, expect, it } from 'vitest';
import { parseResults, resultsText } from '../../src/cli/resultsFiles';
import { mergeResults } from '../../src/experiment/mergeResults';
import type { ExperimentResults } from '../../src/experiment/summarize';
import { fullConfig } from '../../src/runs/config';
import { encodeRunFile, type RunRecord } from '../../src/runs/runFile';
import { fakeSeed, run, sweep } from '../experiment/fakeRuns';

function appRunFile(seeds: number[]): string {
  const { picks: _, ...results } = run(seeds);
  const record: RunRecord = {
    id: 'run-1', name: 'agentic in the browser', createdAt: new Date(0).toISOString(), status: 'complete',
    config: { ...fullConfig('agentic'), seeds, aftSizes: sweep }, results, seedResults: seeds.map((s) => fakeSeed(s)), checkpoints: {},
  };
  return encodeRunFile(record);
}

describe('parseResults', () => {
  it('reads an app run file as the results JSON lab run writes for the same seeds, picks included', () => {
    expect(parseResults(appRunFile([1, 2]), 'run.json')).toEqual(run([1, 2]));
  });

  it('merges an app run with a CLI run as one run over both seed sets', () => {
    const merged = mergeResults([parseResults(appRunFile([1, 2]), 'run.json'), run([3])]);
    expect({ ...merged, elapsedSeconds: 0, runs: undefined }).toEqual({ ...run([1, 2, 3]), elapsedSeconds: 0, runs: undefined });
  });

  it('passes a CLI results JSON through unchanged', () => {
    const cli = run([4]);
    expect(parseResults(JSON.stringify(cli), 'results.json')).toEqual(cli);
  });

  it('names the file that is not JSON, not results, or a damaged run file', () => {
    expect(() => parseResults('{"experiment":', 'a.json')).toThrow(/a\.json is not JSON/);
    expect(() => parseResults('{"probes":[]}', 'probes.json')).toThrow(/probes\.json is neither a results JSON .* nor a run file/);
    const damaged = JSON.parse(appRunFile([1]));
    damaged.run.seedResults[0].arms['aft'].scores[0][0].picked = 3;
    expect(() => parseResults(JSON.stringify(damaged), 'run.json')).toThrow(/^run\.json: not a valid MSM Lab run file: run\.seedResults\[0\]\.arms\["aft"\]\.scores\[0\]\[0\]\.picked: must be text/);
  });
});

describe('resultsText', () => {
  it('writes every figure exactly and loss curves to four decimals, so a merge of written files is the merge of the runs', () => {
    const [a, b] = [run([4, 2], 100), run([1, 3], 50)];
    const written = [a, b].map((r) => parseResults(resultsText(r), 'results.json'));
    const withoutCurves = (r: ExperimentResults) => ({ ...r, arms: Object.fromEntries(Object.entries(r.arms).map(([name, arm]) => [name, { ...arm, curves: {} }])) });
    expect(withoutCurves(written[0])).toEqual(withoutCurves(a));
    expect(withoutCurves(mergeResults(written))).toEqual(withoutCurves(mergeResults([a, b])));
    const losses = (r: ExperimentResults) => Object.values(r.arms).flatMap((arm) => Object.values(arm.curves).flat().flatMap((c) => c.losses));
    const [exact, rounded] = [losses(a), losses(written[0])];
    expect(rounded).toHaveLength(exact.length);
    expect(exact.some((x, i) => x !== rounded[i])).toBe(true); // the fake losses have more than four decimals
    rounded.forEach((x, i) => expect(Math.abs(x - exact[i])).toBeLessThanOrEqual(5e-5));
    expect(resultsText(a)).not.toContain('\n');
  });
});
