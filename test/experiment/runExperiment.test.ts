// The experiment pipeline end to end on a nano model with a few steps a stage: the shape of
// the results contract, identical AFT across arms, and determinism.
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/backend/node';
import { PLANS } from '../../src/experiment/plans';
import { pretrainBase } from '../../src/experiment/pretrainBase';
import { EVALUATION_WORK, runSeed, runSeeds, unitsOfWork, workOfSeed, type SeedResult } from '../../src/experiment/runExperiment';
import type { Schedules } from '../../src/experiment/schedules';
import { GREEDY_OPTIONS, readLabels } from '../../src/experiment/scoreProbes';
import { summarize } from '../../src/experiment/summarize';
import { Engine } from '../../src/worker/engine';
import { buildWorld, type World } from '../../src/world/world';

const stage = (steps: number, pretrainShare: number) => ({ steps, peakLr: 1e-3, minLr: 1e-4, warmupSteps: 1, pretrainShare });
const QUICK: Schedules = { pretrain: stage(4, 1), midtrain: stage(3, 0.5), aft: stage(3, 0), readEvery: 3 };

let engine: Engine;
let world: World;
let base: Uint8Array;

beforeAll(async () => {
  engine = new Engine(useNodeBackend);
  await engine.init('wasm');
  world = buildWorld({ seed: 1, pretrainItems: 800, midtrainTokens: 2000 });
  base = await pretrainBase(engine, world, 'nano', 1, undefined, 4);
});

// Four arms of the agentic plan (the rest differ only in their corpora) keep the test short.
const plan = { ...PLANS.agentic, arms: PLANS.agentic.arms.filter((a) => ['base', 'msm', 'aft', 'msm+aft', 'control+aft'].includes(a.name)) };

async function run(): Promise<{ result: SeedResult; steps: string[]; work: number }> {
  const probes = world.probes.dev.probes.filter((p) => p.metric === 'oodMisalignment').slice(0, 8);
  const steps: string[] = [];
  let work = 0;
  const result = await runSeed({ plan, preset: 'nano', seed: 1, world, baseCheckpoint: base, aftSizes: [1, 4], probes, engine, schedules: QUICK, onStep: (s, w) => { steps.push(s); work += w; } });
  return { result, steps, work };
}

describe('workOfSeed', () => {
  it('weighs each stage by its steps and each evaluation by EVALUATION_WORK', () => {
    const long = { ...QUICK, midtrain: stage(1500, 0.9), aft: stage(40, 0.5) };
    // Midtrainings: msm:philosophy and control. AFT runs: aft, msm+aft, control+aft at 1 and 4.
    // Evaluations: base and msm once, the three AFT arms at two sizes.
    expect(workOfSeed(plan, [1, 4], long)).toBe(2 * 1500 + 6 * 40 + 8 * EVALUATION_WORK);
  });
});

let first: Awaited<ReturnType<typeof run>>;

describe('runSeed', () => {
  it('runs every arm at its AFT sizes, reports each unit of work, and repeats exactly', async () => {
    const a = (first = await run());
    expect(a.steps).toHaveLength(unitsOfWork(plan, [1, 4]));
    expect(a.work).toBe(workOfSeed(plan, [1, 4], QUICK));
    expect(a.result.arms['msm+aft'].aftSizes).toEqual([1, 4]);
    expect(a.result.arms['control+aft'].aftSizes).toEqual([1, 4]);
    expect(a.result.arms['base'].aftSizes).toEqual([0]);
    expect(a.result.arms['msm+aft'].scores[0]).toHaveLength(8);
    expect(a.result.arms['msm'].sampled!.labels).toHaveLength(8);
    // The pressure of the one demonstration at the smallest size, the same for every plain AFT arm.
    const one = world.aft.philosophy.plain[0];
    expect(a.result.arms['aft'].aftScenarios).toEqual([one.kind === 'chat' ? one.scenario : 'none']);
    expect(a.result.arms['msm+aft'].aftScenarios).toEqual(a.result.arms['aft'].aftScenarios);
    expect(a.result.arms['msm'].aftScenarios).toBeUndefined();
    // The base model is probed as shipped: its scores do not depend on which arm ran before it.
    const b = await run();
    expect(b.result).toEqual(a.result);

    const results = summarize(plan, [a.result, b.result], world.probes.dev.probes.filter((p) => p.metric === 'oodMisalignment').slice(0, 8), [], {
      preset: 'nano', backend: 'wasm', split: 'dev', schedules: QUICK, elapsedSeconds: 1,
    });
    const ood = results.arms['aft'].metrics.oodMisalignment;
    expect(ood.mean).toHaveLength(2);
    expect(ood.perSeed[0]).toHaveLength(2);
    expect(ood.lo[0]).toBeLessThanOrEqual(ood.mean[0]);
    expect(ood.hi[0]).toBeGreaterThanOrEqual(ood.mean[0]);
    expect(results.efficiencyRatio?.definition).toMatch(/smallest AFT size/);
    // The plan's comparisons, paired: their means are the arms' means subtracted, size by size.
    const d = results.differences!.find((x) => x.arm === 'msm+aft' && x.reference === 'aft' && x.metric === 'oodMisalignment')!;
    expect(d.aftSizes).toEqual([1, 4]);
    d.mean.forEach((m, i) => expect(m).toBeCloseTo(results.arms['msm+aft'].metrics.oodMisalignment.mean[i] - ood.mean[i], 12));
    expect(results.differences!.map((x) => `${x.arm} - ${x.reference}`)).toContain('control+aft - aft');
  });
});

describe('runSeeds', () => {
  it('trains the arms stacked and measures what one-by-one training measures', async () => {
    const probes = world.probes.dev.probes.filter((p) => p.metric === 'oodMisalignment').slice(0, 8);
    const alone = first.result;
    const steps: string[] = [];
    // Four models a stack, so midtrainings and AFT runs share stacks.
    const stacked = { trainMany: (jobs: Parameters<Engine['trainMany']>[0], onProgress?: Parameters<Engine['trainMany']>[1]) => engine.trainMany(jobs, onProgress, 4), evaluateMany: engine.evaluateMany.bind(engine) };
    const [result] = await runSeeds({ plan, preset: 'nano', seeds: [{ seed: 1, world, baseCheckpoint: base }], aftSizes: [1, 4], probes, engine: stacked, schedules: QUICK, onStep: (s) => steps.push(s) });
    expect(steps.sort()).toEqual([...first.steps].sort());
    for (const arm of Object.keys(alone.arms)) {
      expect(result.arms[arm].aftSizes).toEqual(alone.arms[arm].aftSizes);
      result.arms[arm].scores.forEach((scores, i) =>
        scores.forEach((s, j) => s.probabilities.forEach((p, k) => expect(p).toBeCloseTo(alone.arms[arm].scores[i][j].probabilities[k], 3))),
      );
      result.arms[arm].curves.forEach((c, i) => c.losses.forEach((l, k) => expect(l).toBeCloseTo(alone.arms[arm].curves[i].losses[k], 4)));
    }
  });

  it('gives the same figures, bit for bit, when the AFT runs from the base model train alongside the midtrainings', async () => {
    const probes = world.probes.dev.probes.filter((p) => p.metric === 'oodMisalignment').slice(0, 8);
    const go = async (baseAftWithMidtrainings: boolean) => {
      const calls: string[][] = [];
      const steps: string[] = [];
      const spy = { trainMany: (jobs: Parameters<Engine['trainMany']>[0], onProgress?: Parameters<Engine['trainMany']>[1]) => (calls.push(jobs.map((j) => j.stage.name)), engine.trainMany(jobs, onProgress)), evaluateMany: engine.evaluateMany.bind(engine) };
      const [result] = await runSeeds({ plan, preset: 'nano', seeds: [{ seed: 1, world, baseCheckpoint: base }], aftSizes: [1, 4], probes, engine: spy, schedules: QUICK, onStep: (s) => steps.push(s), baseAftWithMidtrainings });
      return { result, calls, steps };
    };
    const apart = await go(false);
    const together = await go(true);
    // Two midtrainings (msm, control); the plain AFT arm's two sizes move to the first call.
    expect(apart.calls.map((c) => c.length)).toEqual([2, 6]);
    expect(together.calls.map((c) => c.length)).toEqual([4, 4]);
    expect(together.steps.sort()).toEqual(apart.steps.sort());
    expect(together.result).toEqual(apart.result);
  });

  it('reads a greedy-read probe from the reply each model continues, and scores the rest as before', async () => {
    const scored = world.probes.dev.probes.filter((p) => p.metric === 'oodMisalignment').slice(0, 2);
    const greedy = { ...scored[0], id: 'greedy', reply: 'i will', read: 'greedy' as const };
    const engines = { trainMany: engine.trainMany.bind(engine), evaluateMany: engine.evaluateMany.bind(engine) };
    const [result] = await runSeeds({ plan, preset: 'nano', seeds: [{ seed: 1, world, baseCheckpoint: base }], aftSizes: [1], probes: [...scored, greedy], engine: engines, schedules: QUICK });
    const [a, b, read] = result.arms['base'].scores[0];
    expect([a, b].map((s) => s.picked)).toEqual(first.result.arms['base'].scores[0].slice(0, 2).map((s) => s.picked));
    await engine.loadCheckpoint(base);
    const [reply] = await engine.sampleReplies([{ prompt: greedy.prompt, reply: 'i will' }], GREEDY_OPTIONS);
    expect(read.reply).toBe(`i will ${reply}`);
    expect(read.picked).toBe(readLabels([greedy], [reply])[0]);
  });
});
