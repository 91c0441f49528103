// Runs an experiment's seeds: from each seed's base model, every midtraining corpus once, then
// every arm at each of its AFT sizes, then the probes on every resulting model. Each phase is
// one call to the engine with all its models, so the engine can train them stacked (a GPU
// trains dozens at once) or spread them over processes (Node). The engine is the worker API,
// so the same code runs in Node and, through comlink, in the browser's Worker.
import type { PresetName } from '../model/config';
import type { EngineApi, EvaluateRequest, TrainSource } from '../worker/api';
import type { TrainJob } from '../worker/trainMany';
import { evaluateOneByOne } from '../worker/evaluateOneByOne';
import type { CorpusItem, Probe, World } from '../world/world';
import { Random } from '../util/random';
import { armSizes, type ArmPlan, type ExperimentPlan, type Midtraining } from './plans';
import { SCHEDULES, type Schedules, type StagePlan } from './schedules';
import { GREEDY_OPTIONS, asQuestion, greedyPrompts, pickChoices, readLabels, sampleOptions, type ProbeScore } from './scoreProbes';

/** What the runner needs of an engine: train many models, evaluate many. */
export type BatchEngine = Pick<EngineApi, 'trainMany' | 'evaluateMany'>;
/** The one-model-at-a-time engine calls, for runSeed. */
export type ExperimentEngine = Pick<EngineApi, 'loadCheckpoint' | 'saveCheckpoint' | 'trainStage' | 'scoreQuestions' | 'sampleReplies'>;

export interface ArmSeedResult {
  aftSizes: number[];
  /** scores[sizeIndex] = one ProbeScore per probe evaluated. */
  scores: ProbeScore[][];
  /** For sampled experiments: labels sampled at temperature 0.7 for the OOD probes, at the smallest size. */
  sampled?: { probeIds: string[]; labels: string[] };
  /** For agentic AFT: the pressure of each demonstration at the smallest size, in training order. */
  aftScenarios?: string[];
  /** Loss curves of the arm's stages (midtraining, then AFT at the smallest size). */
  curves: Array<{ stage: string; steps: number[]; losses: number[] }>;
}

export interface SeedResult {
  seed: number;
  arms: Record<string, ArmSeedResult>;
}

export interface SeedInput {
  seed: number;
  world: World;
  baseCheckpoint: Uint8Array;
}

export interface RunOptions {
  plan: ExperimentPlan;
  preset: PresetName;
  seeds: SeedInput[];
  aftSizes: number[];
  probes: Probe[]; // the split being reported, plus any extra probes
  engine: BatchEngine;
  schedules?: Schedules; // default: the preset's
  /** Called after each unit of work (a stage or an evaluation), with its work in training steps (see workOfSeed). */
  onStep?: (label: string, work: number) => void;
  keepCheckpoint?: (name: string, bytes: Uint8Array) => Promise<void>;
  /**
   * Train the AFT runs that start from the base model in the same engine call as the
   * midtrainings. Where the engine spreads jobs over processes (the command line's pool), the
   * short runs keep every core busy while the last midtrainings finish; a GPU stack would
   * instead carry them through every midtraining step, so the page leaves this off. Each job
   * trains alone either way: the figures do not change.
   */
  baseAftWithMidtrainings?: boolean;
}

export interface SeedRunOptions extends Omit<RunOptions, 'seeds' | 'engine'> {
  seed: number;
  world: World;
  baseCheckpoint: Uint8Array;
  engine: ExperimentEngine;
}

/** A seed's units of work, by kind: its distinct midtrainings, its AFT runs, its evaluations. */
function unitsOfSeed(plan: ExperimentPlan, aftSizes: number[]): { midtrainings: number; afts: number; evaluations: number } {
  const midtrainings = new Set(plan.arms.filter((a) => a.midtraining).map((a) => midtrainingKey(a.midtraining!))).size;
  const sizes = plan.arms.map((a) => armSizes(a, aftSizes).length);
  return { midtrainings, afts: plan.arms.reduce((n, a, i) => n + (a.aft ? sizes[i] : 0), 0), evaluations: sizes.reduce((n, k) => n + k, 0) };
}

/** How many units of work (stages and evaluations) a seed reports through onStep. */
export function unitsOfWork(plan: ExperimentPlan, aftSizes: number[]): number {
  const u = unitsOfSeed(plan, aftSizes);
  return u.midtrainings + u.afts + u.evaluations;
}

/**
 * An evaluation's work in training steps, for progress only: scoring a split's probes (forward
 * passes, no backward) took about as long as a few training steps (nano, wasm, two workers: 59
 * evaluations in 20 s, where a 40-step AFT run took 2 s).
 */
export const EVALUATION_WORK = 8;

/**
 * A seed's work in training steps, the measure of progress and time left: each midtraining and
 * AFT run counts its steps, each evaluation EVALUATION_WORK. Counted as one unit each, a
 * 1,500-step midtraining weighed as much as a 40-step AFT run, and the time left read several
 * times too high while the midtrainings ran.
 */
export function workOfSeed(plan: ExperimentPlan, aftSizes: number[], schedules: Schedules): number {
  const u = unitsOfSeed(plan, aftSizes);
  return u.midtrainings * schedules.midtrain.steps + u.afts * schedules.aft.steps + u.evaluations * EVALUATION_WORK;
}

export async function runSeeds(o: RunOptions): Promise<SeedResult[]> {
  const { plan, engine } = o;
  const schedules = o.schedules ?? SCHEDULES[o.preset];
  const train = async (units: Array<{ name: string; label: string; job: TrainJob }>) => {
    const { results, checkpoints } = await engine.trainMany(
      units.map((u) => u.job),
      (p) => p.finished && p.jobs.forEach((j) => o.onStep?.(units[j].label, units[j].job.stage.steps)),
    );
    const bad = results.findIndex((r) => r.diverged);
    if (bad >= 0) throw new Error(`${units[bad].name}: the loss became ${results[bad].diverged!.loss} at step ${results[bad].diverged!.step}; no figures are reported from a diverged run`);
    await Promise.all(units.map((u, i) => o.keepCheckpoint?.(u.name, checkpoints[i])));
    return units.map((_, i) => ({ bytes: checkpoints[i], curve: curveOf(results[i].stage, results[i].metrics) }));
  };

  // 1. Each seed's midtrainings, once each (arms that share one start from the same model).
  const midtrainings = o.seeds.flatMap((s) =>
    [...new Map(plan.arms.filter((a) => a.midtraining).map((a) => [midtrainingKey(a.midtraining!), a.midtraining!])).entries()].map(([key, m]) => ({
      seed: s.seed, key, name: `seed${s.seed}-${key}`, label: `seed ${s.seed}: midtrained on ${key}`,
      job: { checkpoint: s.baseCheckpoint, stage: stageRequest(key, schedules.midtrain, schedules.readEvery, Random.derive(s.seed, key).int(2 ** 31), [{ items: midtrainingCorpus(s.world, m), assistantOnly: false }], s.world.pretrain) },
    })),
  );
  const midtrained = new Map<string, Awaited<ReturnType<typeof train>>[number]>();
  const startOf = (s: SeedInput, arm: ArmPlan) => (arm.midtraining ? midtrained.get(`${s.seed}/${midtrainingKey(arm.midtraining)}`)!.bytes : s.baseCheckpoint);

  // 2. Every arm with AFT at each of its sizes, from its start.
  const runs = o.seeds.flatMap((s) => plan.arms.flatMap((arm) => armSizes(arm, o.aftSizes).map((size, i) => ({ s, arm, size, first: i === 0 }))));
  const aftUnit = (r: (typeof runs)[number]) => ({
    run: r, name: `seed${r.s.seed}-${r.arm.name}-aft${r.size}`, label: `seed ${r.s.seed}: ${r.arm.name}, AFT on ${r.size}`,
    job: { checkpoint: startOf(r.s, r.arm), stage: stageRequest('aft', schedules.aft, schedules.readEvery, Random.derive(r.s.seed, 'aft-order').int(2 ** 31), [{ items: aftDemonstrations(r.s.world, plan, r.arm, r.size), assistantOnly: true }], r.s.world.pretrain) },
  });
  const early = o.baseAftWithMidtrainings ? runs.filter((r) => r.arm.aft && !r.arm.midtraining).map(aftUnit) : [];
  const opening = await train([...midtrainings, ...early]);
  midtrainings.forEach((m, i) => midtrained.set(`${m.seed}/${m.key}`, opening[i]));
  const late = runs.filter((r) => r.arm.aft && !early.some((e) => e.run === r)).map(aftUnit);
  const tuned = new Map([...early.map((e, i) => [e.run, opening[midtrainings.length + i]] as const), ...(await train(late)).map((r, i) => [late[i].run, r] as const)]);

  // 3. The probes on every model: the base or midtrained start for arms without AFT.
  const ood = o.probes.filter((p) => p.metric === 'oodMisalignment');
  const greedy = greedyPrompts(o.probes).prompts;
  const requests: EvaluateRequest[] = runs.map((r) => ({
    checkpoint: tuned.get(r)?.bytes ?? startOf(r.s, r.arm),
    questions: o.probes.map(asQuestion),
    samples: plan.sampled && r.first ? { prompts: ood.map((p) => p.prompt), options: sampleOptions(Random.derive(r.s.seed, r.arm.name).int(2 ** 31)) } : undefined,
    ...(greedy.length ? { greedy: { prompts: greedy, options: GREEDY_OPTIONS } } : {}),
  }));
  const evaluations = await engine.evaluateMany(requests, (i) => o.onStep?.(`seed ${runs[i].s.seed}: ${runs[i].arm.name}${runs[i].arm.aft ? ` at ${runs[i].size}` : ''} probed`, EVALUATION_WORK));

  return o.seeds.map((s) => {
    const arms: Record<string, ArmSeedResult> = {};
    for (const arm of plan.arms) {
      const mine = runs.map((r, i) => ({ r, e: evaluations[i] })).filter(({ r }) => r.s === s && r.arm === arm);
      const curves: ArmSeedResult['curves'] = [];
      if (arm.midtraining) curves.push(midtrained.get(`${s.seed}/${midtrainingKey(arm.midtraining)}`)!.curve);
      const first = tuned.get(mine[0].r);
      if (first) curves.push({ ...first.curve, stage: `aft (${mine[0].r.size})` });
      const replies = mine[0].e.replies;
      const shown = arm.aft ? aftDemonstrations(s.world, plan, arm, mine[0].r.size).flatMap((d) => (d.kind === 'chat' && d.scenario ? [d.scenario] : [])) : [];
      arms[arm.name] = {
        aftSizes: mine.map(({ r }) => r.size),
        scores: mine.map(({ e }) => pickChoices(o.probes, e.scores, e.greedy)),
        sampled: replies ? { probeIds: ood.map((p) => p.id), labels: readLabels(ood, replies) } : undefined,
        ...(shown.length ? { aftScenarios: shown } : {}),
        curves,
      };
    }
    return { seed: s.seed, arms };
  });
}

/** One seed, on an engine that trains and evaluates one model at a time. */
export async function runSeed(o: SeedRunOptions): Promise<SeedResult> {
  const [result] = await runSeeds({ ...o, seeds: [{ seed: o.seed, world: o.world, baseCheckpoint: o.baseCheckpoint }], engine: oneByOne(o.engine) });
  return result;
}

/** trainMany and evaluateMany from single-model calls: each job reports its end before the next starts. */
export function oneByOne(engine: ExperimentEngine): BatchEngine {
  return {
    async trainMany(jobs, onProgress) {
      const results = [];
      const checkpoints = [];
      for (const [i, job] of jobs.entries()) {
        await engine.loadCheckpoint(job.checkpoint);
        results.push(await engine.trainStage(job.stage));
        checkpoints.push(await engine.saveCheckpoint(false));
        onProgress?.({ jobs: [i], step: job.stage.steps, steps: job.stage.steps, metrics: [[]], tokensPerSecond: 0, finished: true });
      }
      return { results, checkpoints };
    },
    evaluateMany: (requests, onEvaluated) => evaluateOneByOne(engine, requests, onEvaluated),
  };
}

function aftDemonstrations(world: World, plan: ExperimentPlan, arm: ArmPlan, size: number): CorpusItem[] {
  return (arm.aft === 'reasoning' ? world.aft[plan.aftSpec].reasoning : world.aft[plan.aftSpec].plain).slice(0, size);
}

function midtrainingKey(m: Midtraining): string {
  return m.kind === 'control' ? 'control' : `${m.kind}:${m.spec}`;
}

function midtrainingCorpus(world: World, m: Midtraining): CorpusItem[] {
  if (m.kind === 'control') return world.control;
  if (m.kind === 'msm') return world.msm[m.spec];
  const corpus = world.shuffled[m.spec];
  if (!corpus) throw new Error(`the spec "${m.spec}" has no shuffled corpus (only preference specs do)`);
  return corpus;
}

/** A stage's request: its own corpora plus, by the plan's share, the pre-training corpus. */
export function stageRequest(
  name: string,
  plan: StagePlan,
  readEvery: number,
  seed: number,
  corpora: Array<{ items: CorpusItem[]; assistantOnly: boolean }>,
  pretrain: CorpusItem[],
) {
  const sources: TrainSource[] = corpora.map((c) => ({ ...toSource(c.items, c.assistantOnly), weight: (1 - plan.pretrainShare) / corpora.length }));
  if (plan.pretrainShare > 0) sources.push({ ...toSource(pretrain, false), weight: plan.pretrainShare });
  return { name, steps: plan.steps, peakLr: plan.peakLr, minLr: plan.minLr, warmupSteps: plan.warmupSteps, readEvery, seed, sources: sources.filter((s) => s.weight > 0) };
}

export function toSource(items: CorpusItem[], assistantOnly: boolean): Omit<TrainSource, 'weight'> {
  const documents: string[] = [];
  const chats: Array<{ user: string; assistant: string }> = [];
  for (const item of items) {
    if (item.kind === 'document') documents.push(item.text);
    else chats.push({ user: item.user, assistant: item.assistant });
  }
  return { documents, chats, assistantOnly };
}

function curveOf(stage: string, metrics: Array<{ step: number; loss: number }>) {
  return { stage, steps: metrics.map((m) => m.step), losses: metrics.map((m) => m.loss) };
}


/** The probes a run reports: the split's probes of the plan's metrics, then any extra probes. */
export function reportedProbes(plan: ExperimentPlan, world: World, split: 'dev' | 'test', extra: Probe[]): Probe[] {
  const metrics = new Set(plan.metrics.map((m) => m.name));
  return [...world.probes[split].probes.filter((p) => metrics.has(p.metric)), ...extra];
}
