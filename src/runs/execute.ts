// Runs a whole experiment from a configuration, the way `lab run` does (world per seed, base
// model, runSeeds per seed, summarize), against any engine: the Worker's comlink remote in the
// app, the Node engine in tests. It reports what happens as typed events so a page can draw
// the run live; every figure it reports comes from runSeeds and summarize.
import { PLANS } from '../experiment/plans';
import { pretrainFingerprint } from '../experiment/pretrainBase';
import { oneByOne, runSeeds, type BatchEngine, type ExperimentEngine, type SeedInput, type SeedResult } from '../experiment/runExperiment';
import { pickChoices, type ProbeScore } from '../experiment/scoreProbes';
import { summarize, type ExperimentResults } from '../experiment/summarize';
import { decodeCheckpoint } from '../checkpoint/format';
import type { EngineApi, EvaluateResult } from '../worker/api';
import type { TrainManyProgress } from '../worker/trainMany';
import type { Progress, StepMetrics } from '../train/trainer';
import { Random } from '../util/random';
import type { PresetName } from '../model/config';
import { buildWorld, DEFAULT_MIDTRAIN_TOKENS, msmDocumentsByTokens, shuffledCorpus, type Probe, type SpecName, type World } from '../world/world';
import { extraProbesFor, probesFor, schedulesFor, type ExperimentConfig } from './config';
import type { RunJournal } from './journal';

/** Any engine the runner can use; with trainMany and evaluateMany, models train stacked. */
export type RunEngine = ExperimentEngine & Pick<EngineApi, 'stop'> & Partial<Pick<EngineApi, 'trainMany' | 'evaluateMany'>>;

export interface Curve {
  stage: string;
  steps: number[];
  losses: number[];
  /** Read back from a journal: trained before the run was cut off and resumed. */
  restored?: boolean;
  /** The stage was cut off and went on from its snapshot at this step (steps up to it trained before). */
  resumedAt?: number;
}

/**
 * Steps between a training stage's snapshots (kept by the journal), so a reload or a dead
 * Worker loses at most this many steps of the stage it cuts. 25 is seconds of work on a GPU and
 * under ten seconds for nano on wasm, and gives a 1,500-step midtraining 59 snapshots and a
 * 40-step AFT one; more often would cost more than it saves, as a snapshot is the model three
 * times over (weights and both AdamW moments: 0.55 MiB for nano, 1.7 MiB for small, 10 MiB
 * for medium, per model of a stack), read back from the device and written to IndexedDB.
 */
export const SNAPSHOT_EVERY = 25;

export type RunEvent =
  | { kind: 'seed-start'; seed: number }
  | { kind: 'stage-progress'; seed: number; stage: string; step: number; steps: number; models: number; tokensPerSecond: number; metrics: StepMetrics[]; resumedAt?: number }
  /** A stage finished; `owner` is the midtraining key ("msm:philosophy") or the arm whose AFT it was. */
  | { kind: 'stage-done'; seed: number; owner: string; aftSize: number | null; curve: Curve }
  /** `work`: the unit's work in training steps (workOfSeed's measure of progress). */
  | { kind: 'unit-done'; seed: number; label: string; done: number; total: number; work: number }
  /** One arm at one AFT size was probed (0 for arms without AFT). */
  | { kind: 'arm-scored'; seed: number; arm: string; aftSize: number; scores: ProbeScore[] }
  | { kind: 'seed-done'; seed: number; result: SeedResult; summary: ExperimentResults };

export interface RunOutcome {
  config: ExperimentConfig;
  results: ExperimentResults | null; // null when stopped before the first seed finished
  seedResults: SeedResult[];
  /** The first seed's checkpoints, by runSeed's names (`seed1-msm:philosophy`, `seed1-aft-aft4`). */
  checkpoints: Record<string, Uint8Array>;
  stopped: boolean;
}

export interface ExecuteOptions {
  config: ExperimentConfig;
  engine: RunEngine;
  backend: string;
  baseModel: (seed: number, preset: PresetName) => Promise<Uint8Array>;
  /** Makes a callback callable from the engine's side (Comlink.proxy for a Worker). */
  wrapProgress?: <T>(f: (p: T) => void) => (p: T) => void;
  onEvent?: (e: RunEvent) => void;
  /** Asked before every engine call: true ends the run after the current step. */
  stopRequested?: () => boolean;
  /** Awaited before every engine call: a paused run waits here between stages and evaluations. */
  gate?: () => Promise<void>;
  /** How many units of work in all (for progress); from unitsOfWork(plan, sizes) x seeds. */
  totalUnits: number;
  /** Train one model at a time even when the engine can stack them. */
  oneAtATime?: boolean;
  /** Keeps each finished unit, and answers the units that a cut-off run of this config finished. */
  journal?: RunJournal;
  /** With a journal: steps between snapshots of a stage in training (default SNAPSHOT_EVERY). */
  snapshotEvery?: number;
}

export class RunStopped extends Error {
  constructor() {
    super('the run was stopped');
    this.name = 'RunStopped';
  }
}

/** The world a run trains on for one seed: the shipped one, with edited specs' corpora regenerated. */
export function worldFor(config: ExperimentConfig, seed: number): World {
  const world = buildWorld({ seed });
  for (const [name, spec] of Object.entries(config.specs) as Array<[SpecName, NonNullable<ExperimentConfig['specs'][SpecName]>]>) {
    // The same generators and seed labels as buildWorld, so an unedited spec gives the same corpus.
    world.specs[name] = spec;
    world.msm[name] = msmDocumentsByTokens(spec, Random.derive(seed, `msm:${name}`), DEFAULT_MIDTRAIN_TOKENS);
    if (world.shuffled[name] && spec.preferences) world.shuffled[name] = shuffledCorpus(spec, Random.derive(seed, `shuffled:${name}`), DEFAULT_MIDTRAIN_TOKENS);
  }
  return world;
}

/** A base model must have been pre-trained on this world's corpus and vocabulary (as the CLI checks). */
export function checkBaseModel(bytes: Uint8Array, world: World, name: string): void {
  const checkpoint = decodeCheckpoint(bytes);
  const note = checkpoint.provenance.note ?? '';
  if (!note.includes(pretrainFingerprint(world)) || checkpoint.vocab.join(' ') !== world.vocabulary.join(' ')) {
    throw new Error(`${name} was pre-trained on another version of the toy world: rebuild it with npm run lab -- pretrain`);
  }
}

const PROBED = /^seed (\d+): (.+?)(?: at (\d+))? probed$/;
const AFT_DONE = /^seed (\d+): (.+), AFT on (\d+)$/;
const MIDTRAINED = /^seed (\d+): midtrained on (.+)$/;

/**
 * Runs the experiment, seed by seed, each seed's models through runSeeds: stacked where the
 * engine trains many at once (the Worker's trainMany: stacked on a GPU), otherwise one model at
 * a time. The same runner and summarize make the figures either way; a stop keeps the seeds
 * already finished, and a journal lets a cut-off run go on from its last finished unit.
 */
export async function executeRun(o: ExecuteOptions): Promise<RunOutcome> {
  const { config } = o;
  const plan = runPlan(config);
  const schedules = schedulesFor(config);
  const start = performance.now();
  const checkpoints: Record<string, Uint8Array> = {};
  const extra = extraProbesFor(config);
  let probes: Probe[] = [];
  const t = tracker(o, () => probes);
  let current = config.seeds[0];
  const wrap = <T>(f: (p: T) => void) => (o.wrapProgress ? o.wrapProgress(f) : f);

  const stacked = !!(o.engine.trainMany && o.engine.evaluateMany && !o.oneAtATime);
  const inner: BatchEngine = stacked
    ? { trainMany: (jobs, onProgress) => o.engine.trainMany!(jobs, onProgress && wrap(onProgress)), evaluateMany: (requests) => o.engine.evaluateMany!(requests) }
    : oneByOne(singleModel(o, t, () => current));
  // A journal keeps each unit as it finishes: per engine call one stack on a GPU, one model on a CPU.
  const chunk = stacked && (o.backend === 'webgpu' || o.backend === 'webgl') ? 32 : 1;
  o.journal?.beginAttempt();
  // Snapshots come from trainMany only: one model at a time trains each stage from its start.
  const snapshotEvery = stacked ? o.snapshotEvery ?? SNAPSHOT_EVERY : undefined;
  const units = o.journal ? o.journal.wrap(inner, { chunk, beforeCall: t.guard, snapshotEvery }) : inner;

  const engine: BatchEngine = {
    trainMany: async (jobs, onProgress) => {
      await t.guard();
      const live = (p: TrainManyProgress) => {
        if (p.finished) return; // the jobs' ends are reported below, in order, once their results are here
        const first = jobs[p.jobs[0]]?.stage.name ?? ''; // the stack's first job (a journal trains the jobs in parts)
        t.emit({ kind: 'stage-progress', seed: current, stage: p.jobs.length > 1 ? `${first} (${p.jobs.length} models at once)` : first, step: p.step, steps: p.steps, models: p.jobs.length, tokensPerSecond: p.tokensPerSecond, metrics: p.metrics[0] ?? [], resumedAt: p.resumedAt?.[0] });
      };
      const result = await units.trainMany(jobs, live);
      if (o.stopRequested?.() || result.results.length < jobs.length) throw new RunStopped();
      result.results.forEach((r, i) => t.stageFinished({ ...curveOf(jobs[i].stage.name, r.metrics), restored: o.journal?.restored(r), resumedAt: r.resumedAt }));
      jobs.forEach((job, i) => onProgress?.({ jobs: [i], step: job.stage.steps, steps: job.stage.steps, metrics: [[]], tokensPerSecond: 0, finished: true }));
      return result;
    },
    // One model at a time, so each arm's scores show as soon as they exist.
    evaluateMany: async (requests, onEvaluated) => {
      const out: EvaluateResult[] = [];
      for (const [i, request] of requests.entries()) {
        await t.guard();
        const [result] = await units.evaluateMany([request]);
        t.scored(result.scores);
        out.push(result);
        onEvaluated?.(i);
      }
      return out;
    },
  };
  const seedResults: SeedResult[] = [];
  let results: ExperimentResults | null = null;
  for (const seed of config.seeds) {
    if (o.stopRequested?.()) break;
    current = seed;
    t.emit({ kind: 'seed-start', seed });
    await new Promise((r) => setTimeout(r, 0)); // let the page paint before building the world
    const world = worldFor(config, seed);
    const base = await o.baseModel(seed, config.preset);
    checkBaseModel(base, world, `the base model for seed ${seed}`);
    probes = [...probesFor(config, world), ...extra];
    const input: SeedInput = { seed, world, baseCheckpoint: base };
    try {
      const [result] = await runSeeds({
        plan, preset: config.preset, seeds: [input], aftSizes: config.aftSizes, probes, engine, schedules, onStep: t.onStep,
        keepCheckpoint: async (name, bytes) => {
          if (seed === config.seeds[0]) checkpoints[name] = bytes;
        },
      });
      seedResults.push(result);
      results = summarize(plan, seedResults, probes, extra, { preset: config.preset, backend: o.backend, split: config.split, schedules, elapsedSeconds: (performance.now() - start) / 1000 });
      t.emit({ kind: 'seed-done', seed, result, summary: results });
    } catch (e) {
      if (e instanceof RunStopped) break;
      throw e;
    }
  }
  return { config, results, seedResults, checkpoints, stopped: seedResults.length < config.seeds.length };
}

/** Single-model engine calls with live progress, pause and stop checks, for one model at a time. */
function singleModel(o: ExecuteOptions, t: ReturnType<typeof tracker>, seed: () => number): ExperimentEngine {
  return {
    loadCheckpoint: async (bytes) => (await t.guard(), o.engine.loadCheckpoint(bytes)),
    saveCheckpoint: async (opt) => (await t.guard(), o.engine.saveCheckpoint(opt)),
    sampleReplies: async (prompts, options) => (await t.guard(), o.engine.sampleReplies(prompts, options)),
    scoreQuestions: async (questions) => (await t.guard(), o.engine.scoreQuestions(questions)),
    trainStage: async (request) => {
      await t.guard();
      const onProgress = (p: Progress) => t.emit({ kind: 'stage-progress', seed: seed(), stage: p.stage, step: p.step, steps: p.steps, models: 1, tokensPerSecond: p.tokensPerSecond, metrics: p.metrics });
      const result = await o.engine.trainStage(request, o.wrapProgress ? o.wrapProgress(onProgress) : onProgress);
      if (o.stopRequested?.()) throw new RunStopped();
      return result;
    },
  };
}

/** The shared bookkeeping: events for each unit runSeed(s) names, attributed by its label. */
function tracker(o: ExecuteOptions, probes: () => Probe[]) {
  const emit = o.onEvent ?? (() => {});
  let done = 0;
  const finished: Curve[] = []; // stages finished, oldest first, waiting for their labels
  let lastRaw: Array<Array<{ logProb: number; tokens: number }>> | null = null;
  const guard = async () => {
    if (o.gate) await o.gate();
    if (o.stopRequested?.()) throw new RunStopped();
  };
  const onStep = (label: string, work: number) => {
    const seedOf = (m: RegExpMatchArray) => Number(m[1]);
    let m: RegExpMatchArray | null;
    if ((m = label.match(MIDTRAINED))) {
      const curve = finished.shift();
      if (curve) emit({ kind: 'stage-done', seed: seedOf(m), owner: m[2], aftSize: null, curve });
    } else if ((m = label.match(AFT_DONE))) {
      const curve = finished.shift();
      if (curve) emit({ kind: 'stage-done', seed: seedOf(m), owner: m[2], aftSize: Number(m[3]), curve });
    } else if ((m = label.match(PROBED)) && lastRaw) {
      // The same scoring as the runner's, applied to the scores it just read.
      emit({ kind: 'arm-scored', seed: seedOf(m), arm: m[2], aftSize: m[3] ? Number(m[3]) : 0, scores: pickChoices(probes(), lastRaw) });
    }
    const seed = Number(label.match(/^seed (\d+)/)?.[1] ?? o.config.seeds[0]);
    emit({ kind: 'unit-done', seed, label, done: ++done, total: o.totalUnits, work });
  };
  return {
    emit, guard, onStep,
    stageFinished: (c: Curve) => finished.push(c),
    scored: (raw: Array<Array<{ logProb: number; tokens: number }>>) => (lastRaw = raw),
  };
}

const curveOf = (stage: string, metrics: StepMetrics[]): Curve => ({ stage, steps: metrics.map((m) => m.step), losses: metrics.map((m) => m.loss) });

function runPlan(config: ExperimentConfig) {
  // Without sampled replies when the configuration leaves them out (the same runner either way).
  return config.sampled ? PLANS[config.experiment] : { ...PLANS[config.experiment], sampled: false };
}
