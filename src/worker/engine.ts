// The engine behind the worker API: one model, its tokenizer and trainer. It runs the same in
// a browser Worker and in Node; only the backend chooser passed in differs.
import * as tf from '@tensorflow/tfjs';
import type { BackendName, BackendReport } from '../backend/select';
import { encodeCheckpoint, decodeCheckpoint, type Checkpoint } from '../checkpoint/format';
import { LastGoodWeights } from '../checkpoint/lastGoodWeights';
import { batchSizeOf, configFor, isPresetName, presetOf, parameterCount, PRESETS, type GPTConfig, type PresetName } from '../model/config';
import { GPT } from '../model/gpt';
import { Tokenizer } from '../tokenizer/tokenizer';
import { BatchSampler } from '../train/batches';
import { RunControl } from '../train/control';
import { meanLoss, sample, sampleBatch, scoreChoices } from '../train/evaluate';
import { DivergedError, Trainer, type Progress, type StageResult } from '../train/trainer';
import { fingerprint } from '../util/hash';
import { Random } from '../util/random';
import { evaluateOneByOne } from './evaluateOneByOne';
import { encodeSource, trainMany, type TrainJob, type TrainManyProgress, type TrainManyResult } from './trainMany';
import type { Asked, CreateModelRequest, EngineApi, EvaluateRequest, EvaluateResult, ModelInfo, Question, SampleRequest, TrainStageRequest } from './api';

/** Refuses (throws) a model whose training step would not fit the device; see src/backend/deviceLimits.ts. */
export type DeviceFitCheck = (config: GPTConfig, step: { batchSize: number; models?: number }, preset: PresetName | 'custom') => void;

export interface CheckpointStore {
  save(key: string, checkpoint: Checkpoint): Promise<void>;
  load(key: string): Promise<Checkpoint>;
}

interface Loaded {
  preset: PresetName | 'custom';
  model: GPT;
  tokenizer: Tokenizer;
  trainer: Trainer;
  stages: ModelInfo['stages'];
  seeds: Record<string, number>;
}

export class Engine implements EngineApi {
  private backend: BackendName | null = null;
  private current: Loaded | null = null;
  private control = new RunControl();
  private training = false;

  constructor(
    private readonly chooseBackend: (force?: BackendName) => Promise<BackendReport>,
    private readonly store?: CheckpointStore,
    private readonly checkFits: DeviceFitCheck = () => {},
  ) {}

  async init(force?: BackendName): Promise<BackendReport> {
    if (this.current) throw new Error('choose the backend before creating or loading a model');
    const report = await this.chooseBackend(force);
    this.backend = report.chosen;
    return report;
  }

  async createModel(r: CreateModelRequest): Promise<ModelInfo> {
    if (!isPresetName(r.preset)) throw new Error(`unknown preset "${r.preset}"; use one of ${Object.keys(PRESETS).join(', ')}`);
    const tokenizer = new Tokenizer(r.vocab);
    const config = configFor(r.preset, tokenizer.size);
    this.checkFits(config, { batchSize: batchSizeOf(r.preset) }, r.preset); // before any tensor is made
    this.replace({ preset: r.preset, model: GPT.init(config, r.seed), tokenizer, stages: [], seeds: { init: r.seed } });
    return this.info();
  }

  async trainStage(r: TrainStageRequest, onProgress?: (p: Progress) => void): Promise<StageResult> {
    const { model, tokenizer, trainer } = this.loaded();
    if (this.training) throw new Error('a stage is already training');
    const sources = r.sources.map((s) => ({ examples: encodeSource(tokenizer, s), weight: s.weight }));
    const batchSize = this.batchSize();
    const sampler = new BatchSampler(sources, batchSize, model.config.blockSize, new Random(r.seed));
    if (!r.keepOptimizer) trainer.optimizer.reset();
    this.control = new RunControl();
    this.training = true;
    const lastGood = new LastGoodWeights(model.params); // a NaN loss leaves the model at these
    try {
      const result = await trainer.runStage(r, sampler, this.control, (p) => (lastGood.confirm(p.step), onProgress?.(p)));
      this.current!.stages.push({ name: r.name, steps: result.stepsDone, corpusHash: fingerprint(JSON.stringify(r.sources)), seed: r.seed });
      this.current!.seeds[r.name] = r.seed;
      return result;
    } catch (e) {
      if (e instanceof DivergedError) keepLastGood(e, lastGood, trainer);
      throw e;
    } finally {
      lastGood.dispose();
      this.training = false;
    }
  }

  async trainMany(jobs: TrainJob[], onProgress?: (p: TrainManyProgress) => void, modelsPerStack?: number): Promise<TrainManyResult> {
    if (!this.backend) throw new Error('call init() first');
    if (this.training) throw new Error('a stage is already training');
    const perStack = this.modelsThatFit(jobs, modelsPerStack ?? (this.backend === 'webgpu' || this.backend === 'webgl' ? 32 : 1));
    this.control = new RunControl();
    this.training = true;
    try {
      return await trainMany(jobs, perStack, this.control, onProgress);
    } finally {
      this.training = false;
    }
  }

  // Halves the stack until its step fits the device's buffer limits (one model must fit).
  private modelsThatFit(jobs: TrainJob[], wanted: number): number {
    if (jobs.length === 0) return wanted;
    const { config } = decodeCheckpoint(jobs[0].checkpoint);
    const preset = presetOf(config);
    let models = Math.min(wanted, jobs.length);
    for (;;) {
      try {
        this.checkFits(config, { batchSize: batchSizeOf(preset), models }, preset);
        return models;
      } catch (e) {
        if (models <= 1) throw e;
        models = Math.ceil(models / 2);
      }
    }
  }

  async evaluateMany(requests: EvaluateRequest[], onEvaluated?: (index: number) => void): Promise<EvaluateResult[]> {
    return evaluateOneByOne(this, requests, onEvaluated);
  }

  pause(): void {
    this.control.pause();
  }

  resume(): void {
    this.control.resume();
  }

  stop(): void {
    this.control.stop();
  }

  async evaluateLoss(documents: string[]): Promise<number> {
    const { model, tokenizer } = this.loaded();
    return meanLoss(model, documents.map((d) => tokenizer.encodeDocument(d)), this.batchSize());
  }

  async scoreChoices(prompt: string, choices: string[]): Promise<Array<{ logProb: number; tokens: number }>> {
    return (await this.scoreQuestions([{ prompt, choices }]))[0];
  }

  async scoreQuestions(questions: Question[]): Promise<Array<Array<{ logProb: number; tokens: number }>>> {
    const { model, tokenizer } = this.loaded();
    const encoded = questions.map((q) => ({ prompt: tokenizer.encodeQuestionPrompt(q), choices: q.choices.map((c) => tokenizer.encode(c)) }));
    return scoreChoices(model, encoded, this.batchSize());
  }

  async sample(r: SampleRequest): Promise<string> {
    const { model, tokenizer } = this.loaded();
    const ids = await sample(model, tokenizer.encodeQuestionPrompt(r), r);
    return tokenizer.decode(ids);
  }

  async sampleReplies(prompts: Asked[], options: Omit<SampleRequest, 'prompt' | 'format'>): Promise<string[]> {
    const { model, tokenizer } = this.loaded();
    const encoded = prompts.map((p) => tokenizer.encodeQuestionPrompt(typeof p === 'string' ? { prompt: p } : p));
    const replies = await sampleBatch(model, encoded, this.batchSize(), options);
    return replies.map((ids) => tokenizer.decode(ids));
  }

  async saveCheckpoint(includeOptimizer: boolean): Promise<Uint8Array> {
    return encodeCheckpoint(await this.checkpoint(includeOptimizer));
  }

  async loadCheckpoint(bytes: Uint8Array): Promise<ModelInfo> {
    this.adopt(decodeCheckpoint(bytes)); // validated whole before any tensor is made
    return this.info();
  }

  async saveToStore(key: string): Promise<void> {
    if (!this.store) throw new Error('no checkpoint store in this environment');
    await this.store.save(key, await this.checkpoint(false));
  }

  async loadFromStore(key: string): Promise<ModelInfo> {
    if (!this.store) throw new Error('no checkpoint store in this environment');
    this.adopt(await this.store.load(key));
    return this.info();
  }

  memory(): { numTensors: number; numBytes: number } {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  }

  ping(): 'pong' {
    return 'pong';
  }

  whereAmI(): { inWorker: boolean; backend: BackendName | null } {
    const scope = (globalThis as { WorkerGlobalScope?: new () => unknown }).WorkerGlobalScope;
    return { inWorker: scope !== undefined && globalThis instanceof scope, backend: this.backend };
  }

  private async checkpoint(includeOptimizer: boolean): Promise<Checkpoint> {
    const c = this.loaded();
    return {
      config: c.model.config,
      vocab: [...c.tokenizer.vocab],
      weights: await c.model.exportWeights(),
      optimizer: includeOptimizer ? await c.trainer.optimizer.exportState() : undefined,
      provenance: { createdAt: new Date().toISOString(), stages: c.stages, seeds: c.seeds },
    };
  }

  private adopt(c: Checkpoint): void {
    const tokenizer = new Tokenizer(c.vocab);
    const preset = presetOf(c.config);
    this.checkFits(c.config, { batchSize: batchSizeOf(preset) }, preset);
    const model = GPT.fromWeights(c.config, c.weights);
    const stages = c.provenance.stages.map((s) => ({ name: s.name, steps: s.steps, corpusHash: s.corpusHash ?? '', seed: s.seed ?? 0 }));
    this.replace({ preset, model, tokenizer, stages, seeds: { ...c.provenance.seeds } });
    if (c.optimizer) this.current!.trainer.optimizer.importState(c.optimizer);
  }

  private replace(next: Omit<Loaded, 'trainer'>): void {
    if (this.training) throw new Error('stop training before replacing the model');
    if (!this.backend) throw new Error('call init() first');
    this.current?.trainer.dispose();
    this.current?.model.dispose();
    this.current = { ...next, trainer: new Trainer(next.model) };
  }

  private loaded(): Loaded {
    if (!this.current) throw new Error('no model: create or load one first');
    return this.current;
  }

  private batchSize(): number {
    return batchSizeOf(this.loaded().preset);
  }

  private info(): ModelInfo {
    const c = this.loaded();
    return { preset: c.preset, config: c.model.config, parameters: parameterCount(c.model.config), backend: this.backend!, stages: [...c.stages] };
  }
}

/** After a divergence: the newest weights with a finite loss go back in, the NaN moments are cleared, and the error says so. */
function keepLastGood(e: DivergedError, lastGood: LastGoodWeights, trainer: Trainer): void {
  const step = lastGood.restore(e.step);
  trainer.optimizer.reset();
  if (step !== null) e.message += `; the model is back at its weights after step ${step} of the stage, the last with a finite loss`;
}
