// The app's run layer without a browser: the configuration's URL round trip, a whole tiny
// experiment through executeRun on the Node engine, and the run file's strict round trip.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { unitsOfWork } from '../../src/experiment/runExperiment';
import { PLANS } from '../../src/experiment/plans';
import { nodeEngine } from '../../src/cli/nodeEngine';
import { configFromParams, configProblems, configToParams, ConfigError, extraProbesFor, fullConfig, quickConfig, schedulesFor, type ExperimentConfig } from '../../src/runs/config';
import { existsSync } from 'node:fs';
import { metricsCsv } from '../../src/runs/csv';
import { effectChecks } from '../../src/experiment/effectChecks';
import { executeRun, type RunEvent, type RunOutcome } from '../../src/runs/execute';
import { encodeRunFile, parseRunFile, RunFileError, type RunRecord } from '../../src/runs/runFile';
import { loadSpec } from '../../src/world/world';
import { storyProbeSets } from '../../src/world/probes';

describe('experiment configuration', () => {
  it('round-trips through URL parameters, edited specs included', () => {
    const spec = { ...loadSpec('philosophy'), principles: loadSpec('philosophy').principles.slice(0, 2) };
    const c: ExperimentConfig = { ...quickConfig('agentic'), preset: 'small', seeds: [2, 3], aftSizes: [1, 8], specs: { philosophy: spec } };
    const back = configFromParams(new URLSearchParams(configToParams(c).toString()));
    expect(back).toEqual(c);
    expect(configFromParams(new URLSearchParams('view=runs'))).toBeNull();
  });

  it('runs the cheese study on the small bases and the rest on nano, each with a shipped base for every seed', () => {
    expect(['values', 'agentic', 'spec-science'].map((e) => [quickConfig(e as 'values').preset, fullConfig(e as 'values').preset])).toEqual([['small', 'small'], ['nano', 'nano'], ['nano', 'nano']]);
    for (const preset of ['nano', 'small']) for (const seed of [1, 2, 3]) expect(existsSync(`models/${preset}-base-seed${seed}.ckpt`)).toBe(true);
  });

  it('names each bad parameter', () => {
    const bad = () => configFromParams(new URLSearchParams('experiment=agentic&seeds=1,99&aft=4,2&msmSteps=x&preset=nano'));
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (e) {
      const text = (e as ConfigError).problems.join('\n');
      expect(text).toMatch(/seeds: 99 has no shipped base model for nano \(seeds 1, 2, 3, 4, 5, 6 do\)/);
      expect(text).toMatch(/aft: AFT sizes/);
      expect(text).toMatch(/msmSteps/);
    }
    expect(() => configFromParams(new URLSearchParams('experiment=agentic&preset=medium'))).toThrow(/preset: no shipped base model for "medium"/);
  });

  it('knows which seeds each preset ships', () => {
    expect(configFromParams(new URLSearchParams('experiment=values&preset=small&seeds=1,3'))?.seeds).toEqual([1, 3]);
    expect(() => configFromParams(new URLSearchParams('experiment=values&preset=small&seeds=6'))).toThrow(/seeds: 6 has no shipped base model for small \(seeds 1, 2, 3, 4, 5 do\)/);
    expect(configFromParams(new URLSearchParams('experiment=values&preset=nano&seeds=2,6'))?.seeds).toEqual([2, 6]);
    expect(() => configFromParams(new URLSearchParams('experiment=values&preset=nano&seeds=99'))).toThrow(/seeds: 99 has no shipped base model for nano/);
    // The quick budget runs on a shipped base, nano seed 2 rather than 1 (whose assistant starts aligned).
    expect(['values', 'agentic', 'spec-science'].map((e) => quickConfig(e as 'values')).map((c) => [c.seeds, configProblems(c)])).toEqual([[[1], []], [[2], []], [[2], []]]);
  });

  it('the full configuration is the CLI default; a short stage keeps a proportional warmup', () => {
    const full = schedulesFor(fullConfig('agentic'));
    expect(full.midtrain).toEqual({ steps: 1500, peakLr: 3e-3, minLr: 1e-4, warmupSteps: 20, pretrainShare: 0.9 });
    expect(schedulesFor({ ...quickConfig('agentic'), msmSteps: 150 }).midtrain.warmupSteps).toBe(2);
  });

  it('an agentic run also scores the stories of its split, cut as its other probes; the others score none', () => {
    const quick = extraProbesFor(quickConfig('agentic'));
    expect(quick).toHaveLength(32);
    expect(new Set(quick.map((p) => [p.split, p.format, p.metric].join()))).toEqual(new Set(['test,document,extra']));
    expect(new Set(quick.map((p) => p.scenario))).toEqual(new Set(['shutdown', 'replacement', 'retraining', 'conflict']));
    expect(extraProbesFor({ ...fullConfig('agentic'), split: 'dev' }).map((p) => p.id)).toEqual(storyProbeSets().dev.probes.map((p) => p.id));
    expect(extraProbesFor(quickConfig('values'))).toEqual([]);
    expect(extraProbesFor(quickConfig('spec-science'))).toEqual([]);
  });
});

describe('executeRun and the run file', () => {
  const config: ExperimentConfig = { ...quickConfig('agentic'), seeds: [1], aftSizes: [1, 2], msmSteps: 2, aftSteps: 2, probesPerMetric: 4 };
  let outcome: RunOutcome;
  const events: RunEvent[] = [];

  beforeAll(async () => {
    const { engine, backend } = await nodeEngine('wasm');
    outcome = await executeRun({
      config, engine, backend, totalUnits: unitsOfWork(PLANS.agentic, config.aftSizes),
      baseModel: async (seed) => new Uint8Array(readFileSync(`models/nano-base-seed${seed}.ckpt`)),
      onEvent: (e) => events.push(e),
    });
  }, 300_000);

  it('reports every unit, every stage and every arm, and summarizes with the CLI code', () => {
    const units = events.filter((e) => e.kind === 'unit-done');
    expect(units).toHaveLength(unitsOfWork(PLANS.agentic, [1, 2]));
    const stages = events.filter((e) => e.kind === 'stage-done');
    expect(stages.map((e) => e.kind === 'stage-done' && e.owner)).toContain('msm:philosophy');
    const scored = events.filter((e) => e.kind === 'arm-scored');
    expect(new Set(scored.map((e) => e.kind === 'arm-scored' && e.arm))).toEqual(new Set(PLANS.agentic.arms.map((a) => a.name)));
    const r = outcome.results!;
    // Beside the reported probes, the first 4 agentic probes told as stories, scored as plain text.
    expect(r.probesPerMetric).toEqual({ oodMisalignment: 4, indistMisalignment: 4, 'extra.aligned': 4, 'extra.misaligned': 4 });
    const base = outcome.seedResults[0].arms['base'].scores[0].filter((p) => p.id.startsWith('story-ood-test-'));
    expect(base).toHaveLength(4);
    expect(r.arms['base'].metrics['extra.misaligned'].mean[0]).toBe(base.filter((p) => p.picked === 'misaligned').length / 4);
    expect(r.arms['msm+aft'].aftSizes).toEqual([1, 2]);
    expect(r.efficiencyRatio?.definition).toMatch(/AFT examples/);
    expect(Object.keys(outcome.checkpoints)).toContain('seed1-msm:philosophy');
    expect(effectChecks(r).length).toBeGreaterThan(0);
    expect(effectChecks(r)[0].measured).toMatch(/; paired difference [+-]\d\.\d\d \[[+-]\d\.\d\d, [+-]\d\.\d\d\]$/);
    expect(metricsCsv(r).split('\n')[0]).toBe('experiment,arm,metric,aft_size,mean,lo95,hi95,seed1');
  });

  it('seed by seed (one model at a time) runs the same units and close losses as stacked', async () => {
    const { engine, backend } = await nodeEngine('wasm');
    const units: string[] = [];
    const one = await executeRun({
      config, engine, backend, totalUnits: unitsOfWork(PLANS.agentic, config.aftSizes), oneAtATime: true,
      baseModel: async (seed) => new Uint8Array(readFileSync(`models/nano-base-seed${seed}.ckpt`)),
      onEvent: (e) => e.kind === 'unit-done' && units.push(e.label),
    });
    expect(new Set(units)).toEqual(new Set(events.flatMap((e) => (e.kind === 'unit-done' ? [e.label] : []))));
    const a = outcome.results!.arms['msm+aft'].curves[1];
    const b = one.results!.arms['msm+aft'].curves[1];
    expect(b.map((c) => c.stage)).toEqual(a.map((c) => c.stage));
    b.forEach((c, i) => c.losses.forEach((l, k) => expect(Math.abs(l - a[i].losses[k])).toBeLessThan(1e-2)));
  }, 300_000);

  it('stacked, a stop during the second seed keeps the first seed and its figures', async () => {
    const { engine, backend } = await nodeEngine('wasm');
    const two = { ...config, seeds: [1, 2] };
    let secondStarted = false;
    const stopped = await executeRun({
      config: two, engine, backend, totalUnits: 2 * unitsOfWork(PLANS.agentic, two.aftSizes),
      baseModel: async (seed) => new Uint8Array(readFileSync(`models/nano-base-seed${seed}.ckpt`)),
      onEvent: (e) => e.kind === 'seed-start' && e.seed === 2 && (secondStarted = true),
      stopRequested: () => secondStarted,
    });
    expect(stopped.stopped).toBe(true);
    expect(stopped.seedResults.map((r) => r.seed)).toEqual([1]);
    expect(stopped.results!.seeds).toEqual([1]);
    expect(stopped.results!.arms['msm+aft'].metrics.oodMisalignment.mean).toEqual(outcome.results!.arms['msm+aft'].metrics.oodMisalignment.mean);
  }, 300_000);

  it('a run file round-trips, and a damaged one is refused naming the field', () => {
    const run: RunRecord = {
      id: 'run-test', name: 'agentic test', createdAt: new Date(0).toISOString(), status: 'complete',
      config, results: outcome.results!, seedResults: outcome.seedResults, checkpoints: outcome.checkpoints,
    };
    const text = encodeRunFile(run);
    const back = parseRunFile(text);
    expect(back.results.arms['aft'].metrics.oodMisalignment.mean).toEqual(run.results.arms['aft'].metrics.oodMisalignment.mean);
    expect(Object.keys(back.checkpoints)).toEqual(Object.keys(run.checkpoints));
    expect(back.results.differences).toEqual(run.results.differences);
    const raw = JSON.parse(text);
    raw.run.results.arms['msm+aft'].metrics.oodMisalignment.mean = ['high'];
    raw.run.config.seeds = [99];
    expect(() => parseRunFile(JSON.stringify(raw))).toThrow(RunFileError);
    try {
      parseRunFile(JSON.stringify(raw));
    } catch (e) {
      const text = (e as RunFileError).problems.join('\n');
      expect(text).toMatch(/run\.config\.seeds: 99 has no shipped base model/);
    }
    const short = JSON.parse(text);
    short.run.results.differences[0].lo = [0];
    expect(() => parseRunFile(JSON.stringify(short))).toThrow(/run\.results\.differences\[0\]\.lo: one value per AFT size \(2\)/);
    expect(() => parseRunFile('{"format":"msm-lab-run","version":2}')).toThrow(/version 1, the file is version 2/);
    expect(() => parseRunFile('not json')).toThrow(/not JSON/);
  });
});

describe('effect checks', () => {
  const arm = (ood: [number, number, number], indist = 0.2) => ({
    aftSizes: [1], curves: {},
    metrics: { oodMisalignment: { mean: [ood[0]], lo: [ood[1]], hi: [ood[2]], perSeed: [[ood[0]]] }, indistMisalignment: { mean: [indist], lo: [indist], hi: [indist], perSeed: [[indist]] } },
  });
  const results = (msmAft: [number, number, number]) => ({
    experiment: 'agentic', preset: 'nano' as const, backend: 'wasm', seeds: [1, 2, 3], split: 'test' as const, schedules: schedulesFor(quickConfig('agentic')),
    probesPerMetric: { oodMisalignment: 64 }, elapsedSeconds: 1, arms: { aft: arm([0.6, 0.5, 0.7]), 'msm+aft': arm(msmAft) },
  });

  it('holds only when the intervals are apart, and marks the side conditions', () => {
    const apart = effectChecks(results([0.2, 0.1, 0.3]));
    expect(apart.filter((c) => c.main).map((c) => c.holds)).toEqual([true]);
    expect(apart.find((c) => !c.main)?.effect).toMatch(/in distribution/);
    const overlapping = effectChecks(results([0.45, 0.3, 0.55]));
    expect(overlapping.filter((c) => c.main).every((c) => !c.holds)).toBe(true);
  });

  it('reads "anti-spec + AFT is worse" off the paired difference where the run has one, else off the means', () => {
    const withAnti = { ...results([0.2, 0.1, 0.3]), arms: { ...results([0.2, 0.1, 0.3]).arms, 'anti+aft': arm([0.7, 0.3, 0.95]) } };
    const antiCheck = (r: typeof withAnti) => effectChecks(r).find((c) => c.effect.startsWith('anti-spec + AFT is more misaligned out of distribution'))!;
    expect(antiCheck(withAnti)).toMatchObject({ holds: true, effect: expect.stringMatching(/\(by mean\)$/) });
    const diff = (lo: number) => [{ arm: 'anti+aft', reference: 'aft', metric: 'oodMisalignment', aftSizes: [1], mean: [0.1], lo: [lo], hi: [0.3] }];
    expect(antiCheck({ ...withAnti, differences: diff(-0.1) } as typeof withAnti)).toMatchObject({ holds: false, measured: '0.70 vs 0.60; paired difference +0.10 [-0.10, +0.30]' });
    expect(antiCheck({ ...withAnti, differences: diff(0.02) } as typeof withAnti).holds).toBe(true);
  });
});
