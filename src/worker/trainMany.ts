// Trains many models, each from its own checkpoint through its own stage, as stacks of up to
// `perStack` models: a GPU takes dozens at once for little more than the price of one, while on
// a CPU (wasm) stacking buys nothing and one at a time is as fast (see docs/performance.md).
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../checkpoint/format';
import { batchSizeOf, presetOf } from '../model/config';
import { StackedGPT } from '../model/stackedGpt';
import { Tokenizer, type Example } from '../tokenizer/tokenizer';
import { BatchSampler } from '../train/batches';
import type { RunControl } from '../train/control';
import { compileStackedStep } from '../train/compileAhead';
import { drawAhead, packShape } from '../train/packing';
import { StackedTrainer, trimmedLength } from '../train/stackedTrainer';
import type { StageResult, StepMetrics } from '../train/trainer';
import { fingerprint } from '../util/hash';
import { Random } from '../util/random';
import type { TrainSource, TrainStageRequest } from './api';

export interface TrainJob {
  checkpoint: Uint8Array; // where the model starts
  stage: TrainStageRequest; // keepOptimizer is not supported: every job starts a fresh optimizer
}

export interface TrainManyProgress {
  jobs: number[]; // indices of the jobs in the stack being trained
  step: number;
  steps: number;
  metrics: StepMetrics[][]; // per job of the stack, the steps read back since the last report
  tokensPerSecond: number;
  finished: boolean; // the stack's last report: its jobs are done
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
    return decodeCheckpoint(j.checkpoint); // validated whole before any tensor is made
  });
  starts.forEach((c, i) => {
    if (!sameModel(c, starts[0])) throw new Error(`job ${i}: every model must have the same config and vocabulary as job 0`);
  });
  const results: StageResult[] = [];
  const checkpoints: Uint8Array[] = [];
  for (let first = 0; first < jobs.length && control.state !== 'stopped'; first += perStack) {
    const indices = jobs.slice(first, first + perStack).map((_, k) => first + k);
    const trained = await trainStack(indices.map((i) => ({ start: starts[i], stage: jobs[i].stage })), control, (p) => onProgress({ ...p, jobs: indices }));
    results.push(...trained.results);
    checkpoints.push(...trained.checkpoints);
  }
  return { results, checkpoints };
}

async function trainStack(
  jobs: Array<{ start: Checkpoint; stage: TrainStageRequest }>,
  control: RunControl,
  onProgress: (p: Omit<TrainManyProgress, 'jobs'>) => void,
): Promise<TrainManyResult> {
  const { config, vocab } = jobs[0].start;
  const tokenizer = new Tokenizer(vocab);
  const batchSize = batchSizeOf(presetOf(config));
  const sources = jobs.map((j) => j.stage.sources.map((s) => ({ examples: encodeSource(tokenizer, s), weight: s.weight })));
  const longest = Math.max(...sources.flat().flatMap((s) => s.examples.map((e) => e.ids.length)));
  const length = trimmedLength(longest, config.blockSize);
  // The packed rows' shape: the stage's batches drawn ahead by samplers with the same seeds.
  const packing = packShape(drawAhead(jobs.map((j, m) => ({ sampler: new BatchSampler(sources[m], batchSize, config.blockSize, new Random(j.stage.seed)), steps: j.stage.steps }))), config.blockSize, length);
  await compileStackedStep(config, jobs.length, batchSize, length, packing); // WebGPU: every shader at once, before step 1
  const model = StackedGPT.fromWeights(config, jobs.map((j) => j.start.weights));
  const trainer = new StackedTrainer(model);
  trainer.packing = packing;
  try {
    const stages = jobs.map((j, m) => ({ settings: j.stage, sampler: new BatchSampler(sources[m], batchSize, config.blockSize, new Random(j.stage.seed)) }));
    let steps = 0;
    const results = await trainer.runStages(stages, control, length, (p) => {
      steps = p.steps;
      onProgress({ step: p.step, steps: p.steps, metrics: p.metrics, tokensPerSecond: p.tokensPerSecond, finished: false });
    });
    const weights = await model.exportWeights();
    // A diverged model comes back as it started: its weights after the NaN mean nothing.
    const checkpoints = jobs.map((j, m) =>
      results[m].diverged ? encodeCheckpoint(j.start) : encodeCheckpoint({
        config,
        vocab,
        weights: weights[m],
        provenance: {
          createdAt: new Date().toISOString(),
          stages: [...j.start.provenance.stages, { name: j.stage.name, steps: results[m].stepsDone, corpusHash: fingerprint(JSON.stringify(j.stage.sources)), seed: j.stage.seed }],
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

function sameModel(a: Checkpoint, b: Checkpoint): boolean {
  return JSON.stringify(a.config) === JSON.stringify(b.config) && a.vocab.length === b.vocab.length && a.vocab.every((w, i) => w === b.vocab[i]);
}
