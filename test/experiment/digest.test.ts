import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readResultsFile } from '../../src/cli/resultsFiles';
import { digestResults, encodeDigest, parseDigest, widestRuns } from '../../src/experiment/digest';
import { effectChecks } from '../../src/experiment/effectChecks';
import { run } from './fakeRuns';

describe('results digest', () => {
  it('keeps every mean and interval, the per-seed rates at the smallest size, the differences and the ratio, and drops curves, other sizes\' per-seed rates and picks', () => {
    const full = run([1, 2, 3]);
    const d = digestResults(full);
    expect(d.picks).toBeUndefined();
    for (const [name, arm] of Object.entries(d.arms)) {
      expect(arm.curves).toEqual({});
      for (const [metric, m] of Object.entries(arm.metrics)) {
        const whole = full.arms[name].metrics[metric];
        expect([m.mean, m.lo, m.hi, m.perSeed]).toEqual([whole.mean, whole.lo, whole.hi, [whole.perSeed[0]]]);
      }
    }
    expect(d.differences).toEqual(full.differences);
    expect(d.efficiencyRatio).toEqual(full.efficiencyRatio);
    expect(effectChecks(d)).toEqual(effectChecks(full));
  });

  it('reads back what it wrote, a metric without probes (NaN) included', () => {
    const full = run([4, 5]);
    full.arms.aft.metrics.oodMisalignment.mean[1] = NaN;
    full.arms.aft.metrics.oodMisalignment.perSeed[0][1] = NaN;
    const [back] = parseDigest(encodeDigest([{ file: 'a.json', results: full }]));
    expect(back.file).toBe('a.json');
    expect(back.results.arms.aft.metrics.oodMisalignment.mean[1]).toBeNaN();
    expect(back.results.arms.aft.metrics.oodMisalignment.perSeed[0][1]).toBeNaN();
    expect(back.results.arms.aft.metrics.oodMisalignment.perSeed[0][0]).toBe(full.arms.aft.metrics.oodMisalignment.perSeed[0][0]);
    expect(effectChecks(back.results)).toEqual(effectChecks(full));
  });

  it('refuses a file that is not a digest, and names what is wrong', () => {
    const good = JSON.parse(encodeDigest([{ file: 'a.json', results: run([1]) }]));
    expect(() => parseDigest('{not json')).toThrow(/not JSON/);
    expect(() => parseDigest(JSON.stringify({ ...good, format: 'msm-lab-run' }))).toThrow(/not a msm-lab-headless-results file of version 1/);
    const badPreset = structuredClone(good);
    badPreset.runs[0].results.preset = 'huge';
    expect(() => parseDigest(JSON.stringify(badPreset))).toThrow(/run 1: needs file, and results with experiment, a known preset/);
    const badMetric = structuredClone(good);
    badMetric.runs[0].results.arms.aft.metrics.oodMisalignment.lo = 'low';
    expect(() => parseDigest(JSON.stringify(badMetric))).toThrow(/\(a\.json\): aft\.oodMisalignment needs mean, lo and hi arrays/);
    const badSeeds = structuredClone(good);
    badSeeds.runs[0].results.arms.aft.metrics.oodMisalignment.perSeed = [['high']];
    expect(() => parseDigest(JSON.stringify(badSeeds))).toThrow(/\(a\.json\): aft\.oodMisalignment\.perSeed needs arrays of numbers/);
  });

  it('quotes, per model size, the run over the most seeds', () => {
    const three = { file: '3.json', results: run([1, 2, 3]) };
    const six = { file: '6.json', results: run([1, 2, 3, 4, 5, 6]) };
    const small = { file: 's.json', results: { ...run([1, 2]), preset: 'small' as const } };
    const values = { file: 'v.json', results: { ...run([1, 2, 3, 4, 5, 6, 7]), experiment: 'values' } };
    expect(widestRuns([small, three, six, values], 'agentic').map((r) => r.file)).toEqual(['6.json', 's.json']);
    expect(widestRuns([three], 'spec-science')).toEqual([]);
    // Asked for a metric, only the runs that scored it count, however many seeds the others have.
    const scored = structuredClone(three);
    for (const arm of Object.values(scored.results.arms)) arm.metrics['extra.misaligned'] = arm.metrics.oodMisalignment;
    expect(widestRuns([small, three, six, scored], 'agentic', 'extra.misaligned')).toEqual([scored]);
  });


  // The app shows this file: a stale one would show figures of runs that were replaced.
  it('is, as shipped in docs/, the digest of the results files it names', async () => {
    const shipped = JSON.parse(await readFile('docs/results-digest.json', 'utf8')) as { runs: Array<{ file: string }> };
    const files = shipped.runs.map((r) => r.file);
    expect(files.length).toBeGreaterThan(0);
    const fresh = encodeDigest(await Promise.all(files.map(async (file) => ({ file, results: await readResultsFile(file) }))));
    expect(JSON.parse(fresh)).toEqual(shipped);
  }, 60_000);
});
