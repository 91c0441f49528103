// Runs one seed of an experiment: from the seed's base model, each midtraining corpus once,
// then every arm at each of its AFT sizes, scoring the probes after each. The engine is the
// worker API, so the same code runs in Node and, through comlink, in the browser's Worker.
import type { PresetName } from '../model/config';
import type { TrainSource, EngineApi } from '../worker/api';
import type { CorpusItem, Probe, World } from '../world/world';
import { Random } from '../util/random';
import { armSizes, type ExperimentPlan, type Midtraining } from './plans';
import { SCHEDULES, type Schedules, type StagePlan } from './schedules';
import { sampleProbes, scoreProbes, type ProbeScore } from './scoreProbes';

export type ExperimentEngine = Pick<EngineApi, 'loadCheckpoint' | 'saveCheckpoint' | 'trainStage' | 'scoreQuestions' | 'sampleReplies'>;

export interface ArmSeedResult {
  aftSizes: number[];
  /** scores[sizeIndex] = one ProbeScore per probe evaluated. */
  scores: ProbeScore[][];
  /** For sampled experiments: labels sampled at temperature 0.7 for the OOD probes, at the smallest size. */
  sampled?: { probeIds: string[]; labels: string[] };
  /** Loss curves of the arm's stages (midtraining, then AFT at the smallest size). */
  curves: Array<{ stage: string; steps: number[]; losses: number[] }>;
}

export interface SeedResult {
  seed: number;
  arms: Record<string, ArmSeedResult>;
}

export interface SeedRunOptions {
  plan: ExperimentPlan;
  preset: PresetName;
  seed: number;
  world: World;
  baseCheckpoint: Uint8Array;
  aftSizes: number[];
  probes: Probe[]; // the split being reported, plus any extra probes
  engine: ExperimentEngine;
  schedules?: Schedules; // default: the preset's
  onStep?: (label: string) => void; // called after each unit of work (a stage or an evaluation)
  keepCheckpoint?: (name: string, bytes: Uint8Array) => Promise<void>;
}

/** How many units of work (stages and evaluations) runSeed reports through onStep. */
export function unitsOfWork(plan: ExperimentPlan, aftSizes: number[]): number {
  const midtrainings = new Set(plan.arms.filter((a) => a.midtraining).map((a) => midtrainingKey(a.midtraining!)));
  const runs = plan.arms.reduce((n, a) => n + armSizes(a, aftSizes).length * (a.aft ? 2 : 1), 0);
  return midtrainings.size + runs;
}

export async function runSeed(o: SeedRunOptions): Promise<SeedResult> {
  const { plan, world, engine } = o;
  const schedules = o.schedules ?? SCHEDULES[o.preset];
  const midtrained = new Map<string, { bytes: Uint8Array; curve: ArmSeedResult['curves'][number] }>();
  const aftOrderSeed = Random.derive(o.seed, 'aft-order').int(2 ** 31);
  const arms: Record<string, ArmSeedResult> = {};

  for (const arm of plan.arms) {
    let start = o.baseCheckpoint;
    const curves: ArmSeedResult['curves'] = [];
    if (arm.midtraining) {
      const key = midtrainingKey(arm.midtraining);
      if (!midtrained.has(key)) {
        await engine.loadCheckpoint(o.baseCheckpoint);
        const request = stageRequest(key, schedules.midtrain, schedules.readEvery, Random.derive(o.seed, key).int(2 ** 31), [
          { items: midtrainingCorpus(world, arm.midtraining), assistantOnly: false },
        ], world.pretrain);
        const result = await engine.trainStage(request);
        const bytes = await engine.saveCheckpoint(false);
        midtrained.set(key, { bytes, curve: curveOf(key, result.metrics) });
        await o.keepCheckpoint?.(`seed${o.seed}-${key}`, bytes);
        o.onStep?.(`seed ${o.seed}: midtrained on ${key}`);
      }
      start = midtrained.get(key)!.bytes;
      curves.push(midtrained.get(key)!.curve);
    }
    const sizes = armSizes(arm, o.aftSizes);
    const scores: ProbeScore[][] = [];
    let sampled: ArmSeedResult['sampled'];
    for (const [i, size] of sizes.entries()) {
      await engine.loadCheckpoint(start);
      if (arm.aft) {
        const demos = (arm.aft === 'reasoning' ? world.aft[plan.aftSpec].reasoning : world.aft[plan.aftSpec].plain).slice(0, size);
        const result = await engine.trainStage(stageRequest(`aft`, schedules.aft, schedules.readEvery, aftOrderSeed, [{ items: demos, assistantOnly: true }], world.pretrain));
        if (i === 0) curves.push(curveOf(`aft (${size})`, result.metrics));
        if (o.keepCheckpoint) await o.keepCheckpoint(`seed${o.seed}-${arm.name}-aft${size}`, await engine.saveCheckpoint(false));
        o.onStep?.(`seed ${o.seed}: ${arm.name}, AFT on ${size}`);
      }
      scores.push(await scoreProbes(engine, o.probes));
      if (plan.sampled && i === 0) {
        const ood = o.probes.filter((p) => p.metric === 'oodMisalignment');
        sampled = { probeIds: ood.map((p) => p.id), labels: await sampleProbes(engine, ood, Random.derive(o.seed, arm.name).int(2 ** 31)) };
      }
      o.onStep?.(`seed ${o.seed}: ${arm.name}${arm.aft ? ` at ${size}` : ''} probed`);
    }
    arms[arm.name] = { aftSizes: sizes, scores, sampled, curves };
  }
  return { seed: o.seed, arms };
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
