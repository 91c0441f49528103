// Trains many models, each from its own checkpoint through its own stage, as stacks of up to
// `perStack` models: a GPU takes dozens at once for little more than the price of one, while on
// a CPU (wasm) stacking buys nothing and one at a time is as fast (see docs/performance.md).
// A job can hand back a snapshot of itself every N steps, and a later job can go on from one:
// the same weights, optimizer moments, schedule step and data position, so the stage ends
// exactly as if it had never been cut.
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../checkpoint/format';
import { batchSizeOf, presetOf } from '../model/config';
import { StackedGPT } from '../model/stackedGpt';
import { Tokenizer, type Example } from '../tokenizer/tokenizer';
import { BatchSampler } from '../train/batches';
import type { RunControl } from '../train/control';
import { compileStackedStep } from '../train/compileAhead';
import { drawAhead, packShape } from '../train/packing';
import { StackedTrainer, trimmedLength, type StackedSnapshot } from '../train/stackedTrainer';
import type { StageResult, StepMetrics } from '../train/trainer';
import { fingerprint } from '../util/hash';
import { Random } from '../util/random';
import type { TrainSource, TrainStageRequest } from './api';

export interface TrainJob {
  checkpoint: Uint8Array; // where the model starts
  stage: TrainStageRequest; // keepOptimizer is not supported: every job starts a fresh optimizer
  /** A snapshot this same job handed back before (a run cut off midway): the stage goes on from its step. */
  resume?: StageSnapshot;
  /** Hand back a snapshot every this many steps (in a report with `snapshots`); in a stack, the smallest asked. */
  snapshotEvery?: number;
}

/** A stage cut short, as plain data (it crosses the Worker boundary and goes to IndexedDB). */
export interface StageSnapshot {
  step: number; // steps of the stage done
  checkpoint: Uint8Array; // the model after that step, with its optimizer state (moments and step count)
  metrics: StepMetrics[]; // steps 1..step
}

export interface TrainManyProgress {
  jobs: number[]; // indices of the jobs in the stack being trained
  step: number;
  steps: number;
  metrics: StepMetrics[][]; // per job of the stack, the steps read back since the last report (a resumed job's first report: those before the cut)
  tokensPerSecond: number;
  finished: boolean; // the stack's last report: its jobs are done
  /** Per job of the stack, the step it resumed from; absent when none did. */
  resumedAt?: Array<number | undefined>;
  /** A snapshot report (no new metrics): per job of the stack, its snapshot, or null for a job that asked for none or has ended. */
  snapshots?: Array<StageSnapshot | null>;
}

export interface TrainManyResult {
  results: StageResult[];
  checkpoints: Uint8Array[]; // the trained models, with the stage added to their provenance
}

export async function trainMany(
  jobs: TrainJob[],
  perStack: number,
  control: RunControl,
  onProgress: (p: TrainManyProgress) => void = () => {},
): Promise<TrainManyResult> {
  if (!(perStack >= 1)) throw new Error(`models per stack must be at least 1, got ${perStack}`);
  const starts = jobs.map((j, i) => {
    if (j.stage.keepOptimizer) throw new Error(`job ${i}: trainMany starts every stage with a fresh optimizer (keepOptimizer is not supported)`);
    if (j.snapshotEvery !== undefined && !(Number.isInteger(j.snapshotEvery) && j.snapshotEvery >= 1)) throw new Error(`job ${i}: snapshotEvery must be a positive whole number of steps, got ${j.snapshotEvery}`);
    return decodeCheckpoint(j.checkpoint); // validated whole before any tensor is made
  });
  const resumes = jobs.map((j, i) => (j.resume ? resumePoint(j.resume, j.stage, i) : undefined));
  jobs.forEach((_, i) => {
    if ([starts[i], resumes[i]].some((c) => c && !sameModel(c, starts[0]))) throw new Error(`job ${i}: every model must have the same config and vocabulary as job 0`);
  });
  const results: StageResult[] = [];
  const checkpoints: Uint8Array[] = [];
  for (let first = 0; first < jobs.length && control.state !== 'stopped'; first += perStack) {
    const indices = jobs.slice(first, first + perStack).map((_, k) => first + k);
    const trained = await trainStack(indices.map((i) => ({ ...jobs[i], start: starts[i], resumeFrom: resumes[i] })), control, (p) => onProgress({ ...p, jobs: indices }));
    results.push(...trained.results);
    checkpoints.push(...trained.checkpoints);
  }
  return { results, checkpoints };
}

async function trainStack(
  jobs: Array<TrainJob & { start: Checkpoint; resumeFrom?: Checkpoint }>,
  control: RunControl,
  onProgress: (p: Omit<TrainManyProgress, 'jobs'>) => void,
): Promise<TrainManyResult> {
  const { config, vocab } = jobs[0].start;
  const tokenizer = new Tokenizer(vocab);
  const batchSize = batchSizeOf(presetOf(config));
  const sources = jobs.map((j) => j.stage.sources.map((s) => ({ examples: encodeSource(tokenizer, s), weight: s.weight })));
  // A loop, not Math.max(...): a stack of 32 stages that each mix in the pre-training corpus
  // holds hundreds of thousands of examples, more arguments than a call may take.
  let longest = 0;
  for (const source of sources.flat()) for (const e of source.examples) longest = Math.max(longest, e.ids.length);
  const length = trimmedLength(longest, config.blockSize);
  // The packed rows' shape: the stage's batches drawn ahead by samplers with the same seeds.
  const packing = packShape(drawAhead(jobs.map((j, m) => ({ sampler: new BatchSampler(sources[m], batchSize, config.blockSize, new Random(j.stage.seed)), steps: j.stage.steps }))), config.blockSize, length);
  await compileStackedStep(config, jobs.length, batchSize, length, packing); // WebGPU: every shader at once, before step 1
  const model = StackedGPT.fromWeights(config, jobs.map((j) => (j.resumeFrom ?? j.start).weights));
  const trainer = new StackedTrainer(model);
  trainer.packing = packing;
  try {
    trainer.optimizer.restore(jobs.map((j) => j.resumeFrom?.optimizer));
    const stages = jobs.map((j, m) => {
      const sampler = new BatchSampler(sources[m], batchSize, config.blockSize, new Random(j.stage.seed));
      const from = j.resume?.step ?? 0;
      sampler.skip(from); // the batches of the steps done before the cut
      return { settings: j.stage, sampler, from };
    });
    const before = jobs.map((j) => j.resume?.metrics ?? []);
    // Once per job: a stage that mixes in pre-training text holds the whole corpus, and a
    // snapshot every few steps would otherwise serialize it again each time.
    const corpusHashes = jobs.map((j) => fingerprint(JSON.stringify(j.stage.sources)));
    const resumedAt = jobs.some((j) => j.resume) ? jobs.map((j) => j.resume?.step) : undefined;
    let steps = Math.max(...jobs.map((j) => j.stage.steps));
    if (resumedAt) {
      // The steps trained before the cut, so a live curve shows the whole stage.
      onProgress({ step: steps - Math.max(...jobs.map((j, m) => j.stage.steps - stages[m].from)), steps, metrics: before, tokensPerSecond: 0, finished: false, resumedAt });
    }
    const every = Math.min(...jobs.map((j) => j.snapshotEvery ?? Infinity));
    const snapshots = Number.isFinite(every) ? {
      every,
      wanted: jobs.map((j) => j.snapshotEvery !== undefined),
      take: (s: StackedSnapshot) => onProgress({
        step: Math.max(...s.steps.map((x) => x ?? 0)), steps, metrics: jobs.map(() => []), tokensPerSecond: 0, finished: false, resumedAt,
        snapshots: s.steps.map((step, m) => (step === null ? null : snapshotOf(jobs[m], s, m, before[m], corpusHashes[m]))),
      }),
    } : undefined;
    const results = (await trainer.runStages(stages, control, length, (p) => {
      steps = p.steps;
      onProgress({ step: p.step, steps: p.steps, metrics: p.metrics, tokensPerSecond: p.tokensPerSecond, finished: false, resumedAt });
    }, snapshots)).map((r, m) => (jobs[m].resume ? { ...r, metrics: [...before[m], ...r.metrics], resumedAt: jobs[m].resume!.step } : r));
    const weights = await model.exportWeights();
    // A diverged model comes back as it started: its weights after the NaN mean nothing.
    const checkpoints = jobs.map((j, m) =>
      results[m].diverged ? encodeCheckpoint(j.start) : encodeCheckpoint({
        config,
        vocab,
        weights: weights[m],
        provenance: {
          createdAt: new Date().toISOString(),
          stages: [...j.start.provenance.stages, { name: j.stage.name, steps: results[m].stepsDone, corpusHash: corpusHashes[m], seed: j.stage.seed }],
          seeds: { ...j.start.provenance.seeds, [j.stage.name]: j.stage.seed },
        },
      }),
    );
    onProgress({ step: steps, steps, metrics: jobs.map(() => []), tokensPerSecond: 0, finished: true });
    return { results, checkpoints };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/** A training source as tokenized examples: documents, then chats (assistant-only loss when asked). */
export function encodeSource(tokenizer: Tokenizer, s: TrainSource): Example[] {
  const docs = (s.documents ?? []).map((d) => tokenizer.encodeDocument(d));
  const chats = (s.chats ?? []).map((c) => tokenizer.encodeChat(c, s.assistantOnly ?? false));
  return [...docs, ...chats];
}

/** A job's model at a snapshot's step, with its optimizer state: where its stage goes on. */
function resumePoint(s: StageSnapshot, stage: TrainStageRequest, job: number): Checkpoint {
  const c = decodeCheckpoint(s.checkpoint);
  const problem = !c.optimizer ? 'it has no optimizer state'
    : !(Number.isInteger(s.step) && s.step >= 1 && s.step < stage.steps) ? `step ${s.step} is not inside the ${stage.steps}-step stage`
    : c.optimizer.step !== s.step ? `its optimizer took ${c.optimizer.step} steps, not ${s.step}`
    : s.metrics.length !== s.step || s.metrics.some((m, i) => m.step !== i + 1) ? `its metrics are not steps 1 to ${s.step}`
    : null;
  if (problem) throw new Error(`job ${job}: cannot resume stage "${stage.name}" from this snapshot: ${problem}`);
  return c;
}

/** Job m's snapshot: its weights and optimizer state as a checkpoint, and every step's metrics so far. */
function snapshotOf(job: TrainJob & { start: Checkpoint }, s: StackedSnapshot, m: number, before: StepMetrics[], corpusHash: string): StageSnapshot {
  const step = s.steps[m]!;
  const { config, vocab, provenance } = job.start;
  const checkpoint = encodeCheckpoint({
    config, vocab, weights: s.weights[m], optimizer: s.optimizer[m],
    provenance: {
      ...provenance, createdAt: new Date().toISOString(),
      stages: [...provenance.stages, { name: job.stage.name, steps: step, corpusHash, seed: job.stage.seed }],
      seeds: { ...provenance.seeds, [job.stage.name]: job.stage.seed }, // as the stage's finished checkpoint records it
    },
  });
  return { step, checkpoint, metrics: [...before, ...s.metrics[m]] };
}

function sameModel(a: Checkpoint, b: Checkpoint): boolean {
  return JSON.stringify(a.config) === JSON.stringify(b.config) && a.vocab.length === b.vocab.length && a.vocab.every((w, i) => w === b.vocab[i]);
}
