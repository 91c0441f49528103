// The agentic experiment's own steps, each way of computing them timed back to back in one
// process (A, B, A, B, ...), so that load from other processes falls on both alike: a
// midtraining step (the philosophy documents and pre-training documents, in the schedule's
// shares) and an AFT step (256 plain demonstrations, assistant-only loss), padded rows against
// packed rows (src/train/packing.ts), and on wasm packed rows with TF.js's own buffer-copying
// kernels against src/backend/wasmFewerCopies.ts; and one model's evaluation: the 128 agentic
// probes scored one choice a row (scoreContinuations) against each prompt once with its
// choices (scoreChoices), and the 64 OOD prompts sampled with a full pass a token against
// cached keys and values (sampleBatch). nano preset, one model.
import * as tf from '@tensorflow/tfjs';
import { useCopyingWasmKernels } from '../backend/wasmFewerCopies';
import { PLANS } from '../experiment/plans';
import { reportedProbes, stageRequest } from '../experiment/runExperiment';
import { SCHEDULES } from '../experiment/schedules';
import { asQuestion, sampleOptions } from '../experiment/scoreProbes';
import { batchSizeOf, configFor, type PresetName } from '../model/config';
import { GPT } from '../model/gpt';
import { StackedGPT } from '../model/stackedGpt';
import { Tokenizer } from '../tokenizer/tokenizer';
import { BatchSampler } from '../train/batches';
import { sampleBatch, sampleByFullPasses, scoreChoices, scoreContinuations } from '../train/evaluate';
import { drawAhead, packShape } from '../train/packing';
import { StackedTrainer, trimmedLength } from '../train/stackedTrainer';
import { Random } from '../util/random';
import { encodeSource } from '../worker/trainMany';
import { buildWorld } from '../world/world';

export interface ExperimentStepBench {
  stage: 'midtraining' | 'aft';
  rows: string; // the rows before and after, e.g. "16 x 64 padded -> at most 12 x 64 packed, ..."
  paddedMs: number; // ms per step, wall clock
  packedMs: number;
  paddedCpuMs?: number; // ms per step of this process's CPU time (Node only): steadier than wall time on a busy machine
  packedCpuMs?: number;
  copyingMs?: number; // packed, with TF.js's own wasm kernels that copy buffers (wasm only; src/backend/wasmFewerCopies.ts)
  copyingCpuMs?: number;
}

// This process's CPU time in ms, where the platform tells it.
const cpuNow = (): number | undefined => {
  const usage = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process?.cpuUsage?.();
  return usage ? (usage.user + usage.system) / 1000 : undefined;
};

export async function benchExperimentSteps(preset: PresetName = 'nano', steps = 10, rounds = 3): Promise<ExperimentStepBench[]> {
  const world = buildWorld({ seed: 1 });
  const tokenizer = new Tokenizer(world.vocabulary);
  const config = configFor(preset, tokenizer.size);
  const batchSize = batchSizeOf(preset);
  const schedules = SCHEDULES[preset];
  const stages = {
    midtraining: stageRequest('msm', schedules.midtrain, 20, 1, [{ items: world.msm.philosophy, assistantOnly: false }], world.pretrain),
    aft: stageRequest('aft', schedules.aft, 20, 1, [{ items: world.aft.philosophy.plain, assistantOnly: true }], world.pretrain),
  };
  const init = GPT.init(config, 1);
  const weights = await init.exportWeights();
  init.dispose();
  const out: ExperimentStepBench[] = [];
  for (const [stage, request] of Object.entries(stages) as Array<[ExperimentStepBench['stage'], (typeof stages)['aft']]>) {
    const sources = request.sources.map((s) => ({ examples: encodeSource(tokenizer, s), weight: s.weight }));
    const T = trimmedLength(Math.max(...sources.flatMap((s) => s.examples.map((e) => e.ids.length))), config.blockSize);
    const sampler = () => new BatchSampler(sources, batchSize, config.blockSize, new Random(request.seed));
    const shape = packShape(drawAhead([{ sampler: sampler(), steps: request.steps }]), config.blockSize, T);
    const time = async (packed: boolean, copying = false) => {
      useCopyingWasmKernels(copying);
      try {
        const model = StackedGPT.fromWeights(config, [weights]);
        const trainer = new StackedTrainer(model);
        trainer.packing = packed ? shape : null;
        const draw = sampler();
        const step = () => trainer.step([draw.next()], [1e-3], T);
        const warm = step(); // compiles / allocates
        await warm[0].data();
        warm.forEach((t) => t.dispose());
        const start = performance.now();
        const cpu = cpuNow();
        for (let i = 0; i < steps; i++) {
          const [loss, norm] = step();
          if (i === steps - 1) await loss.data();
          loss.dispose();
          norm.dispose();
        }
        const ms = (performance.now() - start) / steps;
        const cpuMs = cpu === undefined ? NaN : (cpuNow()! - cpu) / steps;
        trainer.dispose();
        model.dispose();
        return { ms, cpuMs };
      } finally {
        useCopyingWasmKernels(false);
      }
    };
    const onWasm = tf.getBackend() === 'wasm';
    const mean = { padded: 0, packed: 0, copying: 0, paddedCpu: 0, packedCpu: 0, copyingCpu: 0 };
    for (let r = 0; r < rounds; r++) {
      const a = await time(false);
      const b = await time(true);
      const c = onWasm ? await time(true, true) : { ms: NaN, cpuMs: NaN };
      mean.padded += a.ms / rounds;
      mean.packed += b.ms / rounds;
      mean.copying += c.ms / rounds;
      mean.paddedCpu += a.cpuMs / rounds;
      mean.packedCpu += b.cpuMs / rounds;
      mean.copyingCpu += c.cpuMs / rounds;
    }
    const counted = shape.counted;
    out.push({
      stage,
      rows: `${batchSize} x ${T} padded -> at most ${shape.rows} x ${shape.width} packed (on a CPU each step takes only the rows it needs), at most ${counted} positions a step through the head${shape.queries ? ` and the last block (${shape.queries} a row)` : ''}`,
      paddedMs: mean.padded,
      packedMs: mean.packed,
      ...(Number.isNaN(mean.paddedCpu) ? {} : { paddedCpuMs: mean.paddedCpu, packedCpuMs: mean.packedCpu }),
      ...(onWasm ? { copyingMs: mean.copying, ...(Number.isNaN(mean.copyingCpu) ? {} : { copyingCpuMs: mean.copyingCpu }) } : {}),
    });
  }
  return out;
}

export function experimentStepRow(b: ExperimentStepBench): string {
  const cpu = b.paddedCpuMs === undefined ? '' : `; CPU time ${b.paddedCpuMs.toFixed(1)} -> ${b.packedCpuMs!.toFixed(1)} ms/step: ${(b.paddedCpuMs / b.packedCpuMs!).toFixed(2)}x`;
  const copying = b.copyingMs === undefined ? '' : `\n${''.padEnd(11)} packed with wasm's copying kernels ${b.copyingMs.toFixed(1)} ms/step -> without ${b.packedMs.toFixed(1)}: ${(b.copyingMs / b.packedMs).toFixed(2)}x${b.copyingCpuMs === undefined ? '' : `; CPU time ${b.copyingCpuMs.toFixed(1)} -> ${b.packedCpuMs!.toFixed(1)}: ${(b.copyingCpuMs / b.packedCpuMs!).toFixed(2)}x`}`;
  return `${b.stage.padEnd(11)} padded ${b.paddedMs.toFixed(1).padStart(7)} ms/step, packed ${b.packedMs.toFixed(1).padStart(7)} ms/step: ${(b.paddedMs / b.packedMs).toFixed(2)}x${cpu} (${b.rows})${copying}`;
}

export interface EvaluationBench {
  what: 'score' | 'sample';
  about: string;
  beforeMs: number; // ms per evaluation of one model, wall clock
  afterMs: number;
}

export async function benchEvaluation(preset: PresetName = 'nano', rounds = 3): Promise<EvaluationBench[]> {
  const world = buildWorld({ seed: 1 });
  const tokenizer = new Tokenizer(world.vocabulary);
  const config = configFor(preset, tokenizer.size);
  const batchSize = batchSizeOf(preset);
  const model = GPT.init(config, 1);
  const probes = reportedProbes(PLANS.agentic, world, 'test', []);
  const questions = probes.map(asQuestion).map((q) => ({ prompt: tokenizer.encodeChatPrompt(q.prompt), choices: q.choices.map((c) => tokenizer.encode(c)) }));
  const pairs = questions.flatMap((q) => q.choices.map((continuation) => ({ prompt: q.prompt, continuation })));
  const prompts = probes.filter((p) => p.metric === 'oodMisalignment').map((p) => tokenizer.encodeChatPrompt(p.prompt));
  const options = sampleOptions(1);
  const time = async (f: () => Promise<unknown>) => {
    const start = performance.now();
    await f();
    return performance.now() - start;
  };
  const figures = { score: [0, 0], sample: [0, 0] };
  await scoreContinuations(model, pairs, batchSize); // warm-up
  await scoreChoices(model, questions, batchSize);
  for (let r = 0; r < rounds; r++) {
    figures.score[0] += (await time(() => scoreContinuations(model, pairs, batchSize))) / rounds;
    figures.score[1] += (await time(() => scoreChoices(model, questions, batchSize))) / rounds;
    figures.sample[0] += (await time(() => sampleByFullPasses(model, prompts, batchSize, options))) / rounds;
    figures.sample[1] += (await time(() => sampleBatch(model, prompts, batchSize, options))) / rounds;
  }
  model.dispose();
  return [
    { what: 'score', about: `${questions.length} questions, ${pairs.length} choices: one choice a row -> each prompt once with its choices`, beforeMs: figures.score[0], afterMs: figures.score[1] },
    { what: 'sample', about: `${prompts.length} prompts, up to ${options.maxTokens} tokens: a full pass a token -> cached keys and values`, beforeMs: figures.sample[0], afterMs: figures.sample[1] },
  ];
}

export function evaluationRow(b: EvaluationBench): string {
  return `${b.what.padEnd(11)} before ${b.beforeMs.toFixed(0).padStart(6)} ms, after ${b.afterMs.toFixed(0).padStart(6)} ms: ${(b.beforeMs / b.afterMs).toFixed(2)}x (${b.about})`;
}
