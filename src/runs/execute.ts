// Runs a whole experiment from a configuration, the way `lab run` does (world per seed, base
// model, runSeed per seed, summarize), against any engine: the Worker's comlink remote in the
// app, the Node engine in tests. It reports what happens as typed events so a page can draw
// the run live; every figure it reports comes from runSeed and summarize.
import { PLANS } from '../experiment/plans';
import { pretrainFingerprint } from '../experiment/pretrainBase';
import { runSeed, type ExperimentEngine, type SeedResult } from '../experiment/runExperiment';
import { scoreProbes, type ProbeScore } from '../experiment/scoreProbes';
import { summarize, type ExperimentResults } from '../experiment/summarize';
import { decodeCheckpoint } from '../checkpoint/format';
import type { EngineApi } from '../worker/api';
import type { Progress, StepMetrics } from '../train/trainer';
import { Random } from '../util/random';
import { buildWorld, DEFAULT_MIDTRAIN_TOKENS, msmDocumentsByTokens, shuffledCorpus, type Probe, type SpecName, type World } from '../world/world';
import { probesFor, schedulesFor, type ExperimentConfig } from './config';

export type RunEngine = ExperimentEngine & Pick<EngineApi, 'stop'>;

export interface Curve {
  stage: string;
  steps: number[];
  losses: number[];
}

export type RunEvent =
  | { kind: 'seed-start'; seed: number }
  | { kind: 'stage-progress'; seed: number; stage: string; step: number; steps: number; tokensPerSecond: number; metrics: StepMetrics[] }
  /** A stage finished; `owner` is the midtraining key ("msm:philosophy") or the arm whose AFT it was. */
  | { kind: 'stage-done'; seed: number; owner: string; aftSize: number | null; curve: Curve }
  | { kind: 'unit-done'; seed: number; label: string; done: number; total: number }
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
  baseModel: (seed: number) => Promise<Uint8Array>;
  /** Makes a callback callable from the engine's side (Comlink.proxy for a Worker). */
  wrapProgress?: (f: (p: Progress) => void) => (p: Progress) => void;
  onEvent?: (e: RunEvent) => void;
  /** Asked before every engine call: true ends the run after the current step. */
  stopRequested?: () => boolean;
  /** Awaited before every engine call: a paused run waits here between stages and evaluations. */
  gate?: () => Promise<void>;
  /** How many units of work in all (for progress); from unitsOfWork(plan, sizes) x seeds. */
  totalUnits: number;
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

export async function executeRun(o: ExecuteOptions): Promise<RunOutcome> {
  const { config } = o;
  // Without sampled replies when the configuration leaves them out (the same runner either way).
  const plan = config.sampled ? PLANS[config.experiment] : { ...PLANS[config.experiment], sampled: false };
  const schedules = schedulesFor(config);
  const emit = o.onEvent ?? (() => {});
  const seedResults: SeedResult[] = [];
  const checkpoints: Record<string, Uint8Array> = {};
  const start = performance.now();
  let done = 0;
  let results: ExperimentResults | null = null;
  let probes: Probe[] = [];

  for (const seed of config.seeds) {
    if (o.stopRequested?.()) break;
    emit({ kind: 'seed-start', seed });
    const world = worldFor(config, seed);
    probes = probesFor(config, world);
    const base = await o.baseModel(seed);
    checkBaseModel(base, world, `the base model for seed ${seed}`);

    // The engine runSeed sees: the real one, with live progress, stop checks, and a note of
    // the last stage and the last scores so each can be attributed when runSeed names its unit.
    let lastStage: Curve | null = null;
    let lastRaw: Awaited<ReturnType<RunEngine['scoreQuestions']>> | null = null;
    const guard = async () => {
      if (o.gate) await o.gate();
      if (o.stopRequested?.()) throw new RunStopped();
    };
    const engine: ExperimentEngine = {
      loadCheckpoint: async (bytes) => (await guard(), o.engine.loadCheckpoint(bytes)),
      saveCheckpoint: async (opt) => (await guard(), o.engine.saveCheckpoint(opt)),
      sampleReplies: async (prompts, options) => (await guard(), o.engine.sampleReplies(prompts, options)),
      scoreQuestions: async (questions) => {
        await guard();
        lastRaw = await o.engine.scoreQuestions(questions);
        return lastRaw;
      },
      trainStage: async (request) => {
        await guard();
        const onProgress = (p: Progress) => emit({ kind: 'stage-progress', seed, stage: p.stage, step: p.step, steps: p.steps, tokensPerSecond: p.tokensPerSecond, metrics: p.metrics });
        const result = await o.engine.trainStage(request, o.wrapProgress ? o.wrapProgress(onProgress) : onProgress);
        if (o.stopRequested?.()) throw new RunStopped();
        lastStage = { stage: request.name, steps: result.metrics.map((m) => m.step), losses: result.metrics.map((m) => m.loss) };
        return result;
      },
    };
    const onStep = (label: string) => {
      emit({ kind: 'unit-done', seed, label, done: ++done, total: o.totalUnits });
      let m: RegExpMatchArray | null;
      if ((m = label.match(MIDTRAINED)) && lastStage) emit({ kind: 'stage-done', seed, owner: m[2], aftSize: null, curve: lastStage });
      else if ((m = label.match(AFT_DONE)) && lastStage) emit({ kind: 'stage-done', seed, owner: m[2], aftSize: Number(m[3]), curve: lastStage });
      else if ((m = label.match(PROBED)) && lastRaw) {
        const raw = lastRaw;
        // The same scoring as runSeed's, applied to the scores it just read.
        void scoreProbes({ scoreQuestions: async () => raw, sampleReplies: async () => [] }, probes).then((scores) =>
          emit({ kind: 'arm-scored', seed, arm: m![2], aftSize: m![3] ? Number(m![3]) : 0, scores }),
        );
      }
    };
    try {
      const result = await runSeed({
        plan, preset: config.preset, seed, world, baseCheckpoint: base, aftSizes: config.aftSizes, probes, engine, schedules, onStep,
        keepCheckpoint: seed === config.seeds[0] ? async (name, bytes) => void (checkpoints[name] = bytes) : undefined,
      });
      seedResults.push(result);
      results = summarize(plan, seedResults, probes, [], { preset: config.preset, backend: o.backend, split: config.split, schedules, elapsedSeconds: (performance.now() - start) / 1000 });
      emit({ kind: 'seed-done', seed, result, summary: results });
    } catch (e) {
      if (e instanceof RunStopped) return { config, results, seedResults, checkpoints, stopped: true };
      throw e;
    }
  }
  return { config, results, seedResults, checkpoints, stopped: seedResults.length < config.seeds.length };
}
