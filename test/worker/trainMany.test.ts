// The engine's trainMany: stacks of the asked size, halved until a step fits the device,
// trained models carrying their new stage, and stages resumed exactly from a snapshot.
import { describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/backend/node';
import { decodeCheckpoint } from '../../src/checkpoint/format';
import { SPECIALS } from '../../src/tokenizer/tokenizer';
import { Engine } from '../../src/worker/engine';
import type { TrainJob, TrainManyProgress } from '../../src/worker/trainMany';
import { WORDS } from '../helpers';

const stage = (seed: number) => ({
  name: 'aft', steps: 2, peakLr: 1e-2, minLr: 1e-3, warmupSteps: 0, readEvery: 1, seed,
  sources: [{ chats: [{ user: 'the cat', assistant: 'sat on a mat .' }], assistantOnly: true, weight: 1 }],
});

describe('Engine.trainMany', () => {
  it('halves a stack until its step fits the device, and records the stage in each model', async () => {
    const asked: number[] = [];
    // A device that takes at most two models a step.
    const engine = new Engine(useNodeBackend, undefined, (_config, step) => {
      asked.push(step.models ?? 1);
      if ((step.models ?? 1) > 2) throw new Error('too big');
    });
    await engine.init('wasm');
    await engine.createModel({ preset: 'nano', vocab: [...SPECIALS, ...WORDS], seed: 1 });
    const start = await engine.saveCheckpoint(false);
    const stacks: number[][] = [];
    const { results, checkpoints } = await engine.trainMany(
      [1, 2, 3, 4, 5].map((seed) => ({ checkpoint: start, stage: stage(seed) })),
      (p) => p.finished && stacks.push(p.jobs),
      8,
    );
    expect(asked).toEqual([1, 5, 3, 2]); // createModel's one model; then 5 jobs in stacks of 8 asked: 5, 3, and 2 fits
    expect(stacks).toEqual([[0, 1], [2, 3], [4]]);
    expect(results.map((r) => r.stepsDone)).toEqual([2, 2, 2, 2, 2]);
    const stages = checkpoints.map((c) => decodeCheckpoint(c).provenance.stages.at(-1));
    expect(stages.map((s) => [s!.name, s!.steps, s!.seed])).toEqual([1, 2, 3, 4, 5].map((seed) => ['aft', 2, seed]));
  });

  it('trains stages whose sources hold more examples than a function call takes as arguments', async () => {
    // The app's AFT stacks mix the whole pre-training corpus into every stage: 32 stages of it.
    const engine = new Engine(useNodeBackend);
    await engine.init('wasm');
    await engine.createModel({ preset: 'nano', vocab: [...SPECIALS, ...WORDS], seed: 1 });
    const start = await engine.saveCheckpoint(false);
    const documents = Array.from({ length: 300_000 }, (_, i) => (i % 2 ? 'the cat sat .' : 'a dog ran .'));
    const many = { ...stage(1), steps: 1, sources: [{ documents, weight: 1 }] };
    const { results } = await engine.trainMany([{ checkpoint: start, stage: many }]);
    expect(results[0].stepsDone).toBe(1);
    expect(Number.isFinite(results[0].metrics[0].loss)).toBe(true);
  });

  it('refuses when one model does not fit', async () => {
    // createModel asks without a model count; trainMany asks with one.
    const engine = new Engine(useNodeBackend, undefined, (_config, step) => {
      if (step.models !== undefined) throw new Error('no model fits this device');
    });
    await engine.init('wasm');
    await engine.createModel({ preset: 'nano', vocab: [...SPECIALS, ...WORDS], seed: 1 });
    const start = await engine.saveCheckpoint(false);
    await expect(engine.trainMany([{ checkpoint: start, stage: stage(1) }], undefined, 4)).rejects.toThrow('no model fits this device');
  });
});

// A stage cut off after a snapshot and resumed from it, on a fresh engine, ends exactly as the
// stage trained in one go: the same weights bit for bit and the same loss at every step.
const resumable = (seed: number, steps: number) => ({
  name: 'msm', steps, peakLr: 1e-2, minLr: 1e-3, warmupSteps: 3, readEvery: 4, seed,
  // Two weighted sources, so the data order draws from the generator for every row.
  sources: [
    { documents: ['the cat sat on a mat .', 'the dog ran to a red ball .', 'a cat ran .'], weight: 2 },
    { chats: [{ user: 'the cat', assistant: 'sat on a mat .' }, { user: 'the dog', assistant: 'ran to the ball .' }], assistantOnly: true, weight: 1 },
  ],
});

describe.each(['wasm', 'cpu'] as const)('a stage resumed from a snapshot on %s', (backend) => {
  async function freshEngine() {
    const engine = new Engine(useNodeBackend);
    await engine.init(backend);
    return engine;
  }
  async function startOf(engine: Engine, seed: number) {
    await engine.createModel({ preset: 'nano', vocab: [...SPECIALS, ...WORDS], seed });
    return engine.saveCheckpoint(false);
  }
  /** Trains the jobs in one stack, keeping every report. */
  async function train(engine: Engine, jobs: TrainJob[]) {
    const reports: TrainManyProgress[] = [];
    const out = await engine.trainMany(jobs, (p) => reports.push(p), jobs.length);
    const snapshots = reports.filter((p) => p.snapshots).map((p) => p.snapshots!);
    return { ...out, reports, snapshots, weights: out.checkpoints.map((c) => decodeCheckpoint(c).weights) };
  }

  it('one model: snapshots change nothing, and a resumed stage equals the stage trained straight', async () => {
    const engine = await freshEngine();
    const start = await startOf(engine, 1);
    const job: TrainJob = { checkpoint: start, stage: resumable(7, 12) };
    const plain = await train(engine, [job]);
    const straight = await train(engine, [{ ...job, snapshotEvery: 5 }]);
    expect(straight.weights).toEqual(plain.weights);
    expect(straight.results[0].metrics).toEqual(plain.results[0].metrics);
    // Snapshots at steps 5 and 10; none at the end (the result is the stage's end).
    expect(straight.snapshots.map((s) => s[0]!.step)).toEqual([5, 10]);
    const [atFive] = straight.snapshots[0];
    expect(atFive!.metrics).toEqual(plain.results[0].metrics.slice(0, 5));
    expect(decodeCheckpoint(atFive!.checkpoint).optimizer?.step).toBe(5);
    // A snapshot names its stage and seed as the finished stage's checkpoint does, at its own step.
    const finished = decodeCheckpoint(straight.checkpoints[0]).provenance;
    expect(decodeCheckpoint(atFive!.checkpoint).provenance).toMatchObject({ seeds: finished.seeds, stages: [...finished.stages.slice(0, -1), { ...finished.stages.at(-1), steps: 5 }] });

    const again = await freshEngine();
    const tensors = again.memory().numTensors;
    const resumed = await train(again, [{ ...job, resume: atFive!, snapshotEvery: 5 }]);
    expect(again.memory().numTensors).toBe(tensors);
    // Its own snapshot at step 10 is the one the straight stage took there: a second cut loses nothing either.
    const atTen = (s: { checkpoint: Uint8Array }) => ({ ...decodeCheckpoint(s.checkpoint), provenance: null });
    expect(resumed.snapshots.map((s) => s[0]!.step)).toEqual([10]);
    expect(atTen(resumed.snapshots[0][0]!)).toEqual(atTen(straight.snapshots[1][0]!));
    expect(resumed.weights).toEqual(plain.weights);
    expect(resumed.results[0].metrics).toEqual(plain.results[0].metrics); // steps 1..12, the first 5 from the snapshot
    expect(resumed.results[0]).toMatchObject({ stepsDone: 12, stopped: false, resumedAt: 5 });
    // Its first report carries the steps trained before the cut; training goes on at step 6.
    expect(resumed.reports[0].metrics[0].map((m) => m.step)).toEqual([1, 2, 3, 4, 5]);
    expect(resumed.reports[0].resumedAt).toEqual([5]);
    expect(resumed.reports[1].metrics[0][0].step).toBe(6);
    expect(decodeCheckpoint(resumed.checkpoints[0]).provenance.stages.at(-1)).toMatchObject({ name: 'msm', steps: 12 });
  });

  it('a stack: one model resumed while its stack-mate starts its stage, both as if never cut', async () => {
    const engine = await freshEngine();
    const a: TrainJob = { checkpoint: await startOf(engine, 1), stage: resumable(7, 12), snapshotEvery: 4 };
    const b: TrainJob = { checkpoint: await startOf(engine, 2), stage: resumable(8, 10) };
    const straight = await train(engine, [a, b]);
    expect(straight.snapshots.map((s) => [s[0]?.step, s[1]])).toEqual([[4, null], [8, null]]); // b asked for none
    const atEight = straight.snapshots[1][0]!;

    const again = await freshEngine();
    const tensors = again.memory().numTensors;
    const resumed = await train(again, [{ ...a, resume: atEight }, b]);
    expect(again.memory().numTensors).toBe(tensors);
    expect(resumed.weights).toEqual(straight.weights);
    expect(resumed.results.map((r) => r.metrics)).toEqual(straight.results.map((r) => r.metrics));
    expect(resumed.results.map((r) => [r.stepsDone, r.resumedAt])).toEqual([[12, 8], [10, undefined]]);
    // a has 4 steps left and b 10: the call takes 10, and a snapshot of a at step 12 is never due.
    expect(resumed.snapshots).toEqual([]);
  });

  it('refuses a snapshot without optimizer state or outside the stage', async () => {
    const engine = await freshEngine();
    const start = await startOf(engine, 1);
    const stage = resumable(7, 12);
    const bare = { step: 2, checkpoint: start, metrics: [] };
    await expect(engine.trainMany([{ checkpoint: start, stage, resume: bare }])).rejects.toThrow(/cannot resume stage "msm" from this snapshot: it has no optimizer state/);
    const { snapshots } = await train(engine, [{ checkpoint: start, stage: { ...stage, steps: 4 }, snapshotEvery: 2 }]);
    await expect(engine.trainMany([{ checkpoint: start, stage: { ...stage, steps: 2 }, resume: snapshots[0][0]! }])).rejects.toThrow(/step 2 is not inside the 2-step stage/);
  });
});
